package catalog

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Limits of what the admin may enter about a product.
const (
	MaxAxes         = 2
	MaxAxisValues   = 30
	MaxVariants     = 300
	MaxCategoryNest = 5
)

// Edit is a product as the admin edits it: every status, every variant
// (inactive ones too), tags and the version the form was loaded at.
type Edit struct {
	ID                           int64
	Version                      int
	Slug                         string
	Status                       string
	NameJA, NameEN               string
	DescriptionJA, DescriptionEN string
	FreeAreaJA, FreeAreaEN       string
	SearchWords                  string
	Brand                        string // for the feed and structured data
	TaxClass                     shop.TaxClass
	ParcelSize                   int // delivery size class (60 … 160), 0 for none
	Featured                     bool
	CategoryIDs                  []int64
	TagIDs                       []int64
	Axes                         []EditAxis
	Variants                     []EditVariant
	Images                       []EditImage
	// PublishFrom/PublishUntil bound when a public product is shown and
	// sold; SaleFrom/SaleUntil when the variants' sale prices apply. UTC;
	// nil is open-ended.
	PublishFrom, PublishUntil *time.Time
	SaleFrom, SaleUntil       *time.Time
	// RelatedIDs are the related products shown on its page, in order.
	RelatedIDs []int64
}

// EditAxis is a variant axis with its values in order (values are named
// by their Japanese name, which must be unique within the axis).
type EditAxis struct {
	// ClassID is the class master the axis was made from, 0 for none.
	ClassID        int64
	NameJA, NameEN string
	Values         []AxisValue
}

// EditVariant is one SKU of the matrix: the Japanese names of its axis
// values ("" when the product has fewer axes) and what the admin sets.
type EditVariant struct {
	ID             int64
	Value1, Value2 string
	SKU            string
	Price          shop.Yen
	ListPrice      *shop.Yen
	SalePrice      *shop.Yen // charged during the product's sale period
	Stock          *int      // nil = unlimited
	// StockWas is the stock the form showed; the save changes the stock
	// only when the admin changed it, and only if nobody sold meanwhile.
	StockWas  *int
	SaleLimit *int
	LeadDays  int
	Active    bool
	Version   int
	GTIN      string // JAN/EAN/UPC code, "" for none
	// Fresh marks a cell the matrix added (no stored variant was shown
	// for it), so there is no stock the admin saw to compare with: if the
	// save matches it to a stored variant by SKU, that variant's stock is
	// left as it is rather than checked against StockWas.
	Fresh bool
}

// EditImage is a stored product image.
type EditImage struct {
	ID            int64
	Key           string
	AltJA, AltEN  string
	Width, Height int
}

// Combo is the key of a matrix cell: the value names joined by a tab.
func (v EditVariant) Combo() string { return v.Value1 + "\t" + v.Value2 }

// Matrix returns the variants of axes' value combinations in axis order,
// taking each cell's settings from old where its combination exists there
// and defaults where not: the price and lead time of the first old
// variant, and limited stock of 0 (an operator who sells without a stock
// count ticks 無制限 on purpose). New cells are Fresh.
func Matrix(axes []EditAxis, old []EditVariant) []EditVariant {
	byCombo := map[string]EditVariant{}
	for _, v := range old {
		// Variants detached by an earlier edit share the empty
		// combination; the active one is the cell.
		if prev, ok := byCombo[v.Combo()]; !ok || (!prev.Active && v.Active) {
			byCombo[v.Combo()] = v
		}
	}
	def := EditVariant{Active: true, LeadDays: 1, Fresh: true}
	if len(old) > 0 {
		def.Price, def.LeadDays = old[0].Price, old[0].LeadDays
	}
	cell := func(a, b string) EditVariant {
		if v, ok := byCombo[a+"\t"+b]; ok {
			return v
		}
		v := def
		v.Value1, v.Value2 = a, b
		v.Stock = new(int) // each cell its own counter
		return v
	}
	var out []EditVariant
	switch len(axes) {
	case 0:
		out = append(out, cell("", ""))
	case 1:
		for _, a := range axes[0].Values {
			out = append(out, cell(a.NameJA, ""))
		}
	default:
		for _, a := range axes[0].Values {
			for _, b := range axes[1].Values {
				out = append(out, cell(a.NameJA, b.NameJA))
			}
		}
	}
	return out
}

// Edit returns product id as the admin edits it, or shop.ErrNotFound.
func (s *Store) Edit(ctx context.Context, id int64) (*Edit, error) {
	return loadEdit(ctx, s.DB, id)
}

