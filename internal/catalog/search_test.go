package catalog_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/jp"
)

// search returns the slugs of one listing page for the raw query q.
func search(tb testing.TB, s *catalog.Store, q, sort string, page int) ([]string, int) {
	tb.Helper()
	res, err := s.List(context.Background(), catalog.ListQuery{Keywords: catalog.Keywords(catalog.CleanQuery(q)), Sort: sort, Page: page, Limit: 20})
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, it := range res.Items {
		out = append(out, it.Slug)
	}
	return out, res.Total
}

// likeSlugs is the old way, a scan of search_text, for comparison.
func likeSlugs(tb testing.TB, d *db.DB, q string) []string {
	tb.Helper()
	where, args := "status = 'public'", []any{}
	for _, k := range catalog.Keywords(catalog.CleanQuery(q)) {
		where += ` AND search_text LIKE ? ESCAPE '\'`
		args = append(args, "%"+db.LikeEscape(k)+"%")
	}
	rows, err := d.Query(context.Background(), `SELECT slug FROM products WHERE `+where+` ORDER BY slug`, args...)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			tb.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// allSlugs pages through every hit.
func allSlugs(tb testing.TB, s *catalog.Store, q, sort string) []string {
	tb.Helper()
	var out []string
	for page := 1; ; page++ {
		got, total := search(tb, s, q, sort, page)
		out = append(out, got...)
		if len(out) >= total || len(got) == 0 {
			if len(out) != total {
				tb.Fatalf("%q: paged through %d hits, total says %d", q, len(out), total)
			}
			return out
		}
	}
}

func TestSearchIndex(t *testing.T) {
	t.Parallel()
	for _, engine := range []dbtest.Engine{dbtest.SQLite, dbtest.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			d := dbtest.MustOpen(t, engine)
			mustDemo(t, d, 300)
			s := catalog.NewStore(d)

			t.Run("finds what a scan finds", func(t *testing.T) {
				// Japanese 1-, 2- and longer keywords, width and kana
				// variants, several keywords, SKUs: the index must find
				// exactly the products a LIKE scan of search_text finds.
				for _, q := range []string{"茶", "緑茶", "急須", "煎茶", "ハーブティー", "ﾊｰﾌﾞ", "はーぶてぃー", "ハーブ　ティー",
					"抹茶 玄米", "No.123", "ak-00001-01", "AK-00100", "深蒸し", "存在しない商品", "茶 包丁", "ー"} {
					want := likeSlugs(t, d, q)
					got := allSlugs(t, s, q, catalog.SortNew)
					slices.Sort(got)
					if !slices.Equal(got, want) {
						t.Errorf("%q: index found %d %v…, scan %d %v…", q, len(got), head(got), len(want), head(want))
					}
				}
			})

			t.Run("english words and prefixes", func(t *testing.T) {
				for q, want := range map[string]string{"chamomile": "chamomile-herb-tea", "Chamo": "chamomile-herb-tea", "ＨＥＲＢＡＬ": "peppermint-herb-tea"} {
					got := allSlugs(t, s, q, catalog.SortNew)
					if !slices.Contains(got, want) {
						t.Errorf("%q: %v lacks %s", q, head(got), want)
					}
				}
				if got, total := search(t, s, "zzzqqq", catalog.SortNew, 1); total != 0 || len(got) != 0 {
					t.Errorf("no-hit query found %d", total)
				}
			})

			t.Run("relevance then sort", func(t *testing.T) {
				// 緑茶 is in the name of 嬉野 玉緑茶 (and its numbered
				// copies) but only in the search words of the other green
				// teas: the names come first, newest first within each tier.
				got := allSlugs(t, s, "緑茶", catalog.SortNew)
				tier := func(slug string) bool { return strings.HasPrefix(slug, "ureshino-tamaryokucha") }
				seenOther := false
				for _, slug := range got {
					if !tier(slug) {
						seenOther = true
					} else if seenOther {
						t.Fatalf("name match %s after a search-word match: %v", slug, got)
					}
				}
				if !tier(got[0]) || !seenOther {
					t.Fatalf("want name matches first, then others: %v", head(got))
				}
				for _, sort := range []string{catalog.SortNew, catalog.SortPriceAsc, catalog.SortPriceDesc} {
					res, err := s.List(ctx, catalog.ListQuery{Keywords: []string{jp.Fold("ティー")}, Sort: sort, Limit: 60})
					if err != nil {
						t.Fatal(err)
					}
					for i := 1; i < len(res.Items); i++ {
						a, b := res.Items[i-1], res.Items[i]
						bad := false
						switch sort {
						case catalog.SortNew:
							bad = a.CreatedAt.Before(b.CreatedAt)
						case catalog.SortPriceAsc:
							bad = a.PriceMin > b.PriceMin && a.TaxClass == b.TaxClass
						case catalog.SortPriceDesc:
							bad = a.PriceMin < b.PriceMin && a.TaxClass == b.TaxClass
						}
						// Only within one tier: both names contain ティー.
						if bad && strings.Contains(jp.Fold(a.NameJA), "ティー") == strings.Contains(jp.Fold(b.NameJA), "ティー") {
							t.Fatalf("%s: %s (%v, %d) before %s (%v, %d)", sort, a.Slug, a.CreatedAt, a.PriceMin, b.Slug, b.CreatedAt, b.PriceMin)
						}
					}
				}
			})

			t.Run("kept in step with edits", func(t *testing.T) {
				var id int64
				var version int
				if err := d.QueryRow(ctx, `SELECT id, version FROM products WHERE slug = 'uji-gyokuro'`).Scan(&id, &version); err != nil {
					t.Fatal(err)
				}
				if err := d.Tx(ctx, func(tx *db.Tx) error {
					if _, err := tx.Exec(ctx, `UPDATE products SET name_ja = '宇治 極上玉露ゆめみどり' WHERE id = ?`, id); err != nil {
						return err
					}
					return catalog.RefreshProducts(ctx, tx, id)
				}); err != nil {
					t.Fatal(err)
				}
				if got := allSlugs(t, s, "ゆめみどり", catalog.SortNew); !slices.Equal(got, []string{"uji-gyokuro"}) {
					t.Errorf("renamed product: %v", got)
				}
				if err := d.Tx(ctx, func(tx *db.Tx) error {
					return catalog.SetProductStatus(ctx, tx, id, version, catalog.StatusPrivate)
				}); err != nil {
					t.Fatal(err)
				}
				if got := allSlugs(t, s, "ゆめみどり", catalog.SortNew); len(got) != 0 {
					t.Errorf("private product still found: %v", got)
				}
				// A failed transaction leaves the index as it was.
				_ = d.Tx(ctx, func(tx *db.Tx) error {
					if _, err := tx.Exec(ctx, `UPDATE products SET name_ja = 'まぼろしの茶葉', status = 'public' WHERE slug = 'yame-gyokuro'`); err != nil {
						return err
					}
					if err := catalog.RefreshProducts(ctx, tx); err != nil {
						return err
					}
					return context.Canceled
				})
				if got := allSlugs(t, s, "まぼろし", catalog.SortNew); len(got) != 0 {
					t.Errorf("rolled-back name found: %v", got)
				}
			})

			t.Run("older shops are indexed at start", func(t *testing.T) {
				if _, err := d.Exec(ctx, `DELETE FROM search_postings`); err != nil {
					t.Fatal(err)
				}
				if _, err := d.Exec(ctx, `UPDATE products SET search_indexed = 0`); err != nil {
					t.Fatal(err)
				}
				n, err := catalog.IndexPending(ctx, d)
				if err != nil || n != 300 {
					t.Fatalf("indexed %d, %v", n, err)
				}
				if got, want := allSlugs(t, s, "急須", catalog.SortNew), likeSlugs(t, d, "急須"); len(got) != len(want) || len(got) == 0 {
					t.Errorf("after reindex: %d hits, scan %d", len(got), len(want))
				}
			})
		})
	}
}

func head(s []string) []string { return s[:min(len(s), 5)] }
