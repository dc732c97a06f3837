package admin

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/delivery"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// productForm is the product page's data: the product as entered, the
// variant rows as typed (so a bad number is shown back as typed) and the
// messages.
type productForm struct {
	P                      *catalog.Edit
	New                    bool
	AxisText               [2]axisText
	Rows                   []variantRow
	Categories             []categoryOption
	Tags                   []catalog.Tag
	Fields                 map[string]string
	Error                  string
	ErrorArg               string
	ErrorMsg               string
	ImageError             string
	CheckedCat, CheckedTag map[int64]bool
	Statuses, TaxClasses   []string
	ParcelSizes            []int
	// Schedule is the publishing and sale periods as typed (JST).
	Schedule scheduleText
	// Related is the related products as typed (slugs).
	Related string
	// Classes are the class masters an axis can be made from; AxisClass
	// the one each axis was made from.
	Classes   []catalog.Class
	AxisClass [2]int64
	// Pending are images uploaded with this form, attached on the save.
	Pending []pendingImage
}

type axisText struct{ NameJA, NameEN, Values string }

// variantRow is one matrix cell as the form shows it.
type variantRow struct {
	I                     int
	Combo, Label          string
	SKU, Price, ListPrice string
	SalePrice             string
	Stock, StockWas       string
	Unlimited, Active     bool
	SaleLimit, LeadDays   string
	GTIN                  string
}

type categoryOption struct {
	ID    int64
	Label string // indented by depth
	Depth int
}

// rowsOf shows variants as form rows.
func rowsOf(vs []catalog.EditVariant) []variantRow {
	out := make([]variantRow, len(vs))
	for i, v := range vs {
		r := variantRow{I: i, Combo: v.Combo(), Label: strings.Trim(strings.ReplaceAll(v.Combo(), "\t", " / "), " /"),
			SKU: v.SKU, Price: strconv.FormatInt(int64(v.Price), 10), Stock: optString(v.Stock),
			Unlimited: v.Stock == nil, Active: v.Active, SaleLimit: optString(v.SaleLimit), LeadDays: strconv.Itoa(v.LeadDays), GTIN: v.GTIN}
		// stock_was: "" a fresh cell (nothing stored to compare with),
		// "u" stored unlimited, else the stored stock.
		switch {
		case v.Fresh:
			r.StockWas = ""
		case v.StockWas == nil:
			r.StockWas = "u"
		default:
			r.StockWas = strconv.Itoa(*v.StockWas)
		}
		if v.ListPrice != nil {
			r.ListPrice = strconv.FormatInt(int64(*v.ListPrice), 10)
		}
		if v.SalePrice != nil {
			r.SalePrice = strconv.FormatInt(int64(*v.SalePrice), 10)
		}
		out[i] = r
	}
	return out
}

// axisTextOf writes an axis's values one per line, "藍 | Indigo".
func axisTextOf(a catalog.EditAxis) axisText {
	var b strings.Builder
	for _, v := range a.Values {
		b.WriteString(v.NameJA)
		if v.NameEN != "" {
			b.WriteString(" | " + v.NameEN)
		}
		b.WriteString("\n")
	}
	return axisText{NameJA: a.NameJA, NameEN: a.NameEN, Values: b.String()}
}

// parseAxes reads the axes: an axis with an empty name and no values is
// left out.
func parseAxes(r *http.Request) []catalog.EditAxis {
	var out []catalog.EditAxis
	for i := 1; i <= catalog.MaxAxes; i++ {
		k := fmt.Sprintf("axis%d_", i)
		a := catalog.EditAxis{NameJA: strings.TrimSpace(r.PostFormValue(k + "name")), NameEN: strings.TrimSpace(r.PostFormValue(k + "name_en"))}
		for line := range strings.SplitSeq(r.PostFormValue(k+"values"), "\n") {
			ja, en, _ := strings.Cut(line, "|")
			ja, en = strings.TrimSpace(ja), strings.TrimSpace(en)
			if ja != "" {
				a.Values = append(a.Values, catalog.AxisValue{NameJA: ja, NameEN: en})
			}
		}
		if a.NameJA != "" || len(a.Values) > 0 {
			out = append(out, a)
		}
	}
	return out
}

