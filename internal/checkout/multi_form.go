package checkout

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/cart"
)

// MaxDests is how many addresses one order may be split over.
const MaxDests = 5

// DestForm is one destination of the multiple-shipping form as typed.
// Its fields are posted with the prefix "d1_", "d2_", …; the quantity of
// a cart line going there is "dN_q_<variant ID>".
type DestForm struct {
	Prefix                                 string
	FamilyName, GivenName                  string
	FamilyKana, GivenKana                  string
	Phone, PostalCode, Pref, City          string
	Address1, Address2, Method, Date, Slot string
	Qty                                    map[string]string // variant ID → quantity as typed
}

// readDests reads the destinations of a multiple-shipping form: between
// 2 and MaxDests ("dest_count"), one more when "add_dest" was pressed.
func readDests(r *http.Request) []DestForm {
	n, _ := strconv.Atoi(r.PostFormValue("dest_count"))
	if r.PostFormValue("add_dest") != "" {
		n++
	}
	n = min(max(n, 2), MaxDests)
	g := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	out := make([]DestForm, n)
	for i := range out {
		p := destPrefix(i)
		d := DestForm{Prefix: p, FamilyName: g(p + "family_name"), GivenName: g(p + "given_name"),
			FamilyKana: g(p + "family_kana"), GivenKana: g(p + "given_kana"), Phone: g(p + "phone"),
			PostalCode: g(p + "postal_code"), Pref: g(p + "pref"), City: g(p + "city"),
			Address1: g(p + "address1"), Address2: g(p + "address2"),
			Method: g(p + "method"), Date: g(p + "date"), Slot: g(p + "slot"), Qty: map[string]string{}}
		for k, v := range r.PostForm {
			if vid, ok := strings.CutPrefix(k, p+"q_"); ok && len(v) > 0 {
				d.Qty[vid] = strings.TrimSpace(v[0])
			}
		}
		out[i] = d
	}
	return out
}

// validateDests fills in.Dests from the form's destinations, with the
// field errors of each ("d2_postal_code", "d1_q_17", …).
func (f *Form) validateDests(in *Input, errs map[string]string) {
	for _, d := range f.Dests {
		p := d.Prefix
		dest := Dest{Date: d.Date, Slot: d.Slot, Qty: map[int64]int{}}
		dest.Ship = f.address(errs, p, d.FamilyName, d.GivenName, d.FamilyKana, d.GivenKana, d.Phone, d.PostalCode, d.Pref, d.City, d.Address1, d.Address2)
		if id, err := strconv.ParseInt(d.Method, 10, 64); err != nil {
			errs[p+"method"] = "checkout.bad_method"
		} else {
			dest.MethodID = id
		}
		for k, v := range d.Qty {
			if v == "" || v == "0" {
				continue
			}
			vid, err1 := strconv.ParseInt(k, 10, 64)
			n, err2 := strconv.Atoi(v)
			if err1 != nil || err2 != nil || n < 0 || n > cart.MaxQty {
				errs[p+"q_"+k] = "checkout.bad_split_qty"
				continue
			}
			dest.Qty[vid] = n
		}
		in.Dests = append(in.Dests, dest)
	}
	if len(in.Dests) > 0 {
		in.Ship, in.MethodID, in.Date, in.Slot = in.Dests[0].Ship, in.Dests[0].MethodID, in.Dests[0].Date, in.Dests[0].Slot
	}
}

// Hidden is a form field carried by the confirmation page.
type Hidden struct{ Name, Value string }

// DestHidden returns the multiple-shipping fields for the confirmation
// page's hidden inputs (nothing for a one-address order).
func (f *Form) DestHidden() []Hidden {
	if !f.Multi {
		return nil
	}
	out := []Hidden{{"multi", "1"}, {"dest_count", strconv.Itoa(len(f.Dests))}}
	for _, d := range f.Dests {
		p := d.Prefix
		out = append(out, Hidden{p + "family_name", d.FamilyName}, Hidden{p + "given_name", d.GivenName},
			Hidden{p + "family_kana", d.FamilyKana}, Hidden{p + "given_kana", d.GivenKana}, Hidden{p + "phone", d.Phone},
			Hidden{p + "postal_code", d.PostalCode}, Hidden{p + "pref", d.Pref}, Hidden{p + "city", d.City},
			Hidden{p + "address1", d.Address1}, Hidden{p + "address2", d.Address2},
			Hidden{p + "method", d.Method}, Hidden{p + "date", d.Date}, Hidden{p + "slot", d.Slot})
		keys := make([]string, 0, len(d.Qty))
		for k := range d.Qty {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out = append(out, Hidden{p + "q_" + k, d.Qty[k]})
		}
	}
	return out
}
