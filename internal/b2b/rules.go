package b2b

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/checkout"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/payment"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
)

// Service holds the B2B rules and actions. It is the checkout's Rules
// (checkout.Service.Rules) and places approved orders and accepted quotes
// through that same checkout.
type Service struct {
	DB       *db.DB
	Checkout *checkout.Service
	Carts    *cart.Store
	Settings *settings.Store
	BaseURL  string // the shop's public URL, for mails
	FontPath string // the invoices' font, "" for the embedded one
	Log      *slog.Logger
}

var _ checkout.Rules = (*Service)(nil)

// Prices gives a cart tied to a quote (quote_carts) the quote's prices.
// Errors: Forbidden when the buyer is not of the quote's company;
// Conflict "b2b.quote.expired" past its validity, "b2b.quote.not_open"
// when it is not sent (or already ordered), "b2b.quote.cart_changed"
// when the cart no longer holds exactly the quote's lines.
func (s *Service) Prices(ctx context.Context, q db.Queryer, in *checkout.Input, c *cart.Cart, now time.Time) (map[int64]shop.Yen, error) {
	var quoteID int64
	err := q.QueryRow(ctx, `SELECT quote_id FROM quote_carts WHERE cart_id = ?`, c.ID).Scan(&quoteID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	qt, err := quoteByID(ctx, q, quoteID)
	if err != nil {
		return nil, err
	}
	if in.CustomerID == nil {
		return nil, shop.Errorf(shop.Forbidden, "b2b.quote.forbidden")
	}
	if err := qt.orderable(ctx, q, *in.CustomerID, now); err != nil {
		return nil, err
	}
	want := map[int64]int{}
	prices := map[int64]shop.Yen{}
	for _, l := range qt.Lines {
		want[l.VariantID] += l.Qty
		prices[l.VariantID] = l.UnitPrice
	}
	if len(c.Lines) != len(want) {
		return nil, shop.Errorf(shop.Conflict, "b2b.quote.cart_changed")
	}
	for _, l := range c.Lines {
		if want[l.VariantID] != l.Qty {
			return nil, shop.Errorf(shop.Conflict, "b2b.quote.cart_changed")
		}
	}
	return prices, nil
}

// PayRefusal allows 掛け払い only to a signed-in member of an active
// company whose terms have it, with no invoice overdue past the grace
// days, and within the credit limit: unpaid invoices plus the orders on
// account not yet invoiced plus this one (amount).
func (s *Service) PayRefusal(ctx context.Context, q db.Queryer, in *checkout.Input, m checkout.PayMethod, amount shop.Yen, now time.Time) (string, error) {
	if m.Kind != payment.OnAccount {
		return "", nil
	}
	if in.CustomerID == nil {
		return "b2b.pay.company_only", nil
	}
	mem, ok, err := memberOf(ctx, q, *in.CustomerID)
	if err != nil || !ok {
		return "b2b.pay.company_only", err
	}
	if mem.Company.Status != "active" {
		return "b2b.pay.company_inactive", nil
	}
	t, err := TermsOf(ctx, q, mem.CompanyID)
	if err != nil {
		return "", err
	}
	if !t.OnAccount {
		return "b2b.pay.no_terms", nil
	}
	if od, err := overdue(ctx, q, mem.CompanyID, calendar.DateOf(now).AddDays(-t.GraceDays)); err != nil || od {
		return "b2b.pay.overdue", err
	}
	used, err := Exposure(ctx, q, mem.CompanyID)
	if err != nil {
		return "", err
	}
	if used+amount > t.CreditLimit {
		return "b2b.pay.over_limit", nil
	}
	return "", nil
}

// Exposure is what the company owes or will owe on account: the unpaid
// part of its invoices plus its orders on account that are not cancelled
// and not yet invoiced.
func Exposure(ctx context.Context, q db.Queryer, companyID int64) (shop.Yen, error) {
	var unpaid, open int64
	err := q.QueryRow(ctx, `SELECT COALESCE(SUM(total - paid), 0) FROM company_invoices WHERE company_id = ? AND status = 'issued'`, companyID).Scan(&unpaid)
	if err != nil {
		return 0, err
	}
	err = q.QueryRow(ctx, `SELECT COALESCE(SUM(o.total), 0) FROM orders o JOIN company_members m ON m.customer_id = o.customer_id
		WHERE m.company_id = ? AND o.payment_method = ? AND o.status NOT IN (?, ?)
		AND NOT EXISTS (SELECT 1 FROM company_invoice_orders io WHERE io.order_id = o.id)`,
		companyID, string(payment.OnAccount), string(order.Cancelled), string(order.Returned)).Scan(&open)
	return shop.Yen(unpaid + open), err
}

// overdue reports an unpaid invoice of the company due before the day.
func overdue(ctx context.Context, q db.Queryer, companyID int64, before calendar.Date) (bool, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM company_invoices WHERE company_id = ? AND status = 'issued' AND due_date < ?`,
		companyID, before.String()).Scan(&n)
	return n > 0, err
}

// approvalKey is the idempotency key of the order an approval places.
func approvalKey(requestID string) string { return "b2b-approval-" + requestID }

// Placed marks, in the order's transaction, the quote the order accepts
// (refused when it expired meanwhile) or the approval request it fulfils.
func (s *Service) Placed(ctx context.Context, tx *db.Tx, o *order.Order, in *checkout.Input) error {
	if id, ok := strings.CutPrefix(in.Key, approvalKey("")); ok {
		n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE approval_requests SET status = 'approved', order_id = ?, decided_at = ?, last_error = ''
			WHERE id = ? AND status = 'pending'`, o.ID, tx.Now(), id))
		if err == nil && n != 1 {
			err = shop.Errorf(shop.Conflict, "b2b.approval.decided")
		}
		return err
	}
	var quoteID int64
	err := tx.QueryRow(ctx, `SELECT quote_id FROM quote_carts WHERE cart_id = ?`, in.CartID).Scan(&quoteID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	today := calendar.DateOf(tx.Now()).String()
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE quotes SET status = 'accepted', order_id = ?, accepted_at = ?, updated_at = ?
		WHERE id = ? AND status = 'sent' AND valid_until >= ?`, o.ID, tx.Now(), tx.Now(), quoteID, today))
	if err != nil {
		return err
	}
	if n != 1 {
		return shop.Errorf(shop.Conflict, "b2b.quote.expired")
	}
	_, err = tx.Exec(ctx, `DELETE FROM quote_carts WHERE cart_id = ?`, in.CartID)
	return err
}
