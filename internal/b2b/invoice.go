package b2b

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/invoice"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/payment"
	"github.com/akinai/akinai/internal/shop"
)

// Invoice is a company's monthly invoice (請求書).
type Invoice struct {
	ID           int64
	Number       string
	CompanyID    int64
	CompanyName  string
	From, To     string // the period, YYYY-MM-DD
	Due          string
	Total, Tax   shop.Yen
	Paid         shop.Yen
	Status       string // issued, paid
	PaidOn       string
	Registration string // the shop's, when issued
	Rates        []order.RateTotal
	CreatedAt    time.Time
}

// Outstanding is what is left to pay.
func (inv *Invoice) Outstanding() shop.Yen { return inv.Total - inv.Paid }

// Overdue reports an unpaid invoice past its due date on today.
func (inv *Invoice) Overdue(today calendar.Date) bool {
	return inv.Status == "issued" && inv.Due < today.String()
}

const invoiceColumns = `i.id, i.number, i.company_id, c.name, i.period_from, i.period_to, i.due_date, i.total, i.tax, i.paid, i.status,
	i.paid_on, i.registration, i.rates, i.created_at`

const invoiceFrom = ` FROM company_invoices i JOIN companies c ON c.id = i.company_id`

func scanInvoice(sc interface{ Scan(...any) error }) (*Invoice, error) {
	inv := &Invoice{}
	var total, tax, paid int64
	var rates string
	if err := sc.Scan(&inv.ID, &inv.Number, &inv.CompanyID, &inv.CompanyName, &inv.From, &inv.To, &inv.Due, &total, &tax, &paid,
		&inv.Status, &inv.PaidOn, &inv.Registration, &rates, &inv.CreatedAt); err != nil {
		return nil, err
	}
	inv.Total, inv.Tax, inv.Paid = shop.Yen(total), shop.Yen(tax), shop.Yen(paid)
	return inv, json.Unmarshal([]byte(rates), &inv.Rates)
}

