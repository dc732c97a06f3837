package admin

import (
	"net/http"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/shop"
)

// productPreview shows a stored product as the storefront would, whatever
// its status and schedule, to the signed-in admin only (the route is
// behind the admin guard; visitors get the storefront's 404).
// GET /{admin}/products/{id}/preview
func (c *Catalog) productPreview(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	e, err := c.store.Edit(r.Context(), id)
	if err != nil {
		return err
	}
	p, err := c.store.PreviewProduct(r.Context(), e, nil)
	if err != nil {
		return err
	}
	return c.preview(w, r, p)
}

// previewForm shows the product form's unsaved state (action=preview on
// the form's save route), with the images uploaded with it.
func (c *Catalog) previewForm(w http.ResponseWriter, r *http.Request, e *catalog.Edit, pending []pendingImage) error {
	if !sameMatrix(e) {
		e.Variants = catalog.Matrix(e.Axes, e.Variants)
	}
	var imgs []catalog.PreviewImage
	for _, im := range pending {
		imgs = append(imgs, catalog.PreviewImage{Key: im.Key, Width: im.Width, Height: im.Height})
	}
	p, err := c.store.PreviewProduct(r.Context(), e, imgs)
	if err != nil {
		return err
	}
	return c.preview(w, r, p)
}

func (c *Catalog) preview(w http.ResponseWriter, r *http.Request, p *catalog.Product) error {
	if c.Preview == nil {
		return shop.ErrNotFound
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Robots-Tag", "noindex, nofollow")
	return c.Preview(w, r, p)
}
