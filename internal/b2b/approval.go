package b2b

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/checkout"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/payment"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// Request statuses (approval_requests.status).
const (
	RequestPending  = "pending"
	RequestApproved = "approved"
	RequestRejected = "rejected"
)

// MaxComment bounds an approver's comment.
const MaxComment = 1000

// Request is a buyer's order waiting for an approver of the company.
// Nothing is reserved while it waits: the approval places the order.
type Request struct {
	ID          int64
	CompanyID   int64
	CustomerID  int64
	BuyerName   string
	Status      string
	Lang        string
	Lines       []RequestLine
	Total       shop.Yen
	Payment     string
	Comment     string
	OrderNumber string
	LastError   string
	CreatedAt   time.Time
	DecidedAt   *time.Time
	input       checkout.Input
}

// RequestLine is a line as the buyer saw it (price tax included).
type RequestLine struct {
	VariantID int64    `json:"v"`
	SKU       string   `json:"sku"`
	Name      string   `json:"name"`
	Qty       int      `json:"qty"`
	UnitPrice shop.Yen `json:"price"`
}

// Hold is the checkout's hold (checkout.Handlers.Hold): an order by a
// company buyer that the company's rule sends to an approver is stored
// as a request, the cart emptied, the approvers mailed, and the buyer
// sent to the request's page. Orders needing approval cannot be paid by
// card or at a konbini (the buyer is not there when it is approved):
// Invalid on the field "payment".
func (s *Service) Hold(w http.ResponseWriter, r *http.Request, in *checkout.Input) (bool, error) {
	id, held, err := s.hold(r.Context(), in)
	if !held || err != nil {
		return held, err
	}
	cart.RememberCount(r.Context(), w, r, s.DB, in.CartID)
	web.SetFlash(w, r, "b2b.approval.sent")
	http.Redirect(w, r, "/mypage/b2b/approvals/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return true, nil
}

// hold stores in as a request when it needs approval (held), and
// returns the request's ID.
func (s *Service) hold(ctx context.Context, in *checkout.Input) (int64, bool, error) {
	if in.CustomerID == nil {
		return 0, false, nil
	}
	m, ok, err := memberOf(ctx, s.DB, *in.CustomerID)
	if err != nil || !ok {
		return 0, false, err
	}
	t, err := TermsOf(ctx, s.DB, m.CompanyID)
	if err != nil {
		return 0, false, err
	}
	qt, err := s.Checkout.Quote(ctx, in)
	if err != nil {
		return 0, false, nil // the checkout's own refusal follows
	}
	if !t.NeedsApproval(m.Role, qt.Total) {
		return 0, false, nil
	}
	for _, p := range qt.Payments {
		if p.Code == in.PaymentMethod && (p.Kind == payment.Card || p.Kind == payment.Konbini) {
			return 0, true, shop.Invalidf(map[string]string{"payment": "b2b.approval.no_card"})
		}
	}
	keep := *in
	keep.CardToken, keep.Adjust, keep.Prices = "", nil, nil
	input, err := json.Marshal(keep)
	if err != nil {
		return 0, false, err
	}
	var lines []RequestLine
	for _, l := range qt.Cart.Lines {
		lines = append(lines, RequestLine{VariantID: l.VariantID, SKU: l.SKU, Name: label(l.NameJA, l.VariantJA), Qty: l.Qty, UnitPrice: l.UnitPrice})
	}
	lj, err := json.Marshal(lines)
	if err != nil {
		return 0, false, err
	}
	var id int64
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO approval_requests (company_id, customer_id, idem_key, lang, input, lines, total, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idem_key) DO NOTHING RETURNING id`,
			m.CompanyID, *in.CustomerID, in.Key, in.Lang, string(input), string(lj), int64(qt.Total), tx.Now()).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) { // a double submit: the first one's request
			return tx.QueryRow(ctx, `SELECT id FROM approval_requests WHERE idem_key = ?`, in.Key).Scan(&id)
		}
		if err != nil {
			return err
		}
		approvers, err := companyPeople(ctx, tx, m.CompanyID, RoleApprover, RoleAdmin)
		if err != nil {
			return err
		}
		buyer, err := buyerName(ctx, tx, *in.CustomerID)
		if err != nil {
			return err
		}
		for _, a := range approvers {
			err := mailCustomer(ctx, tx, "b2b_approval_requested", a, MailData{Company: m.Company.Name, Buyer: buyer,
				Number: requestNumber(id), Total: "¥" + qt.Total.String(), URL: s.BaseURL + "/mypage/b2b/approvals/" + strconv.FormatInt(id, 10)})
			if err != nil {
				return err
			}
		}
		return cart.Clear(ctx, tx, in.CartID)
	})
	return id, true, err
}

func requestNumber(id int64) string { return fmt.Sprintf("A%06d", id) }

// Number is the request's number as people see it.
func (q *Request) Number() string { return requestNumber(q.ID) }

func buyerName(ctx context.Context, q db.Queryer, customerID int64) (string, error) {
	var fam, given string
	err := q.QueryRow(ctx, `SELECT family_name, given_name FROM customers WHERE id = ?`, customerID).Scan(&fam, &given)
	return fam + " " + given, err
}

const requestColumns = `r.id, r.company_id, r.customer_id, cu.family_name, cu.given_name, r.status, r.lang, r.input, r.lines, r.total,
	r.comment, COALESCE(o.number, ''), r.last_error, r.created_at, r.decided_at`

const requestFrom = ` FROM approval_requests r JOIN customers cu ON cu.id = r.customer_id LEFT JOIN orders o ON o.id = r.order_id`

func scanRequest(sc interface{ Scan(...any) error }) (*Request, error) {
	q := &Request{}
	var fam, given, input, lines string
	var total int64
	var decided sql.NullTime
	if err := sc.Scan(&q.ID, &q.CompanyID, &q.CustomerID, &fam, &given, &q.Status, &q.Lang, &input, &lines, &total,
		&q.Comment, &q.OrderNumber, &q.LastError, &q.CreatedAt, &decided); err != nil {
		return nil, err
	}
	q.BuyerName, q.Total = fam+" "+given, shop.Yen(total)
	if decided.Valid {
		q.DecidedAt = &decided.Time
	}
	if err := json.Unmarshal([]byte(input), &q.input); err != nil {
		return nil, fmt.Errorf("b2b: request %d input: %w", q.ID, err)
	}
	q.Payment = q.input.PaymentMethod
	if err := json.Unmarshal([]byte(lines), &q.Lines); err != nil {
		return nil, fmt.Errorf("b2b: request %d lines: %w", q.ID, err)
	}
	return q, nil
}

// requestByID reads a request. Errors: NotFound.
func requestByID(ctx context.Context, q db.Queryer, id int64) (*Request, error) {
	r, err := scanRequest(q.QueryRow(ctx, `SELECT `+requestColumns+requestFrom+` WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shop.ErrNotFound
	}
	return r, err
}

