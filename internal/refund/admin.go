package refund

import (
	"context"
	"embed"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

//go:embed templates/*.html
var templates embed.FS

// Shell is what the screens need from the admin panel; admin.Section
// satisfies it.
type Shell interface {
	Read(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Write(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Page(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any) error
	Audit(r *http.Request, action, target string, details map[string]any) audit.Entry
	Actor(r *http.Request) (int64, string)
	Done(w http.ResponseWriter, r *http.Request, flashKey, path string) error
}

// Admin is the returns, cancellations and refunds screen of an order,
// and its credit notes.
type Admin struct {
	DB       *db.DB
	Settings *settings.Store
	Shell    Shell
	Worker   *Worker // sends a card refund at once after the commit
	Font     string  // TrueType font for the credit note, "" for the embedded one
}

// Mount registers the template and the routes.
func (a *Admin) Mount(render *web.Renderer, mux *http.ServeMux) error {
	if err := render.AddPages("admin", templates, "templates/*.html"); err != nil {
		return err
	}
	a.Shell.Read(mux, "GET /orders/{number}/refund", a.form)
	a.Shell.Write(mux, "POST /orders/{number}/refund", a.post)
	a.Shell.Read(mux, "GET /orders/{number}/refunds/{id}/credit-note.pdf", a.creditNote)
	return nil
}

type lineRow struct {
	order.AdminLine
	Returned, Left int
}

type page struct {
	O        *order.Order
	Version  int
	Shipped  bool // returns per line; otherwise the whole order is cancelled
	Lines    []lineRow
	Paid     Paid
	Refunds  []*Refund
	Closed   bool // cancelled or returned: nothing more to do
	Form     url.Values
	Fields   map[string]string
	Error    string
	Conflict bool
	Loc      *time.Location
}

// Val is the kept input of a refused form, or def.
func (p *page) Val(name string, def any) string {
	if v, ok := p.Form[name]; ok {
		return v[0]
	}
	switch d := def.(type) {
	case shop.Yen:
		return strconv.FormatInt(int64(d), 10)
	case int:
		return strconv.Itoa(d)
	case string:
		return d
	}
	return ""
}

func (a *Admin) load(ctx context.Context, number string) (*page, error) {
	o, err := order.ByNumber(ctx, a.DB, number)
	if err != nil {
		return nil, err
	}
	p := &page{O: o, Shipped: o.Status == order.Shipped, Closed: o.Status == order.Cancelled || o.Status == order.Returned, Loc: jst}
	if _, p.Version, err = order.Version(ctx, a.DB, number); err != nil {
		return nil, err
	}
	if p.Paid, err = PaidOf(ctx, a.DB, o); err != nil {
		return nil, err
	}
	lines, err := order.AdminLines(ctx, a.DB, o.ID)
	if err != nil {
		return nil, err
	}
	for _, l := range lines {
		p.Lines = append(p.Lines, lineRow{AdminLine: l, Returned: p.Paid.Returned[l.ID], Left: l.Qty - p.Paid.Returned[l.ID]})
	}
	if p.Refunds, err = ByOrder(ctx, a.DB, o.ID); err != nil {
		return nil, err
	}
	return p, nil
}

// form shows the order's refunds and the return (or cancel) form.
// GET /{admin}/orders/{number}/refund
func (a *Admin) form(w http.ResponseWriter, r *http.Request) error {
	p, err := a.load(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	return a.Shell.Page(w, r, http.StatusOK, "admin_order_refund", "refund.title", p)
}

// post records a return or a cancellation and its refund, audited, in one
// transaction; a card refund is then sent to the provider.
// POST /{admin}/orders/{number}/refund
func (a *Admin) post(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	number := r.PathValue("number")
	if err := r.ParseForm(); err != nil {
		return shop.Errorf(shop.Invalid, "error.bad_request")
	}
	p, err := a.load(ctx, number)
	if err != nil {
		return err
	}
	g, fields := readGoods(r, p)
	if len(fields) > 0 {
		return a.refuse(w, r, p, shop.Invalidf(fields))
	}
	sh, err := a.Settings.Shop(ctx)
	if err != nil {
		return err
	}
	g.Rounding = sh.Rounding
	_, g.Actor = a.Shell.Actor(r)
	var rf *Refund
	err = a.DB.Tx(ctx, func(tx *db.Tx) error {
		if rf, err = ReturnGoods(ctx, tx, g); err != nil {
			return err
		}
		details := map[string]any{"status_before": string(p.O.Status), "reason": g.Reason}
		if rf != nil {
			var ls []map[string]any
			for _, l := range rf.Lines {
				ls = append(ls, map[string]any{"sku": l.SKU, "qty": l.Qty, "unit_amount": int64(l.UnitAmount), "restock": l.Restock})
			}
			details["refund"] = map[string]any{"id": rf.ID, "kind": rf.Kind, "amount": int64(rf.Amount), "method": rf.Method, "lines": ls}
		}
		action := "order.returned"
		if !p.Shipped {
			action = "order.cancelled"
		}
		_, err := audit.Append(ctx, tx, a.Shell.Audit(r, action, number, details))
		return err
	})
	if err != nil {
		return a.refuse(w, r, p, err)
	}
	if rf != nil && rf.Status == Pending && a.Worker != nil {
		// After the commit; a failure here is the worker's to retry.
		_, _ = a.Worker.RunOnce(ctx)
	}
	return a.Shell.Done(w, r, "refund.saved", "/orders/"+number+"/refund")
}

// readGoods reads the form: per line the quantity returned, the amount
// per unit and the stock choice; the fees refunded; the reason.
func readGoods(r *http.Request, p *page) (Goods, map[string]string) {
	fields := map[string]string{}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	g := Goods{Number: p.O.Number, Version: version, Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	if utf8.RuneCountInString(g.Reason) > 500 {
		fields["reason"] = "admin.orders.too_long"
	}
	if !p.Shipped {
		return g, fields
	}
	// An empty field is 0 (the COD fee field is not shown for an order
	// without one).
	num := func(name string) (int64, bool) {
		s := strings.ReplaceAll(strings.TrimSpace(r.PostFormValue(name)), ",", "")
		if s == "" {
			return 0, true
		}
		n, err := strconv.ParseInt(s, 10, 64)
		return n, err == nil
	}
	for _, l := range p.Lines {
		id := strconv.FormatInt(l.ID, 10)
		q, ok := num("qty_" + id)
		if !ok {
			fields["qty_"+id] = "refund.bad_qty"
			continue
		}
		if q == 0 {
			continue
		}
		amt, ok := num("amount_" + id)
		if !ok {
			fields["amount_"+id] = "refund.bad_amount"
		}
		// Only an explicit "restock" puts goods back on sale.
		g.Lines = append(g.Lines, Line{OrderLineID: l.ID, Qty: int(q), UnitAmount: shop.Yen(amt), Restock: r.PostFormValue("stock_"+id) == "restock"})
	}
	for name, dst := range map[string]*shop.Yen{"delivery_fee": &g.DeliveryFee, "cod_fee": &g.CODFee} {
		n, ok := num(name)
		if !ok {
			fields[name] = "refund.bad_amount"
		}
		*dst = shop.Yen(n) // a negative one is refused by Create, on its field
	}
	return g, fields
}

// refuse shows the form again with its input and the messages (422), or
// the order as it is now when it changed meanwhile (409).
func (a *Admin) refuse(w http.ResponseWriter, r *http.Request, p *page, cause error) error {
	var se *shop.Error
	if !errors.As(cause, &se) || se.Kind == shop.Internal || se.Kind == shop.NotFound || se.Kind == shop.Forbidden {
		return cause
	}
	if errors.Is(cause, order.ErrVersion) {
		fresh, err := a.load(r.Context(), r.PathValue("number"))
		if err != nil {
			return err
		}
		p = fresh
		p.Conflict = true
	} else {
		p.Form, p.Fields = r.PostForm, se.Fields
	}
	p.Error = web.Message(r, cause)
	return a.Shell.Page(w, r, web.Status(cause), "admin_order_refund", "refund.title", p)
}
