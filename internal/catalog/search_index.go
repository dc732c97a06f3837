package catalog

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/shop"
)

// SearchIndexVersion is the version of the term rules below; a product
// indexed with an older version is indexed again by IndexPending.
const SearchIndexVersion = 1

// Term weights: a term in the product's name ranks before one found only
// in its search words or SKUs.
const (
	weightOther = 1
	weightName  = 2
)

// maxWordTerm bounds an ASCII word term; longer words are indexed by
// their first maxWordTerm letters and a longer query word is checked
// against search_text.
const maxWordTerm = 16

// isWordRune reports whether r belongs to an ASCII word (the folded text
// is lower-case and NFKC, so full-width letters are ASCII by now).
func isWordRune(r rune) bool { return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' }

// isGramRune reports whether r is indexed as a character (kanji, kana,
// the long-vowel mark, other letters and digits outside ASCII).
func isGramRune(r rune) bool {
	return !isWordRune(r) && (unicode.IsLetter(r) || unicode.IsNumber(r) || r == 'ー')
}

// tokens splits folded text into ASCII words and runs of other letters;
// everything else (spaces, punctuation, symbols) separates them.
func tokens(folded string, fn func(run []rune, word bool)) {
	var run []rune
	word := false
	flush := func() {
		if len(run) > 0 {
			fn(run, word)
		}
		run = run[:0]
	}
	for _, r := range folded {
		switch {
		case isWordRune(r):
			if !word {
				flush()
			}
			word = true
			run = append(run, r)
		case isGramRune(r):
			if word {
				flush()
			}
			word = false
			run = append(run, r)
		default:
			flush()
		}
	}
	flush()
}

// addTerms adds the terms of one field to m with weight w (a term keeps
// its highest weight): every character and character pair of a run of
// non-ASCII letters, and every ASCII word with its prefixes of three
// letters or more (not for numbers: SKUs and item numbers are searched
// whole).
func addTerms(m map[string]int, field string, w int) {
	put := func(t string) {
		if m[t] < w {
			m[t] = w
		}
	}
	tokens(jp.Fold(field), func(run []rune, word bool) {
		if word {
			s := string(run[:min(len(run), maxWordTerm)])
			put(s)
			if strings.Trim(s, "0123456789") != "" {
				for n := 3; n < len(s); n++ {
					put(s[:n])
				}
			}
			return
		}
		for i := range run {
			put(string(run[i]))
			if i+1 < len(run) {
				put(string(run[i : i+2]))
			}
		}
	})
}

// productTerms returns the index terms of a product with their weights.
func productTerms(names, others []string) map[string]int {
	m := map[string]int{}
	for _, f := range others {
		addTerms(m, f, weightOther)
	}
	for _, f := range names {
		addTerms(m, f, weightName)
	}
	return m
}

// keywordTerms returns the terms a product must have to match the folded
// keyword k, and whether a match must also be checked against
// search_text (the terms alone do not prove k occurs as typed: k has
// several parts, or a run longer than two characters, or a word longer
// than maxWordTerm). A keyword with nothing indexable has no terms.
func keywordTerms(k string) (terms []string, recheck bool) {
	parts := 0
	tokens(k, func(run []rune, word bool) {
		parts++
		switch {
		case word:
			terms = append(terms, string(run[:min(len(run), maxWordTerm)]))
			recheck = recheck || len(run) > maxWordTerm
		case len(run) <= 2:
			terms = append(terms, string(run))
		default:
			for i := 0; i+1 < len(run); i++ {
				terms = append(terms, string(run[i:i+2]))
			}
			recheck = true
		}
	})
	return terms, recheck || parts > 1
}

// indexRow is what the index needs of a product.
type indexRow struct {
	id       int64
	public   bool
	created  time.Time
	priceMin int64
	reduced  bool
	names    []string
	others   []string
}

// IndexEntry is what the search index needs of a product that has no
// index rows yet (the demo loader writes products in bulk).
type IndexEntry struct {
	ID       int64
	Public   bool
	Created  time.Time
	PriceMin int64
	Reduced  bool
	Names    []string // name_ja, name_en
	Others   []string // search words, SKUs
}

// IndexNew writes the index rows of new products, in the transaction
// that inserted them, and marks them indexed.
func IndexNew(ctx context.Context, q db.Queryer, entries []IndexEntry) error {
	rows := make([]indexRow, len(entries))
	for i, e := range entries {
		rows[i] = indexRow{id: e.ID, public: e.Public, created: e.Created, priceMin: e.PriceMin, reduced: e.Reduced, names: e.Names, others: e.Others}
	}
	return insertPostings(ctx, q, rows)
}

// writePostings replaces the index rows of the given products.
func writePostings(ctx context.Context, q db.Queryer, rows []indexRow) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]any, len(rows))
	for i, r := range rows {
		ids[i] = r.id
	}
	for i := 0; i < len(ids); i += 500 {
		part := ids[i:min(i+500, len(ids))]
		if _, err := q.Exec(ctx, `DELETE FROM search_postings WHERE product_id IN (`+placeholders(len(part))+`)`, part...); err != nil {
			return fmt.Errorf("catalog: clear search index: %w", err)
		}
	}
	return insertPostings(ctx, q, rows)
}

