package refund

import (
	"bytes"
	"net/http"
	"strconv"
	"time"

	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/invoicepdf"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
)

var jst = time.FixedZone("JST", 9*60*60)

// CreditNote lays out refund r of order o as a qualified credit note
// (適格返還請求書, 消費税法第57条の4第3項): the issuer and its registration
// number, the date of the refund, the date and number of the sale it
// refunds, what was returned with reduced-rate items marked ※, and per
// rate the amount refunded and the tax in it. An Adjust refund's rate
// may be negative (the edit added an item at that rate); the sum is what
// was refunded. Errors: Conflict "admin.orders.no_registration" when
// neither the order nor the shop has a registration number.
func CreditNote(o *order.Order, r *Refund, sh settings.Shop) (*invoicepdf.Invoice, error) {
	lang, _ := i18n.Parse(o.Lang)
	en := lang == i18n.English
	t := func(k string) string { return i18n.T(lang, "admin.orders.pdf."+k) }
	c := func(k string, args ...any) string { return i18n.T(lang, "refund.pdf."+k, args...) }
	inv := &invoicepdf.Invoice{
		Labels: invoicepdf.Labels{Title: c("title"), Number: c("number"), Date: c("date"), Registration: t("registration"), Honorific: t("honorific"),
			Item: t("item"), Qty: t("qty"), UnitPrice: c("unit_amount"), Amount: t("amount"), RateTotal: c("rate_total"), RateTax: t("rate_tax"),
			Total: c("total"), ReducedNote: t("reduced_note")},
		Issuer: sh.Company, Registration: o.InvoiceNumber, Date: r.CreatedAt.In(jst),
		Number: o.Number + "-R" + strconv.FormatInt(r.ID, 10),
		Buyer:  o.Buyer.FamilyName + " " + o.Buyer.GivenName, Total: r.Amount,
		Refers: []string{c("refers", o.Number, o.CreatedAt.In(jst).Format("2006-01-02")), c("kind." + r.Kind)},
	}
	if p, ok := jp.PrefectureByCode(o.Buyer.Pref); ok {
		name := p.Name
		if en {
			name = p.NameEn
		}
		inv.BuyerLines = []string{"〒" + o.Buyer.PostalCode + " " + name + o.Buyer.City + o.Buyer.Address1 + " " + o.Buyer.Address2}
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
	for _, l := range r.Lines {
		inv.Lines = append(inv.Lines, invoicepdf.Line{Name: l.Name + " (" + l.SKU + ")", Reduced: l.Reduced, Qty: l.Qty,
			UnitPrice: l.UnitAmount, Total: l.UnitAmount * shop.Yen(l.Qty)})
	}
	if r.DeliveryFee > 0 {
		inv.Fees = append(inv.Fees, invoicepdf.Fee{Label: t("delivery_fee"), Amount: r.DeliveryFee})
	}
	if r.CODFee > 0 {
		inv.Fees = append(inv.Fees, invoicepdf.Fee{Label: t("cod_fee"), Amount: r.CODFee})
	}
	if r.Kind != Return {
		inv.Fees = append(inv.Fees, invoicepdf.Fee{Label: c("adjustment"), Amount: r.Amount})
	}
	for _, rt := range r.Rates {
		inv.Rates = append(inv.Rates, invoicepdf.Rate{Rate: rt.Rate, Reduced: rt.Reduced, Total: rt.Total, Tax: rt.Tax})
	}
	return inv, nil
}

// creditNote sends refund {id}'s credit note as a PDF.
// GET /{admin}/orders/{number}/refunds/{id}/credit-note.pdf
func (a *Admin) creditNote(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	o, err := order.ByNumber(ctx, a.DB, r.PathValue("number"))
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return shop.ErrNotFound
	}
	rf, err := ByID(ctx, a.DB, o.ID, id)
	if err != nil {
		return err
	}
	sh, err := a.Settings.Shop(ctx)
	if err != nil {
		return err
	}
	inv, err := CreditNote(o, rf, sh)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := invoicepdf.Render(&buf, inv, a.Font); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="credit-note-`+inv.Number+`.pdf"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = buf.WriteTo(w)
	return err
}
