package catalog

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"github.com/akinai/akinai/internal/db"
)

// visibleSQL is the storefront's test of a product p: public, and inside
// its publishing window at the time given twice as arguments (see
// visibleArgs). Every storefront query (pages, listings, search results,
// the sitemap, the cart and checkout) uses it.
const visibleSQL = `p.status = 'public' AND (p.publish_from IS NULL OR p.publish_from <= ?) AND (p.publish_until IS NULL OR p.publish_until > ?)`

func visibleArgs(now time.Time) []any { return []any{now, now} }

// Visible reports whether a product with status and window is on sale at
// now: public, from (inclusive) until (exclusive), nil meaning open.
func Visible(status string, from, until *time.Time, now time.Time) bool {
	return status == StatusPublic && (from == nil || !from.After(now)) && (until == nil || until.After(now))
}

// OnSale reports whether a sale period [from, until) covers now; both nil
// is always.
func OnSale(from, until *time.Time, now time.Time) bool {
	return (from == nil || !from.After(now)) && (until == nil || until.After(now))
}

// scheduleColumns are the times at which what the storefront shows
// changes without anyone saving: a product appears or goes, a sale
// starts or ends.
var scheduleColumns = []string{"publish_from", "publish_until", "sale_from", "sale_until"}

// nextBoundary returns the earliest schedule time after now, or the zero
// time when none is set.
func nextBoundary(ctx context.Context, d *db.DB, now time.Time) (time.Time, error) {
	var next time.Time
	for _, col := range scheduleColumns {
		var t sql.NullTime
		err := d.QueryRow(ctx, `SELECT `+col+` FROM products WHERE `+col+` > ? ORDER BY `+col+` LIMIT 1`, now).Scan(&t)
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			return time.Time{}, err
		}
		if t.Valid && (next.IsZero() || t.Time.Before(next)) {
			next = t.Time
		}
	}
	return next, nil
}

// checkSchedule drops the caches once a schedule time has passed, so no
// cached page shows a product after its end (or a sale price after the
// sale). The next such time is read again every CacheTTL, which covers
// schedules another instance saved.
func (s *Store) checkSchedule() {
	now := s.DB.Now()
	s.mu.Lock()
	// First the boundary already known: passing it drops the caches.
	passed := !s.schedNext.IsZero() && !now.Before(s.schedNext)
	if passed {
		s.tree, s.taxRules = nil, nil
		s.version++
		s.schedNext, s.schedAt = time.Time{}, time.Time{}
	}
	read := !s.schedReading && (s.schedAt.IsZero() || now.Sub(s.schedAt) > CacheTTL)
	if read {
		s.schedReading = true
	}
	s.mu.Unlock()
	if passed {
		s.products.clear()
	}
	if !read {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	next, err := nextBoundary(ctx, s.DB, now)
	cancel()
	s.mu.Lock()
	s.schedReading = false
	if err == nil {
		s.schedNext, s.schedAt = next, now
	}
	s.mu.Unlock()
}

// inStockSQL holds for a product p with an active variant in stock; its
// one argument is true.
const inStockSQL = `EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id AND v.active = ? AND (v.stock IS NULL OR v.stock > 0))`

// Settings keys of the storefront's stock switches.
const (
	// SettingHideSoldOut ("1") leaves sold-out products out of listings
	// and search results (品切れ商品を非表示).
	SettingHideSoldOut = "catalog.hide_sold_out"
	// SettingStockLeftUnder (N > 0) shows 「残り n 点」 for a variant with
	// fewer than N in stock.
	SettingStockLeftUnder = "catalog.stock_left_under"
)

// Switches are the shop's storefront stock switches.
type Switches struct {
	HideSoldOut    bool
	StockLeftUnder int // 0: off
}

func (h *Handlers) switches(ctx context.Context) (Switches, error) {
	m, err := h.Settings.All(ctx)
	if err != nil {
		return Switches{}, err
	}
	n, _ := strconv.Atoi(m[SettingStockLeftUnder])
	return Switches{HideSoldOut: m[SettingHideSoldOut] == "1", StockLeftUnder: max(n, 0)}, nil
}