func loadEdit(ctx context.Context, q db.Queryer, id int64) (*Edit, error) {
	p := &Edit{ID: id}
	var class string
	var from, until, saleFrom, saleUntil sql.NullTime
	var size sql.NullInt64
	err := q.QueryRow(ctx, `SELECT version, slug, status, name_ja, name_en, description_ja, description_en,
			free_area_ja, free_area_en, search_words, tax_class, featured, brand, publish_from, publish_until, sale_from, sale_until, parcel_size
		FROM products WHERE id = ?`, id).Scan(&p.Version, &p.Slug, &p.Status, &p.NameJA, &p.NameEN,
		&p.DescriptionJA, &p.DescriptionEN, &p.FreeAreaJA, &p.FreeAreaEN, &p.SearchWords, &class, &p.Featured, &p.Brand,
		&from, &until, &saleFrom, &saleUntil, &size)
	p.ParcelSize = int(size.Int64)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shop.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	p.TaxClass = shop.TaxClass(class)
	p.PublishFrom, p.PublishUntil, p.SaleFrom, p.SaleUntil = nullTime(from), nullTime(until), nullTime(saleFrom), nullTime(saleUntil)
	if p.RelatedIDs, err = ids(ctx, q, `SELECT related_id FROM related_products WHERE product_id = ? ORDER BY sort_order, related_id`, id); err != nil {
		return nil, err
	}
	if p.CategoryIDs, err = ids(ctx, q, `SELECT category_id FROM product_categories WHERE product_id = ? ORDER BY category_id`, id); err != nil {
		return nil, err
	}
	if p.TagIDs, err = ids(ctx, q, `SELECT tag_id FROM product_tags WHERE product_id = ? ORDER BY tag_id`, id); err != nil {
		return nil, err
	}
	if err := loadEditAxes(ctx, q, p); err != nil {
		return nil, err
	}
	if err := loadEditVariants(ctx, q, p); err != nil {
		return nil, err
	}
	// Variants left outside the matrix by an earlier edit stay stored
	// (orders point at them) but are not edited.
	p.Variants = Matrix(p.Axes, p.Variants)
	p.Images, err = loadEditImages(ctx, q, id)
	return p, err
}

func ids(ctx context.Context, q db.Queryer, query string, args ...any) ([]int64, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func loadEditAxes(ctx context.Context, q db.Queryer, p *Edit) error {
	rows, err := q.Query(ctx, `SELECT a.position, COALESCE(a.class_id, 0), a.name_ja, a.name_en, v.id, v.name_ja, v.name_en
		FROM variant_axes a LEFT JOIN axis_values v ON v.axis_id = a.id
		WHERE a.product_id = ? ORDER BY a.position, v.sort_order, v.id`, p.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	last := 0
	for rows.Next() {
		var pos int
		var class int64
		var ja, en string
		var vid sql.NullInt64
		var vja, ven sql.NullString
		if err := rows.Scan(&pos, &class, &ja, &en, &vid, &vja, &ven); err != nil {
			return err
		}
		if pos != last {
			p.Axes = append(p.Axes, EditAxis{ClassID: class, NameJA: ja, NameEN: en})
			last = pos
		}
		if vid.Valid {
			a := &p.Axes[len(p.Axes)-1]
			a.Values = append(a.Values, AxisValue{ID: vid.Int64, NameJA: vja.String, NameEN: ven.String})
		}
	}
	return rows.Err()
}

func loadEditVariants(ctx context.Context, q db.Queryer, p *Edit) error {
	rows, err := q.Query(ctx, `SELECT v.id, COALESCE(x1.name_ja, ''), COALESCE(x2.name_ja, ''), v.sku, v.price, v.list_price, v.sale_price,
			v.stock, v.sale_limit, v.lead_days, v.active, v.version, v.gtin
		FROM variants v LEFT JOIN axis_values x1 ON x1.id = v.value1_id LEFT JOIN axis_values x2 ON x2.id = v.value2_id
		WHERE v.product_id = ? ORDER BY v.sort_order, v.id`, p.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var v EditVariant
		var list, sale, stock, limit sql.NullInt64
		if err := rows.Scan(&v.ID, &v.Value1, &v.Value2, &v.SKU, &v.Price, &list, &sale, &stock, &limit, &v.LeadDays, &v.Active, &v.Version, &v.GTIN); err != nil {
			return err
		}
		v.SalePrice = nullYen(sale)
		v.ListPrice, v.Stock, v.SaleLimit = nullYen(list), nullInt(stock), nullInt(limit)
		v.StockWas = v.Stock
		p.Variants = append(p.Variants, v)
	}
	return rows.Err()
}

func loadEditImages(ctx context.Context, q db.Queryer, id int64) ([]EditImage, error) {
	rows, err := q.Query(ctx, `SELECT id, key, alt_ja, alt_en, width, height FROM product_images
		WHERE product_id = ? ORDER BY sort_order, id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []EditImage
	for rows.Next() {
		var im EditImage
		if err := rows.Scan(&im.ID, &im.Key, &im.AltJA, &im.AltEN, &im.Width, &im.Height); err != nil {
			return nil, err
		}
		out = append(out, im)
	}
	return out, rows.Err()
}
