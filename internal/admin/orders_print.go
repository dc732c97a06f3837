package admin

import (
	"bytes"
	"context"
	"fmt"
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

// ordersSlips answers the delivery slips (納品書) of the orders the
// list's bulk form selected (ids=…, or the search) as one PDF, one slip
// from a new page each, every parcel listed, oldest order first. The
// orders are loaded and drawn one at a time. Errors: Invalid
// "order.bulk.too_many_invoices" over maxInvoicesPDF orders, Invalid
// "order.bulk.empty" for none. GET /{admin}/orders/slips
func (h *Handlers) ordersSlips(w http.ResponseWriter, r *http.Request) error {
	return h.printPDF(w, r, true, "slips.pdf", "order.slips_printed")
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
	inv, err := h.invoiceOf(ctx, o, sh)
	if err != nil {
		return err
	}
	return h.writePDF(w, []*invoicepdf.Invoice{inv}, "invoice-"+o.Number+".pdf")
}

// maxInvoicesPDF bounds the invoices printed as one PDF.
const maxInvoicesPDF = 2000

// ordersInvoicesPDF answers the invoices of the orders the list's bulk
// form selected (ids=…, or the search) as one PDF, one invoice from a
// new page each, oldest order first. Errors: Invalid
// "order.bulk.too_many_invoices" over maxInvoicesPDF orders, Invalid
// "order.bulk.empty" for none; those of orderInvoicePDF.
// GET /{admin}/orders/invoices.pdf
func (h *Handlers) ordersInvoicesPDF(w http.ResponseWriter, r *http.Request) error {
	return h.printPDF(w, r, false, "invoices.pdf", "order.invoices_printed")
}

// streamAbove is the size of a print above which the PDF is streamed
// (invoicepdf.Stream: one page in memory whatever the number of orders,
// the whole font embedded, about 4 MB); smaller prints are drawn in memory
// with a font subset (invoicepdf.Doc: about 14 KB of heap per order, a
// much smaller file). docs/PERFORMANCE.md has the figures.
const streamAbove = 100

// printPDF draws the slips or invoices of the selected orders into one
// PDF, loading one order at a time, and audits the print.
func (h *Handlers) printPDF(w http.ResponseWriter, r *http.Request, slip bool, filename, action string) error {
	ctx := r.Context()
	numbers, err := h.selectedNumbers(r)
	if err != nil {
		return err
	}
	sh, err := h.Settings.Shop(ctx)
	if err != nil {
		return err
	}
	next := func(n string) (*invoicepdf.Invoice, error) {
		o, err := order.ByNumber(ctx, h.DB, n)
		if err != nil {
			return nil, err
		}
		return h.documentOf(ctx, o, sh, slip)
	}
	title := web.T(r, "admin.orders.pdf.title")
	audited := func() error {
		return audit.Record(ctx, h.DB, AuditEntry(r, action, "", map[string]any{"orders": len(numbers), "filter": r.URL.RawQuery}))
	}
	header := func() {
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `inline; filename="`+filename+`"`)
		w.Header().Set("Cache-Control", "no-store")
	}
	if len(numbers) > streamAbove {
		// The first document is laid out before anything is sent, so a
		// shop without a registration number gets its message, not a
		// broken file.
		first, err := next(numbers[0])
		if err != nil {
			return err
		}
		doc, err := invoicepdf.NewStream(w, h.Config.FontPath, title, h.DB.Now())
		if err != nil {
			return err
		}
		if err := audited(); err != nil {
			return err
		}
		header()
		if err := streamPDF(doc, first, numbers[1:], next); err != nil {
			// Part of the file is sent: end the response so the browser
			// reports a failed download rather than keep a cut PDF.
			h.Log.Error("bulk PDF", "request_id", web.Info(r).ID, "orders", len(numbers), "err", err)
			panic(http.ErrAbortHandler)
		}
		return nil
	}
	doc, err := invoicepdf.NewDoc(h.Config.FontPath, title, h.DB.Now())
	if err != nil {
		return err
	}
	for _, n := range numbers {
		inv, err := next(n)
		if err != nil {
			return err
		}
		if err := doc.Add(inv); err != nil {
			return err
		}
	}
	if err := audited(); err != nil {
		return err
	}
	header()
	return doc.Write(w)
}

