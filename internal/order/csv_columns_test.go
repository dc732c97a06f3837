package order

import (
	"bytes"
	"context"
	"testing"

	"github.com/akinai/akinai/internal/csvcols"
	"github.com/akinai/akinai/internal/csvfile"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

// The operator picks, orders and renames the columns of each export type;
// the exports per order, per line and per parcel follow.
func TestExportColumns(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v1 := mustVariant(t, d, "POT", "standard", -1)
		v2 := mustVariant(t, d, "TEA", "reduced", -1)
		o := mustParcelOrder(t, d, v1, v2, COD, "2030-01-02", "am")
		exp := func(typ string) csvcols.Export {
			e, ok := ExportOf(typ)
			if !ok {
				t.Fatalf("no export %q", typ)
			}
			return e
		}
		if got, _ := csvcols.ChosenColumns(ctx, d, exp(ExportLines)); len(got) != len(lineCols) || got[0].Key != "number" {
			t.Fatalf("default line columns: %+v", got)
		}
		err := d.Tx(ctx, func(tx *db.Tx) error {
			return csvcols.Save(ctx, tx, exp(ExportLines), []csvcols.Choice{{Key: "sku", Include: true, Position: 2}, {Key: "qty", Include: true, Position: 1, Heading: "数"},
				{Key: "product", Include: false, Position: 3}, {Key: "nope", Include: true}})
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := ExportOf("nope"); ok {
			t.Error("unknown type offered")
		}
		chosen, err := csvcols.ChosenColumns(ctx, d, exp(ExportLines))
		if err != nil || len(chosen) != 2 || chosen[0] != (csvcols.Chosen{Key: "qty", Heading: "数"}) || chosen[1].Key != "sku" {
			t.Fatalf("chosen: %+v %v", chosen, err)
		}
		export := func(typ string, chosen []csvcols.Chosen) [][]string {
			var buf bytes.Buffer
			cw, _ := csvfile.NewWriter(&buf, csvfile.UTF8BOM)
			if err := WriteExport(ctx, d, cw, typ, Filter{IDs: []int64{o.ID}}, chosen, false, func(k string) string { return "<" + k + ">" }); err != nil {
				t.Fatal(err)
			}
			cw.Flush()
			rd, _ := csvfile.NewReader(&buf)
			recs, err := rd.ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			return recs
		}
		recs := export(ExportLines, chosen)
		if len(recs) != 3 || recs[0][0] != "数" || recs[0][1] != "<order.csv.line.sku>" || recs[1][0] != "2" || recs[1][1] != "POT" || recs[2][1] != "TEA" {
			t.Fatalf("lines: %q", recs)
		}
		ship, _ := csvcols.ChosenColumns(ctx, d, exp(ExportShipments))
		recs = export(ExportShipments, ship)
		if len(recs) != 2 || recs[1][0] != o.Number || recs[1][2] != ParcelRef(o.Number, 1) || recs[1][9] != "2030-01-02" || recs[1][15] != "急須×2 / 煎茶×3" {
			t.Fatalf("parcels: %q", recs)
		}
		ord, _ := csvcols.ChosenColumns(ctx, d, exp(ExportOrders))
		recs = export(ExportOrders, ord)
		if len(recs) != 2 || recs[0][0] != "<admin.orders.csv.number>" || recs[1][16] != "6370" || recs[1][17] != "3130" || recs[1][20] != "240" {
			t.Fatalf("orders: %q", recs)
		}
	})
}
