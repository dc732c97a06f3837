// Package customer holds the storefront's customer accounts: registration
// with a confirmation link, sign-in with server-side sessions and a
// revocable "keep me signed in" token, password reset, email change, and
// My Page (orders, saved addresses, profile, favourites, anti-phishing
// code, withdrawal, export of one's own data).
//
// Personal data never goes to the log: handlers log nothing about a
// customer but the ID, and rate-limit keys use a hash of the address.
package customer

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/order"
)

// Statuses of an account.
const (
	Pending   = "pending"   // registered, link not yet followed
	Active    = "active"    // may sign in
	Suspended = "suspended" // closed by the shop; may not sign in
	Withdrawn = "withdrawn" // closed by the customer; personal data scrubbed
)

// Lifetimes of links and sessions.
const (
	ConfirmTTL      = 24 * time.Hour
	ResetTTL        = 30 * time.Minute
	EmailChangeTTL  = 24 * time.Hour
	SessionIdle     = 2 * time.Hour
	SessionAbsolute = 24 * time.Hour
	RememberTTL     = 30 * 24 * time.Hour
	// MaxAddresses is how many delivery addresses a customer may save
	// (EC-CUBE's eccube_deliv_addr_max).
	MaxAddresses = 20
)

// Customer is an account as stored.
type Customer struct {
	ID           int64
	Email        string
	Status       string
	PasswordHash string
	Profile
	AntiPhishing string
	Lang         string
	Note         string // the shop's note (admin only)
	Version      int
	NewsletterAt *time.Time
	TermsAt      time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
	ConfirmedAt  *time.Time
	LastLoginAt  *time.Time
}

// Name is "姓 名" for greetings.
func (c *Customer) Name() string { return strings.TrimSpace(c.FamilyName + " " + c.GivenName) }

// Profile is what a customer may edit about themselves.
type Profile struct {
	order.Address
	Company    string
	Birthday   string // YYYY-MM-DD or ""
	Gender     string // "", female, male, other
	Newsletter bool
}

// ProfileForm is a profile as typed, kept to show it again with errors.
type ProfileForm struct {
	FamilyName, GivenName, FamilyKana, GivenKana string
	Company, Phone, PostalCode, Pref, City       string
	Address1, Address2, Birthday, Gender         string
	Newsletter                                   bool
}

// AddressForm is a delivery address as typed.
type AddressForm struct {
	FamilyName, GivenName, FamilyKana, GivenKana string
	Phone, PostalCode, Pref, City                string
	Address1, Address2                           string
}

func formValue(r *http.Request, k string) string { return strings.TrimSpace(r.PostFormValue(k)) }

// ReadProfileForm reads the profile fields of r.
func ReadProfileForm(r *http.Request) ProfileForm {
	g := func(k string) string { return formValue(r, k) }
	return ProfileForm{
		FamilyName: g("family_name"), GivenName: g("given_name"), FamilyKana: g("family_kana"), GivenKana: g("given_kana"),
		Company: g("company"), Phone: g("phone"), PostalCode: g("postal_code"), Pref: g("pref"), City: g("city"),
		Address1: g("address1"), Address2: g("address2"), Birthday: g("birthday"), Gender: g("gender"),
		Newsletter: r.PostFormValue("newsletter") == "1",
	}
}

// ReadAddressForm reads the address fields of r.
func ReadAddressForm(r *http.Request) AddressForm {
	g := func(k string) string { return formValue(r, k) }
	return AddressForm{
		FamilyName: g("family_name"), GivenName: g("given_name"), FamilyKana: g("family_kana"), GivenKana: g("given_kana"),
		Phone: g("phone"), PostalCode: g("postal_code"), Pref: g("pref"), City: g("city"),
		Address1: g("address1"), Address2: g("address2"),
	}
}

