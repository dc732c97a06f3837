package eccube

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/media"
)

type product struct {
	ID                       int64
	Status                   id
	Name, List, Detail, Word text
	Free                     text
	Created, Updated         stamp
	classes                  []pclass
	images                   []pimage
	categories, tags         []int64
	reduced                  bool
}

type pclass struct {
	ID               int64
	Cat1, Cat2       id
	Code             text
	Stock, Limit     num
	Unlimited        flag
	Price01, Price02 num
	Visible          flag
}

type pimage struct {
	ID   int64
	File string
}

// productStatus maps mtb_product_status: 1 公開, 2 非公開, 3 廃止.
var productStatus = map[int64]string{1: "public", 2: "private", 3: "archived"}

// importProducts reads the products a batch at a time with their classes,
// images, categories, tags and own tax rules, and imports each product in
// its own transaction.
func (im *Importer) importProducts(ctx context.Context) error {
	total, err := im.Source.count(ctx, "dtb_product")
	if err != nil {
		return err
	}
	done := 0
	return im.batches(ctx, "dtb_product", "", func(ids []int64) error {
		ps, err := im.readProducts(ctx, ids)
		if err != nil {
			return err
		}
		for _, p := range ps {
			im.product(ctx, p)
			done++
			if done%100 == 0 || done == total {
				im.progress("products %d/%d", done, total)
			}
		}
		return nil
	})
}

