package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/points"
	"github.com/akinai/akinai/internal/shop"
)

// Customer is a member account (withdrawn ones keep only their ID and
// status: their personal fields were scrubbed).
type Customer struct {
	ID         int64     `json:"id"`
	Email      string    `json:"email"`
	Status     string    `json:"status"`
	FamilyName string    `json:"family_name"`
	GivenName  string    `json:"given_name"`
	FamilyKana string    `json:"family_kana"`
	GivenKana  string    `json:"given_kana"`
	Company    string    `json:"company"`
	Phone      string    `json:"phone"`
	PostalCode string    `json:"postal_code"`
	Pref       int       `json:"pref"`
	City       string    `json:"city"`
	Address1   string    `json:"address1"`
	Address2   string    `json:"address2"`
	Newsletter bool      `json:"newsletter"`
	RankID     *int64    `json:"rank_id"`
	Lang       string    `json:"lang"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Coupon is a discount code.
type Coupon struct {
	ID        int64      `json:"id"`
	Code      string     `json:"code"`
	Name      string     `json:"name"`
	Kind      string     `json:"kind"`
	Amount    int64      `json:"amount"`
	Scope     string     `json:"scope"`
	MinAmount int64      `json:"min_amount"`
	StartsAt  *time.Time `json:"starts_at"`
	EndsAt    *time.Time `json:"ends_at"`
	MaxUses   *int64     `json:"max_uses"`
	Uses      int64      `json:"uses"`
	Active    bool       `json:"active"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// Points is a customer's balance and latest ledger entries.
type Points struct {
	CustomerID int64        `json:"customer_id"`
	Balance    int64        `json:"balance"`
	Ledger     []PointEntry `json:"ledger"`
}

// PointEntry is one line of the ledger.
type PointEntry struct {
	Kind      string    `json:"kind"`
	Points    int64     `json:"points"`
	Balance   int64     `json:"balance"`
	Reason    string    `json:"reason"`
	CreatedAt time.Time `json:"created_at"`
}

func (h *Handler) customerRoutes() {
	h.handle("GET /api/v1/customers", "customers", "read", h.listCustomers)
	h.handle("GET /api/v1/customers/{id}", "customers", "read", h.getCustomer)
	h.handle("GET /api/v1/coupons", "coupons", "read", h.listCoupons)
	h.handle("GET /api/v1/coupons/{id}", "coupons", "read", h.getCoupon)
	h.handle("PATCH /api/v1/coupons/{id}", "coupons", "write", h.patchCoupon)
	h.handle("GET /api/v1/customers/{id}/points", "points", "read", h.getPoints)
	h.handle("POST /api/v1/customers/{id}/points", "points", "write", h.adjustPoints)
}

func customers(ctx context.Context, q db.Queryer, tail string, args ...any) ([]Customer, error) {
	rows, err := q.Query(ctx, `SELECT id, email, status, family_name, given_name, family_kana, given_kana, company, phone, postal_code, pref, city,
		address1, address2, newsletter, rank_id, lang, created_at, updated_at FROM customers`+tail, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Customer
	for rows.Next() {
		var c Customer
		if err := rows.Scan(&c.ID, &c.Email, &c.Status, &c.FamilyName, &c.GivenName, &c.FamilyKana, &c.GivenKana, &c.Company, &c.Phone, &c.PostalCode, &c.Pref, &c.City,
			&c.Address1, &c.Address2, &c.Newsletter, &c.RankID, &c.Lang, &c.CreatedAt, &c.UpdatedAt); err != nil {
			return nil, err
		}
		if c.Status == "withdrawn" {
			c = Customer{ID: c.ID, Status: c.Status, Lang: c.Lang, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (h *Handler) listCustomers(w http.ResponseWriter, r *http.Request, _ *Token) error {
	p, err := readPage(r)
	if err != nil {
		return err
	}
	var conds []string
	var args []any
	if s := r.URL.Query().Get("email"); s != "" {
		conds, args = append(conds, "email_key = ?"), append(args, strings.ToLower(strings.TrimSpace(s)))
	}
	tail, args := p.where("", conds, args)
	cs, err := customers(r.Context(), h.cfg.DB, tail, args...)
	if err != nil {
		return err
	}
	cs, more, next := cut(p, cs, func(c Customer) int64 { return c.ID })
	return writeList(w, r, cs, more, next)
}

func (h *Handler) getCustomer(w http.ResponseWriter, r *http.Request, _ *Token) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	cs, err := customers(r.Context(), h.cfg.DB, ` WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		return shop.ErrNotFound
	}
	return writeOne(w, r, http.StatusOK, cs[0])
}

func coupons(ctx context.Context, q db.Queryer, tail string, args ...any) ([]Coupon, error) {
	rows, err := q.Query(ctx, `SELECT id, code, name, kind, amount, scope, min_amount, starts_at, ends_at, max_uses, uses, active, updated_at FROM coupons`+tail, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Coupon
	for rows.Next() {
		var c Coupon
		if err := rows.Scan(&c.ID, &c.Code, &c.Name, &c.Kind, &c.Amount, &c.Scope, &c.MinAmount, &c.StartsAt, &c.EndsAt, &c.MaxUses, &c.Uses, &c.Active, &c.UpdatedAt); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func coupon(ctx context.Context, q db.Queryer, id int64) (Coupon, error) {
	cs, err := coupons(ctx, q, ` WHERE id = ?`, id)
	if err == nil && len(cs) == 0 {
		err = shop.ErrNotFound
	}
	if err != nil {
		return Coupon{}, err
	}
	return cs[0], nil
}

func (h *Handler) listCoupons(w http.ResponseWriter, r *http.Request, _ *Token) error {
	p, err := readPage(r)
	if err != nil {
		return err
	}
	tail, args := p.where("", nil, nil)
	cs, err := coupons(r.Context(), h.cfg.DB, tail, args...)
	if err != nil {
		return err
	}
	cs, more, next := cut(p, cs, func(c Coupon) int64 { return c.ID })
	return writeList(w, r, cs, more, next)
}

func (h *Handler) getCoupon(w http.ResponseWriter, r *http.Request, _ *Token) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := coupon(r.Context(), h.cfg.DB, id)
	if err != nil {
		return err
	}
	return writeOne(w, r, http.StatusOK, c)
}

// patchCoupon switches a coupon on or off ({"active": false}).
func (h *Handler) patchCoupon(w http.ResponseWriter, r *http.Request, t *Token) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Active *bool `json:"active"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if in.Active == nil {
		return shop.Invalidf(map[string]string{"active": "api.error.active"})
	}
	var out Coupon
	err = h.cfg.DB.Tx(r.Context(), func(tx *db.Tx) error {
		ctx := r.Context()
		if err := lockRow(ctx, tx, "coupons", id); err != nil {
			return err
		}
		cur, err := coupon(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkIfMatch(r, cur); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE coupons SET active = ?, updated_at = ? WHERE id = ?`, *in.Active, tx.Now(), id); err != nil {
			return err
		}
		if err := h.audit(ctx, tx, r, t, "api.coupon.update", cur.Code, map[string]any{"active": *in.Active}); err != nil {
			return err
		}
		out, err = coupon(ctx, tx, id)
		return err
	})
	if err != nil {
		return err
	}
	return writeOne(w, r, http.StatusOK, out)
}

func pointsOf(ctx context.Context, q db.Queryer, customerID int64) (Points, error) {
	var one int
	if err := q.QueryRow(ctx, `SELECT 1 FROM customers WHERE id = ?`, customerID).Scan(&one); err != nil {
		if isNoRows(err) {
			return Points{}, shop.ErrNotFound
		}
		return Points{}, err
	}
	bal, err := points.Balance(ctx, q, customerID)
	if err != nil {
		return Points{}, err
	}
	entries, err := points.Ledger(ctx, q, customerID, 50)
	if err != nil {
		return Points{}, err
	}
	p := Points{CustomerID: customerID, Balance: bal, Ledger: []PointEntry{}}
	for _, e := range entries {
		p.Ledger = append(p.Ledger, PointEntry{Kind: e.Kind, Points: e.Points, Balance: e.Balance, Reason: e.Reason, CreatedAt: e.At})
	}
	return p, nil
}

func (h *Handler) getPoints(w http.ResponseWriter, r *http.Request, _ *Token) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := pointsOf(r.Context(), h.cfg.DB, id)
	if err != nil {
		return err
	}
	return writeOne(w, r, http.StatusOK, p)
}

// adjustPoints adds or takes points with a reason ({"delta": 100,
// "reason": "…"}), as an admin's adjustment in the ledger.
func (h *Handler) adjustPoints(w http.ResponseWriter, r *http.Request, t *Token) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Delta  int64  `json:"delta"`
		Reason string `json:"reason"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	errs := map[string]string{}
	if in.Delta == 0 || in.Delta > 10_000_000 || in.Delta < -10_000_000 {
		errs["delta"] = "api.error.delta"
	}
	if strings.TrimSpace(in.Reason) == "" || len([]rune(in.Reason)) > 200 {
		errs["reason"] = "api.error.reason"
	}
	if len(errs) > 0 {
		return shop.Invalidf(errs)
	}
	var out Points
	err = h.cfg.DB.Tx(r.Context(), func(tx *db.Tx) error {
		ctx := r.Context()
		if err := lockRow(ctx, tx, "customers", id); err != nil {
			return err
		}
		cur, err := pointsOf(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkIfMatch(r, cur); err != nil {
			return err
		}
		if err := points.Adjust(ctx, tx, id, in.Delta, in.Reason, t.Actor()); err != nil {
			return err
		}
		if err := h.audit(ctx, tx, r, t, "api.points.adjust", strconv.FormatInt(id, 10), map[string]any{"delta": in.Delta}); err != nil {
			return err
		}
		out, err = pointsOf(ctx, tx, id)
		return err
	})
	if err != nil {
		return err
	}
	return writeOne(w, r, http.StatusOK, out)
}
