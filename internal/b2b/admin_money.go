package b2b

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// MaxBankFile bounds an uploaded bank file.
const MaxBankFile = 8 << 20

func asShop(err error, se **shop.Error) bool { return errors.As(err, se) }

func todayOfAdd(d *db.DB, days int) string { return calendar.DateOf(d.Now()).AddDays(days).String() }

type adminInvoices struct {
	Status   string
	Invoices []*Invoice
	Runs     []*Run
	Today    string
	Closing  string // the last month end, suggested for a run
}

func (a *Admin) invoices(w http.ResponseWriter, r *http.Request) error {
	st := r.URL.Query().Get("status")
	if st != "issued" && st != "paid" && st != "overdue" {
		st = ""
	}
	ctx, now := r.Context(), a.db().Now()
	today := calendar.DateOf(now)
	invs, err := Invoices(ctx, a.db(), InvoiceFilter{Status: st, Today: today, Limit: 200})
	if err != nil {
		return err
	}
	runs, err := Runs(ctx, a.db(), 10)
	if err != nil {
		return err
	}
	last := calendar.NewDate(today.Year, today.Month, 1).AddDays(-1)
	return a.Shell.Page(w, r, http.StatusOK, "admin_b2b_invoices", "b2b.admin.invoices",
		&adminInvoices{Status: st, Invoices: invs, Runs: runs, Today: today.String(), Closing: last.String()})
}

func (a *Admin) startRun(w http.ResponseWriter, r *http.Request) error {
	d, err := calendar.ParseDate(strings.TrimSpace(r.PostFormValue("closing_date")))
	if err != nil {
		return shop.Invalidf(map[string]string{"closing_date": "b2b.run.bad_date"})
	}
	_, actor := a.Shell.Actor(r)
	err = a.db().Tx(r.Context(), func(tx *db.Tx) error {
		id, err := StartRun(r.Context(), tx, d, actor)
		if err != nil {
			return err
		}
		_, err = audit.Append(r.Context(), tx, a.Shell.Audit(r, "b2b.invoice_run", itoa(id), map[string]any{"closing_date": d.String()}))
		return err
	})
	if err != nil {
		return err
	}
	return a.Shell.Done(w, r, "b2b.admin.run_started", "/b2b/invoices")
}

type adminInvoice struct {
	I        *Invoice
	Orders   []string
	Payments []Payment
	Overdue  bool
	Today    string
}

func (a *Admin) invoice(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	inv, err := invoiceByID(ctx, a.db(), id)
	if err != nil {
		return err
	}
	d := &adminInvoice{I: inv, Today: todayOf(a.db().Now()), Overdue: inv.Overdue(calendar.DateOf(a.db().Now()))}
	if d.Orders, err = invoiceOrders(ctx, a.db(), id); err != nil {
		return err
	}
	if d.Payments, err = InvoicePayments(ctx, a.db(), id); err != nil {
		return err
	}
	return a.Shell.Page(w, r, http.StatusOK, "admin_b2b_invoice", "b2b.admin.invoice", d)
}

func (a *Admin) invoicePDF(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	inv, err := invoiceByID(r.Context(), a.db(), id)
	if err != nil {
		return err
	}
	return writePDF(w, inv.Number+".pdf", func(b *bytes.Buffer) error { return a.Service.InvoicePDF(r.Context(), b, inv, web.Lang(r)) })
}

// addPayment books money received by hand (入金消込).
func (a *Admin) addPayment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	amt, perr := strconv.ParseInt(strings.NewReplacer(",", "", "¥", "").Replace(strings.TrimSpace(r.PostFormValue("amount"))), 10, 64)
	if perr != nil {
		return shop.Invalidf(map[string]string{"amount": "b2b.pay.bad_amount"})
	}
	_, actor := a.Shell.Actor(r)
	p := Payment{InvoiceID: id, Amount: shop.Yen(amt), PaidOn: strings.TrimSpace(r.PostFormValue("paid_on")), Source: "manual",
		Note: strings.TrimSpace(r.PostFormValue("note")), Actor: actor}
	err = a.db().Tx(r.Context(), func(tx *db.Tx) error {
		inv, err := RecordPayment(r.Context(), tx, p)
		if err != nil {
			return err
		}
		_, err = audit.Append(r.Context(), tx, a.Shell.Audit(r, "b2b.payment", inv.Number, map[string]any{"amount": amt, "paid_on": p.PaidOn, "status": inv.Status}))
		return err
	})
	if err != nil {
		return err
	}
	return a.Shell.Done(w, r, "b2b.admin.payment_saved", "/b2b/invoices/"+itoa(id))
}

// Receivable is one company on account as the receivables screen shows it.
type Receivable struct {
	CompanyID   int64
	Name        string
	Terms       Terms
	Exposure    shop.Yen
	Overdue     int
	OverdueLeft shop.Yen
}

type adminReceivables struct {
	Companies []Receivable
	Unmatched []BankRow
	Invoices  []*Invoice // open, for matching a bank row by hand
	Result    *ImportResult
}

func (a *Admin) receivables(w http.ResponseWriter, r *http.Request) error {
	d, err := a.receivablesData(r)
	if err != nil {
		return err
	}
	return a.Shell.Page(w, r, http.StatusOK, "admin_b2b_receivables", "b2b.admin.receivables", d)
}

