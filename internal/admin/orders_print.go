package admin

import (
	"bytes"
	"net/http"
	"slices"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/invoicepdf"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
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
	return h.page(w, r, http.StatusOK, "admin_order_slip", "admin.orders.slip", slipData{p, sh})
}

// slipData is what a delivery slip shows.
type slipData struct {
	*orderDetailPage
	Shop any
}

// ordersSlips shows the delivery slips of the orders the list's bulk
// form selected (ids=…, or the search) as one page to print, one slip a
// sheet, oldest order first. Errors: Invalid "order.bulk.too_many_invoices"
// over maxInvoicesPDF orders, Invalid "order.bulk.empty" for none.
// GET /{admin}/orders/slips
func (h *Handlers) ordersSlips(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	numbers, err := h.selectedNumbers(r)
	if err != nil {
		return err
	}
	sh, err := h.Settings.Shop(ctx)
	if err != nil {
		return err
	}
	var pages []*web.Page
	for _, n := range numbers {
		p, err := h.loadOrderPage(r, n)
		if err != nil {
			return err
		}
		pages = append(pages, &web.Page{Lang: web.Info(r).Lang, Data: slipData{p, sh}})
	}
	return h.page(w, r, http.StatusOK, "admin_order_slips", "admin.orders.slip", struct{ Pages []*web.Page }{pages})
}

// selectedNumbers returns the numbers of the orders a bulk print selects
// (ids=… or the search), oldest first. Errors: Invalid
// "order.bulk.too_many_invoices" over maxInvoicesPDF, Invalid
// "order.bulk.empty" for none.
func (h *Handlers) selectedNumbers(r *http.Request) ([]string, error) {
	f := order.ParseFilter(r.URL.Query(), h.DB.Now())
	var numbers []string
	err := order.Each(r.Context(), h.DB, f, func(s *order.Summary) error {
		if len(numbers) == maxInvoicesPDF {
			return shop.Errorf(shop.Invalid, "order.bulk.too_many_invoices", maxInvoicesPDF)
		}
		numbers = append(numbers, s.Number)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(numbers) == 0 {
		return nil, shop.Errorf(shop.Invalid, "order.bulk.empty")
	}
	slices.Reverse(numbers)
	return numbers, nil
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
	inv, err := h.invoiceOf(o, sh)
	if err != nil {
		return err
	}
	return h.writePDF(w, []*invoicepdf.Invoice{inv}, "invoice-"+o.Number+".pdf")
}

// maxInvoicesPDF bounds the invoices printed as one PDF.
const maxInvoicesPDF = 500

// ordersInvoicesPDF answers the invoices of the orders the list's bulk
// form selected (ids=…, or the search) as one PDF, one invoice from a
// new page each, oldest order first. Errors: Invalid
// "order.bulk.too_many_invoices" over maxInvoicesPDF orders, Invalid
// "order.bulk.empty" for none; those of orderInvoicePDF.
// GET /{admin}/orders/invoices.pdf
func (h *Handlers) ordersInvoicesPDF(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	numbers, err := h.selectedNumbers(r)
	if err != nil {
		return err
	}
	sh, err := h.Settings.Shop(ctx)
	if err != nil {
		return err
	}
	invs := make([]*invoicepdf.Invoice, 0, len(numbers))
	for _, n := range numbers {
		o, err := order.ByNumber(ctx, h.DB, n)
		if err != nil {
			return err
		}
		inv, err := h.invoiceOf(o, sh)
		if err != nil {
			return err
		}
		invs = append(invs, inv)
	}
	if err := audit.Record(ctx, h.DB, AuditEntry(r, "order.invoices_printed", "", map[string]any{"orders": len(numbers), "filter": r.URL.RawQuery})); err != nil {
		return err
	}
	return h.writePDF(w, invs, "invoices.pdf")
}

// writePDF renders invs as one PDF into w.
func (h *Handlers) writePDF(w http.ResponseWriter, invs []*invoicepdf.Invoice, filename string) error {
	font := h.Config.FontPath
	if font == "" {
		font = invoicepdf.DefaultFont
	}
	var buf bytes.Buffer
	if err := invoicepdf.RenderAll(&buf, invs, font); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+filename+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err := buf.WriteTo(w)
	return err
}

// invoiceOf lays out o's qualified invoice in the order's language.
// Errors: Conflict "admin.orders.no_registration" (with the order's
// number) when neither the order nor the shop has a registration number.
func (h *Handlers) invoiceOf(o *order.Order, sh settings.Shop) (*invoicepdf.Invoice, error) {
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
		return nil, shop.Errorf(shop.Conflict, "admin.orders.no_registration")
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
	if o.MemberDiscount > 0 { // a price reduction of the items, per rate in the totals below
		inv.Fees = append(inv.Fees, invoicepdf.Fee{Label: i18n.T(lang, "customers13.member_discount", o.MemberPercent), Amount: -o.MemberDiscount})
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
	return inv, nil
}

func variantName(en bool, ja, e string) string {
	if en && e != "" {
		return e
	}
	return ja
}
