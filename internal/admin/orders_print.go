package admin

import (
	"bytes"
	"net/http"

	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/invoicepdf"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/shop"
)

// orderSlip shows the delivery slip (納品書) as a page to print: the
// browser's print removes the admin chrome (admin-orders.css, @media
// print). GET /{admin}/orders/{number}/slip
func (h *Handlers) orderSlip(w http.ResponseWriter, r *http.Request) error {
	p, err := h.loadOrderPage(r, r.PathValue("number"))
	if err != nil {
		return err
	}
	sh, err := h.Settings.Shop(r.Context())
	if err != nil {
		return err
	}
	data := struct {
		*orderDetailPage
		Shop any
	}{p, sh}
	return h.page(w, r, http.StatusOK, "admin_order_slip", "admin.orders.slip", data)
}

// orderInvoicePDF answers the order's qualified invoice as a PDF in the
// order's language. Errors: Conflict "admin.orders.no_registration" when
// neither the order nor the shop has a registration number (the document
// would not be a qualified invoice); Unavailable "invoicepdf.no_font"
// when the Japanese font is not installed.
// GET /{admin}/orders/{number}/invoice.pdf
func (h *Handlers) orderInvoicePDF(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	o, err := order.ByNumber(ctx, h.DB, r.PathValue("number"))
	if err != nil {
		return err
	}
	sh, err := h.Settings.Shop(ctx)
	if err != nil {
		return err
	}
	lang, _ := i18n.Parse(o.Lang)
	en := lang == i18n.English
	t := func(k string) string { return i18n.T(lang, "admin.orders.pdf."+k) }
	inv := &invoicepdf.Invoice{
		Labels: invoicepdf.Labels{Title: t("title"), Number: t("number"), Date: t("date"), Registration: t("registration"), Honorific: t("honorific"),
			Item: t("item"), Qty: t("qty"), UnitPrice: t("unit_price"), Amount: t("amount"), RateTotal: t("rate_total"), RateTax: t("rate_tax"),
			Total: t("total"), ReducedNote: t("reduced_note")},
		Issuer: sh.Company, Registration: o.InvoiceNumber, Date: h.DB.Now().In(jst), Number: o.Number,
		Buyer: o.Buyer.FamilyName + " " + o.Buyer.GivenName, Total: o.Total,
		BuyerLines: []string{"〒" + o.Buyer.PostalCode + " " + prefName(o.Buyer.Pref, en) + o.Buyer.City + o.Buyer.Address1 + " " + o.Buyer.Address2},
	}
	if inv.Issuer == "" {
		inv.Issuer = sh.DisplayName(lang)
	}
	if en && sh.CompanyEN != "" {
		inv.Issuer = sh.CompanyEN
	}
	if inv.Registration == "" {
		inv.Registration = sh.InvoiceNumber
	}
	if inv.Registration == "" {
		return shop.Errorf(shop.Conflict, "admin.orders.no_registration")
	}
	addr := sh.Address
	if en && sh.AddressEN != "" {
		addr = sh.AddressEN
	}
	for _, s := range []string{addr, sh.Phone, sh.Email} {
		if s != "" {
			inv.IssuerLines = append(inv.IssuerLines, s)
		}
	}
	for _, l := range o.Lines {
		name := l.NameJA
		if en && l.NameEN != "" {
			name = l.NameEN
		}
		if v := variantName(en, l.VariantJA, l.VariantEN); v != "" {
			name += " (" + v + ")"
		}
		inv.Lines = append(inv.Lines, invoicepdf.Line{Name: name, Reduced: l.Reduced, Qty: l.Qty, UnitPrice: l.UnitPrice, Total: l.Total()})
	}
	if o.DeliveryFee > 0 {
		inv.Fees = append(inv.Fees, invoicepdf.Fee{Label: t("delivery_fee"), Amount: o.DeliveryFee})
	}
	if o.CODFee > 0 {
		inv.Fees = append(inv.Fees, invoicepdf.Fee{Label: t("cod_fee"), Amount: o.CODFee})
	}
	for _, rt := range o.Rates {
		inv.Rates = append(inv.Rates, invoicepdf.Rate{Rate: rt.Rate, Reduced: rt.Reduced, Total: rt.Total, Tax: rt.Tax})
	}
	var buf bytes.Buffer
	if err := invoicepdf.Render(&buf, inv, h.Config.FontPath); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="invoice-`+o.Number+`.pdf"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = buf.WriteTo(w)
	return err
}

func variantName(en bool, ja, e string) string {
	if en && e != "" {
		return e
	}
	return ja
}