func (im *Importer) readProducts(ctx context.Context, ids []int64) ([]*product, error) {
	in, args := inList(ids)
	byID := map[int64]*product{}
	var ps []*product
	err := im.Source.each(ctx, `SELECT id, product_status_id, name, description_list, description_detail, search_word, free_area, create_date, update_date
		FROM dtb_product WHERE id IN (`+in+`) ORDER BY id`, args, func(sc func(...any) error) error {
		p := &product{}
		if err := sc(&p.ID, &p.Status, &p.Name, &p.List, &p.Detail, &p.Word, &p.Free, &p.Created, &p.Updated); err != nil {
			return err
		}
		byID[p.ID] = p
		ps = append(ps, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = im.Source.each(ctx, `SELECT id, product_id, class_category_id1, class_category_id2, product_code, stock, stock_unlimited, sale_limit, price01, price02, visible
		FROM dtb_product_class WHERE product_id IN (`+in+`) ORDER BY id`, args, func(sc func(...any) error) error {
		var c pclass
		var pid int64
		if err := sc(&c.ID, &pid, &c.Cat1, &c.Cat2, &c.Code, &c.Stock, &c.Unlimited, &c.Limit, &c.Price01, &c.Price02, &c.Visible); err != nil {
			return err
		}
		if p := byID[pid]; p != nil {
			p.classes = append(p.classes, c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = im.Source.each(ctx, `SELECT id, product_id, file_name FROM dtb_product_image WHERE product_id IN (`+in+`) ORDER BY product_id, sort_no, id`, args, func(sc func(...any) error) error {
		var i pimage
		var pid int64
		var f text
		if err := sc(&i.ID, &pid, &f); err != nil {
			return err
		}
		i.File = f.S
		if p := byID[pid]; p != nil {
			p.images = append(p.images, i)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, q := range []struct {
		sql string
		add func(p *product, v int64)
	}{
		{`SELECT product_id, category_id FROM dtb_product_category WHERE product_id IN (` + in + `) ORDER BY product_id, category_id`, func(p *product, v int64) { p.categories = append(p.categories, v) }},
		{`SELECT product_id, tag_id FROM dtb_product_tag WHERE product_id IN (` + in + `) ORDER BY product_id, id`, func(p *product, v int64) { p.tags = append(p.tags, v) }},
		{`SELECT product_id, tax_rate FROM dtb_tax_rule WHERE product_id IN (` + in + `)`, func(p *product, v int64) {
			if v == 8 {
				p.reduced = true
			}
		}},
	} {
		err := im.Source.each(ctx, q.sql, args, func(sc func(...any) error) error {
			var pid int64
			var v num
			if err := sc(&pid, &v); err != nil {
				return err
			}
			if p := byID[pid]; p != nil {
				q.add(p, v.Int())
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return ps, nil
}

// variantPlan is one class as it will be written.
type variantPlan struct {
	c          pclass
	sku        string
	stock      any // nil: unlimited
	limit      any
	listPrice  any
	cat1, cat2 int64
}

// product checks and imports one product in its own transaction.
func (im *Importer) product(ctx context.Context, p *product) {
	im.rep.seen("product")
	for f, t := range map[string]text{"name": p.Name, "description_detail": p.Detail, "description_list": p.List, "free_area": p.Free, "search_word": p.Word} {
		im.checkText("product", p.ID, f, t)
	}
	status, ok := productStatus[p.Status.V]
	if !ok {
		im.rep.refuse("product", p.ID, "unknown product status %d", p.Status.V)
		return
	}
	if p.Name.S == "" {
		im.rep.refuse("product", p.ID, "the product has no name")
		return
	}
	// A product with 規格 keeps a hidden class without class categories
	// (EC-CUBE's default class); only the visible ones are for sale.
	var withCats bool
	for _, c := range p.classes {
		if bool(c.Visible) && c.Cat1.Valid {
			withCats = true
		}
	}
	var plans []variantPlan
	for _, c := range p.classes {
		im.rep.seen("variant")
		if !bool(c.Visible) || withCats && !c.Cat1.Valid {
			im.rep.skipped("variant")
			continue
		}
		if !c.Price02.Valid || c.Price02.V < 0 {
			im.rep.refuse("variant", c.ID, "product %d: the selling price (price02) is missing or negative", p.ID)
			continue
		}
		v := variantPlan{c: c, sku: c.Code.S}
		im.checkText("variant", c.ID, "product_code", c.Code)
		if !c.Unlimited {
			n := c.Stock.Int()
			if n < 0 {
				im.rep.warn("variant", c.ID, "negative stock %d imported as 0", n)
				n = 0
			}
			v.stock = n
		}
		if c.Limit.Valid && c.Limit.Int() > 0 {
			v.limit = c.Limit.Int()
		}
		if c.Price01.Valid && c.Price01.Int() > 0 {
			v.listPrice = c.Price01.Int()
		}
		if c.Cat1.Valid {
			if _, ok := im.classes.cats[c.Cat1.V]; !ok {
				im.rep.refuse("variant", c.ID, "product %d: unknown class category %d", p.ID, c.Cat1.V)
				continue
			}
			v.cat1 = c.Cat1.V
		}
		if c.Cat2.Valid {
			if _, ok := im.classes.cats[c.Cat2.V]; !ok {
				im.rep.refuse("variant", c.ID, "product %d: unknown class category %d", p.ID, c.Cat2.V)
				continue
			}
			v.cat2 = c.Cat2.V
		}
		plans = append(plans, v)
	}
	if len(plans) == 0 {
		im.rep.refuse("product", p.ID, "no class of this product is for sale (none visible with a price)")
		return
	}
	existing, had := im.mapped("product", p.ID)
	desc := HTMLToMarkup(p.Detail.S)
	if desc == "" {
		desc = HTMLToMarkup(p.List.S)
	}
	free := HTMLToMarkup(p.Free.S)
	imgs := im.productImages(ctx, p)
	if im.DryRun {
		im.m("product")[strconv.FormatInt(p.ID, 10)] = -1
		for _, v := range plans {
			im.m("product_class")[strconv.FormatInt(v.c.ID, 10)] = -1
			im.rep.done("variant", false)
		}
		im.rep.done("product", had)
		return
	}
	im.unit(ctx, "product", p.ID, func(tx *db.Tx) ([]func(), error) {
		var after []func()
		now := tx.Now()
		taxClass := "standard"
		if p.reduced {
			taxClass = "reduced"
		}
		pid := existing
		if had {
			if _, err := tx.Exec(ctx, `UPDATE products SET status = ?, name_ja = ?, description_ja = ?, free_area_ja = ?, search_words = ?, tax_class = ?,
				updated_at = ?, version = version + 1 WHERE id = ?`, status, p.Name.S, desc, free, p.Word.S, taxClass, now, pid); err != nil {
				return nil, err
			}
		} else {
			slug, err := slugFree(ctx, tx, "products", strconv.FormatInt(p.ID, 10), 0)
			if err != nil {
				return nil, err
			}
			if err := tx.QueryRow(ctx, `INSERT INTO products (slug, status, name_ja, description_ja, free_area_ja, search_words, tax_class, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, slug, status, p.Name.S, desc, free, p.Word.S, taxClass, p.Created.or(now), p.Updated.or(now)).Scan(&pid); err != nil {
				return nil, err
			}
			f, err := im.remember(ctx, tx, "product", p.ID, pid)
			if err != nil {
				return nil, err
			}
			after = append(after, f)
		}
		fs, err := im.writeVariants(ctx, tx, p, pid, plans)
		if err != nil {
			return nil, err
		}
		after = append(after, fs...)
		for _, c := range p.categories {
			if n, ok := im.mapped("category", c); ok {
				if _, err := tx.Exec(ctx, `INSERT INTO product_categories (product_id, category_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, pid, n); err != nil {
					return nil, err
				}
			}
		}
		for _, t := range p.tags {
			if n, ok := im.mapped("tag", t); ok {
				if _, err := tx.Exec(ctx, `INSERT INTO product_tags (product_id, tag_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, pid, n); err != nil {
					return nil, err
				}
			}
		}
		for _, img := range imgs {
			if _, done := im.mapped("image", img.old); done {
				continue
			}
			if err := catalog.AddImage(ctx, tx, pid, img.Key, img.Width, img.Height); err != nil {
				return nil, err
			}
			var iid int64
			if err := tx.QueryRow(ctx, `SELECT id FROM product_images WHERE product_id = ? AND key = ? ORDER BY id DESC LIMIT 1`, pid, img.Key).Scan(&iid); err != nil {
				return nil, err
			}
			f, err := im.remember(ctx, tx, "image", img.old, iid)
			if err != nil {
				return nil, err
			}
			after = append(after, f)
			im.rep.imported("image")
		}
		if err := catalog.RefreshProducts(ctx, tx, pid); err != nil {
			return nil, err
		}
		im.rep.done("product", had)
		return after, nil
	})
}

// writeVariants writes the product's axes (規格1, 規格2), their values and
// its variants, updating those an earlier run wrote.
func (im *Importer) writeVariants(ctx context.Context, tx *db.Tx, p *product, pid int64, plans []variantPlan) ([]func(), error) {
	var after []func()
	axisValue := map[int64]int64{} // class category → axis value
	for pos, pick := range []func(v variantPlan) int64{func(v variantPlan) int64 { return v.cat1 }, func(v variantPlan) int64 { return v.cat2 }} {
		used := map[int64]bool{}
		for _, v := range plans {
			if c := pick(v); c != 0 {
				used[c] = true
			}
		}
		if len(used) == 0 {
			continue
		}
		first := im.classes.sorted(used)
		className := im.classes.names[im.classes.cats[first[0]].Parent]
		var axisID int64
		classID, _ := im.mapped("class_name", className.ID)
		err := tx.QueryRow(ctx, `SELECT id FROM variant_axes WHERE product_id = ? AND position = ?`, pid, pos+1).Scan(&axisID)
		if errors.Is(err, sql.ErrNoRows) {
			err = tx.QueryRow(ctx, `INSERT INTO variant_axes (product_id, position, name_ja, class_id) VALUES (?, ?, ?, ?) RETURNING id`,
				pid, pos+1, className.Name, nullID(classID)).Scan(&axisID)
		}
		if err != nil {
			return nil, err
		}
		for i, cc := range first {
			key := fmt.Sprintf("%d:%d", p.ID, cc)
			if n, ok := im.m("axis_value")[key]; ok {
				axisValue[cc] = n
				continue
			}
			cv, _ := im.mapped("class_category", cc)
			var n int64
			if err := tx.QueryRow(ctx, `INSERT INTO axis_values (axis_id, name_ja, sort_order, class_value_id) VALUES (?, ?, ?, ?) RETURNING id`,
				axisID, im.classes.cats[cc].Name, i, nullID(cv)).Scan(&n); err != nil {
				return nil, err
			}
			f, err := im.remember(ctx, tx, "axis_value", key, n)
			if err != nil {
				return nil, err
			}
			after = append(after, f)
			axisValue[cc] = n
		}
	}
	for i, v := range plans {
		var v1, v2 any
		if v.cat1 != 0 {
			v1 = axisValue[v.cat1]
		}
		if v.cat2 != 0 {
			v2 = axisValue[v.cat2]
		}
		existing, had := im.mapped("product_class", v.c.ID)
		sku, err := im.freeSKU(ctx, tx, v, existing)
		if err != nil {
			return nil, err
		}
		price := v.c.Price02.Int()
		if had {
			if _, err := tx.Exec(ctx, `UPDATE variants SET sku = ?, price = ?, list_price = ?, stock = ?, sale_limit = ?, sort_order = ?, active = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
				sku, price, v.listPrice, v.stock, v.limit, i, true, tx.Now(), existing); err != nil {
				return nil, err
			}
			im.rep.done("variant", true)
			continue
		}
		var n int64
		if err := tx.QueryRow(ctx, `INSERT INTO variants (product_id, sku, value1_id, value2_id, price, list_price, stock, sale_limit, sort_order, active, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, pid, sku, v1, v2, price, v.listPrice, v.stock, v.limit, i, true, tx.Now(), tx.Now()).Scan(&n); err != nil {
			return nil, err
		}
		f, err := im.remember(ctx, tx, "product_class", v.c.ID, n)
		if err != nil {
			return nil, err
		}
		after = append(after, f)
		im.rep.done("variant", false)
	}
	return after, nil
}

// freeSKU returns the class's product code, or one made unique: Akinai
// needs every SKU unique, EC-CUBE does not (an empty code becomes
// EC<class id>, a code another variant has gets "-<class id>").
func (im *Importer) freeSKU(ctx context.Context, tx *db.Tx, v variantPlan, self int64) (string, error) {
	sku := v.sku
	if sku == "" {
		sku = "EC" + strconv.FormatInt(v.c.ID, 10)
	}
	for try := 0; ; try++ {
		var other int64
		err := tx.QueryRow(ctx, `SELECT id FROM variants WHERE sku = ?`, sku).Scan(&other)
		if errors.Is(err, sql.ErrNoRows) || err == nil && other == self {
			if try > 0 {
				im.rep.warn("variant", v.c.ID, "product code %q is used by another class; imported as %q", v.sku, sku)
			}
			return sku, nil
		}
		if err != nil {
			return "", err
		}
		sku = fmt.Sprintf("%s-%d", v.sku, v.c.ID)
		if try > 0 {
			sku = fmt.Sprintf("%s-%d-%d", v.sku, v.c.ID, try)
		}
	}
}

type cleanImage struct {
	*media.Image
	old int64
}

// productImages reads, checks and stores the product's pictures (before
// its transaction: the image store may be another service). A missing
// file or one that is not a picture is refused and the product imported
// without it.
func (im *Importer) productImages(ctx context.Context, p *product) []cleanImage {
	var out []cleanImage
	for _, i := range p.images {
		im.rep.seen("image")
		if _, done := im.mapped("image", i.ID); done {
			im.rep.updated("image")
			continue
		}
		if im.Images == nil {
			im.rep.refuse("image", i.ID, "product %d: %s — no image folder was given (--images)", p.ID, i.File)
			continue
		}
		data, err := im.Images.Read(i.File)
		if err != nil {
			im.rep.refuse("image", i.ID, "product %d: %s: %v", p.ID, i.File, err)
			continue
		}
		img, err := media.Process(data)
		if err != nil {
			im.rep.refuse("image", i.ID, "product %d: %s is not a usable picture (JPEG, PNG, GIF or WebP)", p.ID, i.File)
			continue
		}
		if im.DryRun {
			im.rep.imported("image")
			continue
		}
		if err := im.Media.Put(ctx, img.Key, img.ContentType, img.Data); err != nil {
			im.rep.refuse("image", i.ID, "product %d: %s: storing it failed: %v", p.ID, i.File, err)
			continue
		}
		out = append(out, cleanImage{Image: img, old: i.ID})
	}
	return out
}

func nullID(n int64) any {
	if n <= 0 {
		return nil
	}
	return n
}

// trimJoin joins the non-empty parts with sep.
func trimJoin(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}
