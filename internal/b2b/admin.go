package b2b

import (
	"bytes"
	"embed"
	"net/http"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

//go:embed templates/admin/*.html
var adminFS embed.FS

// Admin is the shop's side: quotes to price and send, the approval
// requests (a view: approving is the company's), monthly invoices with
// their runs, payments and the bank file, and each company's terms. All
// of it is in the orders area; a payment booked by hand, a bank file and
// a company's terms (its credit limit) need a recent re-authentication.
type Admin struct {
	Service *Service
	Shell   Shell
}

// Shell is what the screens need of the admin shell (admin.Section).
type Shell interface {
	Read(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Write(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Sudo(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Page(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any) error
	Audit(r *http.Request, action, target string, details map[string]any) audit.Entry
	Actor(r *http.Request) (int64, string)
	Done(w http.ResponseWriter, r *http.Request, flashKey, path string) error
}

// Mount registers the screens.
func (a *Admin) Mount(r *web.Renderer, mux *http.ServeMux) error {
	if err := r.AddPages("admin", adminFS, "templates/admin/*.html"); err != nil {
		return err
	}
	s := a.Shell
	s.Read(mux, "GET /b2b/quotes", a.quotes)
	s.Read(mux, "GET /b2b/quotes/{id}", a.quote)
	s.Read(mux, "GET /b2b/quotes/{id}/pdf", a.quotePDF)
	s.Write(mux, "POST /b2b/quotes/{id}/send", a.sendQuote)
	s.Write(mux, "POST /b2b/quotes/{id}/cancel", a.cancelQuote)
	s.Read(mux, "GET /b2b/approvals", a.approvals)
	s.Read(mux, "GET /b2b/invoices", a.invoices)
	s.Write(mux, "POST /b2b/invoices/run", a.startRun)
	s.Read(mux, "GET /b2b/invoices/{id}", a.invoice)
	s.Read(mux, "GET /b2b/invoices/{id}/pdf", a.invoicePDF)
	s.Sudo(mux, "POST /b2b/invoices/{id}/payments", a.addPayment)
	s.Read(mux, "GET /b2b/receivables", a.receivables)
	s.Sudo(mux, "POST /b2b/bank", a.importBank)
	s.Sudo(mux, "POST /b2b/bank/{id}/match", a.matchRow)
	s.Read(mux, "GET /b2b/terms/{id}", a.terms)
	s.Sudo(mux, "POST /b2b/terms/{id}", a.saveTerms)
	return nil
}

func (a *Admin) db() *db.DB { return a.Service.DB }

// --- quotes

type adminQuotes struct {
	Status   string
	Statuses []string
	Quotes   []*Quote
	State    map[int64]string
}

func (a *Admin) quotes(w http.ResponseWriter, r *http.Request) error {
	st := r.URL.Query().Get("status")
	switch st {
	case "", QuoteRequested, QuoteSent, QuoteAccepted, QuoteCancelled, "expired":
	default:
		st = ""
	}
	qs, err := Quotes(r.Context(), a.db(), 0, st, a.db().Now(), 200)
	if err != nil {
		return err
	}
	d := &adminQuotes{Status: st, Statuses: []string{QuoteRequested, QuoteSent, "expired", QuoteAccepted, QuoteCancelled}, Quotes: qs, State: map[int64]string{}}
	for _, q := range qs {
		d.State[q.ID] = q.State(a.db().Now())
	}
	return a.Shell.Page(w, r, http.StatusOK, "admin_b2b_quotes", "b2b.admin.quotes", d)
}

type adminQuote struct {
	Q      *Quote
	State  string
	Fields map[string]string
	Form   map[string]string
}

func (a *Admin) quote(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	qt, err := quoteByID(r.Context(), a.db(), id)
	if err != nil {
		return err
	}
	return a.quoteForm(w, r, http.StatusOK, qt, nil, nil)
}

func (a *Admin) quoteForm(w http.ResponseWriter, r *http.Request, status int, qt *Quote, form, fields map[string]string) error {
	if form == nil {
		form = map[string]string{"valid_until": qt.ValidUntil, "conditions": qt.Conditions}
		if qt.ValidUntil == "" {
			form["valid_until"] = todayOfAdd(a.db(), 14)
		}
		for _, l := range qt.Lines {
			p := l.UnitExcl
			if qt.Status == QuoteRequested {
				p = 0
			}
			form["price_"+strconv.Itoa(l.Line)] = strconv.FormatInt(int64(p), 10)
		}
	}
	return a.Shell.Page(w, r, status, "admin_b2b_quote", "b2b.admin.quote", &adminQuote{Q: qt, State: qt.State(a.db().Now()), Form: form, Fields: fields})
}

func (a *Admin) quotePDF(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	qt, err := quoteByID(r.Context(), a.db(), id)
	if err != nil {
		return err
	}
	if qt.Status == QuoteRequested {
		return shop.Errorf(shop.Conflict, "b2b.quote.not_priced")
	}
	return writePDF(w, qt.Number+".pdf", func(b *bytes.Buffer) error { return a.Service.QuotePDF(r.Context(), b, qt, web.Lang(r)) })
}

func (a *Admin) sendQuote(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	sh, err := a.Service.Settings.Shop(ctx)
	if err != nil {
		return err
	}
	form := map[string]string{"valid_until": strings.TrimSpace(r.PostFormValue("valid_until")), "conditions": strings.TrimSpace(r.PostFormValue("conditions"))}
	off := QuoteOffer{ValidUntil: form["valid_until"], Conditions: form["conditions"], Prices: map[int]shop.Yen{}}
	for k, v := range r.PostForm {
		if n, ok := strings.CutPrefix(k, "price_"); ok && len(v) > 0 {
			form[k] = v[0]
			line, err1 := strconv.Atoi(n)
			p, err2 := strconv.ParseInt(strings.ReplaceAll(strings.TrimSpace(v[0]), ",", ""), 10, 64)
			if err1 == nil && err2 == nil {
				off.Prices[line] = shop.Yen(p)
			}
		}
	}
	err = a.db().Tx(ctx, func(tx *db.Tx) error {
		qt, err := a.Service.SendQuote(ctx, tx, id, off, sh.Rounding)
		if err != nil {
			return err
		}
		_, err = audit.Append(ctx, tx, a.Shell.Audit(r, "b2b.quote_sent", qt.Number, map[string]any{"total": int64(qt.Total), "valid_until": qt.ValidUntil}))
		return err
	})
	var se *shop.Error
	if asShop(err, &se) && len(se.Fields) > 0 {
		qt, qerr := quoteByID(ctx, a.db(), id)
		if qerr != nil {
			return qerr
		}
		return a.quoteForm(w, r, http.StatusUnprocessableEntity, qt, form, se.Fields)
	}
	if err != nil {
		return err
	}
	return a.Shell.Done(w, r, "b2b.admin.quote_sent", "/b2b/quotes/"+itoa(id))
}

func (a *Admin) cancelQuote(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	err = a.db().Tx(r.Context(), func(tx *db.Tx) error {
		if err := CancelQuote(r.Context(), tx, id); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, a.Shell.Audit(r, "b2b.quote_cancelled", itoa(id), nil))
		return err
	})
	if err != nil {
		return err
	}
	return a.Shell.Done(w, r, "b2b.admin.quote_cancelled", "/b2b/quotes/"+itoa(id))
}

// --- approvals (a view)

type adminApprovals struct {
	Status   string
	Statuses []string
	Requests []*Request
	Names    map[int64]string
}

func (a *Admin) approvals(w http.ResponseWriter, r *http.Request) error {
	st := r.URL.Query().Get("status")
	if st != RequestPending && st != RequestApproved && st != RequestRejected {
		st = ""
	}
	rs, err := Requests(r.Context(), a.db(), 0, st, 200)
	if err != nil {
		return err
	}
	d := &adminApprovals{Status: st, Statuses: []string{RequestPending, RequestApproved, RequestRejected}, Requests: rs, Names: map[int64]string{}}
	for _, rq := range rs {
		if _, ok := d.Names[rq.CompanyID]; !ok {
			c, err := companyByID(r.Context(), a.db(), rq.CompanyID)
			if err != nil {
				return err
			}
			d.Names[rq.CompanyID] = c.Name
		}
	}
	return a.Shell.Page(w, r, http.StatusOK, "admin_b2b_approvals", "b2b.admin.approvals", d)
}
