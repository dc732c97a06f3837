package catalog

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// searchPlan is a keyword search over search_postings: the rows of the
// rarest term (drive) are read in index order and each is kept if the
// product also has every other term (probes), its search_text contains
// each keyword that needs it (recheck) and it is in one of the
// categories. Work is bounded by the rarest term's rows, never by the
// size of the catalogue.
type searchPlan struct {
	drive   string
	probes  []string
	recheck []string // LIKE patterns on products.search_text
	catIDs  []int64
}

// Ranges of hits, by relevance tier: a product whose name has every term
// ranks before one that matched only partly in its name or elsewhere.
type searchRange int

const (
	rangeAllName  searchRange = iota // drive and every probe in the name (tier 1)
	rangeSomeName                    // drive in the name, a probe not (tier 2)
	rangeOther                       // drive not in the name (tier 2)
	rangeAny                         // every hit, for counting
)

// countCap bounds the count of a search with several terms (or a keyword
// checked against search_text): past it the listing says "1,000 or more"
// instead of counting every hit, so a query whose terms are everywhere
// costs a bounded number of probes. A single term is counted exactly from
// the index alone.
const countCap = 1000

// where returns the WHERE clause of range r.
func (pl *searchPlan) where(r searchRange) (string, []any) {
	var b strings.Builder
	args := []any{pl.drive}
	switch r {
	case rangeAny:
		b.WriteString("s.term = ? AND s.weight IN (1, 2)")
	case rangeOther:
		b.WriteString("s.term = ? AND s.weight = ?")
		args = append(args, weightOther)
	default:
		b.WriteString("s.term = ? AND s.weight = ?")
		args = append(args, weightName)
	}
	probe := func(weights string) {
		b.WriteString(" EXISTS (SELECT 1 FROM search_postings x WHERE x.term = ? AND x.weight IN (" + weights +
			") AND x.sort_new = s.sort_new AND x.product_id = s.product_id AND x.price_key = s.price_key)")
	}
	for _, t := range pl.probes {
		b.WriteString(" AND")
		if r == rangeAllName {
			probe("2")
		} else {
			probe("1, 2")
		}
		args = append(args, t)
	}
	if r == rangeSomeName {
		b.WriteString(" AND NOT (TRUE")
		for _, t := range pl.probes {
			b.WriteString(" AND")
			probe("2")
			args = append(args, t)
		}
		b.WriteString(")")
	}
	if len(pl.recheck) > 0 {
		b.WriteString(" AND EXISTS (SELECT 1 FROM products p WHERE p.id = s.product_id")
		for _, k := range pl.recheck {
			b.WriteString(` AND p.search_text LIKE ? ESCAPE '\'`)
			args = append(args, k)
		}
		b.WriteString(")")
	}
	if len(pl.catIDs) > 0 {
		b.WriteString(" AND EXISTS (SELECT 1 FROM product_categories pc WHERE pc.product_id = s.product_id AND pc.category_id IN (" + placeholders(len(pl.catIDs)) + "))")
		for _, id := range pl.catIDs {
			args = append(args, id)
		}
	}
	return b.String(), args
}

// planSearch turns folded keywords into a plan; ok is false when some
// term has no product at all (nothing can match) or no keyword has
// anything to search for.
func (s *Store) planSearch(ctx context.Context, lq ListQuery) (*searchPlan, bool, error) {
	pl := &searchPlan{catIDs: lq.CategoryIDs}
	var terms []string
	for _, k := range lq.Keywords {
		ts, recheck := keywordTerms(k)
		for _, t := range ts {
			if !slices.Contains(terms, t) {
				terms = append(terms, t)
			}
		}
		if recheck && len(ts) > 0 {
			pl.recheck = append(pl.recheck, "%"+db.LikeEscape(k)+"%")
		}
	}
	if len(terms) == 0 {
		return nil, false, nil
	}
	// The rarest term drives.
	best := -1
	for _, t := range terms {
		n, err := s.termFreq(ctx, t)
		if err != nil {
			return nil, false, err
		}
		if n == 0 {
			return nil, false, nil
		}
		if best < 0 || n < best {
			best, pl.drive = n, t
		}
	}
	// A keyword checked against search_text needs no probe for each of
	// its character pairs: its rarest pair is enough to narrow the rows.
	var probes []string
	for _, k := range lq.Keywords {
		ts, recheck := keywordTerms(k)
		if !recheck || len(ts) < 2 {
			probes = append(probes, ts...)
			continue
		}
		rarest, rn := "", -1
		for _, t := range ts {
			n, _ := s.termFreq(ctx, t)
			if rn < 0 || n < rn {
				rarest, rn = t, n
			}
		}
		probes = append(probes, rarest)
	}
	terms = terms[:0]
	for _, t := range probes {
		if !slices.Contains(terms, t) {
			terms = append(terms, t)
		}
	}
	for _, t := range terms {
		if t != pl.drive {
			pl.probes = append(pl.probes, t)
		}
	}
	return pl, true, nil
}

