package b2b

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/invoice"
	"github.com/akinai/akinai/internal/shop"
)

// Quote statuses (quotes.status); a sent quote past ValidUntil is expired.
const (
	QuoteRequested = "requested"
	QuoteSent      = "sent"
	QuoteAccepted  = "accepted"
	QuoteCancelled = "cancelled"
)

// MaxQuoteNote bounds the buyer's note and the shop's conditions.
const MaxQuoteNote = 2000

// Quote is a 見積: the lines of a buyer's cart, priced by the shop.
type Quote struct {
	ID          int64
	Number      string
	CompanyID   int64
	CompanyName string
	CustomerID  int64
	Status      string
	Lang        string
	RequestNote string
	Conditions  string
	ValidUntil  string // YYYY-MM-DD, "" until sent
	Total       shop.Yen
	OrderID     *int64
	OrderNumber string
	SentAt      *time.Time
	CreatedAt   time.Time
	Lines       []QuoteLine
}

// QuoteLine is one variant of a quote. UnitPrice is tax-included.
type QuoteLine struct {
	Line           int
	VariantID      int64
	SKU            string
	NameJA, NameEN string
	Qty            int
	ListPrice      shop.Yen // the catalogue's price when asked, tax included
	UnitExcl       shop.Yen // the shop's price without tax
	UnitPrice      shop.Yen
	Rate           shop.TaxRate
	Reduced        bool
}

// Total is the line's tax-included amount.
func (l QuoteLine) Total() shop.Yen { return l.UnitPrice * shop.Yen(l.Qty) }

// Name is the line's name in lang.
func (l QuoteLine) Name(lang i18n.Lang) string {
	if lang == i18n.English && l.NameEN != "" {
		return l.NameEN
	}
	return l.NameJA
}

// Expired reports a sent quote whose validity ended before today.
func (q *Quote) Expired(today calendar.Date) bool {
	return q.Status == QuoteSent && q.ValidUntil < today.String()
}

// State is the status to show: expired for a sent quote past its date.
func (q *Quote) State(now time.Time) string {
	if q.Expired(calendar.DateOf(now)) {
		return "expired"
	}
	return q.Status
}

// orderable checks that customerID may order from the quote now. Errors:
// Forbidden "b2b.quote.forbidden" for someone not of its company;
// Conflict "b2b.quote.not_open" when it is not sent; Conflict
// "b2b.quote.expired" past its validity.
func (q *Quote) orderable(ctx context.Context, qr db.Queryer, customerID int64, now time.Time) error {
	m, ok, err := memberOf(ctx, qr, customerID)
	if err != nil {
		return err
	}
	if !ok || m.CompanyID != q.CompanyID {
		return shop.Errorf(shop.Forbidden, "b2b.quote.forbidden")
	}
	if q.Status != QuoteSent {
		return shop.Errorf(shop.Conflict, "b2b.quote.not_open")
	}
	if q.Expired(calendar.DateOf(now)) {
		return shop.Errorf(shop.Conflict, "b2b.quote.expired")
	}
	return nil
}

const quoteColumns = `q.id, q.number, q.company_id, c.name, q.customer_id, q.status, q.lang, q.request_note, q.conditions, q.valid_until,
	q.total, q.order_id, COALESCE(o.number, ''), q.sent_at, q.created_at`

const quoteFrom = ` FROM quotes q JOIN companies c ON c.id = q.company_id LEFT JOIN orders o ON o.id = q.order_id`

func scanQuote(sc interface{ Scan(...any) error }) (*Quote, error) {
	q := &Quote{}
	var total int64
	var orderID sql.NullInt64
	var sent sql.NullTime
	err := sc.Scan(&q.ID, &q.Number, &q.CompanyID, &q.CompanyName, &q.CustomerID, &q.Status, &q.Lang, &q.RequestNote, &q.Conditions,
		&q.ValidUntil, &total, &orderID, &q.OrderNumber, &sent, &q.CreatedAt)
	if err != nil {
		return nil, err
	}
	q.Total = shop.Yen(total)
	if orderID.Valid {
		q.OrderID = &orderID.Int64
	}
	if sent.Valid {
		q.SentAt = &sent.Time
	}
	return q, nil
}

