package checkout

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/order"
)

// Form is the checkout form as typed, kept to show it again with errors.
type Form struct {
	FamilyName, GivenName, FamilyKana, GivenKana            string
	Email, Email2, Phone                                    string
	PostalCode, Pref, City, Address1, Address2              string
	ShipOther                                               bool
	SFamilyName, SGivenName, SFamilyKana, SGivenKana        string
	SPhone, SPostalCode, SPref, SCity, SAddress1, SAddress2 string
	Method, Date, Slot, Payment, CardToken, Note            string
	Key                                                     string
	Coupon, Points                                          string
	// Multi is the multiple-shipping form: Dests replace the ship-to
	// address and the delivery fields.
	Multi bool
	Dests []DestForm
}

// ReadForm reads the checkout fields of r.
func ReadForm(r *http.Request) *Form {
	g := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	f := &Form{
		FamilyName: g("family_name"), GivenName: g("given_name"), FamilyKana: g("family_kana"), GivenKana: g("given_kana"),
		Email: g("email"), Email2: g("email2"), Phone: g("phone"),
		PostalCode: g("postal_code"), Pref: g("pref"), City: g("city"), Address1: g("address1"), Address2: g("address2"),
		ShipOther:   r.PostFormValue("ship_other") == "1",
		SFamilyName: g("s_family_name"), SGivenName: g("s_given_name"), SFamilyKana: g("s_family_kana"), SGivenKana: g("s_given_kana"),
		SPhone: g("s_phone"), SPostalCode: g("s_postal_code"), SPref: g("s_pref"), SCity: g("s_city"), SAddress1: g("s_address1"), SAddress2: g("s_address2"),
		Method: g("method"), Date: g("date"), Slot: g("slot"), Payment: g("payment"), CardToken: g("card_token"),
		Note: r.PostFormValue("note"), Key: g("key"),
		Multi:  r.PostFormValue("multi") == "1",
		Coupon: g("coupon"), Points: g("points"),
	}
	if f.Multi {
		f.Dests = readDests(r)
	}
	return f
}

// Validate turns the form into an Input (without CartID, Key and Lang)
// and a map of field → i18n key for every field that is wrong.
func (f *Form) Validate() (*Input, map[string]string) {
	errs := map[string]string{}
	in := &Input{Date: f.Date, Slot: f.Slot, PaymentMethod: f.Payment, CardToken: f.CardToken, Note: f.Note}
	in.Buyer = f.address(errs, "", f.FamilyName, f.GivenName, f.FamilyKana, f.GivenKana, f.Phone, f.PostalCode, f.Pref, f.City, f.Address1, f.Address2)
	if f.Multi {
		f.validateDests(in, errs)
	} else if f.ShipOther {
		in.Ship = f.address(errs, "s_", f.SFamilyName, f.SGivenName, f.SFamilyKana, f.SGivenKana, f.SPhone, f.SPostalCode, f.SPref, f.SCity, f.SAddress1, f.SAddress2)
	} else {
		in.Ship = in.Buyer
	}
	if e, err := jp.Email(f.Email); err != nil {
		errs["email"] = "checkout.bad_email"
	} else {
		in.Email = e
		if e2, _ := jp.Email(f.Email2); e2 != e {
			errs["email2"] = "checkout.email_mismatch"
		}
	}
	if f.Multi {
		// Each destination has its method.
	} else if id, err := strconv.ParseInt(f.Method, 10, 64); err != nil {
		errs["method"] = "checkout.bad_method"
	} else {
		in.MethodID = id
	}
	// Which methods the shop offers is the quote's to say (the operator's
	// payment methods); the form checks the shape of the code only.
	switch {
	case f.Payment == order.Card:
		if !strings.HasPrefix(f.CardToken, "pm_") || len(f.CardToken) > 255 {
			errs["card_token"] = "checkout.bad_card"
		}
	case !paymentCodeRE.MatchString(f.Payment):
		errs["payment"] = "checkout.bad_payment"
	}
	in.Coupon, in.Points = readLoyalty(f, errs)
	if utf8.RuneCountInString(f.Note) > 2000 {
		errs["note"] = "checkout.too_long"
	}
	return in, errs
}

var paymentCodeRE = regexp.MustCompile(`^[a-z][a-z0-9_]{1,31}$`)

func (f *Form) address(errs map[string]string, p, fam, giv, fkana, gkana, phone, postal, pref, city, a1, a2 string) order.Address {
	a := order.Address{FamilyName: fam, GivenName: giv, City: city, Address1: a1, Address2: a2}
	required := map[string]string{"family_name": fam, "given_name": giv, "city": city, "address1": a1}
	for k, v := range required {
		if v == "" {
			errs[p+k] = "checkout.required"
		} else if utf8.RuneCountInString(v) > 100 {
			errs[p+k] = "checkout.too_long"
		}
	}
	if utf8.RuneCountInString(a2) > 100 {
		errs[p+"address2"] = "checkout.too_long"
	}
	var err error
	if a.FamilyKana, err = jp.Kana(fkana); err != nil {
		errs[p+"family_kana"] = "checkout.bad_kana"
	}
	if a.GivenKana, err = jp.Kana(gkana); err != nil {
		errs[p+"given_kana"] = "checkout.bad_kana"
	}
	if a.Phone, err = jp.Phone(phone); err != nil {
		errs[p+"phone"] = "checkout.bad_phone"
	}
	if a.PostalCode, err = jp.PostalCode(postal); err != nil {
		errs[p+"postal_code"] = "checkout.bad_postal"
	}
	if n, err := strconv.Atoi(pref); err != nil {
		errs[p+"pref"] = "checkout.bad_pref"
	} else if _, ok := jp.PrefectureByCode(n); !ok {
		errs[p+"pref"] = "checkout.bad_pref"
	} else {
		a.Pref = n
	}
	return a
}
