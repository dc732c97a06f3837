package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/shop"
)

// Address is a name and postal address (pref is the JIS X 0401 code).
type Address struct {
	FamilyName string `json:"family_name"`
	GivenName  string `json:"given_name"`
	FamilyKana string `json:"family_kana"`
	GivenKana  string `json:"given_kana"`
	Phone      string `json:"phone"`
	PostalCode string `json:"postal_code"`
	Pref       int    `json:"pref"`
	City       string `json:"city"`
	Address1   string `json:"address1"`
	Address2   string `json:"address2"`
}

// Order is an order with its lines and shipments. Amounts are yen,
// tax included.
type Order struct {
	ID             int64       `json:"id"`
	Number         string      `json:"number"`
	Status         string      `json:"status"`
	CustomerID     *int64      `json:"customer_id"`
	Email          string      `json:"email"`
	Lang           string      `json:"lang"`
	Buyer          Address     `json:"buyer"`
	PaymentMethod  string      `json:"payment_method"`
	Subtotal       int64       `json:"subtotal"`
	DeliveryFee    int64       `json:"delivery_fee"`
	CODFee         int64       `json:"cod_fee"`
	Discount       int64       `json:"discount"`
	MemberDiscount int64       `json:"member_discount"`
	Total          int64       `json:"total"`
	Note           string      `json:"note"`
	Lines          []OrderLine `json:"lines"`
	Shipments      []Shipment  `json:"shipments"`
	CreatedAt      time.Time   `json:"created_at"`
	UpdatedAt      time.Time   `json:"updated_at"`
}

// OrderLine is a line as sold.
type OrderLine struct {
	SKU       string `json:"sku"`
	ProductID *int64 `json:"product_id"`
	VariantID *int64 `json:"variant_id"`
	NameJA    string `json:"name_ja"`
	VariantJA string `json:"variant_ja"`
	UnitPrice int64  `json:"unit_price"`
	Qty       int    `json:"qty"`
	LineTotal int64  `json:"line_total"`
}

// Shipment is a parcel: planned, or shipped with a carrier and tracking
// number.
type Shipment struct {
	ID             int64      `json:"id"`
	OrderID        int64      `json:"order_id"`
	Seq            int        `json:"seq"`
	Carrier        string     `json:"carrier"`
	TrackingNumber string     `json:"tracking_number"`
	ShippedAt      *time.Time `json:"shipped_at"`
	DeliveryDate   string     `json:"delivery_date"`
	DeliverySlot   string     `json:"delivery_slot"`
	Recipient      Address    `json:"recipient"`
}

func (h *Handler) orderRoutes() {
	h.handle("GET /api/v1/orders", "orders", "read", h.listOrders)
	h.handle("GET /api/v1/orders/{id}", "orders", "read", h.getOrder)
	h.handle("POST /api/v1/orders/{id}/status", "orders", "write", h.moveOrder)
	h.handle("GET /api/v1/orders/{id}/shipments", "orders", "read", h.listShipments)
	h.handle("PATCH /api/v1/shipments/{id}", "orders", "write", h.patchShipment)
}

const orderCols = `o.id, o.number, o.status, o.customer_id, o.email, o.lang, o.family_name, o.given_name, o.family_kana, o.given_kana, o.phone,
	o.postal_code, o.pref, o.city, o.address1, o.address2, o.payment_method, o.subtotal, o.delivery_fee, o.cod_fee, o.discount, o.member_discount,
	o.total, o.note, o.created_at, o.updated_at`

