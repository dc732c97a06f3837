// Package delivery holds the delivery methods a shop offers, their fee per
// prefecture, their time slots, the free-shipping threshold and the
// cash-on-delivery fee tiers.
package delivery

import (
	"context"
	"fmt"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Method is a delivery method with its time slots.
type Method struct {
	ID             int64
	Code           string
	NameJA, NameEN string
	Carrier        string
	TrackingURL    string // with %s for the tracking number
	TransitDays    int
	LeadDays       int    // business days the shop needs before handing over to this carrier
	Cool           string // "", "chilled" or "frozen"
	FeeBySize      bool   // fees by parcel size and prefecture (ParcelFee)
	Active         bool
	SortOrder      int
	Slots          []Slot
}

// Slot is a delivery time slot (午前中, 14–16時, …).
type Slot struct {
	Code             string
	LabelJA, LabelEN string
}

// Slot returns the method's slot with code, and whether it exists.
func (m Method) Slot(code string) (Slot, bool) {
	for _, s := range m.Slots {
		if s.Code == code {
			return s, true
		}
	}
	return Slot{}, false
}

// Methods returns the active delivery methods with their slots, in the
// shop's order.
func Methods(ctx context.Context, q db.Queryer) ([]Method, error) {
	return methods(ctx, q, true)
}

// AllMethods returns every delivery method, disabled ones too (the admin).
func AllMethods(ctx context.Context, q db.Queryer) ([]Method, error) {
	return methods(ctx, q, false)
}

func methods(ctx context.Context, q db.Queryer, active bool) ([]Method, error) {
	query := `SELECT id, code, name_ja, name_en, carrier, tracking_url, transit_days, lead_days, cool, fee_by_size, active, sort_order
		FROM delivery_methods`
	var args []any
	if active {
		query += ` WHERE active = ?`
		args = append(args, true)
	}
	rows, err := q.Query(ctx, query+` ORDER BY sort_order, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("delivery: methods: %w", err)
	}
	var out []Method
	for rows.Next() {
		var m Method
		if err := rows.Scan(&m.ID, &m.Code, &m.NameJA, &m.NameEN, &m.Carrier, &m.TrackingURL, &m.TransitDays, &m.LeadDays, &m.Cool, &m.FeeBySize, &m.Active, &m.SortOrder); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	srows, err := q.Query(ctx, `SELECT method_id, code, label_ja, label_en FROM delivery_slots ORDER BY method_id, sort_order`)
	if err != nil {
		return nil, err
	}
	defer srows.Close()
	for srows.Next() {
		var id int64
		var s Slot
		if err := srows.Scan(&id, &s.Code, &s.LabelJA, &s.LabelEN); err != nil {
			return nil, err
		}
		for i := range out {
			if out[i].ID == id {
				out[i].Slots = append(out[i].Slots, s)
			}
		}
	}
	return out, srows.Err()
}

// Fee returns the tax-included delivery fee of a method to a prefecture.
// Errors: NotFound when the method does not deliver there.
func Fee(ctx context.Context, q db.Queryer, methodID int64, pref int) (shop.Yen, error) {
	var fee int64
	err := q.QueryRow(ctx, `SELECT fee FROM delivery_fees WHERE method_id = ? AND pref = ?`, methodID, pref).Scan(&fee)
	if err != nil {
		return 0, shop.Errorf(shop.NotFound, "delivery.no_fee")
	}
	return shop.Yen(fee), nil
}

// codTiers are the cash-on-delivery fees by the amount collected
// (tax-included), the common carrier tariff.
var codTiers = []struct{ upTo, fee shop.Yen }{
	{10_000, 330},
	{30_000, 440},
	{100_000, 660},
	{300_000, 1_100},
}

// CODMax is the largest amount cash on delivery can collect.
const CODMax shop.Yen = 300_000

// CODFee returns the cash-on-delivery fee for an amount to collect, and
// false when COD is not available for it (over CODMax).
func CODFee(amount shop.Yen) (shop.Yen, bool) {
	for _, t := range codTiers {
		if amount <= t.upTo {
			return t.fee, true
		}
	}
	return 0, false
}
