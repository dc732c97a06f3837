package checkout

import (
	"context"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/delivery"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/payment"
	"github.com/akinai/akinai/internal/plugin"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/pluginsdk"
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
	// Shipments lists every destination; Multi is true when there are
	// several (multiple shipping), and the pages and mails then show
	// each one with its method, date, slot, fee and items.
	Shipments []ViewShipment
	Multi     bool
	// The coupon and points of the order (loyaltyView), all within
	// O.Discount.
	CouponCode     string
	CouponDiscount shop.Yen
	PointsUsed     int64
	PointsEarn     int64
	// PluginDiscounts are the plugins' discounts on the confirmation
	// page (within O.Discount; the order keeps only their sum).
	PluginDiscounts []plugin.Applied
	PluginNotes     []pluginsdk.Text
	// Konbini holds the convenience-store payment instructions of a
	// konbini order, nil for other methods.
	Konbini *KonbiniView
}

// ViewShipment is one destination of a View.
type ViewShipment struct {
	order.Parcel
	Pref, Method, Date, Slot string
	Items                    []ViewItem
}

// ViewItem is a quantity of a line in a ViewShipment.
type ViewItem struct {
	Name, Variant, SKU string
	Qty                int
}

// ViewLine is one line of a View.
type ViewLine struct {
	Name, Variant, SKU string
	Mark               string // ※ for reduced-rate lines
	order.Line
}

// NewView builds the view of o in lang.
func (s *Service) NewView(ctx context.Context, q db.Queryer, o *order.Order, lang i18n.Lang) (*View, error) {
	si, err := s.shopInfo(ctx)
	if err != nil {
		return nil, err
	}
	return newView(ctx, q, o, lang, si)
}

// newView builds the view with settings read beforehand (inside a
// transaction, see shopInfo).
func newView(ctx context.Context, q db.Queryer, o *order.Order, lang i18n.Lang, si *shopInfo) (*View, error) {
	sh, bank := si.Shop, si.Bank
	en := lang == i18n.English
	v := &View{O: o, Lang: string(lang), ShopName: sh.DisplayName(lang), ShopEmail: sh.Email, ShopPhone: sh.Phone,
		InvoiceNumber: o.InvoiceNumber, BankAccount: bank,
		Payment:       i18n.T(lang, "checkout.pay."+o.PaymentMethod),
		PaymentTiming: i18n.T(lang, "checkout.timing."+o.PaymentMethod),
		Date:          calendar.LabelOf(o.DeliveryDate, en), Slot: i18n.T(lang, "checkout.unspecified"),
		BuyerPref: prefName(o.Buyer.Pref, en), ShipPref: prefName(o.Ship.Pref, en)}
	if v.Date == "" {
		v.Date = i18n.T(lang, "checkout.unspecified")
	}
	// The operator names their methods; the kind says when it is paid.
	if pm, err := payment.MethodByCode(ctx, q, o.PaymentMethod); err == nil {
		v.Payment = pm.Name(string(lang))
		v.PaymentTiming = i18n.T(lang, "checkout.timing."+string(pm.Kind))
	} else if shop.KindOf(err) != shop.NotFound {
		return nil, err
	}
	if o.PaymentMethod == string(payment.Konbini) {
		var err error
		if v.Konbini, err = konbiniView(ctx, q, o.ID, lang); err != nil {
			return nil, err
		}
	}
	methods, err := delivery.Methods(ctx, q)
	if err != nil {
		return nil, err
	}
	v.Method, v.Slot = methodLabels(methods, o.DeliveryMethod, o.DeliverySlot, en, v.Slot)
	for _, sh := range o.Parcels {
		vs := ViewShipment{Parcel: sh, Pref: prefName(sh.Ship.Pref, en), Date: calendar.LabelOf(sh.Date, en)}
		vs.Method, vs.Slot = methodLabels(methods, sh.Method, sh.Slot, en, i18n.T(lang, "checkout.unspecified"))
		if vs.Date == "" {
			vs.Date = i18n.T(lang, "checkout.unspecified")
		}
		for _, it := range sh.Items {
			l := o.Lines[it.Line]
			vs.Items = append(vs.Items, ViewItem{Name: pick(en, l.NameJA, l.NameEN), Variant: pick(en, l.VariantJA, l.VariantEN), SKU: l.SKU, Qty: it.Qty})
		}
		v.Shipments = append(v.Shipments, vs)
	}
	v.Multi = len(v.Shipments) > 1
	for _, l := range o.Lines {
		vl := ViewLine{Name: pick(en, l.NameJA, l.NameEN), Variant: pick(en, l.VariantJA, l.VariantEN), SKU: l.SKU, Line: l}
		if l.Reduced {
			vl.Mark = "※"
			v.HasReduced = true
		}
		v.Lines = append(v.Lines, vl)
	}
	return v, loyaltyView(ctx, q, v, nil)
}

// methodLabels returns a method's name and a slot's label in the view's
// language; unset is the label for no slot.
func methodLabels(methods []delivery.Method, id int64, slot string, en bool, unset string) (string, string) {
	for _, m := range methods {
		if m.ID != id {
			continue
		}
		label := unset
		if sl, ok := m.Slot(slot); ok {
			label = pick(en, sl.LabelJA, sl.LabelEN)
		}
		return pick(en, m.NameJA, m.NameEN), label
	}
	return "", unset
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
func (s *Service) enqueueMails(ctx context.Context, tx *db.Tx, o *order.Order, si *shopInfo) error {
	lang, _ := i18n.Parse(o.Lang)
	v, err := newView(ctx, tx, o, lang, si)
	if err != nil {
		return err
	}
	m, err := mail.Compose(ctx, tx, "order_confirmation", string(lang), o.Email, v)
	if err != nil {
		return err
	}
	if _, err := mail.Enqueue(ctx, tx, m.About(o.Number, o.CustomerID)); err != nil {
		return err
	}
	if v.ShopEmail == "" {
		return nil
	}
	sv, err := newView(ctx, tx, o, i18n.Japanese, si)
	if err != nil {
		return err
	}
	n, err := mail.Compose(ctx, tx, "order_shop_notice", "ja", v.ShopEmail, sv)
	if err != nil {
		return err
	}
	_, err = mail.Enqueue(ctx, tx, n.About(o.Number, nil))
	return err
}
