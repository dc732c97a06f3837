package b2b

import (
	"context"

	"github.com/akinai/akinai/internal/customer"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/settings"
)

// MailData is what the B2B mails are composed with (b2b_quote_sent,
// b2b_approval_requested, b2b_approval_decided, b2b_invoice_issued).
type MailData struct {
	ShopName string
	Name     string // the recipient
	Company  string
	Buyer    string // who ordered or asked
	Number   string // quote, request, order or invoice number
	Total    string // "¥12,345"
	Date     string // valid until, due date
	Approved bool
	Comment  string
	URL      string
}

// SampleMail is the data the admin's template editor previews the B2B
// mails with; ok is false for another event.
func SampleMail(event, lang, shopName string) (any, bool) {
	switch event {
	case "b2b_quote_sent", "b2b_approval_requested", "b2b_approval_decided", "b2b_invoice_issued":
		return &MailData{ShopName: shopName, Name: "山田 花子", Company: "株式会社サンプル商店", Buyer: "佐藤 一郎", Number: "Q20261201-0001",
			Total: "¥123,456", Date: "2026-12-31", Approved: true, Comment: "OK", URL: "https://shop.example.jp/mypage/b2b"}, true
	}
	return nil, false
}

// mailCustomer queues event to a customer in their language, with their
// anti-phishing code, in tx.
func mailCustomer(ctx context.Context, tx *db.Tx, event string, customerID int64, d MailData) error {
	c, err := customer.ByID(ctx, tx, customerID)
	if err != nil {
		return err
	}
	d.Name = c.Name()
	if d.ShopName, err = settings.ShopNameIn(ctx, tx, i18n.Lang(c.Lang)); err != nil {
		return err
	}
	m, err := mail.Compose(ctx, tx, event, c.Lang, c.Email, &d, mail.WithCode(c.AntiPhishing))
	if err != nil {
		return err
	}
	_, err = mail.Enqueue(ctx, tx, m.About("", &c.ID))
	return err
}

// companyPeople returns the members of the company whose role is one of roles.
func companyPeople(ctx context.Context, q db.Queryer, companyID int64, roles ...string) ([]int64, error) {
	rows, err := q.Query(ctx, `SELECT customer_id, role FROM company_members WHERE company_id = ? ORDER BY customer_id`, companyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		var role string
		if err := rows.Scan(&id, &role); err != nil {
			return nil, err
		}
		for _, r := range roles {
			if r == role {
				out = append(out, id)
			}
		}
	}
	return out, rows.Err()
}