// streamPDF adds first and the documents of the other numbers to doc,
// loading one order at a time, and closes it.
func streamPDF(doc *invoicepdf.Stream, first *invoicepdf.Invoice, rest []string, next func(string) (*invoicepdf.Invoice, error)) error {
	if err := doc.Add(first); err != nil {
		return err
	}
	for _, n := range rest {
		inv, err := next(n)
		if err != nil {
			return err
		}
		if err := doc.Add(inv); err != nil {
			return err
		}
	}
	return doc.Close()
}

// writePDF renders invs as one PDF into w.
func (h *Handlers) writePDF(w http.ResponseWriter, invs []*invoicepdf.Invoice, filename string) error {
	var buf bytes.Buffer
	if err := invoicepdf.RenderAll(&buf, invs, h.Config.FontPath); err != nil {
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
func (h *Handlers) invoiceOf(ctx context.Context, o *order.Order, sh settings.Shop) (*invoicepdf.Invoice, error) {
	return h.documentOf(ctx, o, sh, false)
}

// documentOf lays out o's invoice, or its delivery slip (納品書) when
// slip: the same page without the registration number, which a slip
// does not need. Both list every parcel of a split order.
func (h *Handlers) documentOf(ctx context.Context, o *order.Order, sh settings.Shop, slip bool) (*invoicepdf.Invoice, error) {
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
	if inv.Registration == "" && !slip {
		return nil, shop.Errorf(shop.Conflict, "admin.orders.no_registration")
	}
	if slip {
		inv.Slip = true
		inv.Labels.Title = i18n.T(lang, "paydeliv.slip.title")
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
	if len(o.Parcels) > 1 {
		// Every parcel with its own fee and recipient: their sum is the
		// order's delivery fee.
		for _, p := range o.Parcels {
			inv.Fees = append(inv.Fees, invoicepdf.Fee{Label: i18n.T(lang, "admin.orders.pdf.parcel_fee", p.Seq,
				p.Ship.FamilyName+" "+p.Ship.GivenName, p.Ship.PostalCode), Amount: p.Fee})
		}
	} else if o.DeliveryFee > 0 {
		inv.Fees = append(inv.Fees, invoicepdf.Fee{Label: t("delivery_fee"), Amount: o.DeliveryFee})
	}
	if o.CODFee > 0 {
		inv.Fees = append(inv.Fees, invoicepdf.Fee{Label: t("cod_fee"), Amount: o.CODFee})
	}
	discounts, err := discountLines(ctx, h.DB, o, lang)
	if err != nil {
		return nil, err
	}
	inv.Fees = append(inv.Fees, discounts...)
	for _, rt := range o.Rates {
		inv.Rates = append(inv.Rates, invoicepdf.Rate{Rate: rt.Rate, Reduced: rt.Reduced, Total: rt.Total, Tax: rt.Tax})
	}
	if len(o.Parcels) > 1 {
		for _, p := range o.Parcels {
			a := p.Ship
			b := invoicepdf.Parcel{Heading: fmt.Sprintf(i18n.T(lang, "paydeliv.slip.parcel"), p.Seq, yen(p.Fee)), Lines: []string{
				"〒" + a.PostalCode + " " + prefName(a.Pref, en) + a.City + a.Address1 + " " + a.Address2,
				a.FamilyName + " " + a.GivenName + " " + t("honorific") + "  TEL " + a.Phone,
			}}
			for _, it := range p.Items {
				if it.Line < 0 || it.Line >= len(o.Lines) {
					continue
				}
				l := o.Lines[it.Line]
				name := l.NameJA
				if en && l.NameEN != "" {
					name = l.NameEN
				}
				b.Lines = append(b.Lines, fmt.Sprintf("%s × %d", name, it.Qty))
			}
			inv.Parcels = append(inv.Parcels, b)
		}
	}
	return inv, nil
}

func yen(y shop.Yen) string { return "¥" + y.String() }

func variantName(en bool, ja, e string) string {
	if en && e != "" {
		return e
	}
	return ja
}
