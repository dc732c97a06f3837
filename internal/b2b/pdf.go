package b2b

import (
	"context"
	"io"
	"strings"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/invoice"
	"github.com/akinai/akinai/internal/invoicepdf"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
)

// labels are the document's words in lang; title and number name the
// kind of document (見積書 / 請求書).
func labels(lang i18n.Lang, title, number string) invoicepdf.Labels {
	t := func(k string) string { return i18n.T(lang, "admin.orders.pdf."+k) }
	return invoicepdf.Labels{Title: i18n.T(lang, title), Number: i18n.T(lang, number), Date: t("date"), Registration: t("registration"),
		Honorific: i18n.T(lang, "b2b.pdf.honorific"), Item: t("item"), Qty: t("qty"), UnitPrice: t("unit_price"), Amount: t("amount"),
		RateTotal: t("rate_total"), RateTax: t("rate_tax"), Total: t("total"), ReducedNote: t("reduced_note")}
}

// issuer fills the shop's side of a document.
func issuer(doc *invoicepdf.Invoice, sh settings.Shop, lang i18n.Lang) {
	doc.Issuer = sh.Company
	if lang == i18n.English && sh.CompanyEN != "" {
		doc.Issuer = sh.CompanyEN
	}
	if doc.Issuer == "" {
		doc.Issuer = sh.DisplayName(lang)
	}
	addr := sh.Address
	if lang == i18n.English && sh.AddressEN != "" {
		addr = sh.AddressEN
	}
	for _, s := range []string{addr, sh.Phone, sh.Email} {
		if s != "" {
			doc.IssuerLines = append(doc.IssuerLines, s)
		}
	}
}

func companyLines(c Company, lang i18n.Lang) []string {
	var out []string
	if c.PostalCode != "" {
		p, _ := jp.PrefectureByCode(c.Pref)
		pref := p.Name
		if lang == i18n.English {
			pref = p.NameEn
		}
		out = append(out, "〒"+c.PostalCode+" "+pref+c.City+c.Addr1+" "+c.Addr2)
	}
	if c.Registration != "" {
		out = append(out, i18n.T(lang, "admin.orders.pdf.registration")+": "+c.Registration)
	}
	return out
}

// QuotePDF writes the quote as a 見積書 in lang.
func (s *Service) QuotePDF(ctx context.Context, w io.Writer, qt *Quote, lang i18n.Lang) error {
	sh, err := s.Settings.Shop(ctx)
	if err != nil {
		return err
	}
	c, err := companyByID(ctx, s.DB, qt.CompanyID)
	if err != nil {
		return err
	}
	doc := &invoicepdf.Invoice{Labels: labels(lang, "b2b.pdf.quote_title", "b2b.pdf.quote_number"), Number: qt.Number,
		Buyer: c.Name, BuyerLines: companyLines(c, lang), Registration: sh.InvoiceNumber, Slip: sh.InvoiceNumber == "", Total: qt.Total,
		Refers: []string{i18n.T(lang, "b2b.pdf.valid_until", qt.ValidUntil)}}
	if qt.SentAt != nil {
		doc.Date = qt.SentAt.In(calendar.Tokyo())
	}
	issuer(doc, sh, lang)
	calc := invoice.Order{}
	for _, l := range qt.Lines {
		doc.Lines = append(doc.Lines, invoicepdf.Line{Name: l.Name(lang) + " [" + l.SKU + "]", Reduced: l.Reduced, Qty: l.Qty, UnitPrice: l.UnitPrice, Total: l.Total()})
		cl := shop.TaxStandard
		if l.Reduced {
			cl = shop.TaxReduced
		}
		calc.Lines = append(calc.Lines, invoice.Line{Rate: l.Rate, UnitPrice: l.UnitPrice, Qty: l.Qty, Class: cl})
	}
	b, err := invoice.Compute(calc, sh.Rounding)
	if err != nil {
		return err
	}
	for _, r := range b.Rates {
		doc.Rates = append(doc.Rates, invoicepdf.Rate{Rate: r.Rate, Reduced: r.Reduced, Total: r.Total, Tax: r.Tax})
	}
	if qt.Conditions != "" {
		doc.Parcels = append(doc.Parcels, invoicepdf.Parcel{Heading: i18n.T(lang, "b2b.pdf.conditions"), Lines: strings.Split(qt.Conditions, "\n")})
	}
	return render(w, doc, s.FontPath)
}

