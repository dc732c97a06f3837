package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/csvfile"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// productGroup is the rows of one product.
type productGroup struct {
	slug  string
	first int   // line of its first row
	lines []int // line of each variant row
	edit  *Edit
	cats  []string
	tags  []string
	bad   bool
}

// ImportProducts reads a product CSV and checks every row; with tx it
// also saves each product (create by new product_slug, update by known
// one), in that transaction. It never stops at the first error: the
// report lists them all (up to MaxRowErrors), and the caller rolls back
// when there is any. progress, if set, is called with the rows read.
// Only I/O and database failures are returned as errors.
func ImportProducts(ctx context.Context, q db.Queryer, tx *db.Tx, r io.Reader, progress func(rows int)) (*Report, error) {
	rep := &Report{}
	rd, err := csvfile.NewReader(r)
	if err != nil {
		return nil, err
	}
	rd.ReuseRecord = true
	catIDs, err := slugIDs(ctx, q, `SELECT slug, id FROM categories`)
	if err != nil {
		return nil, err
	}
	tagIDs, err := slugIDs(ctx, q, `SELECT slug, id FROM tags`)
	if err != nil {
		return nil, err
	}
	skuLine := map[string]int{} // SKUs of the file → line
	seen := map[string]bool{}   // product slugs done
	var g *productGroup
	flush := func() error {
		if g == nil {
			return nil
		}
		defer func() { g = nil }()
		rep.Products++
		if progress != nil && rep.Products%100 == 0 {
			progress(rep.Rows)
		}
		return finishGroup(ctx, q, tx, g, rep)
	}
	err = csvRows(rd, ProductColumns, rep, func(line int, m map[string]string) error {
		slug := m["product_slug"]
		if g == nil || g.slug != slug {
			if err := flush(); err != nil {
				return err
			}
			if seen[slug] {
				rep.add(RowError{Row: line, Column: "product_slug", Key: ErrKeyCSVApart, Arg: slug})
			}
			seen[slug] = true
			g = newGroup(line, m, rep, catIDs, tagIDs)
		}
		addVariantRow(g, line, m, rep, skuLine)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if progress != nil {
		progress(rep.Rows)
	}
	return rep, nil
}

func slugIDs(ctx context.Context, q db.Queryer, query string) (map[string]int64, error) {
	rows, err := q.Query(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]int64{}
	for rows.Next() {
		var s string
		var id int64
		if err := rows.Scan(&s, &id); err != nil {
			return nil, err
		}
		m[s] = id
	}
	return m, rows.Err()
}

func newGroup(line int, m map[string]string, rep *Report, catIDs, tagIDs map[string]int64) *productGroup {
	g := &productGroup{slug: m["product_slug"], first: line}
	e := &Edit{Slug: g.slug, Status: m["status"], NameJA: m["name_ja"], NameEN: m["name_en"],
		DescriptionJA: m["description_ja"], DescriptionEN: m["description_en"], SearchWords: m["search_words"],
		TaxClass: shop.TaxClass(m["tax_class"]), Featured: m["featured"] == "1"}
	if g.slug == "" {
		rep.add(RowError{Row: line, Column: "product_slug", Key: ErrKeyRequired})
		g.bad = true
	}
	for _, s := range splitSlugs(m["categories"]) {
		id, ok := catIDs[s]
		if !ok {
			rep.add(RowError{Row: line, Column: "categories", Key: ErrKeyCSVCategory, Arg: s})
			g.bad = true
		}
		e.CategoryIDs = append(e.CategoryIDs, id)
	}
	for _, s := range splitSlugs(m["tags"]) {
		id, ok := tagIDs[s]
		if !ok {
			rep.add(RowError{Row: line, Column: "tags", Key: ErrKeyCSVTag, Arg: s})
			g.bad = true
		}
		e.TagIDs = append(e.TagIDs, id)
	}
	for i, col := range []string{"axis1_name", "axis2_name"} {
		if m[col] != "" {
			for len(e.Axes) <= i {
				e.Axes = append(e.Axes, EditAxis{})
			}
			e.Axes[i].NameJA = m[col]
		}
	}
	g.edit = e
	return g
}

func splitSlugs(s string) []string {
	var out []string
	for p := range strings.SplitSeq(s, "|") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func addVariantRow(g *productGroup, line int, m map[string]string, rep *Report, skuLine map[string]int) {
	v := EditVariant{Value1: m["axis1_value"], Value2: m["axis2_value"], SKU: m["sku"], Active: m["active"] != "0"}
	num := func(col string, opt bool) *int64 {
		s := m[col]
		if s == "" && opt {
			return nil
		}
		n, err := strconv.ParseInt(strings.ReplaceAll(s, ",", ""), 10, 64)
		if err != nil || n > 1<<31 {
			rep.add(RowError{Row: line, Column: col, Key: ErrKeyCSVNumber, Arg: s})
			g.bad = true
			return nil
		}
		return &n
	}
	if p := num("price", false); p != nil {
		v.Price = shop.Yen(*p)
	}
	if p := num("list_price", true); p != nil {
		y := shop.Yen(*p)
		v.ListPrice = &y
	}
	if p := num("stock", true); p != nil {
		n := int(*p)
		v.Stock = &n
	}
	if p := num("sale_limit", true); p != nil {
		n := int(*p)
		v.SaleLimit = &n
	}
	v.LeadDays = 1
	if m["lead_days"] != "" {
		if p := num("lead_days", false); p != nil {
			v.LeadDays = int(*p)
		}
	}
	if v.SKU != "" {
		if first, dup := skuLine[v.SKU]; dup {
			rep.add(RowError{Row: line, Column: "sku", Key: ErrKeyCSVSKUFile, Arg: strconv.Itoa(first)})
			g.bad = true
		} else {
			skuLine[v.SKU] = line
		}
	}
	// Axis values in the order they first appear.
	for i, val := range []string{v.Value1, v.Value2} {
		if val == "" || i >= len(g.edit.Axes) {
			continue
		}
		a := &g.edit.Axes[i]
		found := false
		for _, x := range a.Values {
			found = found || x.NameJA == val
		}
		if !found {
			a.Values = append(a.Values, AxisValue{NameJA: val})
		}
	}
	g.edit.Variants = append(g.edit.Variants, v)
	g.lines = append(g.lines, line)
}

// finishGroup validates a product against the catalogue (SKUs of other
// products) and, with tx, saves it.
func finishGroup(ctx context.Context, q db.Queryer, tx *db.Tx, g *productGroup, rep *Report) error {
	e := g.edit
	var storedID int64
	var version int
	err := q.QueryRow(ctx, `SELECT id, version FROM products WHERE slug = ?`, g.slug).Scan(&storedID, &version)
	if err != nil && err != sql.ErrNoRows {
		return err
	}
	// Cells in axis order, as SaveProduct wants them; a row whose values
	// are not a cell of the matrix is reported by Validate.
	if sameCells(e) {
		lineOf := map[string]int{}
		for i, v := range e.Variants {
			lineOf[v.Combo()] = g.lines[i]
		}
		e.Variants = Matrix(e.Axes, e.Variants)
		for i, v := range e.Variants {
			g.lines[i] = lineOf[v.Combo()]
		}
	}
	e.ID, e.Version = storedID, version
	if verr := e.Validate(); verr != nil {
		var se *shop.Error
		if errors.As(verr, &se) {
			for field, key := range se.Fields {
				row, col := g.first, csvColumn(field)
				if strings.HasPrefix(field, "v") {
					var i int
					var rest string
					if n, _ := fmt.Sscanf(field, "v%d_%s", &i, &rest); n == 2 && i < len(g.lines) {
						row, col = g.lines[i], rest
					}
				}
				rep.add(RowError{Row: row, Column: col, Key: key})
			}
			return nil
		}
		return verr
	}
	for i, v := range e.Variants {
		var owner sql.NullString
		err := q.QueryRow(ctx, `SELECT p.slug FROM variants v JOIN products p ON p.id = v.product_id WHERE v.sku = ?`, v.SKU).Scan(&owner)
		if err == nil && owner.String != g.slug {
			rep.add(RowError{Row: g.lines[min(i, len(g.lines)-1)], Column: "sku", Key: ErrKeySKUTaken, Arg: owner.String})
			g.bad = true
		} else if err != nil && err != sql.ErrNoRows {
			return err
		}
	}
	if g.bad || tx == nil || rep.Count > 0 {
		return nil
	}
	// An import sets the stock outright: compare with what is stored.
	if storedID != 0 {
		old, err := loadEdit(ctx, tx, storedID)
		if err != nil {
			return err
		}
		keepEnglish(e, old)
		for i := range e.Variants {
			e.Variants[i].StockWas = e.Variants[i].Stock
			for _, o := range old.Variants {
				if o.Combo() == e.Variants[i].Combo() && o.ID != 0 {
					e.Variants[i].StockWas = o.Stock
				}
			}
		}
	} else {
		for i := range e.Variants {
			e.Variants[i].StockWas = e.Variants[i].Stock
		}
	}
	if _, err := SaveProduct(ctx, tx, e); err != nil {
		var se *shop.Error
		if errors.As(err, &se) && se.Kind != shop.Internal {
			rep.add(RowError{Row: g.first, Key: se.Key})
			return nil
		}
		return err
	}
	return nil
}

// sameCells reports whether e's rows are exactly its matrix's cells
// (in any order).
func sameCells(e *Edit) bool {
	want := Matrix(e.Axes, nil)
	if len(want) != len(e.Variants) {
		return false
	}
	have := map[string]bool{}
	for _, v := range e.Variants {
		have[v.Combo()] = true
	}
	for _, w := range want {
		if !have[w.Combo()] {
			return false
		}
	}
	return len(have) == len(want)
}

// keepEnglish keeps the English names of axes and values the CSV does
// not carry.
func keepEnglish(e, old *Edit) {
	for i := range e.Axes {
		if i >= len(old.Axes) {
			break
		}
		if e.Axes[i].NameJA == old.Axes[i].NameJA {
			e.Axes[i].NameEN = old.Axes[i].NameEN
		}
		for j := range e.Axes[i].Values {
			for _, ov := range old.Axes[i].Values {
				if ov.NameJA == e.Axes[i].Values[j].NameJA {
					e.Axes[i].Values[j].NameEN = ov.NameEN
				}
			}
		}
	}
}

// csvColumn maps a Validate field to the CSV column it comes from.
func csvColumn(field string) string {
	switch field {
	case "slug":
		return "product_slug"
	case "axis1_name", "axis2_name", "axis1_values", "axis2_values":
		return strings.Replace(strings.TrimSuffix(field, "s"), "values", "value", 1)
	case "variants", "axes":
		return "axis1_value"
	}
	return field
}