func (a *Admin) receivablesData(r *http.Request) (*adminReceivables, error) {
	ctx, q := r.Context(), a.db()
	today := calendar.DateOf(q.Now()).String()
	rows, err := q.Query(ctx, `SELECT c.id, c.name FROM company_terms t JOIN companies c ON c.id = t.company_id WHERE t.on_account = ? ORDER BY c.name_kana, c.id LIMIT 500`, true)
	if err != nil {
		return nil, err
	}
	d := &adminReceivables{}
	for rows.Next() {
		var rc Receivable
		if err := rows.Scan(&rc.CompanyID, &rc.Name); err != nil {
			rows.Close()
			return nil, err
		}
		d.Companies = append(d.Companies, rc)
	}
	rows.Close()
	for i := range d.Companies {
		rc := &d.Companies[i]
		if rc.Terms, err = TermsOf(ctx, q, rc.CompanyID); err != nil {
			return nil, err
		}
		if rc.Exposure, err = Exposure(ctx, q, rc.CompanyID); err != nil {
			return nil, err
		}
		var left int64
		if err := q.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(total - paid), 0) FROM company_invoices WHERE company_id = ? AND status = 'issued' AND due_date < ?`,
			rc.CompanyID, today).Scan(&rc.Overdue, &left); err != nil {
			return nil, err
		}
		rc.OverdueLeft = shop.Yen(left)
	}
	if d.Unmatched, err = UnmatchedRows(ctx, q, 200); err != nil {
		return nil, err
	}
	if d.Invoices, err = Invoices(ctx, q, InvoiceFilter{Status: "issued", Limit: 500}); err != nil {
		return nil, err
	}
	return d, nil
}

// importBank reads an uploaded bank file and matches its credits.
func (a *Admin) importBank(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, MaxBankFile+64<<10)
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return shop.Invalidf(map[string]string{"file": "b2b.bank.no_file"})
	}
	defer f.Close()
	credits, err := ParseBank(f)
	if err != nil {
		return err
	}
	_, actor := a.Shell.Actor(r)
	res, err := ImportBank(r.Context(), a.db(), credits, hdr.Filename, actor)
	if err != nil {
		return err
	}
	err = a.db().Tx(r.Context(), func(tx *db.Tx) error {
		_, err := audit.Append(r.Context(), tx, a.Shell.Audit(r, "b2b.bank_import", hdr.Filename,
			map[string]any{"credits": len(credits), "matched": len(res.Matched), "unmatched": len(res.Unmatched), "skipped": res.Skipped}))
		return err
	})
	if err != nil {
		return err
	}
	d, err := a.receivablesData(r)
	if err != nil {
		return err
	}
	d.Result = res
	return a.Shell.Page(w, r, http.StatusOK, "admin_b2b_receivables", "b2b.admin.receivables", d)
}

func (a *Admin) matchRow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	inv, err := strconv.ParseInt(r.PostFormValue("invoice"), 10, 64)
	if err != nil {
		return shop.Invalidf(map[string]string{"invoice": "b2b.bank.pick_invoice"})
	}
	_, actor := a.Shell.Actor(r)
	err = a.db().Tx(r.Context(), func(tx *db.Tx) error {
		if err := MatchRow(r.Context(), tx, id, inv, actor); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, a.Shell.Audit(r, "b2b.bank_match", itoa(id), map[string]any{"invoice": inv}))
		return err
	})
	if err != nil {
		return err
	}
	return a.Shell.Done(w, r, "b2b.admin.payment_saved", "/b2b/receivables")
}

type adminTerms struct {
	Rules  []string
	C      Company
	T      Terms
	Form   map[string]string
	Fields map[string]string
}

func (a *Admin) terms(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := companyByID(r.Context(), a.db(), id)
	if err != nil {
		return err
	}
	t, err := TermsOf(r.Context(), a.db(), id)
	if err != nil {
		return err
	}
	return a.Shell.Page(w, r, http.StatusOK, "admin_b2b_terms", "b2b.admin.terms", &adminTerms{Rules: rules, C: c, T: t})
}

func (a *Admin) saveTerms(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := companyByID(r.Context(), a.db(), id)
	if err != nil {
		return err
	}
	num := func(k string) int64 {
		n, err := strconv.ParseInt(strings.NewReplacer(",", "", "¥", "").Replace(strings.TrimSpace(r.PostFormValue(k))), 10, 64)
		if err != nil {
			return -1
		}
		return n
	}
	t := Terms{CompanyID: id, Approval: r.PostFormValue("approval"), ApprovalOver: shop.Yen(num("approval_over")), OnAccount: r.PostFormValue("on_account") == "1",
		ClosingDay: int(num("closing_day")), PayMonths: int(num("pay_months")), PayDay: int(num("pay_day")), CreditLimit: shop.Yen(num("credit_limit")),
		GraceDays: int(num("grace_days")), PayerKana: strings.TrimSpace(r.PostFormValue("payer_kana"))}
	err = a.db().Tx(r.Context(), func(tx *db.Tx) error {
		if err := SaveTerms(r.Context(), tx, t); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, a.Shell.Audit(r, "b2b.terms", itoa(id), map[string]any{"approval": t.Approval,
			"approval_over": int64(t.ApprovalOver), "on_account": t.OnAccount, "credit_limit": int64(t.CreditLimit), "closing_day": t.ClosingDay,
			"pay_months": t.PayMonths, "pay_day": t.PayDay, "grace_days": t.GraceDays}))
		return err
	})
	var se *shop.Error
	if asShop(err, &se) && len(se.Fields) > 0 {
		return a.Shell.Page(w, r, http.StatusUnprocessableEntity, "admin_b2b_terms", "b2b.admin.terms", &adminTerms{Rules: rules, C: c, T: t, Fields: se.Fields})
	}
	if err != nil {
		return err
	}
	return a.Shell.Done(w, r, "b2b.admin.terms_saved", "/b2b/terms/"+itoa(id))
}

var rules = []string{ApproveNone, ApproveOver, ApproveAll}
