package orderentry

import (
	"context"
	"embed"
	"github.com/akinai/akinai/internal/payment"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/checkout"
	"github.com/akinai/akinai/internal/customer"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/delivery"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

//go:embed templates/*.html
var templates embed.FS

// Shell is what the screen needs from the admin panel; the admin's
// Section for the orders area satisfies it (internal/admin/section.go).
type Shell interface {
	Read(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Write(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Page(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any) error
	Audit(r *http.Request, action, target string, details map[string]any) audit.Entry
	Done(w http.ResponseWriter, r *http.Request, flashKey, path string) error
	Permits(r *http.Request, area string, write bool) bool
}

// Admin is the 受注登録 screen.
type Admin struct {
	Service   *Service
	Customers *customer.Store
	Shell     Shell
}

// Path is the screen's path under the admin.
const Path = "/orders/new"

// Mount registers the template in the admin layout and the routes.
func (a *Admin) Mount(render *web.Renderer, mux *http.ServeMux) error {
	if err := render.AddPages("admin", templates, "templates/*.html"); err != nil {
		return err
	}
	a.Shell.Read(mux, "GET "+Path, a.form)
	a.Shell.Write(mux, "POST "+Path, a.post)
	return nil
}

type lineRow struct {
	Variant
	Qty int
}

type page struct {
	D         *Draft
	Rows      []lineRow
	Found     []Variant
	People    []*customer.Customer
	Customer  *customer.Customer
	Quote     *checkout.Quote
	Methods   []delivery.Method
	Prefs     []jp.Prefecture
	Channels  []string
	Payments  []payment.Method
	ProductQ  string
	CustomerQ string
	Searched  bool
	// NoCustomers: the admin's role may not see customers (no search);
	// MayCreate: it may register one.
	NoCustomers, MayCreate bool
	Error                  string
	Fields                 map[string]string
}

// form shows an empty order: channel phone, mail on, a fresh key.
// GET /{admin}/orders/new
func (a *Admin) form(w http.ResponseWriter, r *http.Request) error {
	d := &Draft{Key: "admin-" + cart.NewToken(), Lang: "ja", Channel: "phone", SendMail: true, Form: &checkout.Form{}}
	return a.render(w, r, http.StatusOK, &page{D: d})
}

// readDraft reads the draft from the form: the lines ("line" in order,
// qty_<id> each; 0 removes one), a line added ("add") or removed
// ("remove").
func readDraft(r *http.Request) *Draft {
	f := checkout.ReadForm(r)
	d := &Draft{Key: f.Key, Lang: r.PostFormValue("order_lang"), Channel: r.PostFormValue("channel"), Form: f,
		CreateCustomer: r.PostFormValue("create_customer") == "1", SendMail: r.PostFormValue("send_mail") == "1",
		DeliveryFee: r.PostFormValue("delivery_fee"), PaymentFee: r.PostFormValue("payment_fee"), Discount: r.PostFormValue("discount")}
	if d.Lang != "en" {
		d.Lang = "ja"
	}
	d.CustomerID, _ = strconv.ParseInt(r.PostFormValue("customer_id"), 10, 64)
	remove, _ := strconv.ParseInt(r.PostFormValue("remove"), 10, 64)
	for _, s := range r.PostForm["line"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id == remove || slices.ContainsFunc(d.Lines, func(l Line) bool { return l.VariantID == id }) {
			continue
		}
		qs := strings.TrimSpace(r.PostFormValue("qty_" + s))
		q, err := strconv.Atoi(qs)
		if err != nil {
			q = -1 // refused by input() on its field
		}
		if q != 0 {
			d.Lines = append(d.Lines, Line{VariantID: id, Qty: q})
		}
	}
	if add, err := strconv.ParseInt(r.PostFormValue("add"), 10, 64); err == nil {
		i := slices.IndexFunc(d.Lines, func(l Line) bool { return l.VariantID == add })
		if i >= 0 {
			d.Lines[i].Qty++
		} else {
			d.Lines = append(d.Lines, Line{VariantID: add, Qty: 1})
		}
	}
	return d
}

// post is every button of the form: search products or customers, pick a
// customer, add or remove a line (the form comes back), recalculate
// (op=quote: the checkout's totals), register (op=place).
// POST /{admin}/orders/new
func (a *Admin) post(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return shop.Errorf(shop.Invalid, "error.bad_request")
	}
	d := readDraft(r)
	if !a.Shell.Permits(r, "customers", false) {
		d.CustomerID = 0 // a role that may not see customers takes orders from buyers typed in
	}
	if d.CreateCustomer && !a.Shell.Permits(r, "customers", true) {
		return shop.Errorf(shop.Forbidden, "orderentry.no_customer_write")
	}
	if d.Key == "" || len(d.Key) > 100 {
		return shop.Errorf(shop.Invalid, "error.bad_request")
	}
	pg := &page{D: d, ProductQ: r.PostFormValue("product_q"), CustomerQ: r.PostFormValue("customer_q")}
	if id, err := strconv.ParseInt(r.PostFormValue("pick_customer"), 10, 64); err == nil && a.Shell.Permits(r, "customers", false) {
		if err := a.pick(ctx, d, id); err != nil {
			return err
		}
		pg.CustomerQ = ""
	}
	if r.PostFormValue("unpick_customer") != "" {
		d.CustomerID = 0
	}
	switch r.PostFormValue("op") {
	case "place":
		return a.place(w, r, pg)
	case "quote":
		return a.quote(w, r, pg)
	case "find_customer", "find_product":
		pg.Searched = true
	}
	if r.PostFormValue("add") != "" {
		pg.ProductQ = ""
	}
	return a.render(w, r, http.StatusOK, pg)
}

// pick fills the buyer from a customer's profile. Errors: NotFound for an
// unknown customer; Invalid for one who may not order (suspended,
// withdrawn).
func (a *Admin) pick(ctx context.Context, d *Draft, id int64) error {
	c, err := a.openCustomer(ctx, id)
	if err != nil {
		return err
	}
	f := d.Form
	f.Email, f.FamilyName, f.GivenName, f.FamilyKana, f.GivenKana = c.Email, c.FamilyName, c.GivenName, c.FamilyKana, c.GivenKana
	f.Phone, f.PostalCode, f.City, f.Address1, f.Address2 = c.Phone, c.PostalCode, c.City, c.Address1, c.Address2
	f.Pref = ""
	if c.Pref > 0 {
		f.Pref = strconv.Itoa(c.Pref)
	}
	d.CustomerID, d.CreateCustomer = c.ID, false
	if c.Lang == "en" {
		d.Lang = "en"
	}
	return nil
}

// openCustomer returns customer id when the account is open. Errors:
// NotFound; Invalid "orderentry.customer_closed".
func (a *Admin) openCustomer(ctx context.Context, id int64) (*customer.Customer, error) {
	c, err := customer.ByID(ctx, a.Service.DB, id)
	if err != nil {
		return nil, err
	}
	if c.Status != customer.Active {
		return nil, shop.Errorf(shop.Invalid, "orderentry.customer_closed")
	}
	return c, nil
}

func (a *Admin) quote(w http.ResponseWriter, r *http.Request, pg *page) error {
	qt, err := a.Service.Quote(r.Context(), pg.D)
	if err != nil {
		return a.refuse(w, r, pg, err)
	}
	pg.Quote = qt
	return a.render(w, r, http.StatusOK, pg)
}

// place registers the order, audits it with the channel and notes it in
// the order's history, and invites the buyer to an account when asked.
func (a *Admin) place(w http.ResponseWriter, r *http.Request, pg *page) error {
	ctx := r.Context()
	d := pg.D
	if d.CustomerID > 0 {
		// The hidden field is the browser's to change: the customer must
		// still exist and be open.
		if _, err := a.openCustomer(ctx, d.CustomerID); err != nil {
			d.CustomerID = 0
			return a.refuse(w, r, pg, shop.Invalidf(map[string]string{"customer": "orderentry.customer_closed"}))
		}
	}
	if d.CreateCustomer && d.CustomerID == 0 {
		if taken, err := a.emailTaken(ctx, d.Form.Email); err != nil {
			return err
		} else if taken {
			return a.refuse(w, r, pg, shop.Invalidf(map[string]string{"email": "orderentry.customer_exists"}))
		}
	}
	o, existing, err := a.Service.Place(ctx, d)
	if err != nil {
		return a.refuse(w, r, pg, err)
	}
	if existing {
		return a.Shell.Done(w, r, "orderentry.already", "/orders/"+o.Number)
	}
	entry := a.Shell.Audit(r, "order.taken", o.Number, map[string]any{"channel": d.Channel, "total": int64(o.Total),
		"mail": d.SendMail, "customer_id": d.CustomerID, "discount": int64(o.Discount), "delivery_fee": int64(o.DeliveryFee), "payment_fee": int64(o.CODFee)})
	err = a.Service.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := order.AddHistory(ctx, tx, o.ID, o.Status, web.T(r, "orderentry.history", web.T(r, "orderentry.channel."+d.Channel), entry.Actor)); err != nil {
			return err
		}
		_, err := audit.Append(ctx, tx, entry)
		return err
	})
	if err != nil {
		return err
	}
	if d.CreateCustomer && d.CustomerID == 0 {
		if err := a.invite(ctx, d); err != nil {
			return err
		}
	}
	return a.Shell.Done(w, r, "orderentry.placed", "/orders/"+o.Number)
}

