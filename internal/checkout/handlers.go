package checkout

import (
	"embed"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/delivery"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/postal"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/throttle"
	"github.com/akinai/akinai/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Handlers serve the checkout pages.
type Handlers struct {
	Service *Service
	Carts   *cart.Store
	Render  *web.Renderer
	// Limits bounds confirmations and orders per address and per
	// customer (the card-testing defence); state is in the database, so
	// every instance shares it.
	Limits throttle.Limits
	// Customer returns the signed-in customer's ID, 0 for a guest; nil
	// until customer accounts are wired.
	Customer func(*http.Request) int64
	// Customers is nil when accounts are not wired (see WithCustomers).
	Customers Customers
	// Proof binds the completion page to the browser that placed the
	// order (WithOrderProof); nil shows the page to nobody.
	Proof *order.Proof
	// Hold, when set, may take an order in place of placing it (a
	// company buyer's order that waits for an approver, internal/b2b):
	// it answers the request itself and returns true.
	Hold func(w http.ResponseWriter, r *http.Request, in *Input) (bool, error)
}

// Routes mounts the checkout's routes and parses its templates.
func (h *Handlers) Routes(mux *http.ServeMux) error {
	if err := h.Render.AddPages("shop", templateFS, "templates/*.html"); err != nil {
		return err
	}
	mux.Handle("GET /checkout", h.Render.Handle(h.form))
	mux.Handle("GET /checkout/multi", h.Render.Handle(h.multiForm))
	// Both posts show the form's text check (web.Form); the note is the
	// one multi-line field.
	mux.Handle("POST /checkout", web.Form(h.Render.Handle(h.confirm), "note"))
	mux.Handle("POST /checkout/place", web.Form(h.Render.Handle(h.place), "note"))
	mux.Handle("GET /checkout/done/{number}", h.Render.Handle(h.done))
	mux.Handle("GET /api/postal/{code}", h.Render.Handle(h.postal))
	return nil
}

// formData is what the form and confirmation pages show.
type formData struct {
	F           *Form
	Errors      map[string]string
	Quote       *Quote
	Methods     []delivery.Method
	Prefs       []jp.Prefecture
	CardEnabled bool
	TermsURL    string
	View        *View
	Saved       []order.Address // a signed-in customer's saved addresses
	Points      *PointsBox
}

func (h *Handlers) cartID(r *http.Request) (int64, error) {
	id, err := h.Carts.Current(r)
	if shop.KindOf(err) == shop.NotFound {
		return 0, shop.Errorf(shop.NotFound, "checkout.no_cart")
	}
	return id, err
}

func (h *Handlers) page(w http.ResponseWriter, r *http.Request, status int, name string, d *formData) error {
	ms, err := delivery.Methods(r.Context(), h.Service.DB)
	if err != nil {
		return err
	}
	d.Methods, d.Prefs = ms, jp.Prefectures()
	if d.Points, err = h.pointsBox(r); err != nil {
		return err
	}
	if d.F != nil && d.F.Multi && name == "checkout_form" {
		name = "checkout_multi"
	}
	if name != "checkout_confirm" && d.Quote == nil {
		// The date list (and the split form's lines) need a quote: with
		// the method chosen, else the first one.
		id, err := h.cartID(r)
		if err != nil {
			return err
		}
		mid := firstMethod(ms)
		if n, err := strconv.ParseInt(d.F.Method, 10, 64); err == nil {
			mid = n
		}
		// The signed-in customer: methods offered per customer (掛け払い) show.
		if d.Quote, err = h.Service.Quote(r.Context(), &Input{CartID: id, MethodID: mid, PaymentMethod: order.BankTransfer, CustomerID: h.customerID(r)}); d.Quote == nil {
			return err
		}
	}
	// The split form's quote may be a one-address one (before the
	// destinations are filled): COD is never offered for a split order.
	var pays []PayOption
	for _, p := range d.Quote.Payments {
		if p.Code == order.COD && d.F != nil && d.F.Multi {
			continue
		}
		pays = append(pays, p)
		d.CardEnabled = d.CardEnabled || p.Code == order.Card
	}
	d.Quote.Payments = pays
	w.Header().Set("Cache-Control", "no-store")
	return h.Render.Render(w, r, status, name, &web.Page{Title: web.T(r, "checkout.title"), NoIndex: true, Data: d})
}

func (h *Handlers) form(w http.ResponseWriter, r *http.Request) error {
	id, err := h.cartID(r)
	if err != nil {
		return err
	}
	ms, err := delivery.Methods(r.Context(), h.Service.DB)
	if err != nil {
		return err
	}
	// The first method's dates fill the date list until one is chosen.
	in := &Input{CartID: id, MethodID: firstMethod(ms), PaymentMethod: order.BankTransfer, CustomerID: h.customerID(r)}
	qt, err := h.Service.Quote(r.Context(), in)
	if err != nil && shop.KindOf(err) != shop.Invalid || qt == nil {
		if shop.KindOf(err) == shop.Invalid {
			http.Redirect(w, r, "/cart", http.StatusSeeOther)
			return nil
		}
		return err
	}
	f := &Form{}
	saved := h.prefill(r, f)
	return h.page(w, r, http.StatusOK, "checkout_form", &formData{F: f, Quote: qt, Saved: saved})
}

// multiForm shows the multiple-shipping form (複数のお届け先に送る): the
// buyer, two destinations to start with, and for each the quantity of
// every cart line going there.
func (h *Handlers) multiForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.cartID(r); err != nil {
		return err
	}
	f := &Form{Multi: true, Dests: []DestForm{{Prefix: destPrefix(0), Qty: map[string]string{}}, {Prefix: destPrefix(1), Qty: map[string]string{}}}}
	return h.page(w, r, http.StatusOK, "checkout_multi", &formData{F: f})
}

