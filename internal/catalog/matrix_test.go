package catalog_test

import (
	"testing"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

// New cells count stock (0) unless the admin ticks 無制限; each cell has
// its own counter, and cells taken from old keep what they had.
func TestMatrix_StockLimitedByDefault(t *testing.T) {
	t.Parallel()
	axes := []catalog.EditAxis{{NameJA: "サイズ", Values: []catalog.AxisValue{{NameJA: "S"}, {NameJA: "M"}}}}
	old := []catalog.EditVariant{{ID: 7, Value1: "S", SKU: "A-S", Stock: nil, StockWas: nil}}
	cells := catalog.Matrix(axes, old)
	if len(cells) != 2 {
		t.Fatalf("cells %+v", cells)
	}
	if cells[0].Stock != nil || cells[0].Fresh || cells[0].ID != 7 {
		t.Errorf("old cell changed: %+v", cells[0])
	}
	m := cells[1]
	if m.Stock == nil || *m.Stock != 0 || !m.Fresh {
		t.Fatalf("new cell %+v: want limited stock 0, fresh", m)
	}
	*m.Stock = 4
	if again := catalog.Matrix(axes, nil); *again[1].Stock != 0 || *again[0].Stock != 0 {
		t.Errorf("cells share a stock counter")
	}
}

// A fresh cell that the save matches to a stored variant by SKU leaves
// that variant's stock alone: the admin never saw it, so there is no
// "was" to check, and the stock-conflict check must not fire either.
func TestSaveProduct_FreshCellKeepsStoredStock(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := t.Context()
		s := catalog.NewStore(d)
		id, err := save(t, d, newTwoAxisProduct("fresh"))
		if err != nil {
			t.Fatal(err)
		}
		e, _ := s.Edit(ctx, id)
		e.Axes = nil
		e.Variants = catalog.Matrix(nil, nil)
		e.Variants[0].SKU, e.Variants[0].Price = "fresh-b", 900 // stored with stock 10
		if _, err := save(t, d, e); err != nil {
			t.Fatalf("save: %v", err)
		}
		got, _ := s.Edit(ctx, id)
		if len(got.Variants) != 1 || got.Variants[0].Stock == nil || *got.Variants[0].Stock != 10 || got.Variants[0].SKU != "fresh-b" {
			t.Fatalf("variants %+v", got.Variants)
		}
		// A brand-new cell is stored with limited stock 0.
		p := newTwoAxisProduct("fresh2")
		p.Variants = catalog.Matrix(p.Axes, nil)
		for i := range p.Variants {
			p.Variants[i].SKU = "fresh2-" + string(rune('a'+i))
		}
		nid, err := save(t, d, p)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM variants WHERE product_id = ? AND stock = 0`, nid).Scan(&n)
		if n != 4 {
			t.Errorf("%d of 4 new variants stored with stock 0", n)
		}
	})
}
