package admin

import "net/http"

type dashboardPage struct {
	PublicProducts int
	LowStock       int
	LowStockBelow  int
}

// lowStockBelow is the stock level the dashboard calls low.
const lowStockBelow = 5

// dashboard shows what exists today (the catalogue) and says plainly what
// later parts of the shop will add. GET /{admin}/
func (h *Handlers) dashboard(w http.ResponseWriter, r *http.Request, c *current) error {
	ctx := r.Context()
	p := &dashboardPage{LowStockBelow: lowStockBelow}
	if err := h.DB.QueryRow(ctx, `SELECT COUNT(*) FROM products WHERE status = 'public'`).Scan(&p.PublicProducts); err != nil {
		return err
	}
	err := h.DB.QueryRow(ctx, `SELECT COUNT(*) FROM variants v JOIN products p ON p.id = v.product_id
		WHERE p.status = 'public' AND v.active = ? AND v.stock IS NOT NULL AND v.stock < ?`, true, lowStockBelow).Scan(&p.LowStock)
	if err != nil {
		return err
	}
	return h.page(w, r, http.StatusOK, "admin_dashboard", "admin.dashboard.title", p)
}