// emailTaken reports whether an account (other than a pending one) has
// the address.
func (a *Admin) emailTaken(ctx context.Context, email string) (bool, error) {
	e, err := jp.Email(email)
	if err != nil {
		return false, nil // refused on its field by the checkout's rules
	}
	cs, _, err := customer.Search(ctx, a.Service.DB, customer.Filter{Q: e, Limit: 20})
	for _, c := range cs {
		if strings.EqualFold(c.Email, e) && c.Status != customer.Pending {
			return true, err
		}
	}
	return false, err
}

// invite registers the buyer as a pending customer: the account opens
// when they follow the confirmation link mailed to them, and the order,
// placed with the same address, then shows in their My Page. The
// password is random and never shown: they choose their own with
// "forgot password" once confirmed.
func (a *Admin) invite(ctx context.Context, d *Draft) error {
	in, _ := d.input()
	hash, err := auth.HashPassword(cart.NewToken())
	if err != nil {
		return err
	}
	return a.Customers.Register(ctx, &customer.Registration{Email: in.Email, PasswordHash: hash, Lang: d.Lang,
		Profile: customer.Profile{Address: in.Buyer}})
}

// refuse shows the form again with the error by its fields; nothing was
// written.
func (a *Admin) refuse(w http.ResponseWriter, r *http.Request, pg *page, err error) error {
	se, ok := err.(*shop.Error)
	if !ok || (se.Kind != shop.Invalid && se.Kind != shop.SoldOut) {
		return err
	}
	pg.Error, pg.Fields = web.Message(r, err), se.Fields
	return a.render(w, r, web.Status(err), pg)
}