func render(w io.Writer, doc *invoicepdf.Invoice, font string) error {
	d, err := invoicepdf.NewDoc(font, doc.Labels.Title, doc.Date)
	if err != nil {
		return err
	}
	if err := d.Add(doc); err != nil {
		return err
	}
	return d.Write(w)
}

// InvoicePDF writes the monthly invoice as a qualified invoice (適格請求書)
// in lang: the shop and its registration number, the company's name, every
// order's lines with ※ on reduced-rate items, and the invoice's per-rate
// totals and tax. Errors: Conflict "b2b.pdf.no_registration" when the
// shop had no registration number when it was issued.
func (s *Service) InvoicePDF(ctx context.Context, w io.Writer, inv *Invoice, lang i18n.Lang) error {
	if inv.Registration == "" {
		return shop.Errorf(shop.Conflict, "b2b.pdf.no_registration")
	}
	sh, err := s.Settings.Shop(ctx)
	if err != nil {
		return err
	}
	m, err := s.Settings.All(ctx)
	if err != nil {
		return err
	}
	c, err := companyByID(ctx, s.DB, inv.CompanyID)
	if err != nil {
		return err
	}
	date, _ := calendar.ParseDate(inv.To)
	doc := &invoicepdf.Invoice{Labels: labels(lang, "b2b.pdf.invoice_title", "b2b.pdf.invoice_number"), Number: inv.Number,
		Date: date.Time(), Buyer: c.Name, BuyerLines: companyLines(c, lang), Registration: inv.Registration, Total: inv.Total,
		Refers: []string{i18n.T(lang, "b2b.pdf.period", inv.From, inv.To), i18n.T(lang, "b2b.pdf.due", inv.Due)}}
	issuer(doc, sh, lang)
	numbers, err := invoiceOrders(ctx, s.DB, inv.ID)
	if err != nil {
		return err
	}
	en := lang == i18n.English
	for _, n := range numbers {
		o, err := order.ByNumber(ctx, s.DB, n)
		if err != nil {
			return err
		}
		head := o.CreatedAt.In(calendar.Tokyo()).Format("01/02") + " " + o.Number + " "
		for _, l := range o.Lines {
			name := l.NameJA
			if en && l.NameEN != "" {
				name = l.NameEN
			}
			doc.Lines = append(doc.Lines, invoicepdf.Line{Name: head + name, Reduced: l.Reduced, Qty: l.Qty, UnitPrice: l.UnitPrice, Total: l.Total()})
		}
		for _, f := range []struct {
			key string
			amt shop.Yen
		}{{"admin.orders.pdf.delivery_fee", o.DeliveryFee}, {"admin.orders.pdf.cod_fee", o.CODFee}, {"b2b.pdf.discount", -o.Discount - o.MemberDiscount}} {
			if f.amt != 0 {
				doc.Lines = append(doc.Lines, invoicepdf.Line{Name: head + i18n.T(lang, f.key), Qty: 1, UnitPrice: f.amt, Total: f.amt})
			}
		}
	}
	for _, r := range inv.Rates {
		doc.Rates = append(doc.Rates, invoicepdf.Rate{Rate: r.Rate, Reduced: r.Reduced, Total: r.Total, Tax: r.Tax})
	}
	if bank := strings.TrimSpace(m[settings.BankAccount]); bank != "" {
		doc.Parcels = append(doc.Parcels, invoicepdf.Parcel{Heading: i18n.T(lang, "b2b.pdf.bank"), Lines: strings.Split(bank, "\n")})
	}
	return render(w, doc, s.FontPath)
}
