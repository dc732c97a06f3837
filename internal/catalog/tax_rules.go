package catalog

import (
	"fmt"
	"slices"
	"time"

	"github.com/akinai/akinai/internal/shop"
)

// DatedRate is a rate in force from a time on (until a later rule of the
// same scope replaces it).
type DatedRate struct {
	Rate shop.TaxRate
	From time.Time
}

// TaxRules holds the dated rules that decide the rate of a product: the
// shop's per tax class, per category and per product. Category members
// lists, for each product concerned, the categories it belongs to that
// have rules (a product in no such category is absent).
type TaxRules struct {
	Class    map[shop.TaxClass][]DatedRate
	Category map[int64][]DatedRate
	Product  map[int64][]DatedRate
	Members  map[int64][]int64 // product ID → its categories with rules
}

// TaxSource says which rule decided a rate.
type TaxSource string

const (
	SourceProduct  TaxSource = "product"
	SourceCategory TaxSource = "category"
	SourceShop     TaxSource = "shop"
)

// RateFor returns the rate of product id (of tax class class) at time at.
// This is the one place the precedence is decided, for the cart, the
// checkout, 受注登録, order editing and every price the catalogue shows:
//
//  1. the product's own rule in force at at (the latest From not after it);
//  2. else the rule in force of one of its categories — of several, the one
//     whose rule started latest, then the lowest category ID, so the answer
//     never depends on the order rows come in;
//  3. else the shop's rule for the product's class.
//
// A product whose own rules all start after at falls through to its
// category and the shop, so a scheduled product rate changes nothing until
// its day. It returns an error when not even the shop has a rule.
func (r *TaxRules) RateFor(id int64, class shop.TaxClass, at time.Time) (shop.TaxRate, TaxSource, error) {
	if d, ok := inForce(r.Product[id], at); ok {
		return d.Rate, SourceProduct, nil
	}
	var best DatedRate
	var bestCat int64
	for _, c := range r.Members[id] {
		d, ok := inForce(r.Category[c], at)
		if !ok {
			continue
		}
		if bestCat == 0 || d.From.After(best.From) || (d.From.Equal(best.From) && c < bestCat) {
			best, bestCat = d, c
		}
	}
	if bestCat != 0 {
		return best.Rate, SourceCategory, nil
	}
	if d, ok := inForce(r.Class[class], at); ok {
		return d.Rate, SourceShop, nil
	}
	return 0, "", fmt.Errorf("catalog: no tax rule for %s at %s", class, at.Format(time.RFC3339))
}

// Rate is RateFor without the source.
func (r *TaxRules) Rate(id int64, class shop.TaxClass, at time.Time) (shop.TaxRate, error) {
	rate, _, err := r.RateFor(id, class, at)
	return rate, err
}

// Scoped reports whether any product or category rule exists, so callers
// that sort by price in SQL know whether the tax class alone decides.
func (r *TaxRules) Scoped() bool { return len(r.Product) > 0 || len(r.Category) > 0 }

// inForce returns the rule of rules with the latest From not after at.
func inForce(rules []DatedRate, at time.Time) (DatedRate, bool) {
	var best DatedRate
	found := false
	for _, d := range rules {
		if d.From.After(at) {
			continue
		}
		if !found || d.From.After(best.From) {
			best, found = d, true
		}
	}
	return best, found
}

// add appends a rule to a scope's list.
func addDated[K comparable](m map[K][]DatedRate, k K, d DatedRate) {
	m[k] = append(m[k], d)
}

func newTaxRules() *TaxRules {
	return &TaxRules{Class: map[shop.TaxClass][]DatedRate{}, Category: map[int64][]DatedRate{},
		Product: map[int64][]DatedRate{}, Members: map[int64][]int64{}}
}

// sortMembers keeps Members sorted and free of duplicates.
func (r *TaxRules) sortMembers() {
	for id, cs := range r.Members {
		slices.Sort(cs)
		r.Members[id] = slices.Compact(cs)
	}
}
