package order

import (
	"context"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
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

// ColumnDef is a column an export type offers: its key and the i18n key
// of its default heading.
type ColumnDef struct{ Key, Label string }

// Chosen is a column of an export as the operator set it up.
type Chosen struct {
	Key     string
	Heading string // "" for the default heading
}

// ExportColumns returns the columns an export type offers, in their
// default order, or nil for an unknown type.
func ExportColumns(exportType string) []ColumnDef {
	var keys []string
	switch exportType {
	case ExportOrders:
		keys = columnKeys(orderCols)
	case ExportLines:
		keys = columnKeys(lineCols)
	case ExportShipments:
		keys = columnKeys(shipmentCols)
	default:
		return nil
	}
	out := make([]ColumnDef, len(keys))
	for i, k := range keys {
		out[i] = ColumnDef{Key: k, Label: "order.csv." + exportType + "." + k}
	}
	if exportType == ExportOrders {
		// The per-order export keeps the headings it always had.
		for i := range out {
			out[i].Label = "admin.orders.csv." + out[i].Key
		}
	}
	return out
}

// ChosenColumns returns the operator's columns of an export type, or
// every column in its default order when none were saved.
func ChosenColumns(ctx context.Context, q db.Queryer, exportType string) ([]Chosen, error) {
	rows, err := q.Query(ctx, `SELECT column_key, heading FROM order_csv_columns WHERE export_type = ? ORDER BY position`, exportType)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	known := map[string]bool{}
	for _, c := range ExportColumns(exportType) {
		known[c.Key] = true
	}
	var out []Chosen
	for rows.Next() {
		var c Chosen
		if err := rows.Scan(&c.Key, &c.Heading); err != nil {
			return nil, err
		}
		if known[c.Key] { // a column a later version dropped is skipped
			out = append(out, c)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		for _, c := range ExportColumns(exportType) {
			out = append(out, Chosen{Key: c.Key})
		}
	}
	return out, nil
}

// ColumnChoice is one row of the settings form: a column, whether it is
// exported, its position (smaller first) and its heading.
type ColumnChoice struct {
	Key      string
	Include  bool
	Position int
	Heading  string
}

// SaveColumns stores an export type's columns: the included ones by
// position (ties in the default order). Errors: NotFound for an unknown
// export type; Invalid with field "columns" when none is included, and
// "heading_<key>" for a heading over 50 characters or with control
// characters.
func SaveColumns(ctx context.Context, tx *db.Tx, exportType string, choices []ColumnChoice) error {
	defs := ExportColumns(exportType)
	if defs == nil {
		return shop.ErrNotFound
	}
	order := map[string]int{}
	for i, d := range defs {
		order[d.Key] = i
	}
	fields := map[string]string{}
	var in []ColumnChoice
	for _, c := range choices {
		if _, ok := order[c.Key]; !ok || !c.Include {
			continue
		}
		c.Heading = strings.TrimSpace(c.Heading)
		if utf8.RuneCountInString(c.Heading) > 50 || strings.IndexFunc(c.Heading, unicode.IsControl) >= 0 {
			fields["heading_"+c.Key] = "order.csv.bad_heading"
		}
		in = append(in, c)
	}
	if len(in) == 0 {
		fields["columns"] = "order.csv.no_columns"
	}
	if len(fields) > 0 {
		return shop.Invalidf(fields)
	}
	sort.SliceStable(in, func(i, j int) bool {
		if in[i].Position != in[j].Position {
			return in[i].Position < in[j].Position
		}
		return order[in[i].Key] < order[in[j].Key]
	})
	if _, err := tx.Exec(ctx, `DELETE FROM order_csv_columns WHERE export_type = ?`, exportType); err != nil {
		return err
	}
	for i, c := range in {
		if _, err := tx.Exec(ctx, `INSERT INTO order_csv_columns (export_type, position, column_key, heading) VALUES (?, ?, ?, ?)`,
			exportType, i+1, c.Key, c.Heading); err != nil {
			return err
		}
	}
	return nil
}
