// A plugin for the host's tests that misbehaves on demand: its "mode"
// setting picks an infinite loop, an allocation without end, a trap,
// output that is not the expected JSON, an error, or good behaviour —
// and its order.placed reaction uses the key-value store and the API.
package main

import (
	"encoding/json"
	"errors"
	"strconv"

	"github.com/akinai/akinai/pluginsdk"
)

type settings struct {
	Mode   string `json:"mode"`
	Amount int64  `json:"amount"`
}

var sink [][]byte

func misbehave(mode string) (bool, error) {
	switch mode {
	case "loop":
		for n := 0; ; n++ {
			if n < 0 {
				return false, nil
			}
		}
	case "alloc":
		for {
			sink = append(sink, make([]byte, 1<<20))
		}
	case "trap":
		var m map[string]int
		m["x"] = 1 // nil map: panics, the module traps
	case "error":
		return false, errors.New("deliberate error")
	}
	return mode == "garbage", nil
}

// garbage is a discount whose amount is a string.
type garbage struct {
	Amount string `json:"amount"`
}

func discount(s settings, c pluginsdk.Cart) (any, error) {
	g, err := misbehave(s.Mode)
	if err != nil {
		return nil, err
	}
	if g {
		return garbage{Amount: "lots"}, nil
	}
	if s.Mode == "kv" { // reading is allowed in a checkout hook
		v, ok, err := pluginsdk.Get("bonus")
		if err != nil {
			return nil, err
		}
		if ok {
			n, _ := strconv.ParseInt(string(v), 10, 64)
			return pluginsdk.Discount{Amount: n, Label: pluginsdk.Text{JA: "KV割引"}}, nil
		}
		if err := pluginsdk.Set("bonus", []byte("1")); !errors.Is(err, pluginsdk.ErrNotHere) {
			return nil, errors.New("a checkout hook could write")
		}
	}
	return pluginsdk.Discount{Amount: s.Amount, Label: pluginsdk.Text{JA: "テスト割引", EN: "Test discount"}}, nil
}

func placed(s settings, o pluginsdk.Order) (struct{}, error) {
	if _, err := misbehave(s.Mode); err != nil {
		return struct{}{}, err
	}
	res, err := pluginsdk.Call("GET", "/api/v1/orders/"+o.Number, nil)
	if err != nil {
		return struct{}{}, err
	}
	if res.Status != 200 {
		return struct{}{}, errors.New("api answered " + strconv.Itoa(res.Status))
	}
	var body struct {
		Total int64 `json:"total"`
	}
	if err := json.Unmarshal(res.Body, &body); err != nil {
		return struct{}{}, err
	}
	// Remember a bonus of 1% of the last order for the next discount.
	return struct{}{}, pluginsdk.Set("bonus", []byte(strconv.FormatInt(body.Total/100, 10)))
}

func block(s settings, in pluginsdk.BlockIn) (pluginsdk.Block, error) {
	return pluginsdk.Block{HTML: `<p onclick="x()">Sale <strong>today</strong></p><script>alert(1)</script><img src=x onerror=alert(2)>`}, nil
}

func init() {
	pluginsdk.Handle("cart.discount", discount)
	pluginsdk.Handle("order.placed", placed)
	pluginsdk.Handle("storefront.block", block)
}

func main() {}