func (a *Admin) render(w http.ResponseWriter, r *http.Request, status int, pg *page) error {
	ctx := r.Context()
	var err error
	if pg.Methods, err = delivery.Methods(ctx, a.Service.DB); err != nil {
		return err
	}
	pg.Prefs, pg.Channels = jp.Prefectures(), Channels
	// The operator's enabled methods that need no customer at a browser.
	ms, err := payment.Methods(ctx, a.Service.DB, true)
	if err != nil {
		return err
	}
	pg.Payments = nil
	for _, m := range ms {
		if m.Kind != payment.Card && m.Kind != payment.Konbini {
			pg.Payments = append(pg.Payments, m)
		}
	}
	if pg.D.Form.Method == "" && len(pg.Methods) > 0 {
		pg.D.Form.Method = strconv.FormatInt(pg.Methods[0].ID, 10)
	}
	ids := make([]int64, len(pg.D.Lines))
	for i, l := range pg.D.Lines {
		ids[i] = l.VariantID
	}
	vs, err := VariantsByID(ctx, a.Service.DB, ids)
	if err != nil {
		return err
	}
	for _, l := range pg.D.Lines {
		if v, ok := vs[l.VariantID]; ok {
			pg.Rows = append(pg.Rows, lineRow{v, l.Qty})
		}
	}
	if pg.ProductQ != "" {
		if pg.Found, err = SearchVariants(ctx, a.Service.DB, pg.ProductQ); err != nil {
			return err
		}
	}
	pg.MayCreate = a.Shell.Permits(r, "customers", true)
	if !a.Shell.Permits(r, "customers", false) {
		pg.CustomerQ, pg.NoCustomers = "", true
	}
	if pg.CustomerQ != "" {
		if pg.People, _, err = customer.Search(ctx, a.Service.DB, customer.Filter{Q: pg.CustomerQ, Status: customer.Active, Limit: 10}); err != nil {
			return err
		}
	}
	if pg.D.CustomerID > 0 {
		if pg.Customer, err = customer.ByID(ctx, a.Service.DB, pg.D.CustomerID); err != nil {
			return err
		}
	}
	return a.Shell.Page(w, r, status, "admin_order_entry", "orderentry.title", pg)
}
