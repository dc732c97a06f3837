package b2b

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// BankRow is a credit of an imported bank file as stored.
type BankRow struct {
	ID            int64
	PaidOn        string
	Amount        shop.Yen
	Payer         string
	InvoiceID     int64 // 0 while unmatched
	InvoiceNumber string
	CompanyName   string
	CreatedAt     time.Time
}

// ImportResult is what a bank file did.
type ImportResult struct {
	Matched   []BankRow
	Unmatched []BankRow
	Skipped   int // credits imported before (the same file twice)
}

type openInvoice struct {
	id, company int64
	due         string
	left        shop.Yen
	number      string
	name        string
}

// ImportBank stores the credits of a bank file and pays with each the
// one open invoice it matches: the same amount as is outstanding and the
// payer's name (PayerKey) equal to the company's kana or its payer_kana.
// When a company has several open invoices of that amount the oldest is
// paid; a credit matching invoices of several companies, or none, is
// left unmatched for a person. Credits seen in an earlier file are
// skipped. Everything is written in one transaction.
func ImportBank(ctx context.Context, d *db.DB, credits []Credit, fileName, actor string) (*ImportResult, error) {
	res := &ImportResult{}
	err := d.Tx(ctx, func(tx *db.Tx) error {
		*res = ImportResult{}
		open, err := openInvoices(ctx, tx)
		if err != nil {
			return err
		}
		seen := map[string]int{}
		for _, c := range credits {
			key := PayerKey(c.Payer)
			fp := fmt.Sprintf("%s|%d|%s", c.Date, c.Amount, key)
			seen[fp]++
			fp = fmt.Sprintf("%s|%d", fp, seen[fp])
			row := BankRow{PaidOn: c.Date.String(), Amount: c.Amount, Payer: c.Payer}
			err := tx.QueryRow(ctx, `INSERT INTO bank_rows (fingerprint, paid_on, amount, payer, file_name, actor, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (fingerprint) DO NOTHING RETURNING id`,
				fp, row.PaidOn, int64(c.Amount), c.Payer, fileName, actor, tx.Now()).Scan(&row.ID)
			if errors.Is(err, sql.ErrNoRows) {
				res.Skipped++
				continue
			}
			if err != nil {
				return err
			}
			inv := pick(open[key], c.Amount)
			if inv == nil {
				res.Unmatched = append(res.Unmatched, row)
				continue
			}
			if err := payFromRow(ctx, tx, row, inv.id, actor); err != nil {
				return err
			}
			inv.left = 0
			row.InvoiceID, row.InvoiceNumber, row.CompanyName = inv.id, inv.number, inv.name
			res.Matched = append(res.Matched, row)
		}
		return nil
	})
	return res, err
}

// pick returns the open invoice of amount among cands when they are all
// of one company (the oldest due), nil otherwise.
func pick(cands []*openInvoice, amount shop.Yen) *openInvoice {
	var hit []*openInvoice
	for _, c := range cands {
		if c.left == amount {
			hit = append(hit, c)
		}
	}
	if len(hit) == 0 {
		return nil
	}
	for _, h := range hit[1:] {
		if h.company != hit[0].company {
			return nil
		}
	}
	return slices.MinFunc(hit, func(a, b *openInvoice) int {
		if a.due != b.due {
			return map[bool]int{true: -1, false: 1}[a.due < b.due]
		}
		return int(a.id - b.id)
	})
}

// openInvoices indexes the unpaid invoices by the payer keys of their company.
func openInvoices(ctx context.Context, q db.Queryer) (map[string][]*openInvoice, error) {
	rows, err := q.Query(ctx, `SELECT i.id, i.company_id, i.due_date, i.total - i.paid, i.number, c.name, c.name_kana, COALESCE(t.payer_kana, '')
		FROM company_invoices i JOIN companies c ON c.id = i.company_id LEFT JOIN company_terms t ON t.company_id = i.company_id
		WHERE i.status = 'issued'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]*openInvoice{}
	for rows.Next() {
		inv := &openInvoice{}
		var left int64
		var kana, payer string
		if err := rows.Scan(&inv.id, &inv.company, &inv.due, &left, &inv.number, &inv.name, &kana, &payer); err != nil {
			return nil, err
		}
		inv.left = shop.Yen(left)
		for _, k := range []string{PayerKey(kana), PayerKey(payer)} {
			if k != "" && !slices.Contains(out[k], inv) {
				out[k] = append(out[k], inv)
			}
		}
	}
	return out, rows.Err()
}

func payFromRow(ctx context.Context, tx *db.Tx, row BankRow, invoiceID int64, actor string) error {
	if _, err := RecordPayment(ctx, tx, Payment{InvoiceID: invoiceID, Amount: row.Amount, PaidOn: row.PaidOn, Source: "bank",
		BankRowID: row.ID, Note: row.Payer, Actor: actor}); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE bank_rows SET invoice_id = ? WHERE id = ?`, invoiceID, row.ID)
	return err
}

// UnmatchedRows lists the bank credits no invoice took, oldest first.
func UnmatchedRows(ctx context.Context, q db.Queryer, limit int) ([]BankRow, error) {
	rows, err := q.Query(ctx, `SELECT id, paid_on, amount, payer, created_at FROM bank_rows WHERE invoice_id IS NULL ORDER BY paid_on, id LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []BankRow
	for rows.Next() {
		var r BankRow
		var amt int64
		if err := rows.Scan(&r.ID, &r.PaidOn, &amt, &r.Payer, &r.CreatedAt); err != nil {
			return nil, err
		}
		r.Amount = shop.Yen(amt)
		out = append(out, r)
	}
	return out, rows.Err()
}

// MatchRow pays the invoice with an unmatched bank credit, by a person's
// choice. Errors: NotFound for an unknown row or invoice; Conflict
// "b2b.bank.matched" for a row already matched; those of RecordPayment
// (an amount over what is outstanding).
func MatchRow(ctx context.Context, tx *db.Tx, rowID, invoiceID int64, actor string) error {
	var r BankRow
	var amt int64
	var inv sql.NullInt64
	err := tx.QueryRow(ctx, `SELECT id, paid_on, amount, payer, invoice_id FROM bank_rows WHERE id = ?`, rowID).Scan(&r.ID, &r.PaidOn, &amt, &r.Payer, &inv)
	if errors.Is(err, sql.ErrNoRows) {
		return shop.ErrNotFound
	}
	if err != nil {
		return err
	}
	if inv.Valid {
		return shop.Errorf(shop.Conflict, "b2b.bank.matched")
	}
	r.Amount = shop.Yen(amt)
	return payFromRow(ctx, tx, r, invoiceID, actor)
}
