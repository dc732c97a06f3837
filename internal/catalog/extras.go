package catalog

import (
	"context"
	"html/template"
	"math"
	"strings"

	"github.com/akinai/akinai/internal/i18n"
)

// Features outside the catalogue (reviews, recommendations) add to the
// product and top pages through these hooks, set while wiring. The pages
// stay shared between visitors: what a hook returns must be the same for
// every visitor, and a feature whose data changed calls
// Store.TouchProducts or Store.TouchHome so the pages it shows on are
// rendered again (and only those).

// ReviewSummary is what the product page shows of a product's published
// reviews, and what its structured data says about them.
type ReviewSummary struct {
	Count   int
	Average float64 // 1.0–5.0, one decimal
	// HTML is the reviews section, rendered by the review package.
	HTML template.HTML
	// Latest are the newest published reviews, for the structured data.
	Latest []ReviewLD
}

// ReviewLD is one review as schema.org Review.
type ReviewLD struct {
	Author    string
	Stars     int
	Title     string
	Body      string
	Published string // YYYY-MM-DD
}

// Shelf is a row of product cards under a heading (an i18n key):
// 「おすすめ商品」, 「この商品を買った人はこんな商品も買っています」.
type Shelf struct {
	ID       string // the section's HTML id
	TitleKey string
	IDs      []int64 // products in order; non-public ones are skipped
}

// shelfView is a shelf ready for the cardlist template.
type shelfView struct {
	ID, Title string
	Cards     []cardView
}

// shelfHTML renders shelves as the "shelves" fragment.
func (h *Handlers) shelfHTML(ctx context.Context, lang i18n.Lang, in []Shelf) (template.HTML, error) {
	v, err := h.shelves(ctx, lang, in)
	if err != nil || len(v) == 0 {
		return "", err
	}
	return h.execute("shelves", v)
}

// Stars draws an average rating as five stars, rounded to the nearest
// whole star: ★★★★☆ for 4.3.
func Stars(avg float64) string {
	n := int(math.Round(avg))
	n = min(max(n, 0), 5)
	return strings.Repeat("★", n) + strings.Repeat("☆", 5-n)
}

// shelves renders the given shelves' cards, dropping empty ones.
func (h *Handlers) shelves(ctx context.Context, lang i18n.Lang, in []Shelf) ([]shelfView, error) {
	if len(in) == 0 {
		return nil, nil
	}
	rates, rounding, err := h.displayRates(ctx)
	if err != nil {
		return nil, err
	}
	var out []shelfView
	for _, s := range in {
		items, err := h.Store.listItems(ctx, s.IDs)
		if err != nil {
			return nil, err
		}
		if len(items) == 0 {
			continue
		}
		out = append(out, shelfView{ID: s.ID, Title: i18n.T(lang, s.TitleKey), Cards: cards(items, lang, rates, rounding)})
	}
	return out, nil
}
