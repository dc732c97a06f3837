package b2b

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/payment"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

//go:embed templates/shop/*.html
var shopFS embed.FS

// Storefront is what company members see: the B2B block of My Page
// (/mypage/b2b: quotes, orders waiting for approval, invoices), the quote
// and request pages with their actions, the PDFs, and the "request a
// quote" form of the cart (slot "b2b_cart"). Every page that takes an id
// answers 404 to anyone outside the company it belongs to.
type Storefront struct {
	Service *Service
	Render  *web.Renderer
	// Customer returns the signed-in customer (customer.Handlers.CustomerID).
	Customer func(*http.Request) (int64, bool)
}

// Mount registers the pages and the slots "b2b" (My Page) and "b2b_cart".
func (s *Storefront) Mount(mux *http.ServeMux) error {
	if err := s.Render.AddPages("shop", shopFS, "templates/shop/*.html"); err != nil {
		return err
	}
	s.Render.AddSlot("b2b", s.mypageSlot)
	s.Render.AddSlot("b2b_cart", s.cartSlot)
	h := s.Render.Handle
	mux.Handle("GET /mypage/b2b", h(s.home))
	mux.Handle("POST /cart/quote", web.Form(h(s.requestQuote), "note"))
	mux.Handle("POST /cart/quote/release", h(s.releaseQuote))
	mux.Handle("GET /mypage/b2b/quotes/{id}", h(s.quotePage))
	mux.Handle("GET /mypage/b2b/quotes/{id}/pdf", h(s.quotePDF))
	mux.Handle("POST /mypage/b2b/quotes/{id}/accept", h(s.acceptQuote))
	mux.Handle("GET /mypage/b2b/approvals/{id}", h(s.requestPage))
	mux.Handle("POST /mypage/b2b/approvals/{id}/approve", web.Form(h(s.approve), "comment"))
	mux.Handle("POST /mypage/b2b/approvals/{id}/reject", web.Form(h(s.reject), "comment"))
	mux.Handle("GET /mypage/b2b/invoices/{id}", h(s.invoicePDF))
	return nil
}

// member returns the signed-in customer's membership. Errors:
// Unauthorized for a visitor; Forbidden "b2b.company_only" for a
// customer of no company.
func (s *Storefront) member(r *http.Request) (Member, error) {
	id, ok := s.Customer(r)
	if !ok {
		return Member{}, shop.Errorf(shop.Unauthorized, "b2b.sign_in")
	}
	m, ok, err := memberOf(r.Context(), s.Service.DB, id)
	if err != nil {
		return m, err
	}
	if !ok {
		return m, shop.Errorf(shop.Forbidden, "b2b.company_only")
	}
	return m, nil
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, shop.ErrNotFound
	}
	return id, nil
}

func (s *Storefront) page(w http.ResponseWriter, r *http.Request, name, title string, data any) error {
	w.Header().Set("Cache-Control", "no-store")
	return s.Render.Render(w, r, http.StatusOK, name, &web.Page{Title: web.T(r, title), NoIndex: true, Data: data})
}

func esc(s string) string { return template.HTMLEscapeString(s) }

// mypageSlot links a company member to the B2B page, with the number of
// orders waiting for them as an approver.
func (s *Storefront) mypageSlot(r *http.Request) (template.HTML, error) {
	id, ok := s.Customer(r)
	if !ok {
		return "", nil
	}
	m, ok, err := memberOf(r.Context(), s.Service.DB, id)
	if err != nil || !ok {
		return "", err
	}
	waiting := 0
	if m.Approves() {
		rs, err := Requests(r.Context(), s.Service.DB, m.CompanyID, RequestPending, 100)
		if err != nil {
			return "", err
		}
		waiting = len(rs)
	}
	lang := web.Info(r).Lang
	out := `<p class="b2b-mypage" id="b2b-mypage"><a href="/mypage/b2b">` + esc(i18n.T(lang, "b2b.mypage.link", m.Company.Name)) + `</a>`
	if waiting > 0 {
		out += ` <strong class="b2b-waiting" id="b2b-waiting">` + esc(i18n.T(lang, "b2b.mypage.waiting", waiting)) + `</strong>`
	}
	return template.HTML(out + `</p>`), nil
}

