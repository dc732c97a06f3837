package api

import (
	"context"
	"net/http"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/webhook"
)

// StockLevel is one SKU's stock; null is unlimited.
type StockLevel struct {
	VariantID int64  `json:"variant_id"`
	ProductID int64  `json:"product_id"`
	SKU       string `json:"sku"`
	Stock     *int   `json:"stock"`
}

func (h *Handler) stockRoutes() {
	h.handle("GET /api/v1/stock", "stock", "read", h.listStock)
	h.handle("GET /api/v1/stock/{sku}", "stock", "read", h.getStock)
	h.handle("PUT /api/v1/stock/{sku}", "stock", "write", h.putStock)
	h.handle("POST /api/v1/stock/{sku}/adjust", "stock", "write", h.adjustStock)
}

func stockLevels(ctx context.Context, q db.Queryer, tail string, args ...any) ([]StockLevel, error) {
	rows, err := q.Query(ctx, `SELECT id, product_id, sku, stock FROM variants`+tail, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StockLevel
	for rows.Next() {
		var s StockLevel
		if err := rows.Scan(&s.VariantID, &s.ProductID, &s.SKU, &s.Stock); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func stockOf(ctx context.Context, q db.Queryer, sku string) (StockLevel, error) {
	ss, err := stockLevels(ctx, q, ` WHERE sku = ?`, sku)
	if err == nil && len(ss) == 0 {
		err = shop.ErrNotFound
	}
	if err != nil {
		return StockLevel{}, err
	}
	return ss[0], nil
}

func (h *Handler) listStock(w http.ResponseWriter, r *http.Request, _ *Token) error {
	p, err := readPage(r)
	if err != nil {
		return err
	}
	tail, args := p.where("", nil, nil)
	ss, err := stockLevels(r.Context(), h.cfg.DB, tail, args...)
	if err != nil {
		return err
	}
	ss, more, next := cut(p, ss, func(s StockLevel) int64 { return s.VariantID })
	return writeList(w, r, ss, more, next)
}

func (h *Handler) getStock(w http.ResponseWriter, r *http.Request, _ *Token) error {
	s, err := stockOf(r.Context(), h.cfg.DB, r.PathValue("sku"))
	if err != nil {
		return err
	}
	return writeOne(w, r, http.StatusOK, s)
}

// stockChange runs fn on the SKU's stock inside a transaction with its row
// locked and If-Match checked, then emits stock.low when it fell to the
// low level, audits the change and answers with the new level.
func (h *Handler) stockChange(w http.ResponseWriter, r *http.Request, t *Token, action string, fn func(ctx context.Context, tx *db.Tx, cur StockLevel) error) error {
	sku := r.PathValue("sku")
	var out StockLevel
	err := h.cfg.DB.Tx(r.Context(), func(tx *db.Tx) error {
		ctx := r.Context()
		cur, err := stockOf(ctx, tx, sku)
		if err != nil {
			return err
		}
		if err := lockRow(ctx, tx, "variants", cur.VariantID); err != nil {
			return err
		}
		if cur, err = stockOf(ctx, tx, sku); err != nil {
			return err
		}
		if err := checkIfMatch(r, cur); err != nil {
			return err
		}
		if err := fn(ctx, tx, cur); err != nil {
			return err
		}
		if out, err = stockOf(ctx, tx, sku); err != nil {
			return err
		}
		if err := webhook.StockChanged(ctx, tx, cur.VariantID, cur.Stock, out.Stock); err != nil {
			return err
		}
		return h.audit(ctx, tx, r, t, action, sku, map[string]any{"before": cur.Stock, "after": out.Stock})
	})
	if err != nil {
		return err
	}
	h.cfg.CatalogChanged()
	return writeOne(w, r, http.StatusOK, out)
}

// putStock sets a SKU's stock (a warehouse's count): {"stock": 12}, or
// null for unlimited.
func (h *Handler) putStock(w http.ResponseWriter, r *http.Request, t *Token) error {
	var in struct {
		Stock *int `json:"stock"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if in.Stock != nil && (*in.Stock < 0 || *in.Stock > 10_000_000) {
		return shop.Invalidf(map[string]string{"stock": "api.error.stock"})
	}
	return h.stockChange(w, r, t, "api.stock.set", func(ctx context.Context, tx *db.Tx, cur StockLevel) error {
		_, err := tx.Exec(ctx, `UPDATE variants SET stock = ?, updated_at = ? WHERE id = ?`, in.Stock, tx.Now(), cur.VariantID)
		return err
	})
}

// adjustStock adds to or takes from a SKU's stock ({"delta": -3}), in
// one conditional statement: it never goes below zero, whatever checkouts
// run at the same time. Errors: 409 when there is not enough.
func (h *Handler) adjustStock(w http.ResponseWriter, r *http.Request, t *Token) error {
	var in struct {
		Delta int `json:"delta"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if in.Delta == 0 || in.Delta < -10_000_000 || in.Delta > 10_000_000 {
		return shop.Invalidf(map[string]string{"delta": "api.error.delta"})
	}
	return h.stockChange(w, r, t, "api.stock.adjust", func(ctx context.Context, tx *db.Tx, cur StockLevel) error {
		if cur.Stock == nil {
			return shop.Errorf(shop.Conflict, "api.error.unlimited")
		}
		n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE variants SET stock = stock + ?, updated_at = ? WHERE id = ? AND stock + ? >= 0`,
			in.Delta, tx.Now(), cur.VariantID, in.Delta))
		if err == nil && n != 1 {
			err = shop.Errorf(shop.Conflict, "api.error.not_enough")
		}
		return err
	})
}
