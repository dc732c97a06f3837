package catalog

import (
	"context"
	"net/http"
)

// PreviewImage is an image to show in a preview that the product does
// not have yet (uploaded with an unsaved form).
type PreviewImage struct {
	Key           string
	Width, Height int
}

// PreviewProduct is e as the product page would show it, whatever its
// status and schedule: its active variants, its images and pending ones,
// its categories and the visible related products.
func (s *Store) PreviewProduct(ctx context.Context, e *Edit, pending []PreviewImage) (*Product, error) {
	p := &Product{ID: e.ID, Slug: e.Slug, Status: e.Status, NameJA: e.NameJA, NameEN: e.NameEN,
		DescriptionJA: e.DescriptionJA, DescriptionEN: e.DescriptionEN, FreeAreaJA: e.FreeAreaJA, FreeAreaEN: e.FreeAreaEN,
		TaxClass: e.TaxClass, Featured: e.Featured, CategoryIDs: e.CategoryIDs, SaleFrom: e.SaleFrom, SaleUntil: e.SaleUntil}
	values := map[string]*AxisValue{}
	for i, a := range e.Axes {
		ax := Axis{Position: i + 1, NameJA: a.NameJA, NameEN: a.NameEN}
		ax.Values = append(ax.Values, a.Values...)
		p.Axes = append(p.Axes, ax)
	}
	for i := range p.Axes {
		for j := range p.Axes[i].Values {
			values[string(rune('1'+i))+"\t"+p.Axes[i].Values[j].NameJA] = &p.Axes[i].Values[j]
		}
	}
	for _, v := range e.Variants {
		if !v.Active {
			continue
		}
		p.Variants = append(p.Variants, Variant{ID: v.ID, SKU: v.SKU, Value1: values["1\t"+v.Value1], Value2: values["2\t"+v.Value2],
			Price: v.Price, ListPrice: v.ListPrice, SalePrice: v.SalePrice, Stock: v.Stock, SaleLimit: v.SaleLimit, LeadDays: v.LeadDays, Active: true})
	}
	for _, im := range e.Images {
		p.Images = append(p.Images, Image{Key: im.Key, AltJA: im.AltJA, AltEN: im.AltEN, Width: im.Width, Height: im.Height})
	}
	for _, im := range pending {
		p.Images = append(p.Images, Image{Key: im.Key, Width: im.Width, Height: im.Height})
	}
	var err error
	p.Related, err = s.listItems(ctx, e.RelatedIDs)
	return p, err
}

// Preview renders p as the product page for a signed-in admin: marked as
// a preview, never stored by a cache (Cache-Control: no-store) and never
// indexed (X-Robots-Tag: noindex). The caller checks who asks; the
// storefront's own route keeps answering 404 until the product is public
// and in its window.
func (h *Handlers) Preview(w http.ResponseWriter, r *http.Request, p *Product) error {
	page, err := h.productPage(r, p)
	if err != nil {
		return err
	}
	page.Data.(*productView).Preview = true
	page.NoIndex = true
	page.Canonical = ""
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Robots-Tag", "noindex, nofollow")
	return h.Render.Render(w, r, http.StatusOK, "catalog_product", page)
}