// hit is one product found, with its sort keys.
type hit struct {
	id, sortNew, priceKey int64
}

// search answers a keyword listing from the index: relevance tier first,
// then the chosen sort (newest first by creation time; price by the
// tax-included price at the time the product was last indexed), then
// the product ID.
func (s *Store) search(ctx context.Context, lq ListQuery) (ListResult, error) {
	var res ListResult
	res.Page, res.Pages = 1, 1
	pl, ok, err := s.planSearch(ctx, lq)
	if err != nil || !ok {
		return res, err
	}
	// Two counts: every hit, and the hits with every term in the name
	// (tier 1). A single term is counted exactly from the index alone;
	// several terms up to countCap.
	count := func(r searchRange) (int, error) {
		where, args := pl.where(r)
		query := `SELECT COUNT(*) FROM search_postings s WHERE ` + where
		if len(pl.probes) > 0 || len(pl.recheck) > 0 || len(pl.catIDs) > 0 {
			query = `SELECT COUNT(*) FROM (SELECT 1 FROM search_postings s WHERE ` + where + ` LIMIT ?) c`
			args = append(args, countCap)
		}
		var n int
		err := s.DB.QueryRow(ctx, query, args...).Scan(&n)
		return n, err
	}
	if res.Total, err = count(rangeAny); err != nil || res.Total == 0 {
		return res, err
	}
	res.AtLeast = res.Total >= countCap && (len(pl.probes) > 0 || len(pl.recheck) > 0 || len(pl.catIDs) > 0)
	res.Pages = max(1, (res.Total+lq.Limit-1)/lq.Limit)
	res.Page = min(max(lq.Page, 1), res.Pages)
	ranges := []searchRange{rangeAllName, rangeOther}
	if len(pl.probes) > 0 {
		ranges = []searchRange{rangeAllName, rangeSomeName, rangeOther}
	}
	order := "s.sort_new DESC, s.product_id DESC"
	less := func(a, b hit) bool { return a.sortNew > b.sortNew || a.sortNew == b.sortNew && a.id > b.id }
	switch lq.Sort {
	case SortPriceAsc:
		order = "s.price_key ASC, s.product_id DESC"
		less = func(a, b hit) bool { return a.priceKey < b.priceKey || a.priceKey == b.priceKey && a.id > b.id }
	case SortPriceDesc:
		order = "s.price_key DESC, s.product_id DESC"
		less = func(a, b hit) bool { return a.priceKey > b.priceKey || a.priceKey == b.priceKey && a.id > b.id }
	}
	fetch := func(r searchRange, offset, limit int) ([]hit, error) {
		if len(pl.recheck) > 0 {
			return s.fetchRechecked(ctx, pl, r, order, offset, limit)
		}
		return s.fetchHits(ctx, pl, r, order, offset, limit)
	}
	// Tier 1 is one range; tier 2 is the other one or two, merged. Tier 1
	// is counted only as far as this page reaches.
	offset, need := (res.Page-1)*lq.Limit, lq.Limit
	var page []hit
	tier1 := 0
	if offset > 0 {
		where, args := pl.where(rangeAllName)
		err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM search_postings s WHERE `+where+` LIMIT ?) c`,
			append(args, offset+1)...).Scan(&tier1)
		if err != nil {
			return res, err
		}
	}
	if offset == 0 || offset < tier1 {
		hs, err := fetch(rangeAllName, offset, need)
		if err != nil {
			return res, err
		}
		page, need, offset = hs, need-len(hs), 0
	} else {
		offset -= tier1
	}
	if need > 0 {
		var tier2 []hit
		for _, r := range ranges[1:] {
			hs, err := fetch(r, 0, offset+need)
			if err != nil {
				return res, err
			}
			tier2 = append(tier2, hs...)
		}
		slices.SortFunc(tier2, func(a, b hit) int {
			if less(a, b) {
				return -1
			}
			if less(b, a) {
				return 1
			}
			return 0
		})
		if offset < len(tier2) {
			page = append(page, tier2[offset:min(len(tier2), offset+need)]...)
		}
	}
	ids := make([]int64, len(page))
	for i, h := range page {
		ids[i] = h.id
	}
	res.Items, err = s.listItems(ctx, ids)
	if lq.HideSoldOut {
		// Sold-out hits are counted but not shown: the index does not
		// know stock, which changes with every sale.
		res.Items = slices.DeleteFunc(res.Items, func(it ListItem) bool { return it.SoldOut })
	}
	return res, err
}

// fetchHits returns the hits of range r in order, from offset.
func (s *Store) fetchHits(ctx context.Context, pl *searchPlan, r searchRange, order string, offset, limit int) ([]hit, error) {
	where, args := pl.where(r)
	rows, err := s.DB.Query(ctx, `SELECT s.product_id, s.sort_new, s.price_key FROM search_postings s WHERE `+where+
		` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hit
	for rows.Next() {
		var h hit
		if err := rows.Scan(&h.id, &h.sortNew, &h.priceKey); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// fetchRechecked is fetchHits for a plan whose keywords must be checked
// against search_text. Checking every candidate in the query made a price
// order (which has to see every candidate before the first) read the
// products row of each: thousands for a common keyword. Instead the
// candidates come in order from the index alone, and only as many as
// the page needs are checked, in batches that grow until the page is
// full or the candidates run out.
func (s *Store) fetchRechecked(ctx context.Context, pl *searchPlan, r searchRange, order string, offset, limit int) ([]hit, error) {
	cand := *pl
	cand.recheck = nil
	want := offset + limit
	batch := want + want/4 + 8
	var kept []hit
	for from := 0; ; {
		hs, err := s.fetchHits(ctx, &cand, r, order, from, batch)
		if err != nil {
			return nil, err
		}
		ok, err := s.recheck(ctx, pl.recheck, hs)
		if err != nil {
			return nil, err
		}
		for _, h := range hs {
			if ok[h.id] {
				kept = append(kept, h)
			}
		}
		if len(kept) >= want || len(hs) < batch {
			break
		}
		from += len(hs)
		batch *= 4
	}
	if offset >= len(kept) {
		return nil, nil
	}
	return kept[offset:min(len(kept), want)], nil
}

// recheck returns which of the hits' products have every pattern in
// their search_text.
func (s *Store) recheck(ctx context.Context, patterns []string, hs []hit) (map[int64]bool, error) {
	ok := map[int64]bool{}
	for i := 0; i < len(hs); i += 500 {
		part := hs[i:min(i+500, len(hs))]
		args := make([]any, 0, len(part)+len(patterns))
		for _, h := range part {
			args = append(args, h.id)
		}
		q := `SELECT id FROM products WHERE id IN (` + placeholders(len(part)) + `)`
		for _, k := range patterns {
			q += ` AND search_text LIKE ? ESCAPE '\'`
			args = append(args, k)
		}
		rows, err := s.DB.Query(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			ok[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return ok, nil
}

// listItems returns the listing data of the given public products, in
// the order of ids.
func (s *Store) listItems(ctx context.Context, ids []int64) ([]ListItem, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := []any{true}
	for _, id := range ids {
		args = append(args, id)
	}
	// The index holds public products; their publishing window is
	// checked here, at the time of the search.
	args = append(args, visibleArgs(s.DB.Now())...)
	rows, err := s.DB.Query(ctx, `SELECT p.id, p.slug, p.name_ja, p.name_en, p.tax_class, p.price_min, p.price_max, p.created_at,
			(SELECT i.key FROM product_images i WHERE i.product_id = p.id ORDER BY i.sort_order, i.id LIMIT 1),
			NOT EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id AND v.active = ? AND (v.stock IS NULL OR v.stock > 0))
		FROM products p WHERE p.id IN (`+placeholders(len(ids))+`) AND `+visibleSQL, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := map[int64]ListItem{}
	for rows.Next() {
		it, err := scanListItem(rows)
		if err != nil {
			return nil, err
		}
		byID[it.ID] = it
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]ListItem, 0, len(ids))
	for _, id := range ids {
		if it, ok := byID[id]; ok {
			out = append(out, it)
		}
	}
	return out, nil
}

// scanListItem scans the listing columns every listing query selects.
func scanListItem(rows *sql.Rows) (ListItem, error) {
	var it ListItem
	var class string
	var img sql.NullString
	if err := rows.Scan(&it.ID, &it.Slug, &it.NameJA, &it.NameEN, &class, &it.PriceMin, &it.PriceMax, &it.CreatedAt, &img, &it.SoldOut); err != nil {
		return it, err
	}
	it.TaxClass, it.ImageKey = shop.TaxClass(class), img.String
	return it, nil
}

// termFreq returns about how many products have term (counted up to
// freqCap, cached for minutes: it only picks which term drives a search).
func (s *Store) termFreq(ctx context.Context, term string) (int, error) {
	const freqCap = 50000
	s.mu.Lock()
	e, ok := s.freq[term]
	s.mu.Unlock()
	if ok && time.Since(e.at) < 5*time.Minute {
		return e.n, nil
	}
	var n int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM search_postings WHERE term = ? LIMIT ?) c`, term, freqCap).Scan(&n); err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, nil // not cached: a product may gain the term any moment
	}
	s.mu.Lock()
	if s.freq == nil || len(s.freq) >= 10000 {
		s.freq = map[string]freqEntry{}
	}
	s.freq[term] = freqEntry{n, time.Now()}
	s.mu.Unlock()
	return n, nil
}

type freqEntry struct {
	n  int
	at time.Time
}
