package admin

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/shop"
)

type statusCount struct {
	Status order.Status
	Count  int
}

type dashboardPage struct {
	PublicProducts int
	LowStock       int // public products with a variant at 1..FewLeft
	LowStockBelow  int
	SoldOut        int // public products with a sold-out variant
	Reports        bool
	Today          string // YYYY-MM-DD, JST
	ChartFrom      string
	TodayOrders    int
	TodaySales     shop.Yen
	MonthOrders    int
	MonthSales     shop.Yen
	Action         []statusCount
	Security       []audit.Entry
	Chart          chart
	Loc            *time.Location
	Cards          []*Card // contributed by other packages (AddCard)
	// DBWrite is whether the database can write, as this instance last
	// saw it (a full disk, a held lock: buyers get a 503 meanwhile).
	DBWrite db.WriteState
}

// chart is the 30-day sales chart, drawn on the server as inline SVG.
type chart struct {
	Bars  []bar
	Max   shop.Yen
	Width int
}

type bar struct {
	X, Y, H int
	Day     string
	Sales   shop.Yen
}

// lowStockBelow is the stock level the dashboard calls low: the
// storefront's 「残りわずか」.
const lowStockBelow = catalog.FewLeft

// needsAction are the statuses where the shop has something to do.
var needsAction = []order.Status{order.New, order.AwaitingPayment, order.Paid, order.Preparing}

// dashboard shows today's and this month's orders and sales (days in
// JST, cancelled orders left out), orders waiting for the shop by
// status, low-stock variants, recent security events and the last 30
// days of sales. GET /{admin}/
func (h *Handlers) dashboard(w http.ResponseWriter, r *http.Request, c *current) error {
	ctx := r.Context()
	p := &dashboardPage{LowStockBelow: lowStockBelow, Loc: jst, DBWrite: h.DB.WriteState()}
	if err := h.DB.QueryRow(ctx, `SELECT COUNT(*) FROM products WHERE status = 'public'`).Scan(&p.PublicProducts); err != nil {
		return err
	}
	// The same products the list shows under its "low" and "out" filters
	// (the per-product counts of migration 0480, one index each).
	if err := h.DB.QueryRow(ctx, `SELECT COUNT(*) FROM products p WHERE p.status = 'public' AND p.stock_low > 0`).Scan(&p.LowStock); err != nil {
		return err
	}
	if err := h.DB.QueryRow(ctx, `SELECT COUNT(*) FROM products p WHERE p.status = 'public' AND p.stock_out > 0`).Scan(&p.SoldOut); err != nil {
		return err
	}
	now := h.DB.Now().In(jst)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, jst)
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, jst)
	var err error
	if p.TodayOrders, p.TodaySales, err = sales(ctx, h.DB, today); err != nil {
		return err
	}
	if p.MonthOrders, p.MonthSales, err = sales(ctx, h.DB, month); err != nil {
		return err
	}
	for _, s := range needsAction {
		sc := statusCount{Status: s}
		if err := h.DB.QueryRow(ctx, `SELECT COUNT(*) FROM orders WHERE status = ?`, string(s)).Scan(&sc.Count); err != nil {
			return err
		}
		p.Action = append(p.Action, sc)
	}
	if c.admin.Can(AreaAudit, Read) {
		if p.Security, _, err = audit.List(ctx, h.DB, audit.Filter{Action: "signin.", Limit: 8}); err != nil {
			return err
		}
	}
	if p.Chart, err = salesChart(ctx, h.DB, today); err != nil {
		return err
	}
	p.Reports = c.admin.Can(AreaReports, Read)
	p.Today, p.ChartFrom = today.Format("2006-01-02"), today.AddDate(0, 0, -29).Format("2006-01-02")
	p.Cards = h.extraCards(r, c)
	return h.page(w, r, http.StatusOK, "admin_dashboard", "admin.dashboard.title", p)
}

// sales counts the orders placed since from and their total, leaving
// cancelled orders out.
func sales(ctx context.Context, q db.Queryer, from time.Time) (int, shop.Yen, error) {
	var n int
	var total int64
	err := q.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(total), 0) FROM orders WHERE created_at >= ? AND status <> 'cancelled'`, from.UTC()).Scan(&n, &total)
	return n, shop.Yen(total), err
}

// salesChart sums the last 30 days' sales per JST day (in Go, so both
// engines agree on the day boundaries) into bars 100 units high.
func salesChart(ctx context.Context, q db.Queryer, today time.Time) (chart, error) {
	start := today.AddDate(0, 0, -29)
	var days [30]shop.Yen
	rows, err := q.Query(ctx, `SELECT created_at, total FROM orders WHERE created_at >= ? AND status <> 'cancelled'`, start.UTC())
	if err != nil {
		return chart{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var at time.Time
		var total int64
		if err := rows.Scan(&at, &total); err != nil {
			return chart{}, err
		}
		at = at.In(jst)
		d := int(time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, jst).Sub(start).Hours() / 24)
		if d >= 0 && d < 30 {
			days[d] += shop.Yen(total)
		}
	}
	if err := rows.Err(); err != nil {
		return chart{}, err
	}
	c := chart{Width: 30 * 10}
	for _, s := range days {
		c.Max = max(c.Max, s)
	}
	for i, s := range days {
		h := 0
		if c.Max > 0 {
			h = int(int64(s) * 100 / int64(c.Max))
		}
		c.Bars = append(c.Bars, bar{X: i * 10, Y: 100 - h, H: h, Day: start.AddDate(0, 0, i).Format("01/02"), Sales: s})
	}
	return c, nil
}

// Summary is the chart's text alternative.
func (c chart) Summary() string {
	var b strings.Builder
	for _, x := range c.Bars {
		if x.Sales > 0 {
			fmt.Fprintf(&b, "%s ¥%s; ", x.Day, x.Sales)
		}
	}
	return b.String()
}
