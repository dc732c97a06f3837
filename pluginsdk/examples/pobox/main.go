// Refuse delivery to PO boxes: an order whose delivery address is a post
// office box (私書箱) or held at a post office (郵便局留め, 局留め) is
// refused with a message, since the shop's carrier cannot deliver there.
// Build with
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o pobox.wasm
package main

import (
	"strings"

	"github.com/akinai/akinai/pluginsdk"
)

type settings struct{}

// markers are what a PO box or a post-office hold looks like in an
// address, compared after folding full-width letters and spaces.
var markers = []string{"私書箱", "郵便局留", "郵便局止", "局留め", "局留", "局止め", "pobox", "p.o.box", "postofficebox"}

// fold lowers ASCII, turns full-width ASCII into half-width and drops spaces.
func fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '！' && r <= '～':
			r -= 0xFEE0
		case r == '　' || r == ' ':
			continue
		}
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func validate(_ settings, c pluginsdk.Cart) (pluginsdk.Verdict, error) {
	for _, a := range c.Ship {
		s := fold(a.City + a.Address1 + a.Address2 + a.Name)
		for _, m := range markers {
			if strings.Contains(s, m) {
				return pluginsdk.Verdict{Message: pluginsdk.Text{
					JA: "私書箱・郵便局留めへのお届けはできません。ご自宅などの住所をご指定ください。",
					EN: "We cannot deliver to a PO box or to be held at a post office. Please give a street address.",
				}}, nil
			}
		}
	}
	return pluginsdk.Verdict{OK: true}, nil
}

func init() { pluginsdk.Handle("checkout.validate", validate) }

func main() {}
