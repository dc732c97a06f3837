package catalog

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/csvcols"
	"github.com/akinai/akinai/internal/db"
)

// ProductColumns is the header of the product CSV: one row per variant;
// the product's own columns repeat on each of its rows and are read from
// the first. categories and tags are slugs separated by "|"; stock is
// blank for unlimited; active is 1 or 0.
var ProductColumns = []string{
	"product_slug", "status", "name_ja", "name_en", "description_ja", "description_en", "search_words",
	"tax_class", "featured", "categories", "tags",
	"axis1_name", "axis1_value", "axis2_name", "axis2_value",
	"sku", "price", "list_price", "stock", "sale_limit", "lead_days", "active",
}

// CategoryColumns is the header of the category CSV, parents before
// children.
var CategoryColumns = []string{"slug", "parent_slug", "name_ja", "name_en", "sort_order"}

// ProductExport and CategoryExport are the two exports for the operator's
// column settings (csvcols). Their headings are the import's column names,
// so a full export with default headings imports again.
var (
	ProductExport  = importExport("product", "admin13.csv.type.product", ProductColumns)
	CategoryExport = importExport("category", "admin13.csv.type.category", CategoryColumns)
)

func importExport(typ, title string, cols []string) csvcols.Export {
	e := csvcols.Of(typ, title, "products", cols...)
	e.Import = true
	return e
}

// ExportProducts writes every product's variants (in the matrix; those
// left outside by earlier edits are not exported) as ProductColumns
// records, streaming from the database, through w (started on
// ProductExport: it keeps the operator's columns).
func ExportProducts(ctx context.Context, q db.Queryer, w *csvcols.Writer) error {
	cats, err := slugsOf(ctx, q, `SELECT pc.product_id, c.slug FROM product_categories pc JOIN categories c ON c.id = pc.category_id ORDER BY pc.product_id, c.slug`)
	if err != nil {
		return err
	}
	tags, err := slugsOf(ctx, q, `SELECT pt.product_id, t.slug FROM product_tags pt JOIN tags t ON t.id = pt.tag_id ORDER BY pt.product_id, t.slug`)
	if err != nil {
		return err
	}
	rows, err := q.Query(ctx, `SELECT p.id, p.slug, p.status, p.name_ja, p.name_en, p.description_ja, p.description_en, p.search_words,
			p.tax_class, p.featured, COALESCE(a1.name_ja, ''), COALESCE(x1.name_ja, ''), COALESCE(a2.name_ja, ''), COALESCE(x2.name_ja, ''),
			v.sku, v.price, v.list_price, v.stock, v.sale_limit, v.lead_days, v.active
		FROM products p JOIN variants v ON v.product_id = p.id
		LEFT JOIN axis_values x1 ON x1.id = v.value1_id LEFT JOIN variant_axes a1 ON a1.id = x1.axis_id
		LEFT JOIN axis_values x2 ON x2.id = v.value2_id LEFT JOIN variant_axes a2 ON a2.id = x2.axis_id
		WHERE NOT (v.active = ? AND v.value1_id IS NULL AND EXISTS (SELECT 1 FROM variant_axes va WHERE va.product_id = p.id))
		ORDER BY p.id, v.sort_order, v.id`, false)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, price int64
		var featured, active bool
		var list, stock, limit sql.NullInt64
		var lead int
		rec := make([]string, len(ProductColumns))
		if err := rows.Scan(&id, &rec[0], &rec[1], &rec[2], &rec[3], &rec[4], &rec[5], &rec[6], &rec[7], &featured,
			&rec[11], &rec[12], &rec[13], &rec[14], &rec[15], &price, &list, &stock, &limit, &lead, &active); err != nil {
			return err
		}
		rec[8], rec[9], rec[10] = boolCell(featured), strings.Join(cats[id], "|"), strings.Join(tags[id], "|")
		rec[16], rec[17], rec[18], rec[19] = strconv.FormatInt(price, 10), nullCell(list), nullCell(stock), nullCell(limit)
		rec[20], rec[21] = strconv.Itoa(lead), boolCell(active)
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return w.Flush()
}

func slugsOf(ctx context.Context, q db.Queryer, query string) (map[int64][]string, error) {
	rows, err := q.Query(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[int64][]string{}
	for rows.Next() {
		var id int64
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			return nil, err
		}
		m[id] = append(m[id], s)
	}
	return m, rows.Err()
}

func boolCell(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func nullCell(n sql.NullInt64) string {
	if !n.Valid {
		return ""
	}
	return strconv.FormatInt(n.Int64, 10)
}

// ExportCategories writes the category tree, parents first, as
// CategoryColumns records through w (started on CategoryExport).
func ExportCategories(ctx context.Context, s *Store, w *csvcols.Writer) error {
	t, err := s.Tree(ctx)
	if err != nil {
		return err
	}
	for _, c := range t.All() {
		parent := ""
		if c.Parent != nil {
			parent = c.Parent.Slug
		}
		if err := w.Write([]string{c.Slug, parent, c.NameJA, c.NameEN, strconv.Itoa(c.SortOrder)}); err != nil {
			return err
		}
	}
	return w.Flush()
}
