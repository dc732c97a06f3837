package order

import "strings"

// shipmentNote starts the note of the history event a shipment logs
// (afterShipment): "shipment " and the tracking number. The note is stored
// as written, so pages translate it when they show it.
const shipmentNote = "shipment "

// ShipmentTracking returns the tracking number of an event logged for a
// shipment, or "" for any other event: pages show such an event in the
// reader's language ("発送 1234-…") instead of the stored English note.
func (e Event) ShipmentTracking() string {
	if t, ok := strings.CutPrefix(e.Note, shipmentNote); ok && t != "" {
		return t
	}
	return ""
}
