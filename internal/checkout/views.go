package checkout

import "github.com/akinai/akinai/internal/web"

// fieldsBlock is what the "checkout_address" and "checkout_delivery"
// partials (templates/_fields.html) show: one address and its delivery
// choice, posted under Prefix ("" for the buyer, "s_" for the ship-to
// address, "dN_" for a destination of a split order). It embeds the page,
// so the partials translate with .T and read $.Data like the pages do.
type fieldsBlock struct {
	*web.Page
	Prefix string
	Lookup string // the value of the postcode lookup button
	// Hints adds autocomplete hints to the names and the phone (the
	// buyer's and ship-to's, not those of a split order's destinations).
	Hints bool

	FamilyName, GivenName, FamilyKana, GivenKana string
	Phone, PostalCode, Pref, City                string
	Address1, Address2                           string
	Method, Date, Slot                           string
}

// Buyer is the buyer's address of the form for the partials.
func (d *formData) Buyer(p *web.Page) fieldsBlock {
	f := d.F
	return fieldsBlock{Page: p, Lookup: "buyer", Hints: true,
		FamilyName: f.FamilyName, GivenName: f.GivenName, FamilyKana: f.FamilyKana, GivenKana: f.GivenKana,
		Phone: f.Phone, PostalCode: f.PostalCode, Pref: f.Pref, City: f.City, Address1: f.Address1, Address2: f.Address2}
}

// Ship is the ship-to address of a one-address form for the partials.
func (d *formData) Ship(p *web.Page) fieldsBlock {
	f := d.F
	return fieldsBlock{Page: p, Prefix: "s_", Lookup: "ship", Hints: true,
		FamilyName: f.SFamilyName, GivenName: f.SGivenName, FamilyKana: f.SFamilyKana, GivenKana: f.SGivenKana,
		Phone: f.SPhone, PostalCode: f.SPostalCode, Pref: f.SPref, City: f.SCity, Address1: f.SAddress1, Address2: f.SAddress2}
}

// Delivery is the delivery choice of a one-address form for the
// partials: its fields carry no prefix.
func (d *formData) Delivery(p *web.Page) fieldsBlock {
	return fieldsBlock{Page: p, Method: d.F.Method, Date: d.F.Date, Slot: d.F.Slot}
}

// Dest is a destination of the multiple-shipping form for the partials;
// its lookup button posts the prefix without "_" ("d1").
func (d *formData) Dest(p *web.Page, dest DestForm) fieldsBlock {
	return fieldsBlock{Page: p, Prefix: dest.Prefix, Lookup: dest.Prefix[:2],
		FamilyName: dest.FamilyName, GivenName: dest.GivenName, FamilyKana: dest.FamilyKana, GivenKana: dest.GivenKana,
		Phone: dest.Phone, PostalCode: dest.PostalCode, Pref: dest.Pref, City: dest.City, Address1: dest.Address1, Address2: dest.Address2,
		Method: dest.Method, Date: dest.Date, Slot: dest.Slot}
}

// summaryBlock is what the "checkout_summary" partial
// (templates/_summary.html) shows: the order's lines, totals, payment and
// addresses, on the confirmation and the done page alike.
type summaryBlock struct {
	*web.Page
	V *View
}

// Summary is v on page p for the "checkout_summary" partial.
func (v *View) Summary(p *web.Page) summaryBlock { return summaryBlock{Page: p, V: v} }
