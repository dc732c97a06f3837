package settings

import (
	"context"

	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/shop"
)

// Shop is the shop's public information, as the storefront and mail show
// it.
type Shop struct {
	Name, NameEN       string
	Company, CompanyEN string
	URL                string
	Email, Phone       string
	PostalCode         string
	Address, AddressEN string
	Manager            string
	Hours              string
	InvoiceNumber      string
	Rounding           shop.Rounding
}

// Shop returns the shop information.
func (s *Store) Shop(ctx context.Context) (Shop, error) {
	m, err := s.All(ctx)
	if err != nil {
		return Shop{}, err
	}
	r := shop.Rounding(m[TaxRounding])
	if !r.Valid() {
		r = shop.Floor
	}
	return Shop{
		Name: m[ShopName], NameEN: m[ShopNameEN],
		Company: m[ShopCompany], CompanyEN: m[ShopCompanyEN],
		URL: m[ShopURL], Email: m[ShopEmail], Phone: m[ShopPhone],
		PostalCode: m[ShopPostalCode], Address: m[ShopAddress], AddressEN: m[ShopAddressEN],
		Manager: m[ShopManager], Hours: m[ShopHours],
		InvoiceNumber: m[InvoiceNumber], Rounding: r,
	}, nil
}

// DisplayName returns the shop name in lang, falling back to Japanese and
// then to "Akinai" for a shop that has not named itself yet.
func (s Shop) DisplayName(lang i18n.Lang) string {
	switch {
	case lang == i18n.English && s.NameEN != "":
		return s.NameEN
	case s.Name != "":
		return s.Name
	}
	return "Akinai"
}