// Requests lists a company's requests (companyID 0: every company's),
// optionally of one status, newest first.
func Requests(ctx context.Context, q db.Queryer, companyID int64, status string, limit int) ([]*Request, error) {
	query, args := `SELECT `+requestColumns+requestFrom+` WHERE 1 = 1`, []any{}
	if companyID > 0 {
		query, args = query+` AND r.company_id = ?`, append(args, companyID)
	}
	if status != "" {
		query, args = query+` AND r.status = ?`, append(args, status)
	}
	rows, err := q.Query(ctx, query+` ORDER BY r.id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Request
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// visibleRequest returns the request when the customer may see it: its
// buyer, or an approver or admin of its company. Errors: NotFound for
// anyone else (the same as for a request that does not exist).
func visibleRequest(ctx context.Context, q db.Queryer, customerID, id int64) (*Request, Member, error) {
	r, err := requestByID(ctx, q, id)
	if err != nil {
		return nil, Member{}, err
	}
	m, ok, err := memberOf(ctx, q, customerID)
	if err != nil {
		return nil, m, err
	}
	if !ok || m.CompanyID != r.CompanyID || (r.CustomerID != customerID && !m.Approves()) {
		return nil, m, shop.ErrNotFound
	}
	return r, m, nil
}

// mayDecide checks that approver may decide the request. Errors:
// Forbidden "b2b.approval.not_approver" for a member who is not an
// approver of the request's company (a buyer, or anyone of another
// company); Conflict "b2b.approval.decided" when it is decided already;
// Invalid on "comment" for one over MaxComment.
func mayDecide(ctx context.Context, q db.Queryer, approver int64, r *Request, comment string) error {
	m, ok, err := memberOf(ctx, q, approver)
	if err != nil {
		return err
	}
	if !ok || m.CompanyID != r.CompanyID || !m.Approves() {
		return shop.Errorf(shop.Forbidden, "b2b.approval.not_approver")
	}
	if r.Status != RequestPending {
		return shop.Errorf(shop.Conflict, "b2b.approval.decided")
	}
	if len([]rune(comment)) > MaxComment {
		return shop.Invalidf(map[string]string{"comment": "b2b.approval.comment_long"})
	}
	return nil
}

// Approve places the request's order through the checkout (stock
// reserved, credit limit and every checkout rule checked now) at the
// prices the buyer saw, and mails the buyer. A refusal (sold out, over
// the credit limit) leaves the request pending with the reason. Errors:
// NotFound; those of mayDecide; those of checkout.Service.Place.
func (s *Service) Approve(ctx context.Context, approver, id int64, comment string) (*Request, error) {
	r, err := requestByID(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if err := mayDecide(ctx, s.DB, approver, r, comment); err != nil {
		return nil, err
	}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE approval_requests SET comment = ?, decided_by = ? WHERE id = ? AND status = 'pending'`, comment, approver, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	cartID, err := s.Carts.Create(ctx, "b2b-approval-"+cart.NewToken())
	if err != nil {
		return nil, err
	}
	defer s.Carts.Delete(context.WithoutCancel(ctx), cartID)
	in := r.input
	in.CartID, in.Key, in.Prices = cartID, approvalKey(strconv.FormatInt(id, 10)), map[int64]shop.Yen{}
	for _, l := range r.Lines {
		if err == nil {
			err = s.Carts.SetQty(ctx, cartID, l.VariantID, l.Qty)
		}
		in.Prices[l.VariantID] = l.UnitPrice
	}
	if err == nil {
		_, err = s.Checkout.Place(ctx, &in)
	}
	if err != nil {
		s.DB.Tx(context.WithoutCancel(ctx), func(tx *db.Tx) error {
			_, e := tx.Exec(ctx, `UPDATE approval_requests SET last_error = ? WHERE id = ? AND status = 'pending'`, errKey(err), id)
			return e
		})
		return nil, err
	}
	if err := s.decided(ctx, r, approver, true, comment); err != nil {
		return nil, err
	}
	return requestByID(ctx, s.DB, id)
}

// errKey is the i18n key of a refusal, for the request's page.
func errKey(err error) string {
	var se *shop.Error
	if errors.As(err, &se) && se.Key != "" {
		if se.Key == "error.invalid" || len(se.Fields) > 0 {
			for _, v := range se.Fields {
				return v
			}
		}
		return se.Key
	}
	return "b2b.approval.failed"
}

// Reject refuses the request with the comment and mails the buyer.
// Errors: NotFound; those of mayDecide.
func (s *Service) Reject(ctx context.Context, approver, id int64, comment string) error {
	r, err := requestByID(ctx, s.DB, id)
	if err != nil {
		return err
	}
	if err := mayDecide(ctx, s.DB, approver, r, comment); err != nil {
		return err
	}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE approval_requests SET status = 'rejected', comment = ?, decided_by = ?, decided_at = ?
			WHERE id = ? AND status = 'pending'`, comment, approver, tx.Now(), id))
		if err == nil && n != 1 {
			err = shop.Errorf(shop.Conflict, "b2b.approval.decided")
		}
		return err
	})
	if err != nil {
		return err
	}
	return s.decided(ctx, r, approver, false, comment)
}

// decided mails the buyer the approver's decision.
func (s *Service) decided(ctx context.Context, r *Request, approver int64, ok bool, comment string) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		name, err := buyerName(ctx, tx, approver)
		if err != nil {
			return err
		}
		c, err := companyByID(ctx, tx, r.CompanyID)
		if err != nil {
			return err
		}
		return mailCustomer(ctx, tx, "b2b_approval_decided", r.CustomerID, MailData{Company: c.Name, Buyer: name, Number: r.Number(),
			Total: "¥" + r.Total.String(), Approved: ok, Comment: comment, URL: s.BaseURL + "/mypage/b2b/approvals/" + strconv.FormatInt(r.ID, 10)})
	})
}

// Total is the line's amount, tax included.
func (l RequestLine) Total() shop.Yen { return l.UnitPrice * shop.Yen(l.Qty) }
