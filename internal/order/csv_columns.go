package order

import (
	"github.com/akinai/akinai/internal/csvcols"
)

// Export types of the order CSV: one row per order, per order line, per
// parcel.
const (
	ExportOrders    = "order"
	ExportLines     = "line"
	ExportShipments = "shipment"
)

// ExportTypes lists them in the order the screens offer them.
var ExportTypes = []string{ExportOrders, ExportLines, ExportShipments}

// CSVExports returns the order exports' columns for the operator's column
// settings (internal/csvcols): each export type's columns in their default
// order with the i18n keys of their headings.
func CSVExports() []csvcols.Export {
	return []csvcols.Export{
		// The per-order export keeps the headings it always had.
		csvcols.Labelled(ExportOrders, "admin13.csv.type.order", "orders", "admin.orders.csv.", columnKeys(orderCols)...),
		csvcols.Labelled(ExportLines, "admin13.csv.type.line", "orders", "order.csv.line.", columnKeys(lineCols)...),
		csvcols.Labelled(ExportShipments, "admin13.csv.type.shipment", "orders", "order.csv.shipment.", columnKeys(shipmentCols)...),
	}
}

// ExportOf returns the export of a type, false for an unknown type.
func ExportOf(exportType string) (csvcols.Export, bool) {
	for _, e := range CSVExports() {
		if e.Type == exportType {
			return e, true
		}
	}
	return csvcols.Export{}, false
}
