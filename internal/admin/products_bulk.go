package admin

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// productBulkAction runs a bulk action (publish, unpublish, duplicate,
// category add/set, delete) on the products ticked in the list. Products
// deleted meanwhile, or that the action does not apply to, are skipped,
// and the list says which and why. Deleting asks for a second tick
// (confirm=1) so a slip of the select cannot delete a page of products.
// POST /{admin}/products/bulk  action, product (repeated), category, confirm
func (c *Catalog) productBulkAction(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return shop.Errorf(shop.Invalid, "error.invalid")
	}
	action := r.PostFormValue("action")
	ids := formIDs(r, "product")
	cat, _ := strconv.ParseInt(r.PostFormValue("category"), 10, 64)
	if action == catalog.BulkDelete && r.PostFormValue("confirm") != "1" {
		return c.renderList(w, r, http.StatusUnprocessableEntity, nil, "catalog13.bulk.error.confirm")
	}
	var res catalog.BulkResult
	err := c.write(r, "product.bulk_"+action, func(tx *db.Tx) (string, map[string]any, error) {
		var err error
		res, err = catalog.Bulk(r.Context(), tx, action, ids, cat)
		skipped := make([]int64, 0, len(res.Skipped))
		for _, s := range res.Skipped {
			skipped = append(skipped, s.ID)
		}
		return "", map[string]any{"products": ids, "done": res.Done, "skipped": skipped, "category": cat}, err
	})
	var se *shop.Error
	if errors.As(err, &se) && se.Kind == shop.Invalid {
		key := "admin_products.error.fix"
		for _, k := range se.Fields {
			key = k
		}
		return c.renderList(w, r, http.StatusUnprocessableEntity, nil, key)
	}
	if err != nil {
		return err
	}
	if len(res.Skipped) > 0 {
		// Shown on the list rather than flashed: the admin needs to read
		// which products were left and why.
		return c.renderListResult(w, r, http.StatusOK, &res, action)
	}
	web.SetFlash(w, r, "catalog13.bulk.done")
	http.Redirect(w, r, c.h.base+"/products?"+r.URL.RawQuery, http.StatusSeeOther)
	return nil
}
