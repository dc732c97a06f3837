// Volume discount: a percentage off the items when the cart holds at
// least a number of them (まとめ買い割引). Build with
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o volumediscount.wasm
package main

import "github.com/akinai/akinai/pluginsdk"

type settings struct {
	MinQty  int64 `json:"min_qty"`
	Percent int64 `json:"percent"`
}

func discount(s settings, c pluginsdk.Cart) (pluginsdk.Discount, error) {
	n := 0
	for _, l := range c.Lines {
		n += l.Qty
	}
	if s.Percent <= 0 || int64(n) < s.MinQty {
		return pluginsdk.Discount{}, nil
	}
	return pluginsdk.Discount{
		Amount: c.Subtotal * min(s.Percent, 100) / 100, // rounded down: the buyer never gets less than promised
		Label:  pluginsdk.Text{JA: "まとめ買い割引", EN: "Volume discount"},
	}, nil
}

func init() { pluginsdk.Handle("cart.discount", discount) }

func main() {}
