// Package catalog is the storefront's catalogue: products, variants,
// categories, tax rates in force, shop pages and product images, with the
// pages that show them (top, listings, search, product detail, shop
// pages, sitemap, robots.txt, images).
//
// Prices are stored excluding tax; every price a customer sees is
// tax-included (総額表示), computed with the rate in force now for the
// product's tax class and the shop's rounding mode.
package catalog

import (
	"time"

	"github.com/akinai/akinai/internal/shop"
)

// Status of a product. Only public products are shown or sold.
const (
	StatusPublic   = "public"
	StatusPrivate  = "private"
	StatusArchived = "archived"
)

// FewLeft is the stock at or below which a variant shows 「残りわずか」.
const FewLeft = 5

// StockState is what the storefront says about a variant's stock.
type StockState string

const (
	InStock StockState = "in_stock"
	Few     StockState = "few"
	SoldOut StockState = "sold_out"
)

// StateOf classifies a stock level; nil means unlimited stock.
func StateOf(stock *int) StockState {
	switch {
	case stock == nil:
		return InStock
	case *stock <= 0:
		return SoldOut
	case *stock <= FewLeft:
		return Few
	}
	return InStock
}

// Product is a product as the product page shows it.
type Product struct {
	ID                           int64
	Slug                         string
	Status                       string
	NameJA, NameEN               string
	DescriptionJA, DescriptionEN string
	FreeAreaJA, FreeAreaEN       string
	TaxClass                     shop.TaxClass
	Featured                     bool
	Brand                        string // for structured data and the feed; "" for none
	CreatedAt, UpdatedAt         time.Time
	Axes                         []Axis // 0, 1 or 2, by position
	Variants                     []Variant
	Images                       []Image
	CategoryIDs                  []int64
	// SaleFrom/SaleUntil bound the variants' sale prices (nil: open).
	SaleFrom, SaleUntil *time.Time
	// Related are the related products that are on sale now, in order.
	Related []ListItem
}

// Axis is a variant axis (規格), e.g. 色 or サイズ, with its values in order.
type Axis struct {
	ID             int64
	Position       int
	NameJA, NameEN string
	Values         []AxisValue
}

// AxisValue is one value of an axis, e.g. 藍 or M.
type AxisValue struct {
	ID             int64
	NameJA, NameEN string
}

// Variant is a SKU: one combination of axis values (or none).
type Variant struct {
	ID             int64
	SKU            string
	Value1, Value2 *AxisValue
	Price          shop.Yen  // excluding tax
	ListPrice      *shop.Yen // excluding tax; shown struck through
	SalePrice      *shop.Yen // excluding tax; during the sale period
	Stock          *int      // nil = unlimited
	SaleLimit      *int
	LeadDays       int
	Active         bool
	GTIN           string // JAN/EAN code, "" for none
}

// Image is a product image stored under Key (served at /images/{key}).
type Image struct {
	Key           string
	AltJA, AltEN  string
	Width, Height int
}

// ListItem is a product as listings show it.
type ListItem struct {
	ID             int64
	Slug           string
	NameJA, NameEN string
	TaxClass       shop.TaxClass
	PriceMin       shop.Yen // excluding tax
	PriceMax       shop.Yen
	ImageKey       string
	SoldOut        bool
	CreatedAt      time.Time
}

// VariantForSale is what the cart and checkout need to sell a variant:
// names, SKU, price excluding tax, the tax rate in force and the limits.
type VariantForSale struct {
	ProductID                    int64
	VariantID                    int64
	ProductSlug                  string
	ProductNameJA, ProductNameEN string
	// VariantNameJA/EN name the combination ("藍 / M"), "" without axes.
	VariantNameJA, VariantNameEN string
	SKU                          string
	Price                        shop.Yen // excluding tax; the sale price during a sale
	// RegularPrice is the price before the sale while one applies, else 0.
	RegularPrice shop.Yen
	TaxClass     shop.TaxClass
	TaxRate      shop.TaxRate // in force at the queryer's Now()
	Stock        *int         // nil = unlimited
	SaleLimit    *int         // per order; nil = none
	LeadDays     int
	ImageKey     string
}

// Name returns the combination's name ("藍 / M") in ja or en.
func (v Variant) Name(en bool) string {
	name := func(a *AxisValue) string {
		if a == nil {
			return ""
		}
		if en && a.NameEN != "" {
			return a.NameEN
		}
		return a.NameJA
	}
	switch {
	case v.Value1 != nil && v.Value2 != nil:
		return name(v.Value1) + " / " + name(v.Value2)
	case v.Value1 != nil:
		return name(v.Value1)
	}
	return ""
}