// orders loads orders with lines and shipments: three queries for any
// number of orders.
func orders(ctx context.Context, q db.Queryer, tail string, args ...any) ([]Order, error) {
	rows, err := q.Query(ctx, `SELECT `+orderCols+` FROM orders o`+tail, args...)
	if err != nil {
		return nil, err
	}
	var out []Order
	index := map[int64]int{}
	for rows.Next() {
		var o Order
		b := &o.Buyer
		if err := rows.Scan(&o.ID, &o.Number, &o.Status, &o.CustomerID, &o.Email, &o.Lang, &b.FamilyName, &b.GivenName, &b.FamilyKana, &b.GivenKana, &b.Phone,
			&b.PostalCode, &b.Pref, &b.City, &b.Address1, &b.Address2, &o.PaymentMethod, &o.Subtotal, &o.DeliveryFee, &o.CODFee, &o.Discount, &o.MemberDiscount,
			&o.Total, &o.Note, &o.CreatedAt, &o.UpdatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		o.Lines, o.Shipments = []OrderLine{}, []Shipment{}
		index[o.ID] = len(out)
		out = append(out, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]int64, len(out))
	for i, o := range out {
		ids[i] = o.ID
	}
	in := ` IN (` + placeholders(len(ids)) + `)`
	lrows, err := q.Query(ctx, `SELECT order_id, sku, product_id, variant_id, name_ja, variant_ja, unit_price, qty, line_total FROM order_lines WHERE order_id`+in+` ORDER BY order_id, id`, idArgs(ids)...)
	if err != nil {
		return nil, err
	}
	for lrows.Next() {
		var oid int64
		var l OrderLine
		if err := lrows.Scan(&oid, &l.SKU, &l.ProductID, &l.VariantID, &l.NameJA, &l.VariantJA, &l.UnitPrice, &l.Qty, &l.LineTotal); err != nil {
			lrows.Close()
			return nil, err
		}
		o := &out[index[oid]]
		o.Lines = append(o.Lines, l)
	}
	lrows.Close()
	if err := lrows.Err(); err != nil {
		return nil, err
	}
	ss, err := shipments(ctx, q, ` WHERE order_id`+in+` ORDER BY order_id, seq, id`, idArgs(ids)...)
	if err != nil {
		return nil, err
	}
	for _, s := range ss {
		o := &out[index[s.OrderID]]
		o.Shipments = append(o.Shipments, s)
	}
	return out, nil
}

func shipments(ctx context.Context, q db.Queryer, tail string, args ...any) ([]Shipment, error) {
	rows, err := q.Query(ctx, `SELECT id, order_id, seq, carrier, tracking_number, shipped_at, delivery_date, delivery_slot,
		family_name, given_name, family_kana, given_kana, phone, postal_code, pref, city, address1, address2 FROM shipments`+tail, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Shipment
	for rows.Next() {
		var s Shipment
		a := &s.Recipient
		if err := rows.Scan(&s.ID, &s.OrderID, &s.Seq, &s.Carrier, &s.TrackingNumber, &s.ShippedAt, &s.DeliveryDate, &s.DeliverySlot,
			&a.FamilyName, &a.GivenName, &a.FamilyKana, &a.GivenKana, &a.Phone, &a.PostalCode, &a.Pref, &a.City, &a.Address1, &a.Address2); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func oneOrder(ctx context.Context, q db.Queryer, id int64) (Order, error) {
	os, err := orders(ctx, q, ` WHERE o.id = ?`, id)
	if err == nil && len(os) == 0 {
		err = shop.ErrNotFound
	}
	if err != nil {
		return Order{}, err
	}
	return os[0], nil
}

// listOrders pages through orders in ID order (so "new orders since my
// last cursor" is the next page), filtered by status and updated_since.
func (h *Handler) listOrders(w http.ResponseWriter, r *http.Request, _ *Token) error {
	p, err := readPage(r)
	if err != nil {
		return err
	}
	var conds []string
	var args []any
	if s := r.URL.Query().Get("status"); s != "" {
		conds, args = append(conds, "o.status = ?"), append(args, s)
	}
	tail, args := p.where("o.", conds, args)
	os, err := orders(r.Context(), h.cfg.DB, tail, args...)
	if err != nil {
		return err
	}
	os, more, next := cut(p, os, func(o Order) int64 { return o.ID })
	return writeList(w, r, os, more, next)
}

func (h *Handler) getOrder(w http.ResponseWriter, r *http.Request, _ *Token) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	o, err := oneOrder(r.Context(), h.cfg.DB, id)
	if err != nil {
		return err
	}
	return writeOne(w, r, http.StatusOK, o)
}

// moveOrder changes an order's status ({"status": "shipped", "note": …})
// by the same rules as the admin: the move must be allowed from the
// current status; cancelling returns the stock. Webhooks fire as for a
// move in the admin.
func (h *Handler) moveOrder(w http.ResponseWriter, r *http.Request, t *Token) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Status string `json:"status"`
		Note   string `json:"note"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if !order.Status(in.Status).Valid() {
		return shop.Invalidf(map[string]string{"status": "api.error.status"})
	}
	if len([]rune(in.Note)) > 1000 {
		return shop.Invalidf(map[string]string{"note": "api.error.note"})
	}
	var out Order
	err = h.cfg.DB.Tx(r.Context(), func(tx *db.Tx) error {
		ctx := r.Context()
		if err := lockRow(ctx, tx, "orders", id); err != nil {
			return err
		}
		cur, err := oneOrder(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkIfMatch(r, cur); err != nil {
			return err
		}
		if err := order.Move(ctx, tx, cur.Number, order.Status(in.Status), in.Note); err != nil {
			return err
		}
		if err := h.audit(ctx, tx, r, t, "api.order.status", cur.Number, map[string]any{"from": cur.Status, "to": in.Status}); err != nil {
			return err
		}
		out, err = oneOrder(ctx, tx, id)
		return err
	})
	if err != nil {
		return err
	}
	h.cfg.CatalogChanged() // a cancellation returned stock
	return writeOne(w, r, http.StatusOK, out)
}

func (h *Handler) listShipments(w http.ResponseWriter, r *http.Request, _ *Token) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := oneOrder(r.Context(), h.cfg.DB, id); err != nil {
		return err
	}
	ss, err := shipments(r.Context(), h.cfg.DB, ` WHERE order_id = ? ORDER BY seq, id`, id)
	if err != nil {
		return err
	}
	return writeList(w, r, ss, false, nil)
}

// patchShipment records that a parcel left: {"carrier": "yamato",
// "tracking_number": "1234-5678-9012"}. Moving the order to shipped is a
// separate call (POST /orders/{id}/status), as in the admin.
func (h *Handler) patchShipment(w http.ResponseWriter, r *http.Request, t *Token) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Carrier        string `json:"carrier"`
		TrackingNumber string `json:"tracking_number"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	errs := map[string]string{}
	if in.Carrier == "" || len(in.Carrier) > 50 {
		errs["carrier"] = "api.error.carrier"
	}
	if in.TrackingNumber == "" || len(in.TrackingNumber) > 50 {
		errs["tracking_number"] = "api.error.tracking"
	}
	if len(errs) > 0 {
		return shop.Invalidf(errs)
	}
	var out Shipment
	err = h.cfg.DB.Tx(r.Context(), func(tx *db.Tx) error {
		ctx := r.Context()
		if err := lockRow(ctx, tx, "shipments", id); err != nil {
			return err
		}
		ss, err := shipments(ctx, tx, ` WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if err := checkIfMatch(r, ss[0]); err != nil {
			return err
		}
		if err := order.ShipParcel(ctx, tx, ss[0].OrderID, id, in.Carrier, in.TrackingNumber); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE orders SET updated_at = ? WHERE id = ?`, tx.Now(), ss[0].OrderID); err != nil {
			return err
		}
		if err := h.audit(ctx, tx, r, t, "api.shipment.update", strconv.FormatInt(id, 10), map[string]any{"order_id": ss[0].OrderID, "carrier": in.Carrier}); err != nil {
			return err
		}
		ss, err = shipments(ctx, tx, ` WHERE id = ?`, id)
		if err == nil {
			out = ss[0]
		}
		return err
	})
	if err != nil {
		return err
	}
	return writeOne(w, r, http.StatusOK, out)
}