// cartSlot is the quote request form under a company member's cart, or
// the note that the cart is a quote's.
func (s *Storefront) cartSlot(r *http.Request) (template.HTML, error) {
	id, ok := s.Customer(r)
	if !ok {
		return "", nil
	}
	m, ok, err := memberOf(r.Context(), s.Service.DB, id)
	if err != nil || !ok || m.Company.Status != "active" {
		return "", err
	}
	cartID, err := s.Service.Carts.Current(r)
	if err != nil {
		return "", nil
	}
	var number string
	err = s.Service.DB.QueryRow(r.Context(), `SELECT q.number FROM quote_carts qc JOIN quotes q ON q.id = qc.quote_id WHERE qc.cart_id = ?`, cartID).Scan(&number)
	lang, csrf := web.Info(r).Lang, `<input type="hidden" name="csrf" value="`+esc(web.Info(r).CSRF)+`">`
	if err == nil {
		return template.HTML(`<div class="b2b-cart-quote" id="b2b-cart-quote"><p>` + esc(i18n.T(lang, "b2b.cart.quote_cart", number)) +
			`</p><form method="post" action="/cart/quote/release">` + csrf + `<button type="submit">` + esc(i18n.T(lang, "b2b.cart.release")) + `</button></form></div>`), nil
	}
	return template.HTML(`<details class="b2b-quote-request" id="b2b-quote-request"><summary>` + esc(i18n.T(lang, "b2b.cart.ask_quote")) +
		`</summary><form method="post" action="/cart/quote">` + csrf + `<p><label for="quote-note">` + esc(i18n.T(lang, "b2b.cart.note")) +
		`</label><br><textarea id="quote-note" name="note" rows="3" maxlength="2000"></textarea></p><p><button type="submit" id="ask-quote">` +
		esc(i18n.T(lang, "b2b.cart.send_request")) + `</button></p></form></details>`), nil
}

type homeData struct {
	M         Member
	Terms     Terms
	Exposure  shop.Yen
	Quotes    []*Quote
	Requests  []*Request
	Invoices  []*Invoice
	Today     string
	QuoteStat map[int64]string
}

