package csvcols

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/shop"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var fruit = Export{Type: "fruit", Title: "t", Columns: []Column{{Key: "id"}, {Key: "name", Label: "l.name"}, {Key: "kana", Label: "l.kana", Name: "カナ"}, {Key: "price", Label: "l.price"}}}

func tr(k string) string { return "<" + k + ">" }

func write(t *testing.T, chosen []Chosen) string {
	t.Helper()
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	w, err := Start(cw, fruit, chosen, tr)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range [][]string{{"1", "りんご", "リンゴ", "100"}, {"2", "みかん", "ミカン", "80"}} {
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// Headings: the key itself, the label in the reader's language, or a
// fixed name; the operator's heading wins; cells follow the chosen order.
func TestWriter(t *testing.T) {
	t.Parallel()
	if got, want := write(t, fruit.All()), "id,<l.name>,カナ,<l.price>\n1,りんご,リンゴ,100\n2,みかん,ミカン,80\n"; got != want {
		t.Errorf("every column:\n%s\nwant\n%s", got, want)
	}
	if got, want := write(t, []Chosen{{Key: "price", Heading: "税抜"}, {Key: "id"}, {Key: "gone"}}), "税抜,id\n100,1\n80,2\n"; got != want {
		t.Errorf("chosen:\n%s\nwant\n%s", got, want)
	}
}

// Saved per export type on both engines: order by position (ties in the
// default order), unknown and unticked columns dropped, bad headings and
// an empty choice refused with nothing written, reset to every column.
func TestStore(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		other := Export{Type: "other", Columns: fruit.Columns}
		save := func(e Export, cs []Choice) error {
			return d.Tx(ctx, func(tx *db.Tx) error { return Save(ctx, tx, e, cs) })
		}
		if got, _ := ChosenColumns(ctx, d, fruit); len(got) != 4 || got[0].Key != "id" {
			t.Fatalf("default: %+v", got)
		}
		if err := save(fruit, []Choice{{Key: "price", Include: true, Position: 2, Heading: " 税抜 "}, {Key: "name", Include: true, Position: 2},
			{Key: "id", Include: false, Position: 1}, {Key: "nope", Include: true, Position: 1}}); err != nil {
			t.Fatal(err)
		}
		if err := save(other, []Choice{{Key: "id", Include: true}}); err != nil {
			t.Fatal(err)
		}
		for name, cs := range map[string][]Choice{
			"none":         {{Key: "id"}},
			"long heading": {{Key: "id", Include: true, Heading: strings.Repeat("あ", 51)}},
			"control char": {{Key: "id", Include: true, Heading: "a\nb"}},
		} {
			if err := save(fruit, cs); shop.KindOf(err) != shop.Invalid {
				t.Errorf("%s: %v", name, err)
			}
		}
		got, err := ChosenColumns(ctx, d, fruit)
		if err != nil || len(got) != 2 || got[0] != (Chosen{Key: "name"}) || got[1] != (Chosen{Key: "price", Heading: "税抜"}) {
			t.Fatalf("fruit after refused saves: %+v %v", got, err)
		}
		if got, _ := ChosenColumns(ctx, d, other); len(got) != 1 || got[0].Key != "id" {
			t.Fatalf("other type: %+v", got)
		}
		// A column a later version dropped is skipped, not exported blank.
		shrunk := Export{Type: "fruit", Columns: fruit.Columns[:2]}
		if got, _ := ChosenColumns(ctx, d, shrunk); len(got) != 1 || got[0].Key != "name" {
			t.Fatalf("dropped column: %+v", got)
		}
		if err := d.Tx(ctx, func(tx *db.Tx) error { return Reset(ctx, tx, fruit) }); err != nil {
			t.Fatal(err)
		}
		if got, _ := ChosenColumns(ctx, d, fruit); len(got) != 4 {
			t.Fatalf("after reset: %+v", got)
		}
	})
}

func TestRegistry(t *testing.T) {
	var r Registry
	r.Add(fruit, Export{Type: "other"}, Export{Type: "fruit", Title: "second"})
	if all := r.All(); len(all) != 2 || all[0].Title != "t" {
		t.Fatalf("%+v", all)
	}
	if _, ok := r.Get("nope"); ok {
		t.Fatal("unknown type found")
	}
}
