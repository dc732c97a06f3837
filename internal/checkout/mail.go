package checkout

import (
	"context"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/delivery"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/settings"
)

// View is an order as the pages and mails show it, in one language.
type View struct {
	O             *order.Order
	Lang          string
	ShopName      string
	ShopEmail     string
	ShopPhone     string
	InvoiceNumber string
	Method        string
	Slot          string
	Date          string
	Payment       string
	PaymentTiming string
	BankAccount   string
	BuyerPref     string
	ShipPref      string
	Lines         []ViewLine
	HasReduced    bool
}

// ViewLine is one line of a View.
type ViewLine struct {
	Name, Variant, SKU string
	Mark               string // ※ for reduced-rate lines
	order.Line
}

// NewView builds the view of o in lang.
func (s *Service) NewView(ctx context.Context, q db.Queryer, o *order.Order, lang i18n.Lang) (*View, error) {
	sh, err := s.Settings.Shop(ctx)
	if err != nil {
		return nil, err
	}
	bank, err := s.Settings.Get(ctx, settings.BankAccount)
	if err != nil {
		return nil, err
	}
	en := lang == i18n.English
	v := &View{O: o, Lang: string(lang), ShopName: sh.DisplayName(lang), ShopEmail: sh.Email, ShopPhone: sh.Phone,
		InvoiceNumber: o.InvoiceNumber, BankAccount: bank,
		Payment:       i18n.T(lang, "checkout.pay."+o.PaymentMethod),
		PaymentTiming: i18n.T(lang, "checkout.timing."+o.PaymentMethod),
		Date:          o.DeliveryDate, Slot: i18n.T(lang, "checkout.unspecified"),
		BuyerPref: prefName(o.Buyer.Pref, en), ShipPref: prefName(o.Ship.Pref, en)}
	if v.Date == "" {
		v.Date = i18n.T(lang, "checkout.unspecified")
	}
	methods, err := delivery.Methods(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, m := range methods {
		if m.ID != o.DeliveryMethod {
			continue
		}
		v.Method = pick(en, m.NameJA, m.NameEN)
		if sl, ok := m.Slot(o.DeliverySlot); ok {
			v.Slot = pick(en, sl.LabelJA, sl.LabelEN)
		}
	}
	for _, l := range o.Lines {
		vl := ViewLine{Name: pick(en, l.NameJA, l.NameEN), Variant: pick(en, l.VariantJA, l.VariantEN), SKU: l.SKU, Line: l}
		if l.Reduced {
			vl.Mark = "※"
			v.HasReduced = true
		}
		v.Lines = append(v.Lines, vl)
	}
	return v, nil
}

func pick(en bool, ja, e string) string {
	if en && e != "" {
		return e
	}
	return ja
}

func prefName(code int, en bool) string {
	p, ok := jp.PrefectureByCode(code)
	if !ok {
		return ""
	}
	return pick(en, p.Name, p.NameEn)
}

// enqueueMails writes the customer's confirmation and the shop's notice
// to the outbox in the order's transaction.
func (s *Service) enqueueMails(ctx context.Context, tx *db.Tx, o *order.Order) error {
	lang, _ := i18n.Parse(o.Lang)
	v, err := s.NewView(ctx, tx, o, lang)
	if err != nil {
		return err
	}
	m, err := mail.Compose(ctx, tx, "order_confirmation", string(lang), o.Email, v)
	if err != nil {
		return err
	}
	if _, err := mail.Enqueue(ctx, tx, m); err != nil {
		return err
	}
	if v.ShopEmail == "" {
		return nil
	}
	sv, err := s.NewView(ctx, tx, o, i18n.Japanese)
	if err != nil {
		return err
	}
	n, err := mail.Compose(ctx, tx, "order_shop_notice", "ja", v.ShopEmail, sv)
	if err != nil {
		return err
	}
	_, err = mail.Enqueue(ctx, tx, n)
	return err
}
