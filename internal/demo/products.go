package demo

import (
	"context"
	"fmt"
	"image/color"
	"time"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// sharedImages is the number of images products beyond the curated ones
// share, so that a 10,000-product catalogue loads in seconds.
const sharedImages = 24

// products writes products [from, to) of a catalogue of total products
// and returns how many it added; existing slugs are skipped whole.
func products(ctx context.Context, tx *db.Tx, cats map[string]int64, from, to, total int) (int, error) {
	all := curated()
	added := 0
	var ids []int64
	for n := from; n < to; n++ {
		c := all[n%len(all)]
		it, slug, ja, en := c.i, c.i.slug, c.i.ja, c.i.en
		if n >= len(all) {
			// Products past the curated ones are numbered copies.
			slug = fmt.Sprintf("%s-%d", it.slug, n)
			ja = fmt.Sprintf("%s No.%d", it.ja, n)
			en = fmt.Sprintf("%s No.%d", it.en, n)
		}
		// Newer products have higher numbers: product n was added n hours
		// after the first.
		created := tx.Now().Add(-time.Duration(total-n) * time.Hour)
		id, err := product(ctx, tx, cats, n, n < len(all), c.f, it, slug, ja, en, created)
		if err != nil {
			return added, fmt.Errorf("%s: %w", slug, err)
		}
		if id != 0 {
			added++
			ids = append(ids, id)
		}
	}
	return added, catalog.IndexProducts(ctx, tx, ids...)
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

// product writes one product with its axes, variants, images and
// category, and returns its ID if it was new (0 if it existed).
func product(ctx context.Context, tx *db.Tx, cats map[string]int64, n int, ownImages bool, f *family, it item, slug, ja, en string, created time.Time) (int64, error) {
	axes := f.axes
	// Every seventh product is sold as a single item, without axes.
	if n%7 == 6 {
		axes = nil
	}
	variants := variantsOf(n, axes, it.price)
	search := []string{ja, en, f.words}
	pmin, pmax := variants[0].price, variants[0].price
	for _, v := range variants {
		search = append(search, v.sku)
		pmin, pmax = min(pmin, v.price), max(pmax, v.price)
	}
	var id int64
	rows, err := tx.Query(ctx, `INSERT INTO products (slug, status, name_ja, name_en, description_ja, description_en,
			free_area_ja, free_area_en, search_words, search_text, tax_class, featured, price_min, price_max, created_at, updated_at)
		VALUES (?, 'public', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (slug) DO NOTHING RETURNING id`,
		slug, ja, en, f.descJA, f.descEN, freeAreaJA, freeAreaEN, f.words, catalog.SearchText(search...),
		string(f.class), n%9 == 0, int64(pmin), int64(pmax), created, created)
	if err != nil {
		return 0, err
	}
	inserted := rows.Next()
	if inserted {
		err = rows.Scan(&id)
	}
	rows.Close()
	if err != nil || !inserted {
		return 0, err
	}
	valueIDs := make([][]int64, len(axes))
	for pos, a := range axes {
		var axisID int64
		if err := tx.QueryRow(ctx, `INSERT INTO variant_axes (product_id, position, name_ja, name_en) VALUES (?, ?, ?, ?) RETURNING id`,
			id, pos+1, a.ja, a.en).Scan(&axisID); err != nil {
			return 0, err
		}
		for i, v := range a.values {
			var vid int64
			if err := tx.QueryRow(ctx, `INSERT INTO axis_values (axis_id, name_ja, name_en, sort_order) VALUES (?, ?, ?, ?) RETURNING id`,
				axisID, v.ja, v.en, i).Scan(&vid); err != nil {
				return 0, err
			}
			valueIDs[pos] = append(valueIDs[pos], vid)
		}
	}
	for i, v := range variants {
		var v1, v2 any
		if v.v1 >= 0 {
			v1 = valueIDs[0][v.v1]
		}
		if v.v2 >= 0 {
			v2 = valueIDs[1][v.v2]
		}
		if _, err := tx.Exec(ctx, `INSERT INTO variants (product_id, sku, value1_id, value2_id, price, list_price, stock, sale_limit, lead_days, sort_order, active, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sku) DO NOTHING`,
			id, v.sku, v1, v2, int64(v.price), yenOrNil(v.list), intOrNil(v.stock), intOrNil(v.limit), v.lead, i, true, created, created); err != nil {
			return 0, err
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO product_categories (product_id, category_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, id, cats[f.category]); err != nil {
		return 0, err
	}
	// Images: curated products get two of their own; the others share.
	keys := []string{}
	if ownImages {
		base := colorFor(n)
		for k := 0; k < 2; k++ {
			key := fmt.Sprintf("demo/%s-%d.png", slug, k+1)
			if err := putImage(ctx, tx, key, base, n+k); err != nil {
				return 0, err
			}
			keys = append(keys, key)
		}
	} else {
		s := n % sharedImages
		key := fmt.Sprintf("demo/shared-%02d.png", s)
		if err := putImage(ctx, tx, key, colorFor(s), s); err != nil {
			return 0, err
		}
		keys = append(keys, key)
	}
	for i, key := range keys {
		if _, err := tx.Exec(ctx, `INSERT INTO product_images (product_id, key, alt_ja, alt_en, width, height, sort_order) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, key, ja, en, imageSize, imageSize, i); err != nil {
			return 0, err
		}
	}
	return id, nil
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
