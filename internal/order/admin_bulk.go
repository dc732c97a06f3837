package order

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// startBulk starts a bulk action on the ticked orders or, with
// scope=all, on every order the search matches: a status change or the
// shipping notices run as a job (progress on its own page); an export or
// the invoices of the selection are a download.
// POST /{admin}/orders/bulk
func (p *AdminPages) startBulk(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return shop.Errorf(shop.Invalid, "error.bad_request")
	}
	search, _ := url.ParseQuery(r.PostFormValue("query"))
	search = FilterQuery(search)
	sel := Selection{All: r.PostFormValue("scope") == "all", Filter: ParseFilter(search, p.DB.Now())}
	sel.Filter.IDs = nil
	var ids []string
	if !sel.All {
		for _, v := range r.PostForm["id"] {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil || id <= 0 {
				continue
			}
			sel.IDs = append(sel.IDs, id)
			ids = append(ids, v)
		}
		if len(sel.IDs) == 0 || len(sel.IDs) > MaxBulkIDs {
			return p.refuse(w, r, search, shop.Errorf(shop.Invalid, "order.bulk.empty"))
		}
	}
	action := r.PostFormValue("action")
	switch action {
	case "export", "export_line", "export_shipment", "invoices", "slips", "labels_yamato":
		// Downloads: the selection travels as the export's query.
		v := url.Values{}
		if sel.All {
			v = search
		} else {
			v.Set("ids", strings.Join(ids, ","))
		}
		path := "/orders/invoices.pdf"
		switch action {
		case "export", "export_line", "export_shipment":
			v.Set("encoding", r.PostFormValue("encoding"))
			v.Set("type", map[string]string{"export": ExportOrders, "export_line": ExportLines, "export_shipment": ExportShipments}[action])
			path = "/orders.csv"
		case "slips":
			path = "/orders/slips"
		case "labels_yamato":
			v.Set("format", "yamato_b2")
			path = "/orders/labels.csv"
		}
		http.Redirect(w, r, p.Shell.Base()+path+"?"+v.Encode(), http.StatusSeeOther)
		return nil
	case "":
		return p.refuse(w, r, search, shop.Invalidf(map[string]string{"action": "order.bulk.bad_action"}))
	}
	note := strings.TrimSpace(r.PostFormValue("note"))
	if utf8.RuneCountInString(note) > 500 {
		return p.refuse(w, r, search, shop.Invalidf(map[string]string{"note": "order.bulk.note_too_long"}))
	}
	actorID, actor := p.Shell.Actor(r)
	job := BulkJob{Action: action, Param: r.PostFormValue("to"), Note: note, ActorID: actorID, Actor: actor,
		Address: web.Info(r).ClientIP.String()}
	if action != BulkStatus {
		job.Param = ""
	}
	var id int64
	err := p.DB.Tx(ctx, func(tx *db.Tx) (err error) {
		if id, err = StartBulk(ctx, tx, job, sel); err != nil {
			return err
		}
		_, err = audit.Append(ctx, tx, p.Shell.Audit(r, "order.bulk_started", strconv.FormatInt(id, 10),
			map[string]any{"action": action, "to": job.Param, "all": sel.All, "query": search.Encode(), "ids": len(sel.IDs)}))
		return err
	})
	if err != nil {
		return p.refuse(w, r, search, err)
	}
	return p.Shell.Done(w, r, "order.bulk.started", "/order-bulk/"+strconv.FormatInt(id, 10))
}

// refuse shows the list again with a refused form's message; internal
// errors go to the error adapter.
func (p *AdminPages) refuse(w http.ResponseWriter, r *http.Request, search url.Values, cause error) error {
	var se *shop.Error
	if !errors.As(cause, &se) || se.Kind == shop.Internal || se.Kind == shop.NotFound {
		return cause
	}
	return p.renderList(w, r, search, web.Status(cause), web.Message(r, cause), se.Fields)
}

type bulkPage struct {
	Job      *BulkJob
	Problems []BulkItem
	More     bool // more problems than shown
}

// bulkProgress shows a job's progress, reloading itself every two
// seconds while it runs (a Refresh header: no script), and at the end
// what changed, what was refused and why, and what failed.
// GET /{admin}/order-bulk/{id}
func (p *AdminPages) bulkProgress(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return shop.ErrNotFound
	}
	job, err := Bulk(ctx, p.DB, id)
	if err != nil {
		return err
	}
	const show = 200
	probs, err := BulkProblems(ctx, p.DB, id, show+1)
	if err != nil {
		return err
	}
	pg := &bulkPage{Job: job, Problems: probs}
	if len(probs) > show {
		pg.Problems, pg.More = probs[:show], true
	}
	if job.Status == "pending" {
		w.Header().Set("Refresh", "2")
	}
	return p.Shell.Page(w, r, http.StatusOK, "admin_order_bulk", "order.bulk.title", pg)
}