// confirm validates the form and shows the final confirmation page, or
// the form again with the errors. The "lookup" button (住所を検索) fills
// prefecture and city from the postal code without JavaScript.
func (h *Handlers) confirm(w http.ResponseWriter, r *http.Request) error {
	id, err := h.cartID(r)
	if err != nil {
		return err
	}
	f := ReadForm(r)
	// Fields that were not text (web.Form) are shown whatever the button.
	ferrs := web.FieldErrors(r, nil)
	status := web.FormStatus(ferrs)
	if r.PostFormValue("back") != "" {
		return h.page(w, r, status, "checkout_form", &formData{F: f, Errors: ferrs})
	}
	if f.Multi && r.PostFormValue("add_dest") != "" {
		return h.page(w, r, status, "checkout_form", &formData{F: f, Errors: ferrs})
	}
	if lk := r.PostFormValue("lookup"); lk != "" {
		lookup(f, lk)
		return h.page(w, r, status, "checkout_form", &formData{F: f, Errors: ferrs})
	}
	if err := h.allow(r, throttle.CheckoutConfirmIP, throttle.CheckoutConfirmUser); err != nil {
		return err
	}
	in, errs := f.Validate()
	web.FieldErrors(r, errs)
	in.CartID, in.Lang = id, string(web.Lang(r))
	in.CustomerID = h.customerID(r) // the rank's discount shows before the order is placed
	qt, qerr := h.Service.Quote(r.Context(), in)
	if e, ok := qerr.(*shop.Error); ok && e.Kind == shop.Invalid {
		for k, v := range e.Fields {
			if _, dup := errs[k]; !dup {
				errs[k] = v
			}
		}
		if e.Key == "checkout.cart_problem" {
			http.Redirect(w, r, "/cart", http.StatusSeeOther)
			return nil
		}
	} else if qerr != nil {
		return qerr
	}
	if len(errs) > 0 {
		return h.page(w, r, http.StatusUnprocessableEntity, "checkout_form", &formData{F: f, Errors: errs, Quote: qt})
	}
	f.Key = cart.NewToken()
	o := newOrder(in, qt)
	v, err := h.Service.NewView(r.Context(), h.Service.DB, o, web.Lang(r))
	if err != nil {
		return err
	}
	if err := loyaltyView(r.Context(), nil, v, qt); err != nil {
		return err
	}
	v.PluginDiscounts, v.PluginNotes = qt.Plugins.Discounts, qt.Plugins.Notes
	terms, _ := h.Service.Settings.Get(r.Context(), settings.CancelTermsURL)
	if terms == "" {
		terms = "/pages/tokushoho"
	}
	return h.page(w, r, http.StatusOK, "checkout_confirm", &formData{F: f, Quote: qt, View: v, TermsURL: terms})
}

// lookup fills the prefecture and city of the address named by which:
// "buyer", "ship", or a destination "d1", "d2", ….
func lookup(f *Form, which string) {
	code, pref, city := &f.PostalCode, &f.Pref, &f.City
	if which == "ship" {
		code, pref, city = &f.SPostalCode, &f.SPref, &f.SCity
	}
	for i := range f.Dests {
		if f.Dests[i].Prefix == which+"_" {
			code, pref, city = &f.Dests[i].PostalCode, &f.Dests[i].Pref, &f.Dests[i].City
		}
	}
	if addrs, ok := postal.Lookup(*code); ok && len(addrs) > 0 {
		*pref = itoa(addrs[0].PrefCode)
		*city = addrs[0].City + addrs[0].Town
	}
}

