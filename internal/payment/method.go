package payment

import (
	"slices"

	"github.com/akinai/akinai/internal/shop"
)

// Kind is what the shop does with a payment method; the operator names
// methods and sets their fees, the kind decides the flow.
type Kind string

const (
	Card         Kind = "card"          // charged through the provider at the order
	Konbini      Kind = "konbini"       // paid at a convenience store; the provider tells us (webhook)
	COD          Kind = "cod"           // collected by the carrier at delivery
	BankTransfer Kind = "bank_transfer" // transferred to the shop's account
	Manual       Kind = "manual"        // paid to the shop some other way (郵便振替, 現金書留); the operator marks it paid
	OnAccount    Kind = "on_account"    // 掛け払い: billed on the company's monthly invoice (internal/b2b)
)

// Builtin reports a kind the shop ships with: the method whose code is
// the kind is the shop's own and cannot be deleted, only disabled.
func (k Kind) Builtin() bool { return k != Manual }

// Fee types of a method.
const (
	FeeFlat  = "flat"  // Method.Fee
	FeeTiers = "tiers" // by the amount (Method.Tiers)
	FeePref  = "pref"  // by the delivery prefecture (Method.Prefs), Fee where none
)

// Tier is a fee for amounts up to and including UpTo.
type Tier struct {
	UpTo, Fee shop.Yen
}

// Method is a payment method as the operator set it up.
type Method struct {
	Code           string
	Kind           Kind
	NameJA, NameEN string
	DescJA, DescEN string // shown under the choice at checkout
	FeeType        string
	Fee            shop.Yen
	FreeOver       shop.Yen // > 0: no fee from this amount on
	Min, Max       shop.Yen // Max 0: no upper limit
	Active         bool
	SortOrder      int
	ExpiresDays    int              // konbini: days the instructions stay valid
	Tiers          []Tier           // ascending UpTo
	Prefs          map[int]shop.Yen // prefecture code → fee
	Delivery       []int64          // delivery methods it combines with; empty: all
}

// Name returns the method's name in the language ("en" or else Japanese).
func (m Method) Name(lang string) string {
	if lang == "en" && m.NameEN != "" {
		return m.NameEN
	}
	return m.NameJA
}

// Description returns the method's note for the customer in lang.
func (m Method) Description(lang string) string {
	if lang == "en" && m.DescEN != "" {
		return m.DescEN
	}
	return m.DescJA
}

// Fits reports whether the method accepts an order of amount.
func (m Method) Fits(amount shop.Yen) bool {
	return amount >= m.Min && (m.Max == 0 || amount <= m.Max)
}

// Combines reports whether the method may pay an order delivered by the
// delivery method.
func (m Method) Combines(deliveryMethod int64) bool {
	return len(m.Delivery) == 0 || slices.Contains(m.Delivery, deliveryMethod)
}

// FeeFor returns the fee for an order of amount delivered to the
// prefecture pref, and false when the method cannot take the amount (past
// its last tier). Free over FreeOver whatever the type.
func (m Method) FeeFor(amount shop.Yen, pref int) (shop.Yen, bool) {
	var fee shop.Yen
	switch m.FeeType {
	case FeeTiers:
		ok := false
		for _, t := range m.Tiers {
			if amount <= t.UpTo {
				fee, ok = t.Fee, true
				break
			}
		}
		if !ok {
			return 0, false
		}
	case FeePref:
		fee = m.Fee
		if f, ok := m.Prefs[pref]; ok {
			fee = f
		}
	default:
		fee = m.Fee
	}
	if m.FreeOver > 0 && amount >= m.FreeOver {
		fee = 0
	}
	return fee, true
}
