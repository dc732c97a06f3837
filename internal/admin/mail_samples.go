package admin

import (
	"github.com/akinai/akinai/internal/b2b"
	"github.com/akinai/akinai/internal/backup"
	"github.com/akinai/akinai/internal/checkout"
	"github.com/akinai/akinai/internal/content"
	"github.com/akinai/akinai/internal/customer"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/order"
)

// sampleData is what a template is previewed and checked with before it
// is saved: data of the same type the shop composes that event with, so a
// field the real mail does not have fails here, not at a customer.
func sampleData(event, lang, shopName, code string) any {
	l, _ := i18n.Parse(lang)
	if v, ok := content.SampleMail(event, lang, shopName); ok {
		return v
	}
	if v, ok := customer.SampleMail(event, lang, shopName); ok {
		return v
	}
	if v, ok := backup.SampleMail(event, lang); ok {
		return v
	}
	if v, ok := b2b.SampleMail(event, lang, shopName); ok {
		return v
	}
	switch event {
	case "admin_signin", "admin_change", "admin_recovery_used":
		return alertData{Name: i18n.T(l, "admin.mail.sample_name"), AntiPhishing: code, At: "2025-04-01 10:00 JST",
			Address: "203.0.113.7", Device: "Chrome / macOS", Factor: "passkey", What: "admin.change.password", Lang: lang}
	case "order_confirmation", "order_shop_notice":
		return sampleOrderView(l, shopName)
	case "order_shipped", "order_message":
		en := l == i18n.English
		return &shippedMail{ShopName: shopName, ShopEmail: "shop@example.jp", ShopPhone: "0312345678", Number: "20250401-0001",
			Name: "山田 花子", Carrier: pickLang(en, "ヤマト運輸", "Yamato Transport"), Tracking: "1234-5678-9012",
			TrackingURL: "https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number00=1&number01=123456789012",
			Subject:     pickLang(en, "ご注文についてのご連絡", "About your order"), Body: pickLang(en, "お届け日を変更しました。", "We changed the delivery date."),
			Parcel: 1, Parcels: 2, Recipient: "山田 花子", Items: []shippedItem{{Name: pickLang(en, "煎茶 八十八夜 (100g)", "Sencha (100 g)"), Qty: 2}}}
	}
	return map[string]any{"ShopName": shopName}
}

func sampleOrderView(l i18n.Lang, shopName string) *checkout.View {
	addr := order.Address{FamilyName: "山田", GivenName: "花子", FamilyKana: "ヤマダ", GivenKana: "ハナコ", Phone: "0312345678",
		PostalCode: "1000001", Pref: 13, City: "千代田区", Address1: "千代田1-1", Address2: "商いビル3階"}
	lines := []order.Line{
		{NameJA: "煎茶 八十八夜", NameEN: "Sencha Hachijuhachiya", VariantJA: "100g", VariantEN: "100 g", SKU: "TEA-100", UnitPrice: 1620, Rate: 800, Reduced: true, Qty: 2},
		{NameJA: "急須 常滑焼", NameEN: "Tokoname teapot", SKU: "POT-1", UnitPrice: 5500, Rate: 1000, Qty: 1},
	}
	o := &order.Order{Number: "20250401-0001", Status: order.New, Lang: string(l), Email: "hanako@example.jp", Buyer: addr, Ship: addr,
		PaymentMethod: order.BankTransfer, Subtotal: 8740, DeliveryFee: 930, Total: 9670, Note: "",
		Rates:         []order.RateTotal{{Rate: 1000, Total: 6430, Tax: 584}, {Rate: 800, Reduced: true, Total: 3240, Tax: 240}},
		InvoiceNumber: "T1234567890123", Lines: lines}
	en := l == i18n.English
	v := &checkout.View{O: o, Lang: string(l), ShopName: shopName, ShopEmail: "shop@example.jp", ShopPhone: "0312345678",
		InvoiceNumber: o.InvoiceNumber, Method: pickLang(en, "ヤマト運輸", "Yamato Transport"), Slot: pickLang(en, "午前中", "Morning"),
		Date: "2025-04-03", Payment: i18n.T(l, "checkout.pay.bank_transfer"), PaymentTiming: i18n.T(l, "checkout.timing.bank_transfer"),
		BankAccount: pickLang(en, "商い銀行 本店 普通 1234567", "Akinai Bank, head office, ordinary 1234567"),
		BuyerPref:   pickLang(en, "東京都", "Tokyo"), ShipPref: pickLang(en, "東京都", "Tokyo"), HasReduced: true}
	for _, ln := range lines {
		vl := checkout.ViewLine{Name: pickLang(en, ln.NameJA, ln.NameEN), Variant: pickLang(en, ln.VariantJA, ln.VariantEN), SKU: ln.SKU, Line: ln}
		if ln.Reduced {
			vl.Mark = "※"
		}
		v.Lines = append(v.Lines, vl)
	}
	return v
}

func pickLang(en bool, ja, e string) string {
	if en && e != "" {
		return e
	}
	return ja
}