// quoteByID reads a quote with its lines. Errors: NotFound.
func quoteByID(ctx context.Context, q db.Queryer, id int64) (*Quote, error) {
	qt, err := scanQuote(q.QueryRow(ctx, `SELECT `+quoteColumns+quoteFrom+` WHERE q.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shop.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, `SELECT line, variant_id, sku, name_ja, name_en, qty, list_price, unit_excl, unit_price, rate, reduced
		FROM quote_lines WHERE quote_id = ? ORDER BY line`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var l QuoteLine
		var list, excl, unit int64
		if err := rows.Scan(&l.Line, &l.VariantID, &l.SKU, &l.NameJA, &l.NameEN, &l.Qty, &list, &excl, &unit, &l.Rate, &l.Reduced); err != nil {
			return nil, err
		}
		l.ListPrice, l.UnitExcl, l.UnitPrice = shop.Yen(list), shop.Yen(excl), shop.Yen(unit)
		qt.Lines = append(qt.Lines, l)
	}
	return qt, rows.Err()
}

// Quotes lists quotes, newest first: of one company (companyID > 0) or
// all, optionally of one status ("expired" included).
func Quotes(ctx context.Context, q db.Queryer, companyID int64, status string, now time.Time, limit int) ([]*Quote, error) {
	where, args := []string{"1 = 1"}, []any{}
	if companyID > 0 {
		where, args = append(where, "q.company_id = ?"), append(args, companyID)
	}
	today := calendar.DateOf(now).String()
	switch status {
	case "":
	case "expired":
		where, args = append(where, "q.status = 'sent' AND q.valid_until < ?"), append(args, today)
	case QuoteSent:
		where, args = append(where, "q.status = 'sent' AND q.valid_until >= ?"), append(args, today)
	default:
		where, args = append(where, "q.status = ?"), append(args, status)
	}
	rows, err := q.Query(ctx, `SELECT `+quoteColumns+quoteFrom+` WHERE `+strings.Join(where, " AND ")+` ORDER BY q.id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Quote
	for rows.Next() {
		qt, err := scanQuote(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, qt)
	}
	return out, rows.Err()
}

// RequestQuote asks for a quote on the lines of the cart, for the
// signed-in customer's company. Errors: Forbidden "b2b.company_only" for a
// customer of no active company; Invalid "b2b.quote.empty_cart" for an
// empty cart or one with a line that cannot be bought; Invalid
// "b2b.quote.note_long" for a note over MaxQuoteNote.
func (s *Service) RequestQuote(ctx context.Context, customerID, cartID int64, note, lang string) (*Quote, error) {
	m, ok, err := memberOf(ctx, s.DB, customerID)
	if err != nil {
		return nil, err
	}
	if !ok || m.Company.Status != "active" {
		return nil, shop.Errorf(shop.Forbidden, "b2b.company_only")
	}
	if len([]rune(note)) > MaxQuoteNote {
		return nil, shop.Invalidf(map[string]string{"note": "b2b.quote.note_long"})
	}
	sh, err := s.Settings.Shop(ctx)
	if err != nil {
		return nil, err
	}
	c, err := cart.Load(ctx, s.DB, cartID, s.DB.Now(), sh.Rounding)
	if err != nil {
		return nil, err
	}
	if !c.OK() {
		return nil, shop.Errorf(shop.Invalid, "b2b.quote.empty_cart")
	}
	qt := &Quote{CompanyID: m.CompanyID, CustomerID: customerID, Status: QuoteRequested, Lang: lang, RequestNote: note}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		now := tx.Now()
		if err := tx.QueryRow(ctx, `INSERT INTO quotes (number, company_id, customer_id, lang, request_note, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, "pending-"+cart.NewToken(), m.CompanyID, customerID, lang, note, now, now).Scan(&qt.ID); err != nil {
			return err
		}
		qt.Number = fmt.Sprintf("Q%s-%05d", calendar.DateOf(now).Time().Format("20060102"), qt.ID)
		if _, err := tx.Exec(ctx, `UPDATE quotes SET number = ? WHERE id = ?`, qt.Number, qt.ID); err != nil {
			return err
		}
		for i, l := range c.Lines {
			_, err := tx.Exec(ctx, `INSERT INTO quote_lines (quote_id, line, variant_id, sku, name_ja, name_en, qty, list_price, rate, reduced)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, qt.ID, i+1, l.VariantID, l.SKU, label(l.NameJA, l.VariantJA), label(l.NameEN, l.VariantEN),
				l.Qty, int64(l.UnitPrice), l.Rate, l.Class == shop.TaxReduced)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return quoteByID(ctx, s.DB, qt.ID)
}

func label(name, variant string) string {
	if variant == "" {
		return name
	}
	return name + " (" + variant + ")"
}

// QuoteOffer is what the shop sets on a quote it sends.
type QuoteOffer struct {
	Prices     map[int]shop.Yen // line → unit price without tax
	ValidUntil string
	Conditions string
}

// SendQuote prices the quote with the offer (tax-included unit prices
// from the tax-excluded ones, the shop's rounding), stores it as sent and
// mails the buyer. A sent quote may be sent again with new terms until
// it is accepted. Errors: NotFound; Conflict "b2b.quote.not_open" for an
// accepted or cancelled quote; Invalid with fields "valid_until" (not a
// date from today on), "conditions" (too long) and "price_<line>".
func (s *Service) SendQuote(ctx context.Context, tx *db.Tx, id int64, off QuoteOffer, rounding shop.Rounding) (*Quote, error) {
	qt, err := quoteByID(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if qt.Status != QuoteRequested && qt.Status != QuoteSent {
		return nil, shop.Errorf(shop.Conflict, "b2b.quote.not_open")
	}
	f := map[string]string{}
	d, err := calendar.ParseDate(off.ValidUntil)
	if err != nil || d.Before(calendar.DateOf(tx.Now())) {
		f["valid_until"] = "b2b.quote.bad_valid_until"
	}
	if len([]rune(off.Conditions)) > MaxQuoteNote {
		f["conditions"] = "b2b.quote.note_long"
	}
	io := invoice.Order{}
	for i, l := range qt.Lines {
		p, ok := off.Prices[l.Line]
		if !ok || p < 0 || p > invoice.MaxAmount/1000 {
			f[fmt.Sprintf("price_%d", l.Line)] = "b2b.quote.bad_price"
			continue
		}
		qt.Lines[i].UnitExcl, qt.Lines[i].UnitPrice = p, invoice.PriceIncl(p, l.Rate, rounding)
		io.Lines = append(io.Lines, invoice.Line{Rate: l.Rate, UnitPrice: qt.Lines[i].UnitPrice, Qty: l.Qty})
	}
	if len(f) > 0 {
		return nil, shop.Invalidf(f)
	}
	b, err := invoice.Compute(io, rounding)
	if err != nil {
		return nil, err
	}
	now := tx.Now()
	for _, l := range qt.Lines {
		if _, err := tx.Exec(ctx, `UPDATE quote_lines SET unit_excl = ?, unit_price = ? WHERE quote_id = ? AND line = ?`,
			int64(l.UnitExcl), int64(l.UnitPrice), id, l.Line); err != nil {
			return nil, err
		}
	}
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE quotes SET status = 'sent', valid_until = ?, conditions = ?, total = ?, sent_at = ?, updated_at = ?
		WHERE id = ? AND status IN ('requested', 'sent')`, d.String(), off.Conditions, int64(b.Total), now, now, id))
	if err != nil {
		return nil, err
	}
	if n != 1 {
		return nil, shop.Errorf(shop.Conflict, "b2b.quote.not_open")
	}
	qt.Status, qt.ValidUntil, qt.Conditions, qt.Total, qt.SentAt = QuoteSent, d.String(), off.Conditions, b.Total, &now
	err = mailCustomer(ctx, tx, "b2b_quote_sent", qt.CustomerID, MailData{Company: qt.CompanyName, Number: qt.Number,
		Total: "¥" + qt.Total.String(), Date: qt.ValidUntil, URL: s.BaseURL + "/mypage/b2b/quotes/" + fmt.Sprint(qt.ID)})
	return qt, err
}

// CancelQuote withdraws a quote that is not accepted. Errors: NotFound;
// Conflict "b2b.quote.not_open".
func CancelQuote(ctx context.Context, tx *db.Tx, id int64) error {
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE quotes SET status = 'cancelled', updated_at = ? WHERE id = ? AND status IN ('requested', 'sent')`, tx.Now(), id))
	if err == nil && n != 1 {
		if _, err := quoteByID(ctx, tx, id); err != nil {
			return err
		}
		return shop.Errorf(shop.Conflict, "b2b.quote.not_open")
	}
	return err
}

// AcceptQuote fills the customer's cart with exactly the quote's lines
// and ties the cart to the quote, so that the checkout prices it at the
// quote's prices (Prices) and the order marks it accepted (Placed). The
// buyer then goes through the checkout as for any order. Errors: those of
// orderable; those of the cart for a line that cannot be bought now.
func (s *Service) AcceptQuote(ctx context.Context, customerID, quoteID, cartID int64) error {
	qt, err := quoteByID(ctx, s.DB, quoteID)
	if err != nil {
		return err
	}
	if err := qt.orderable(ctx, s.DB, customerID, s.DB.Now()); err != nil {
		return err
	}
	if err := s.DB.Tx(ctx, func(tx *db.Tx) error { return cart.Clear(ctx, tx, cartID) }); err != nil {
		return err
	}
	for _, l := range qt.Lines {
		if err := s.Carts.SetQty(ctx, cartID, l.VariantID, l.Qty); err != nil {
			return err
		}
	}
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO quote_carts (cart_id, quote_id) VALUES (?, ?)
			ON CONFLICT (cart_id) DO UPDATE SET quote_id = excluded.quote_id`, cartID, quoteID)
		return err
	})
}