// invoiceByID reads one invoice. Errors: NotFound.
func invoiceByID(ctx context.Context, q db.Queryer, id int64) (*Invoice, error) {
	inv, err := scanInvoice(q.QueryRow(ctx, `SELECT `+invoiceColumns+invoiceFrom+` WHERE i.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shop.ErrNotFound
	}
	return inv, err
}

// InvoiceFilter selects invoices for a list.
type InvoiceFilter struct {
	CompanyID int64
	Status    string // "", issued, paid, overdue
	Today     calendar.Date
	Limit     int
}

// Invoices lists invoices, newest first.
func Invoices(ctx context.Context, q db.Queryer, f InvoiceFilter) ([]*Invoice, error) {
	query, args := `SELECT `+invoiceColumns+invoiceFrom+` WHERE 1 = 1`, []any{}
	if f.CompanyID > 0 {
		query, args = query+` AND i.company_id = ?`, append(args, f.CompanyID)
	}
	switch f.Status {
	case "issued", "paid":
		query, args = query+` AND i.status = ?`, append(args, f.Status)
	case "overdue":
		query, args = query+` AND i.status = 'issued' AND i.due_date < ?`, append(args, f.Today.String())
	}
	if f.Limit <= 0 {
		f.Limit = 200
	}
	rows, err := q.Query(ctx, query+` ORDER BY i.id DESC LIMIT ?`, append(args, f.Limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Invoice
	for rows.Next() {
		inv, err := scanInvoice(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, inv)
	}
	return out, rows.Err()
}

// invoiceOrders lists the numbers of the orders an invoice covers, oldest first.
func invoiceOrders(ctx context.Context, q db.Queryer, invoiceID int64) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT o.number FROM company_invoice_orders io JOIN orders o ON o.id = io.order_id
		WHERE io.invoice_id = ? ORDER BY o.created_at, o.id`, invoiceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// invoiceCompany writes, in tx, the invoice of the company for the period
// closing on to: every order on account by its members that is not
// cancelled or returned, placed before the end of that day (Japan time)
// and not on an invoice yet. The per-rate totals are summed over the
// orders and the tax taken once per rate on the invoice, as a qualified
// invoice states it. It returns nil when there is nothing to invoice, or
// when the company's invoice for that date exists (a resumed run).
func invoiceCompany(ctx context.Context, tx *db.Tx, companyID int64, t Terms, to calendar.Date, rounding shop.Rounding, registration string, runID int64) (*Invoice, error) {
	end := to.AddDays(1).Time()
	rows, err := tx.Query(ctx, `SELECT o.id, o.total, o.rates FROM orders o JOIN company_members m ON m.customer_id = o.customer_id
		WHERE m.company_id = ? AND o.payment_method = ? AND o.status NOT IN (?, ?) AND o.created_at < ?
		AND NOT EXISTS (SELECT 1 FROM company_invoice_orders io WHERE io.order_id = o.id)
		ORDER BY o.created_at, o.id`, companyID, string(payment.OnAccount), string(order.Cancelled), string(order.Returned), end.UTC())
	if err != nil {
		return nil, err
	}
	var ids []int64
	var io invoice.Order
	var sum shop.Yen
	for rows.Next() {
		var id, total int64
		var rj string
		if err := rows.Scan(&id, &total, &rj); err != nil {
			rows.Close()
			return nil, err
		}
		var rates []order.RateTotal
		if err := json.Unmarshal([]byte(rj), &rates); err != nil {
			rows.Close()
			return nil, fmt.Errorf("b2b: order %d rates: %w", id, err)
		}
		for _, r := range rates {
			cl := shop.TaxStandard
			if r.Reduced {
				cl = shop.TaxReduced
			}
			io.Lines = append(io.Lines, invoice.Line{Rate: r.Rate, UnitPrice: r.Total, Qty: 1, Class: cl})
		}
		ids, sum = append(ids, id), sum+shop.Yen(total)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return nil, err
	}
	b, err := invoice.Compute(io, rounding)
	if err != nil {
		return nil, err
	}
	if b.Total != sum {
		return nil, fmt.Errorf("b2b: company %d: rates add up to %d, orders to %d", companyID, b.Total, sum)
	}
	inv := &Invoice{CompanyID: companyID, From: t.PeriodFrom(to).String(), To: to.String(), Due: t.Due(to).String(),
		Total: b.Total, Tax: b.Tax, Status: "issued", Registration: registration,
		Number: fmt.Sprintf("B%s-%06d", to.Time().Format("200601"), companyID)}
	for _, r := range b.Rates {
		inv.Rates = append(inv.Rates, order.RateTotal{Rate: r.Rate, Reduced: r.Reduced, Total: r.Total, Tax: r.Tax})
	}
	rj, err := json.Marshal(inv.Rates)
	if err != nil {
		return nil, err
	}
	err = tx.QueryRow(ctx, `INSERT INTO company_invoices (number, company_id, period_from, period_to, due_date, total, tax, rates, registration, run_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (company_id, period_to) DO NOTHING RETURNING id`,
		inv.Number, companyID, inv.From, inv.To, inv.Due, int64(inv.Total), int64(inv.Tax), string(rj), registration, runID, tx.Now()).Scan(&inv.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if _, err := tx.Exec(ctx, `INSERT INTO company_invoice_orders (order_id, invoice_id) VALUES (?, ?)`, id, inv.ID); err != nil {
			return nil, err
		}
	}
	return inv, nil
}

// MaxPaymentNote bounds a payment's note.
const MaxPaymentNote = 200

// Payment is money received against an invoice.
type Payment struct {
	InvoiceID int64
	Amount    shop.Yen
	PaidOn    string // YYYY-MM-DD
	Source    string // manual, bank
	BankRowID int64
	Note      string
	Actor     string
}

// RecordPayment books p on its invoice in tx and marks the invoice paid
// once nothing is left. Errors: NotFound; Conflict "b2b.pay.already_paid";
// Invalid on "amount" for an amount from 1 up to what is outstanding,
// "paid_on" for a date that is not one, "note" for a long note.
func RecordPayment(ctx context.Context, tx *db.Tx, p Payment) (*Invoice, error) {
	inv, err := invoiceByID(ctx, tx, p.InvoiceID)
	if err != nil {
		return nil, err
	}
	if inv.Status == "paid" {
		return nil, shop.Errorf(shop.Conflict, "b2b.pay.already_paid")
	}
	f := map[string]string{}
	if p.Amount <= 0 || p.Amount > inv.Outstanding() {
		f["amount"] = "b2b.pay.bad_amount"
	}
	if _, err := calendar.ParseDate(p.PaidOn); err != nil {
		f["paid_on"] = "b2b.pay.bad_date"
	}
	if len([]rune(p.Note)) > MaxPaymentNote {
		f["note"] = "b2b.pay.note_long"
	}
	if len(f) > 0 {
		return nil, shop.Invalidf(f)
	}
	var row any
	if p.BankRowID > 0 {
		row = p.BankRowID
	}
	if _, err := tx.Exec(ctx, `INSERT INTO invoice_payments (invoice_id, amount, paid_on, source, bank_row_id, note, actor, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, p.InvoiceID, int64(p.Amount), p.PaidOn, p.Source, row, p.Note, p.Actor, tx.Now()); err != nil {
		return nil, err
	}
	inv.Paid += p.Amount
	if inv.Outstanding() == 0 {
		inv.Status, inv.PaidOn = "paid", p.PaidOn
	}
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE company_invoices SET paid = ?, status = ?, paid_on = ? WHERE id = ? AND paid = ?`,
		int64(inv.Paid), inv.Status, inv.PaidOn, inv.ID, int64(inv.Paid-p.Amount)))
	if err == nil && n != 1 {
		err = shop.Errorf(shop.Conflict, "b2b.pay.changed")
	}
	return inv, err
}

// InvoicePayments lists an invoice's payments, oldest first.
func InvoicePayments(ctx context.Context, q db.Queryer, invoiceID int64) ([]Payment, error) {
	rows, err := q.Query(ctx, `SELECT amount, paid_on, source, COALESCE(bank_row_id, 0), note, actor FROM invoice_payments WHERE invoice_id = ? ORDER BY id`, invoiceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Payment
	for rows.Next() {
		p := Payment{InvoiceID: invoiceID}
		var amt int64
		if err := rows.Scan(&amt, &p.PaidOn, &p.Source, &p.BankRowID, &p.Note, &p.Actor); err != nil {
			return nil, err
		}
		p.Amount = shop.Yen(amt)
		out = append(out, p)
	}
	return out, rows.Err()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// todayOf is the day in Japan at now, as YYYY-MM-DD.
func todayOf(now time.Time) string { return calendar.DateOf(now).String() }
