package order

import "github.com/akinai/akinai/internal/shop"

// Status is where an order stands. The allowed moves between statuses are
// in transitions below and nowhere else.
type Status string

const (
	New             Status = "new"              // 新規受付: COD, or awaiting the shop
	AwaitingPayment Status = "awaiting_payment" // 入金待ち: bank transfer, card being charged
	Paid            Status = "paid"             // 入金済み
	Preparing       Status = "preparing"        // 対応中
	Shipped         Status = "shipped"          // 発送済み
	Cancelled       Status = "cancelled"        // 注文取消し
	Returned        Status = "returned"         // 返品
)

// transitions lists, for each status, the statuses an order may move to.
// Cancelling returns the stock (Cancel); a return does not, because the
// goods come back through the shop's own inspection.
var transitions = map[Status][]Status{
	New:             {Paid, Preparing, Shipped, Cancelled},
	AwaitingPayment: {New, Paid, Cancelled}, // New: card authorised, captured at shipment
	Paid:            {Preparing, Shipped, Cancelled},
	Preparing:       {Shipped, Cancelled},
	Shipped:         {Returned},
	Cancelled:       {},
	Returned:        {},
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { _, ok := transitions[s]; return ok }

// CanMove reports whether an order in status from may move to to.
func CanMove(from, to Status) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// checkMove returns a Conflict error when the move is not allowed.
func checkMove(from, to Status) error {
	if !CanMove(from, to) {
		return badMove(to)
	}
	return nil
}

// badMove is the Conflict error for a move that is not allowed. The
// message names the target status in the reader's language (a key per
// status), never the raw status code.
func badMove(to Status) error {
	key := "order.cannot_move_to." + string(to)
	if !to.Valid() {
		key = "order.cannot_move"
	}
	return shop.Errorf(shop.Conflict, key)
}