// FormOf returns the form showing p.
func FormOf(p Profile) ProfileForm {
	f := ProfileForm{Company: p.Company, Birthday: p.Birthday, Gender: p.Gender, Newsletter: p.Newsletter}
	a := AddressFormOf(p.Address)
	f.FamilyName, f.GivenName, f.FamilyKana, f.GivenKana = a.FamilyName, a.GivenName, a.FamilyKana, a.GivenKana
	f.Phone, f.PostalCode, f.Pref, f.City, f.Address1, f.Address2 = a.Phone, a.PostalCode, a.Pref, a.City, a.Address1, a.Address2
	return f
}

// AddressFormOf returns the form showing a.
func AddressFormOf(a order.Address) AddressForm {
	f := AddressForm{FamilyName: a.FamilyName, GivenName: a.GivenName, FamilyKana: a.FamilyKana, GivenKana: a.GivenKana,
		Phone: a.Phone, PostalCode: a.PostalCode, City: a.City, Address1: a.Address1, Address2: a.Address2}
	if a.Pref > 0 {
		f.Pref = strconv.Itoa(a.Pref)
	}
	return f
}

var birthdayRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// Validate turns the form into a Profile, and a map of field → i18n key
// for every field that is wrong. now bounds the birthday.
func (f ProfileForm) Validate(now time.Time, errs map[string]string) Profile {
	p := Profile{Company: f.Company, Gender: f.Gender, Newsletter: f.Newsletter}
	p.Address = AddressForm{f.FamilyName, f.GivenName, f.FamilyKana, f.GivenKana, f.Phone, f.PostalCode, f.Pref, f.City, f.Address1, f.Address2}.Validate(errs)
	if utf8.RuneCountInString(f.Company) > 100 {
		errs["company"] = "customer.too_long"
	}
	switch f.Gender {
	case "", "female", "male", "other":
	default:
		errs["gender"] = "customer.bad_gender"
	}
	if f.Birthday != "" {
		t, err := time.Parse("2006-01-02", f.Birthday)
		if !birthdayRe.MatchString(f.Birthday) || err != nil || t.After(now) || t.Year() < 1900 {
			errs["birthday"] = "customer.bad_birthday"
		} else {
			p.Birthday = f.Birthday
		}
	}
	return p
}

// Validate turns the form into an address, recording wrong fields in errs.
func (f AddressForm) Validate(errs map[string]string) order.Address {
	a := order.Address{FamilyName: f.FamilyName, GivenName: f.GivenName, City: f.City, Address1: f.Address1, Address2: f.Address2}
	for k, v := range map[string]string{"family_name": f.FamilyName, "given_name": f.GivenName, "city": f.City, "address1": f.Address1} {
		if v == "" {
			errs[k] = "customer.required"
		} else if utf8.RuneCountInString(v) > 100 {
			errs[k] = "customer.too_long"
		}
	}
	if utf8.RuneCountInString(f.Address2) > 100 {
		errs["address2"] = "customer.too_long"
	}
	var err error
	if a.FamilyKana, err = jp.Kana(f.FamilyKana); err != nil {
		errs["family_kana"] = "customer.bad_kana"
	}
	if a.GivenKana, err = jp.Kana(f.GivenKana); err != nil {
		errs["given_kana"] = "customer.bad_kana"
	}
	if a.Phone, err = jp.Phone(f.Phone); err != nil {
		errs["phone"] = "customer.bad_phone"
	}
	if a.PostalCode, err = jp.PostalCode(f.PostalCode); err != nil {
		errs["postal_code"] = "customer.bad_postal"
	}
	if n, err := strconv.Atoi(f.Pref); err != nil {
		errs["pref"] = "customer.bad_pref"
	} else if _, ok := jp.PrefectureByCode(n); !ok {
		errs["pref"] = "customer.bad_pref"
	} else {
		a.Pref = n
	}
	return a
}

// EmailKey is the form of an address used for uniqueness and lookups:
// jp.Email's normalisation, lower-cased whole (two accounts differing only
// in the case of the local part would be one person's).
func EmailKey(email string) string { return strings.ToLower(email) }
