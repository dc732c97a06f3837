package demo

import (
	"context"
	"database/sql"
	"fmt"
	"image/color"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// sharedImages is the number of images products beyond the curated ones
// share, so that a 10,000-product catalogue loads in seconds.
const sharedImages = 24

// products writes products [from, to) of a catalogue of total products
// and returns how many it added; existing slugs are skipped whole. Each
// table gets one multi-row INSERT per batch (a few statements per 500
// products instead of ~25 per product), which is what makes 100,000
// products load in seconds.
func products(ctx context.Context, tx *db.Tx, cats map[string]int64, from, to, total int) (int, error) {
	all := curated()
	type pending struct {
		n        int
		f        *family
		it       item
		slug     string
		ja, en   string
		created  time.Time
		axes     []axis
		variants []variantSpec
		id       int64
	}
	var ps []*pending
	var rows [][]any
	for n := from; n < to; n++ {
		c := all[n%len(all)]
		p := &pending{n: n, f: c.f, it: c.i, slug: c.i.slug, ja: c.i.ja, en: c.i.en, axes: c.f.axes}
		if n >= len(all) {
			// Products past the curated ones are numbered copies.
			p.slug = fmt.Sprintf("%s-%d", p.it.slug, n)
			p.ja = fmt.Sprintf("%s No.%d", p.it.ja, n)
			p.en = fmt.Sprintf("%s No.%d", p.it.en, n)
		}
		// Every seventh product is sold as a single item, without axes.
		if n%7 == 6 {
			p.axes = nil
		}
		// Newer products have higher numbers: product n was added n hours
		// after the first.
		p.created = tx.Now().Add(-time.Duration(total-n) * time.Hour)
		p.variants = variantsOf(n, p.axes, p.it.price)
		search := []string{p.ja, p.en, p.f.words}
		pmin, pmax := p.variants[0].price, p.variants[0].price
		for _, v := range p.variants {
			search = append(search, v.sku)
			pmin, pmax = min(pmin, v.price), max(pmax, v.price)
		}
		ps = append(ps, p)
		rows = append(rows, []any{p.slug, p.ja, p.en, p.f.descJA, p.f.descEN, freeAreaJA, freeAreaEN, p.f.words, catalog.SearchText(search...),
			string(p.f.class), n%9 == 0, int64(pmin), int64(pmax), p.created, p.created})
	}
	ids := map[string]int64{}
	err := bulk(ctx, tx, `INSERT INTO products (slug, status, name_ja, name_en, description_ja, description_en,
			free_area_ja, free_area_en, search_words, search_text, tax_class, featured, price_min, price_max, created_at, updated_at) VALUES `,
		`(?, 'public', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, rows, ` ON CONFLICT (slug) DO NOTHING RETURNING id, slug`,
		func(r *sql.Rows) error {
			var id int64
			var slug string
			if err := r.Scan(&id, &slug); err != nil {
				return err
			}
			ids[slug] = id
			return nil
		})
	if err != nil {
		return 0, fmt.Errorf("products: %w", err)
	}
	var added []*pending
	for _, p := range ps {
		if p.id = ids[p.slug]; p.id != 0 {
			added = append(added, p)
		}
	}
	// Axes, then their values, then the variants that point at them.
	rows = rows[:0]
	for _, p := range added {
		for pos, a := range p.axes {
			rows = append(rows, []any{p.id, pos + 1, a.ja, a.en})
		}
	}
	type axisKey struct {
		product int64
		pos     int
	}
	axisIDs := map[axisKey]int64{}
	if err := bulk(ctx, tx, `INSERT INTO variant_axes (product_id, position, name_ja, name_en) VALUES `, `(?, ?, ?, ?)`, rows,
		` RETURNING id, product_id, position`, func(r *sql.Rows) error {
			var id int64
			var k axisKey
			if err := r.Scan(&id, &k.product, &k.pos); err != nil {
				return err
			}
			axisIDs[k] = id
			return nil
		}); err != nil {
		return 0, fmt.Errorf("axes: %w", err)
	}
	rows = rows[:0]
	for _, p := range added {
		for pos, a := range p.axes {
			for i, v := range a.values {
				rows = append(rows, []any{axisIDs[axisKey{p.id, pos + 1}], v.ja, v.en, i})
			}
		}
	}
	type valueKey struct {
		axis  int64
		order int
	}
	valueIDs := map[valueKey]int64{}
	if err := bulk(ctx, tx, `INSERT INTO axis_values (axis_id, name_ja, name_en, sort_order) VALUES `, `(?, ?, ?, ?)`, rows,
		` RETURNING id, axis_id, sort_order`, func(r *sql.Rows) error {
			var id int64
			var k valueKey
			if err := r.Scan(&id, &k.axis, &k.order); err != nil {
				return err
			}
			valueIDs[k] = id
			return nil
		}); err != nil {
		return 0, fmt.Errorf("axis values: %w", err)
	}
	rows = rows[:0]
	var cats2, images [][]any
	var index []catalog.IndexEntry
	seen := map[string]bool{} // image keys stored or found in this batch
	for _, p := range added {
		value := func(pos, i int) any {
			if i < 0 {
				return nil
			}
			return valueIDs[valueKey{axisIDs[axisKey{p.id, pos}], i}]
		}
		others := []string{p.f.words}
		for i, v := range p.variants {
			rows = append(rows, []any{p.id, v.sku, value(1, v.v1), value(2, v.v2), int64(v.price), yenOrNil(v.list), intOrNil(v.stock),
				intOrNil(v.limit), v.lead, i, true, p.created, p.created})
			others = append(others, v.sku)
		}
		cats2 = append(cats2, []any{p.id, cats[p.f.category]})
		keys, err := imageKeys(ctx, tx, seen, p.n, p.n < len(all), p.slug)
		if err != nil {
			return 0, err
		}
		for i, key := range keys {
			images = append(images, []any{p.id, key, p.ja, p.en, imageSize, imageSize, i})
		}
		pmin := p.variants[0].price
		for _, v := range p.variants {
			pmin = min(pmin, v.price)
		}
		index = append(index, catalog.IndexEntry{ID: p.id, Public: true, Created: p.created, PriceMin: int64(pmin),
			Reduced: p.f.class == shop.TaxReduced, Names: []string{p.ja, p.en}, Others: others})
	}
	for _, b := range []struct {
		what, head, row string
		rows            [][]any
		tail            string
	}{
		{"variants", `INSERT INTO variants (product_id, sku, value1_id, value2_id, price, list_price, stock, sale_limit, lead_days, sort_order, active, created_at, updated_at) VALUES `,
			`(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, rows, ` ON CONFLICT (sku) DO NOTHING`},
		{"categories", `INSERT INTO product_categories (product_id, category_id) VALUES `, `(?, ?)`, cats2, ` ON CONFLICT DO NOTHING`},
		{"images", `INSERT INTO product_images (product_id, key, alt_ja, alt_en, width, height, sort_order) VALUES `, `(?, ?, ?, ?, ?, ?, ?)`, images, ``},
	} {
		if err := bulk(ctx, tx, b.head, b.row, b.rows, b.tail, nil); err != nil {
			return 0, fmt.Errorf("%s: %w", b.what, err)
		}
	}
	return len(added), catalog.IndexNew(ctx, tx, index)
}

// imageKeys stores product n's images (curated products get two of their
// own; the others share a few) and returns their keys.
func imageKeys(ctx context.Context, tx *db.Tx, seen map[string]bool, n int, own bool, slug string) ([]string, error) {
	if !own {
		s := n % sharedImages
		key := fmt.Sprintf("demo/shared-%02d.png", s)
		if seen[key] {
			return []string{key}, nil
		}
		seen[key] = true
		return []string{key}, putImage(ctx, tx, key, colorFor(s), s)
	}
	var keys []string
	base := colorFor(n)
	for k := 0; k < 2; k++ {
		key := fmt.Sprintf("demo/%s-%d.png", slug, k+1)
		if err := putImage(ctx, tx, key, base, n+k); err != nil {
			return nil, err
		}
		keys = append(keys, key)
	}
	return keys, nil
}

// bulk inserts rows with as few statements as the engines' limit on
// parameters allows; scan, when set, reads each statement's RETURNING rows.
func bulk(ctx context.Context, tx *db.Tx, head, row string, rows [][]any, tail string, scan func(*sql.Rows) error) error {
	if len(rows) == 0 {
		return nil
	}
	per := max(1, 30000/len(rows[0]))
	for i := 0; i < len(rows); i += per {
		part := rows[i:min(i+per, len(rows))]
		var b strings.Builder
		b.WriteString(head)
		args := make([]any, 0, len(part)*len(part[0]))
		for j, r := range part {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(row)
			args = append(args, r...)
		}
		b.WriteString(tail)
		if scan == nil {
			if _, err := tx.Exec(ctx, b.String(), args...); err != nil {
				return err
			}
			continue
		}
		res, err := tx.Query(ctx, b.String(), args...)
		if err != nil {
			return err
		}
		for res.Next() {
			if err := scan(res); err != nil {
				res.Close()
				return err
			}
		}
		res.Close()
		if err := res.Err(); err != nil {
			return err
		}
	}
	return nil
}

// variantSpec is one SKU to write.
type variantSpec struct {
	v1, v2 int // index of the value on each axis, -1 for none
	price  shop.Yen
	list   *shop.Yen
	stock  *int
	limit  *int
	lead   int
	sku    string
}

// variantsOf makes the variant matrix of product n: every combination
// of the axis values, with stock that varies by product so that the
// demo has plenty in stock, few left, sold out and unlimited SKUs, and
// some per-order limits and list prices.
func variantsOf(n int, axes []axis, base shop.Yen) []variantSpec {
	combos := [][2]int{{-1, -1}}
	switch len(axes) {
	case 1:
		combos = nil
		for i := range axes[0].values {
			combos = append(combos, [2]int{i, -1})
		}
	case 2:
		combos = nil
		for i := range axes[0].values {
			for j := range axes[1].values {
				combos = append(combos, [2]int{i, j})
			}
		}
	}
	var out []variantSpec
	for k, c := range combos {
		v := variantSpec{v1: c[0], v2: c[1], price: base, lead: 1 + n%3, sku: fmt.Sprintf("AK-%05d-%02d", n, k+1)}
		if c[0] >= 0 {
			v.price += axes[0].values[c[0]].delta
		}
		if c[1] >= 0 {
			v.price += axes[1].values[c[1]].delta
		}
		switch (n + k) % 6 {
		case 0:
			v.stock = ptr(0) // sold out
		case 1:
			v.stock = ptr(3) // few left
		case 2:
			v.stock = nil // unlimited
		default:
			v.stock = ptr(20 + (n*7+k)%40)
		}
		if n%10 == 3 {
			// This whole product is sold out.
			v.stock = ptr(0)
		}
		if n%5 == 2 {
			v.limit = ptr(2)
		}
		if n%8 == 1 {
			lp := v.price + v.price/5
			v.list = &lp
		}
		out = append(out, v)
	}
	return out
}

func ptr(n int) *int { return &n }

func intOrNil(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func yenOrNil(p *shop.Yen) any {
	if p == nil {
		return nil
	}
	return int64(*p)
}

// colorFor picks a muted colour per product from a small palette.
func colorFor(n int) color.RGBA {
	palette := []color.RGBA{
		{0x6b, 0x8e, 0x23, 0xff}, {0x8b, 0x45, 0x13, 0xff}, {0x2f, 0x4f, 0x4f, 0xff}, {0xb2, 0x22, 0x22, 0xff},
		{0x1e, 0x3a, 0x5f, 0xff}, {0xd2, 0xb4, 0x8c, 0xff}, {0x55, 0x6b, 0x2f, 0xff}, {0x70, 0x37, 0x5a, 0xff},
		{0xc0, 0x8a, 0x3e, 0xff}, {0x3c, 0x6e, 0x71, 0xff}, {0x99, 0x99, 0x66, 0xff}, {0x4a, 0x4a, 0x4a, 0xff},
	}
	return palette[n%len(palette)]
}

const freeAreaJA = `# お届けについて
- ご注文から3営業日以内に発送します。
- 税込 5,500円以上のご注文で送料無料です。

詳しくは[特定商取引法に基づく表記](/pages/tokushoho)をご覧ください。`

const freeAreaEN = `# Delivery
- Shipped within 3 business days.
- Free shipping from ¥5,500 including tax.

See the [legal notice](/pages/tokushoho) for details.`
