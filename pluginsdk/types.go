// Package pluginsdk is the Go SDK for Akinai plugins: the JSON types of
// every hook's input and output (shared with the host, so both sides read
// the same fields) and, when built for GOOS=wasip1, the glue that exports
// the plugin's handlers to the host (Handle, Run) and the host functions
// (KV, API). docs/PLUGINS.md shows a whole plugin.
package pluginsdk

// Text is a message in both languages.
type Text struct {
	JA string `json:"ja"`
	EN string `json:"en,omitempty"`
}

// Line is one line of the cart. Amounts are yen, tax included.
type Line struct {
	ProductID int64  `json:"product_id"`
	VariantID int64  `json:"variant_id"`
	SKU       string `json:"sku"`
	Name      string `json:"name"`
	Qty       int    `json:"qty"`
	UnitPrice int64  `json:"unit_price"`
	Total     int64  `json:"total"`
}

// Customer is the signed-in buyer; nil for a guest.
type Customer struct {
	ID       int64  `json:"id"`
	RankID   int64  `json:"rank_id,omitempty"`
	RankName string `json:"rank_name,omitempty"` // in Japanese, as the shop names it
}

// Address is a delivery address.
type Address struct {
	PostalCode string `json:"postal_code"`
	Pref       int    `json:"pref"` // JIS X 0401 prefecture code, 1–47
	City       string `json:"city"`
	Address1   string `json:"address1"`
	Address2   string `json:"address2"`
	Name       string `json:"name"`
}

// Cart is the input of cart.discount and checkout.validate, and part of
// the other checkout hooks' inputs. Now is the shop's time (RFC 3339);
// a plugin has no clock of its own.
type Cart struct {
	Now      string    `json:"now"`
	Lang     string    `json:"lang"`
	Lines    []Line    `json:"lines"`
	Subtotal int64     `json:"subtotal"`
	Customer *Customer `json:"customer,omitempty"`
	Ship     []Address `json:"ship"` // one per destination
}

// Discount is the output of cart.discount: an amount off the order (tax
// included, spread over the tax rates) and the label the buyer sees.
type Discount struct {
	Amount int64 `json:"amount"`
	Label  Text  `json:"label"`
}

// Shipment is one destination as the shop priced it.
type Shipment struct {
	Index    int    `json:"index"`
	MethodID int64  `json:"method_id"`
	Method   string `json:"method"`
	Pref     int    `json:"pref"`
	Fee      int64  `json:"fee"`
}

// DeliveryIn is the input of delivery.fee.
type DeliveryIn struct {
	Cart      Cart       `json:"cart"`
	Shipments []Shipment `json:"shipments"`
}

// Fee sets one destination's delivery fee.
type Fee struct {
	Index int   `json:"index"`
	Fee   int64 `json:"fee"`
}

// DeliveryOut is the output of delivery.fee: new fees for some
// destinations (the others keep the shop's) and a note for the buyer.
type DeliveryOut struct {
	Fees []Fee `json:"fees"`
	Note Text  `json:"note,omitzero"`
}

// PaymentsIn is the input of payment.methods: the codes of the methods
// the shop would offer.
type PaymentsIn struct {
	Cart    Cart     `json:"cart"`
	Total   int64    `json:"total"`
	Methods []string `json:"methods"`
}

// PaymentsOut is the output of payment.methods: the codes to hide.
type PaymentsOut struct {
	Hide []string `json:"hide"`
}

// Verdict is the output of checkout.validate: OK, or a refusal with the
// message the buyer reads.
type Verdict struct {
	OK      bool `json:"ok"`
	Message Text `json:"message,omitzero"`
}

// Order is the input of order.placed.
type Order struct {
	Number     string `json:"number"`
	Total      int64  `json:"total"`
	CustomerID int64  `json:"customer_id,omitempty"`
	Lines      []Line `json:"lines"`
	PlacedAt   string `json:"placed_at"`
}

// BlockIn is the input of storefront.block.
type BlockIn struct {
	Slot string `json:"slot"` // "home"
	Lang string `json:"lang"`
}

// Block is the output of storefront.block: a fragment of HTML. The shop
// keeps only simple text markup (p, br, strong, em, ul, ol, li, span,
// small) without attributes and escapes everything else.
type Block struct {
	HTML string `json:"html"`
}