// insertPostings writes the index rows of products that have none and
// marks them indexed with SearchIndexVersion.
func insertPostings(ctx context.Context, q db.Queryer, rows []indexRow) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]any, len(rows))
	for i, r := range rows {
		ids[i] = r.id
	}
	rules, err := LoadTaxRules(ctx, q) // every member: a bulk index may hold 100,000 IDs
	if err != nil {
		return err
	}
	now := q.Now()
	// Rows go in in key order: inserting into the index's B-tree in order
	// touches each page once instead of all over (a bulk load is ~3×
	// faster).
	var ps []posting
	for _, r := range rows {
		if !r.public {
			continue
		}
		class := shop.TaxStandard
		if r.reduced {
			class = shop.TaxReduced
		}
		// No rule yet (a shop being set up): order by the price excluding tax.
		rate, _ := rules.Rate(r.id, class, now)
		key := r.priceMin * (10000 + int64(rate))
		for t, w := range productTerms(r.names, r.others) {
			ps = append(ps, posting{t, w, r.created.UnixMicro(), r.id, key})
		}
	}
	slices.SortFunc(ps, func(a, b posting) int {
		if c := strings.Compare(a.term, b.term); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(a.weight, b.weight), cmp.Compare(a.sortNew, b.sortNew), cmp.Compare(a.id, b.id))
	})
	ins := newPostingWriter(q)
	for _, p := range ps {
		if err := ins.add(ctx, p.term, p.weight, p.sortNew, p.id, p.priceKey); err != nil {
			return err
		}
	}
	if err := ins.flush(ctx); err != nil {
		return err
	}
	for i := 0; i < len(ids); i += 500 {
		part := ids[i:min(i+500, len(ids))]
		if _, err := q.Exec(ctx, `UPDATE products SET search_indexed = ? WHERE id IN (`+placeholders(len(part))+`)`,
			append([]any{SearchIndexVersion}, part...)...); err != nil {
			return err
		}
	}
	return nil
}

type posting struct {
	term                  string
	weight                int
	sortNew, id, priceKey int64
}

// postingWriter inserts index rows many at a time: one statement per
// postingBatch rows instead of one per row.
type postingWriter struct {
	q    db.Queryer
	args []any
}

const postingBatch = 2000 // × 5 parameters, under SQLite's and PostgreSQL's limits

func newPostingWriter(q db.Queryer) *postingWriter {
	return &postingWriter{q: q, args: make([]any, 0, postingBatch*5)}
}

func (p *postingWriter) add(ctx context.Context, term string, weight int, sortNew, id, priceKey int64) error {
	p.args = append(p.args, term, weight, sortNew, id, priceKey)
	if len(p.args) == cap(p.args) {
		return p.flush(ctx)
	}
	return nil
}

func (p *postingWriter) flush(ctx context.Context) error {
	n := len(p.args) / 5
	if n == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString(`INSERT INTO search_postings (term, weight, sort_new, product_id, price_key) VALUES `)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?)")
	}
	_, err := p.q.Exec(ctx, b.String(), p.args...)
	p.args = p.args[:0]
	if err != nil {
		return fmt.Errorf("catalog: write search index: %w", err)
	}
	return nil
}

// IndexPending indexes, in transactions of 500, every product indexed
// with an older SearchIndexVersion (or never: a shop that existed before
// the index). akinai serve calls it at start.
func IndexPending(ctx context.Context, d *db.DB) (int, error) {
	done := 0
	for {
		var ids []int64
		rows, err := d.Query(ctx, `SELECT id FROM products WHERE search_indexed <> ? ORDER BY id LIMIT 500`, SearchIndexVersion)
		if err != nil {
			return done, err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return done, err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return done, err
		}
		if len(ids) == 0 {
			return done, nil
		}
		if err := d.Tx(ctx, func(tx *db.Tx) error { return RefreshProducts(ctx, tx, ids...) }); err != nil {
			return done, err
		}
		done += len(ids)
	}
}