// parseProduct reads the product form into p, returning per-field
// messages for what does not parse (numbers). The variant cells are the
// posted rows; the caller rebuilds them into the axes' matrix when asked.
func parseProduct(r *http.Request, p *catalog.Edit) (rows []variantRow, fields map[string]string) {
	fields = map[string]string{}
	f := r.PostFormValue
	p.Version, _ = strconv.Atoi(f("version"))
	p.Slug = strings.TrimSpace(f("slug"))
	p.Status = f("status")
	p.NameJA, p.NameEN = strings.TrimSpace(f("name_ja")), strings.TrimSpace(f("name_en"))
	p.DescriptionJA, p.DescriptionEN = f("description_ja"), f("description_en")
	p.FreeAreaJA, p.FreeAreaEN = f("free_area_ja"), f("free_area_en")
	p.SearchWords = f("search_words")
	p.Brand = strings.TrimSpace(f("brand"))
	p.TaxClass = shop.TaxClass(f("tax_class"))
	if v := f("parcel_size"); v != "" {
		var err error
		if p.ParcelSize, err = strconv.Atoi(v); err != nil {
			p.ParcelSize = -1 // refused by Validate on its field
		}
	}
	p.Featured = f("featured") == "1"
	p.CategoryIDs, p.TagIDs = formIDs(r, "category"), formIDs(r, "tag")
	p.Axes = parseAxes(r)
	n, _ := strconv.Atoi(f("variants"))
	n = min(max(n, 0), catalog.MaxVariants)
	p.Variants = nil
	for i := range n {
		k := fmt.Sprintf("v%d_", i)
		row := variantRow{I: i, Combo: f(k + "combo"), SKU: strings.TrimSpace(f(k + "sku")), Price: f(k + "price"), ListPrice: f(k + "list_price"),
			SalePrice: f(k + "sale_price"),
			Stock:     f(k + "stock"), StockWas: f(k + "stock_was"), Unlimited: f(k+"unlimited") == "1", Active: f(k+"active") == "1",
			SaleLimit: f(k + "sale_limit"), LeadDays: f(k + "lead_days"), GTIN: strings.TrimSpace(f(k + "gtin"))}
		row.Label = strings.Trim(strings.ReplaceAll(row.Combo, "\t", " / "), " /")
		a, b, _ := strings.Cut(row.Combo, "\t")
		v := catalog.EditVariant{Value1: a, Value2: b, SKU: row.SKU, Active: row.Active, GTIN: row.GTIN}
		var ok bool
		if v.Price, ok = parseYen(row.Price); !ok {
			fields[k+"price"] = "admin_products.error.number"
		}
		if strings.TrimSpace(row.ListPrice) != "" {
			lp, ok := parseYen(row.ListPrice)
			if !ok {
				fields[k+"list_price"] = "admin_products.error.number"
			}
			v.ListPrice = &lp
		}
		if strings.TrimSpace(row.SalePrice) != "" {
			sp, ok := parseYen(row.SalePrice)
			if !ok {
				fields[k+"sale_price"] = "admin_products.error.number"
			}
			v.SalePrice = &sp
		}
		if !row.Unlimited {
			if v.Stock, ok = parseOptInt(row.Stock); !ok || v.Stock == nil {
				fields[k+"stock"] = "admin_products.error.number"
			}
		}
		switch row.StockWas {
		case "u":
		case "":
			v.StockWas, v.Fresh = v.Stock, true // a new cell: nothing to compare with
		default:
			v.StockWas, _ = parseOptInt(row.StockWas)
		}
		if v.SaleLimit, ok = parseOptInt(row.SaleLimit); !ok {
			fields[k+"sale_limit"] = "admin_products.error.number"
		}
		ld, ok := parseOptInt(row.LeadDays)
		if !ok || ld == nil {
			fields[k+"lead_days"] = "admin_products.error.number"
		} else {
			v.LeadDays = *ld
		}
		p.Variants = append(p.Variants, v)
		rows = append(rows, row)
	}
	return rows, fields
}

func formIDs(r *http.Request, name string) []int64 {
	var out []int64
	for _, s := range r.PostForm[name] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// categoryOptions lists the category tree in order, indented.
func (c *Catalog) categoryOptions(r *http.Request) ([]categoryOption, error) {
	t, err := c.store.Tree(r.Context())
	if err != nil {
		return nil, err
	}
	var out []categoryOption
	for _, cat := range t.All() {
		d := len(t.Path(cat)) - 1
		out = append(out, categoryOption{ID: cat.ID, Depth: d, Label: strings.Repeat("　", d) + cat.Name(web.Lang(r) == i18n.English)})
	}
	return out, nil
}

// renderProduct shows the product form.
func (c *Catalog) renderProduct(w http.ResponseWriter, r *http.Request, status int, pf *productForm) error {
	var err error
	if pf.Categories, err = c.categoryOptions(r); err != nil {
		return err
	}
	if pf.Tags, err = c.store.Tags(r.Context()); err != nil {
		return err
	}
	pf.CheckedCat, pf.CheckedTag = map[int64]bool{}, map[int64]bool{}
	for _, id := range pf.P.CategoryIDs {
		pf.CheckedCat[id] = true
	}
	for _, id := range pf.P.TagIDs {
		pf.CheckedTag[id] = true
	}
	pf.Statuses, pf.TaxClasses = productStatuses, []string{string(shop.TaxStandard), string(shop.TaxReduced)}
	pf.ParcelSizes = delivery.Sizes
	if pf.Classes, err = c.store.Classes(r.Context()); err != nil {
		return err
	}
	if pf.Schedule == (scheduleText{}) {
		pf.Schedule = scheduleOf(pf.P)
	}
	if pf.Related == "" && len(pf.P.RelatedIDs) > 0 {
		slugs, err := c.store.ProductSlugs(r.Context(), pf.P.RelatedIDs)
		if err != nil {
			return err
		}
		pf.Related = strings.Join(slugs, "\n")
	}
	for i := range min(len(pf.P.Axes), 2) {
		if pf.AxisText[i] == (axisText{}) {
			pf.AxisText[i] = axisTextOf(pf.P.Axes[i])
		}
		pf.AxisClass[i] = pf.P.Axes[i].ClassID
	}
	if pf.Rows == nil {
		pf.Rows = rowsOf(pf.P.Variants)
	}
	if pf.Fields == nil {
		pf.Fields = map[string]string{}
	}
	if pf.Error != "" {
		pf.ErrorMsg = web.T(r, pf.Error)
		if pf.ErrorArg != "" {
			pf.ErrorMsg = web.T(r, pf.Error, pf.ErrorArg)
		}
	}
	title := "admin_products.edit_title"
	if pf.New {
		title = "admin_products.new_title"
	}
	return c.h.Page(w, r, status, "admin_product_form", title, pf)
}
