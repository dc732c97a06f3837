package order

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// saveFilter saves the list's current search under a name (replacing a
// filter of that name). POST /{admin}/orders/filters
func (p *AdminPages) saveFilter(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return shop.Errorf(shop.Invalid, "error.bad_request")
	}
	search, _ := url.ParseQuery(r.PostFormValue("query"))
	search = FilterQuery(search)
	f := SavedFilter{Name: r.PostFormValue("filter_name"), Query: search.Encode()}
	_, actor := p.Shell.Actor(r)
	err := p.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := SaveFilter(ctx, tx, f, actor); err != nil {
			return err
		}
		_, err := audit.Append(ctx, tx, p.Shell.Audit(r, "order.filter_saved", f.Name, map[string]any{"query": f.Query}))
		return err
	})
	if err != nil {
		return p.refuse(w, r, search, err)
	}
	return p.Shell.Done(w, r, "order.filter.saved", "/orders?"+f.Query)
}

// deleteFilter deletes a saved filter. POST /{admin}/orders/filters/{id}/delete
func (p *AdminPages) deleteFilter(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return shop.ErrNotFound
	}
	err = p.DB.Tx(ctx, func(tx *db.Tx) error {
		name, err := DeleteFilter(ctx, tx, id)
		if err != nil {
			return err
		}
		_, err = audit.Append(ctx, tx, p.Shell.Audit(r, "order.filter_deleted", name, nil))
		return err
	})
	if err != nil {
		return err
	}
	return p.Shell.Done(w, r, "order.filter.deleted", "/orders")
}