func (s *Storefront) home(w http.ResponseWriter, r *http.Request) error {
	m, err := s.member(r)
	if shop.KindOf(err) == shop.Unauthorized {
		http.Redirect(w, r, "/mypage/login", http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	ctx, d := r.Context(), &homeData{M: m, QuoteStat: map[int64]string{}}
	q := s.Service.DB
	if d.Terms, err = TermsOf(ctx, q, m.CompanyID); err != nil {
		return err
	}
	if d.Exposure, err = Exposure(ctx, q, m.CompanyID); err != nil {
		return err
	}
	if d.Quotes, err = Quotes(ctx, q, m.CompanyID, "", q.Now(), 50); err != nil {
		return err
	}
	for _, qt := range d.Quotes {
		d.QuoteStat[qt.ID] = qt.State(q.Now())
	}
	rs, err := Requests(ctx, q, m.CompanyID, "", 50)
	if err != nil {
		return err
	}
	for _, rq := range rs { // a buyer sees their own; approvers all of the company's
		if m.Approves() || rq.CustomerID == m.CustomerID {
			d.Requests = append(d.Requests, rq)
		}
	}
	if d.Invoices, err = Invoices(ctx, q, InvoiceFilter{CompanyID: m.CompanyID, Limit: 24}); err != nil {
		return err
	}
	d.Today = todayOf(q.Now())
	return s.page(w, r, "b2b_mypage", "b2b.mypage.title", d)
}

func (s *Storefront) requestQuote(w http.ResponseWriter, r *http.Request) error {
	m, err := s.member(r)
	if err != nil {
		return err
	}
	if errs := web.FieldErrors(r, nil); len(errs) > 0 {
		return shop.Invalidf(errs)
	}
	cartID, err := s.Service.Carts.Current(r)
	if err != nil {
		return shop.Errorf(shop.Invalid, "b2b.quote.empty_cart")
	}
	qt, err := s.Service.RequestQuote(r.Context(), m.CustomerID, cartID, strings.TrimSpace(r.PostFormValue("note")), string(web.Lang(r)))
	if err != nil {
		return err
	}
	web.SetFlash(w, r, "b2b.quote.requested")
	http.Redirect(w, r, "/mypage/b2b/quotes/"+itoa(qt.ID), http.StatusSeeOther)
	return nil
}

// releaseQuote unties the cart from its quote (the buyer changed their
// mind): the cart is priced from the catalogue again.
func (s *Storefront) releaseQuote(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.member(r); err != nil {
		return err
	}
	cartID, err := s.Service.Carts.Current(r)
	if err == nil {
		if _, err := s.Service.DB.Exec(r.Context(), `DELETE FROM quote_carts WHERE cart_id = ?`, cartID); err != nil {
			return err
		}
	}
	http.Redirect(w, r, "/cart", http.StatusSeeOther)
	return nil
}

// companyQuote returns the quote when it is the member's company's.
// Errors: NotFound otherwise.
func (s *Storefront) companyQuote(r *http.Request) (*Quote, Member, error) {
	m, err := s.member(r)
	if err != nil {
		return nil, m, err
	}
	id, err := pathID(r)
	if err != nil {
		return nil, m, err
	}
	qt, err := quoteByID(r.Context(), s.Service.DB, id)
	if err != nil {
		return nil, m, err
	}
	if qt.CompanyID != m.CompanyID {
		return nil, m, shop.ErrNotFound
	}
	return qt, m, nil
}

type quoteData struct {
	Q     *Quote
	State string
}

func (s *Storefront) quotePage(w http.ResponseWriter, r *http.Request) error {
	qt, _, err := s.companyQuote(r)
	if err != nil {
		return err
	}
	return s.page(w, r, "b2b_quote", "b2b.quote.title", &quoteData{Q: qt, State: qt.State(s.Service.DB.Now())})
}

func (s *Storefront) quotePDF(w http.ResponseWriter, r *http.Request) error {
	qt, _, err := s.companyQuote(r)
	if err != nil {
		return err
	}
	if qt.Status != QuoteSent && qt.Status != QuoteAccepted {
		return shop.ErrNotFound
	}
	return writePDF(w, qt.Number+".pdf", func(b *bytes.Buffer) error { return s.Service.QuotePDF(r.Context(), b, qt, web.Lang(r)) })
}

func writePDF(w http.ResponseWriter, name string, fn func(*bytes.Buffer) error) error {
	var b bytes.Buffer
	if err := fn(&b); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err := b.WriteTo(w)
	return err
}

func (s *Storefront) acceptQuote(w http.ResponseWriter, r *http.Request) error {
	qt, m, err := s.companyQuote(r)
	if err != nil {
		return err
	}
	cartID, err := s.Service.Carts.Ensure(w, r)
	if err != nil {
		return err
	}
	if err := s.Service.AcceptQuote(r.Context(), m.CustomerID, qt.ID, cartID); err != nil {
		return err
	}
	cart.RememberCount(r.Context(), w, r, s.Service.DB, cartID)
	http.Redirect(w, r, "/checkout", http.StatusSeeOther)
	return nil
}

type requestData struct {
	R       *Request
	PayName string
	M       Member
	Decides bool
}

func (s *Storefront) requestPage(w http.ResponseWriter, r *http.Request) error {
	cid, ok := s.Customer(r)
	if !ok {
		return shop.Errorf(shop.Unauthorized, "b2b.sign_in")
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rq, m, err := visibleRequest(r.Context(), s.Service.DB, cid, id)
	if err != nil {
		return err
	}
	d := &requestData{R: rq, M: m, Decides: m.Approves() && rq.Status == RequestPending, PayName: rq.Payment}
	ms, err := payment.Methods(r.Context(), s.Service.DB, false)
	if err != nil {
		return err
	}
	for _, pm := range ms {
		if pm.Code == rq.Payment {
			d.PayName = pm.Name(string(web.Lang(r)))
		}
	}
	return s.page(w, r, "b2b_request", "b2b.approval.title", d)
}

func (s *Storefront) decide(w http.ResponseWriter, r *http.Request, approve bool) error {
	cid, ok := s.Customer(r)
	if !ok {
		return shop.Errorf(shop.Unauthorized, "b2b.sign_in")
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if errs := web.FieldErrors(r, nil); len(errs) > 0 {
		return shop.Invalidf(errs)
	}
	comment := strings.TrimSpace(r.PostFormValue("comment"))
	flash := "b2b.approval.approved"
	if approve {
		_, err = s.Service.Approve(r.Context(), cid, id, comment)
	} else {
		err, flash = s.Service.Reject(r.Context(), cid, id, comment), "b2b.approval.rejected"
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, r, flash)
	http.Redirect(w, r, "/mypage/b2b/approvals/"+itoa(id), http.StatusSeeOther)
	return nil
}

func (s *Storefront) approve(w http.ResponseWriter, r *http.Request) error {
	return s.decide(w, r, true)
}
func (s *Storefront) reject(w http.ResponseWriter, r *http.Request) error {
	return s.decide(w, r, false)
}

func (s *Storefront) invoicePDF(w http.ResponseWriter, r *http.Request) error {
	m, err := s.member(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	inv, err := invoiceByID(r.Context(), s.Service.DB, id)
	if err != nil {
		return err
	}
	if inv.CompanyID != m.CompanyID {
		return shop.ErrNotFound
	}
	return writePDF(w, inv.Number+".pdf", func(b *bytes.Buffer) error { return s.Service.InvoicePDF(r.Context(), b, inv, web.Lang(r)) })
}
