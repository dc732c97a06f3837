// Free shipping for a customer rank over an amount: members of the rank
// the owner names whose items come to at least the amount pay no
// delivery fee (会員ランク別送料無料). Build with
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o freeshipping.wasm
package main

import "github.com/akinai/akinai/pluginsdk"

type settings struct {
	Rank      string `json:"rank"`       // the rank's Japanese name, as in 会員ランク
	MinAmount int64  `json:"min_amount"` // yen, tax included, before discounts
}

func fees(s settings, in pluginsdk.DeliveryIn) (pluginsdk.DeliveryOut, error) {
	c := in.Cart.Customer
	if c == nil || c.RankName == "" || c.RankName != s.Rank || in.Cart.Subtotal < s.MinAmount {
		return pluginsdk.DeliveryOut{}, nil
	}
	out := pluginsdk.DeliveryOut{Note: pluginsdk.Text{JA: s.Rank + "の送料無料", EN: "Free shipping for " + s.Rank}}
	for _, sh := range in.Shipments {
		out.Fees = append(out.Fees, pluginsdk.Fee{Index: sh.Index, Fee: 0})
	}
	return out, nil
}

func init() { pluginsdk.Handle("delivery.fee", fees) }

func main() {}
