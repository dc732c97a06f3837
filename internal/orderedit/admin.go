package orderedit

import (
	"context"
	"embed"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/delivery"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/refund"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

//go:embed templates/*.html
var templates embed.FS

// Shell is what the screen needs from the admin panel; admin.Section
// satisfies it.
type Shell interface {
	Read(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Write(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Page(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any) error
	Audit(r *http.Request, action, target string, details map[string]any) audit.Entry
	Actor(r *http.Request) (int64, string)
	Done(w http.ResponseWriter, r *http.Request, flashKey, path string) error
}

// Admin is the 受注編集 screen.
type Admin struct {
	DB       *db.DB
	Settings *settings.Store
	Shell    Shell
	// Refunds sends the card refund an edit records at once, so the
	// operator sees the provider's answer; its background run retries.
	Refunds *refund.Worker
}

// Mount registers the template and the routes.
func (a *Admin) Mount(render *web.Renderer, mux *http.ServeMux) error {
	if err := render.AddPages("admin", templates, "templates/*.html"); err != nil {
		return err
	}
	a.Shell.Read(mux, "GET /orders/{number}/revise", a.form)
	a.Shell.Write(mux, "POST /orders/{number}/revise", a.save)
	return nil
}

type parcelRow struct {
	order.Parcel
	Prefix  string
	Slots   []delivery.Slot
	Items   []string
	Address []field
}

// field is one input of an address: its name, label key, value (the kept
// input of a refused form, or the stored one) and message key.
type field struct {
	Name, Label, Value, Err string
	Pref                    bool
}

type page struct {
	O        *order.Order
	Version  int
	Lines    []order.AdminLine
	Single   []delivery.Slot // slots of a one-parcel order's method
	Parcels  []parcelRow     // an order with several parcels
	Prefs    []jp.Prefecture
	Paid     refund.Paid
	Refunds  []*refund.Refund
	Form     url.Values
	Fields   map[string]string
	Error    string
	Conflict bool
	Editable bool
	Address  []field // a one-parcel order's recipient
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

// address lists a's inputs named prefix+field, in form order, with the
// pages's kept input and messages.
func (p *page) address(prefix string, a order.Address) []field {
	vals := []struct{ name, value string }{{"family_name", a.FamilyName}, {"given_name", a.GivenName}, {"family_kana", a.FamilyKana},
		{"given_kana", a.GivenKana}, {"phone", a.Phone}, {"postal_code", a.PostalCode}, {"pref", strconv.Itoa(a.Pref)},
		{"city", a.City}, {"address1", a.Address1}, {"address2", a.Address2}}
	out := make([]field, len(vals))
	for i, v := range vals {
		n := prefix + v.name
		out[i] = field{Name: n, Label: "admin.orders.f." + v.name, Value: p.Val(n, v.value), Err: p.Fields[n], Pref: v.name == "pref"}
	}
	return out
}

// fill lays out the address inputs once the kept input is known.
func (p *page) fill() {
	p.Address = p.address("ship_", p.O.Ship)
	for i := range p.Parcels {
		p.Parcels[i].Address = p.address(p.Parcels[i].Prefix+"ship_", p.Parcels[i].Ship)
	}
}

func (a *Admin) load(ctx context.Context, number string) (*page, map[int64]delivery.Method, error) {
	o, err := order.ByNumber(ctx, a.DB, number)
	if err != nil {
		return nil, nil, err
	}
	p := &page{O: o, Prefs: jp.Prefectures(), Editable: order.Editable(o.Status)}
	if _, p.Version, err = order.Version(ctx, a.DB, number); err != nil {
		return nil, nil, err
	}
	if p.Lines, err = order.AdminLines(ctx, a.DB, o.ID); err != nil {
		return nil, nil, err
	}
	ms, err := delivery.Methods(ctx, a.DB)
	if err != nil {
		return nil, nil, err
	}
	methods := map[int64]delivery.Method{}
	for _, m := range ms {
		methods[m.ID] = m
	}
	p.Single = methods[o.DeliveryMethod].Slots
	if len(o.Parcels) > 1 {
		for _, pc := range o.Parcels {
			row := parcelRow{Parcel: pc, Prefix: "p" + strconv.FormatInt(pc.ID, 10) + "_", Slots: methods[pc.Method].Slots}
			for _, it := range pc.Items {
				l := o.Lines[it.Line]
				row.Items = append(row.Items, l.NameJA+" ("+l.SKU+") × "+strconv.Itoa(it.Qty))
			}
			p.Parcels = append(p.Parcels, row)
		}
	}
	if p.Paid, err = refund.PaidOf(ctx, a.DB, o); err != nil {
		return nil, nil, err
	}
	if p.Refunds, err = refund.ByOrder(ctx, a.DB, o.ID); err != nil {
		return nil, nil, err
	}
	return p, methods, nil
}

// form shows the order as an edit form. GET /{admin}/orders/{number}/revise
func (a *Admin) form(w http.ResponseWriter, r *http.Request) error {
	p, _, err := a.load(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	p.fill()
	return a.Shell.Page(w, r, http.StatusOK, "admin_order_revise", "orderedit.title", p)
}

// save applies the form in one transaction, audits the order before and
// after, sends a card refund the edit recorded, and goes back to the
// order. A refused form comes back with its input and a message by each
// field (422), or, when the order changed meanwhile, a message saying so
// (409) and nothing written. POST /{admin}/orders/{number}/revise
func (a *Admin) save(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	number := r.PathValue("number")
	if err := r.ParseForm(); err != nil {
		return shop.Errorf(shop.Invalid, "error.bad_request")
	}
	p, methods, err := a.load(ctx, number)
	if err != nil {
		return err
	}
	fields := map[string]string{}
	c := readChange(r, p.O, p.Lines, methods, fields)
	if len(fields) > 0 {
		return a.refuse(w, r, p, shop.Invalidf(fields))
	}
	sh, err := a.Settings.Shop(ctx)
	if err != nil {
		return err
	}
	c.Rounding = sh.Rounding
	_, c.Actor = a.Shell.Actor(r)
	var res *Result
	err = a.DB.Tx(ctx, func(tx *db.Tx) error {
		if res, err = Apply(ctx, tx, c); err != nil {
			return err
		}
		details := map[string]any{"before": order.EditSummary(res.Before), "after": order.EditSummary(res.After), "note": c.Note}
		if res.Refund != nil {
			details["refund"] = map[string]any{"id": res.Refund.ID, "amount": int64(res.Refund.Amount), "method": res.Refund.Method}
		}
		_, err := audit.Append(ctx, tx, a.Shell.Audit(r, "order.edited", number, details))
		return err
	})
	if err != nil {
		return a.refuse(w, r, p, err)
	}
	flash := "orderedit.saved"
	if res.Refund != nil && res.Refund.Status == refund.Pending && a.Refunds != nil {
		// After the commit: the provider is never called inside it. A
		// failure here is the worker's to retry; the edit is saved.
		_, _ = a.Refunds.RunOnce(ctx)
		flash = "orderedit.saved_refund"
	}
	return a.Shell.Done(w, r, flash, "/orders/"+number)
}

// refuse shows the form again with its input and the error's messages.
func (a *Admin) refuse(w http.ResponseWriter, r *http.Request, p *page, cause error) error {
	var se *shop.Error
	if !errors.As(cause, &se) || se.Kind == shop.Internal || se.Kind == shop.NotFound || se.Kind == shop.Forbidden {
		return cause
	}
	if errors.Is(cause, order.ErrVersion) {
		// The kept input would hide what the other operator saved: show
		// the order as it is now.
		fresh, _, err := a.load(r.Context(), r.PathValue("number"))
		if err != nil {
			return err
		}
		fresh.Conflict, fresh.Error = true, web.Message(r, cause)
		fresh.fill()
		return a.Shell.Page(w, r, http.StatusConflict, "admin_order_revise", "orderedit.title", fresh)
	}
	p.Form, p.Fields, p.Error = r.PostForm, se.Fields, web.Message(r, cause)
	p.fill()
	return a.Shell.Page(w, r, web.Status(cause), "admin_order_revise", "orderedit.title", p)
}