// place creates the order from the confirmation page's hidden fields.
// Everything is validated and priced again on the server.
func (h *Handlers) place(w http.ResponseWriter, r *http.Request) error {
	f := ReadForm(r)
	if len(f.Key) < 16 || len(f.Key) > 64 {
		return shop.Errorf(shop.Invalid, "checkout.expired")
	}
	// A retry whose cart is gone (the first submit emptied it) still
	// finds its order by the key.
	if o, err := order.ByKey(r.Context(), h.Service.DB, f.Key); err == nil {
		if id, err := h.Carts.Current(r); err == nil {
			cart.RememberCount(r.Context(), w, r, h.Service.DB, id)
		}
		return h.toDone(w, r, o)
	}
	if err := h.allow(r, throttle.CheckoutPlaceIP, throttle.CheckoutPlaceUser); err != nil {
		return err
	}
	id, err := h.cartID(r)
	if err != nil {
		return err
	}
	in, errs := f.Validate()
	web.FieldErrors(r, errs)
	if len(errs) > 0 {
		return shop.Invalidf(errs)
	}
	in.CartID, in.Key, in.Lang = id, f.Key, string(web.Lang(r))
	in.CustomerID = h.customerID(r)
	if h.Hold != nil {
		if held, err := h.Hold(w, r, in); held || err != nil {
			return err
		}
	}
	o, err := h.Service.Place(r.Context(), in)
	if err != nil {
		return err
	}
	cart.RememberCount(r.Context(), w, r, h.Service.DB, id) // emptied by the order
	return h.toDone(w, r, o)
}

// allow counts one attempt against the per-address limit and, for a
// signed-in customer, the per-customer limit. Errors: TooMany (429 with
// Retry-After) over either limit.
func (h *Handlers) allow(r *http.Request, ipLimit, userLimit string) error {
	if err := h.Limits.Allow(r.Context(), h.Service.DB, ipLimit, web.Info(r).ClientIP.String()); err != nil {
		return err
	}
	if h.Customer == nil {
		return nil
	}
	if id := h.Customer(r); id != 0 {
		return h.Limits.Allow(r.Context(), h.Service.DB, userLimit, strconv.FormatInt(id, 10))
	}
	return nil
}

func (h *Handlers) toDone(w http.ResponseWriter, r *http.Request, o *order.Order) error {
	if o.Status == order.Cancelled && o.PaymentMethod == order.Card {
		return shop.Errorf(shop.Invalid, "payment.declined")
	}
	h.Proof.Grant(w, r, o.Number, h.Service.DB.Now())
	http.Redirect(w, r, "/checkout/done/"+o.Number, http.StatusSeeOther)
	return nil
}

// done shows the completion page to the browser that placed the order,
// within order.ProofTTL. Anyone else, whether or not the number exists,
// gets the same "not found" as for an unknown order: the proof is checked
// before the order is looked up.
func (h *Handlers) done(w http.ResponseWriter, r *http.Request) error {
	number := r.PathValue("number")
	if !h.Proof.Holds(r, number, h.Service.DB.Now()) {
		return shop.ErrNotFound
	}
	o, err := order.ByNumber(r.Context(), h.Service.DB, number)
	if err != nil {
		return err
	}
	v, err := h.Service.NewView(r.Context(), h.Service.DB, o, web.Lang(r))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return h.Render.Render(w, r, http.StatusOK, "checkout_done", &web.Page{Title: web.T(r, "checkout.done_title"), NoIndex: true, Data: v})
}

// postal answers GET /api/postal/{code} for checkout.js.
func (h *Handlers) postal(w http.ResponseWriter, r *http.Request) error {
	addrs, ok := postal.Lookup(r.PathValue("code"))
	if !ok {
		return shop.Errorf(shop.NotFound, "checkout.bad_postal")
	}
	type ans struct {
		Pref int    `json:"pref"`
		City string `json:"city"`
	}
	out := make([]ans, 0, len(addrs))
	for _, a := range addrs {
		out = append(out, ans{a.PrefCode, strings.TrimSpace(a.City + a.Town)})
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	return json.NewEncoder(w).Encode(out)
}

func firstMethod(ms []delivery.Method) int64 {
	if len(ms) == 0 {
		return 0
	}
	return ms[0].ID
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
