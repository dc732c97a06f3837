package admin

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, shop.ErrNotFound
	}
	return id, nil
}

// productNew shows an empty product form. GET /{admin}/products/new
func (c *Catalog) productNew(w http.ResponseWriter, r *http.Request) error {
	p := &catalog.Edit{Status: catalog.StatusPrivate, TaxClass: shop.TaxStandard}
	p.Variants = catalog.Matrix(nil, nil)
	return c.renderProduct(w, r, http.StatusOK, &productForm{P: p, New: true})
}

// productEdit shows a product's form. GET /{admin}/products/{id}
func (c *Catalog) productEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := c.store.Edit(r.Context(), id)
	if err != nil {
		return err
	}
	return c.renderProduct(w, r, http.StatusOK, &productForm{P: p})
}

// productCreate saves a new product. POST /{admin}/products/new
func (c *Catalog) productCreate(w http.ResponseWriter, r *http.Request) error {
	return c.productSave(w, r, &catalog.Edit{})
}

// productUpdate saves a product's form. POST /{admin}/products/{id}
func (c *Catalog) productUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	stored, err := c.store.Edit(r.Context(), id)
	if err != nil {
		return err
	}
	return c.productSave(w, r, &catalog.Edit{ID: id, Images: stored.Images})
}

// productSave reads the form into p and saves it, or — with
// action=matrix, or when the axes no longer match the rows — shows the
// form again with the variant matrix rebuilt from the axes. Bad input
// and a save from an outdated version (409) show the form with the input
// kept and the messages next to the fields.
func (c *Catalog) productSave(w http.ResponseWriter, r *http.Request, p *catalog.Edit) error {
	if err := r.ParseForm(); err != nil {
		return shop.Errorf(shop.Invalid, "error.invalid")
	}
	rows, fields := parseProduct(r, p)
	pf := &productForm{P: p, New: p.ID == 0, Rows: rows, Fields: fields}
	for i := range 2 {
		k := "axis" + strconv.Itoa(i+1) + "_"
		pf.AxisText[i] = axisText{NameJA: r.PostFormValue(k + "name"), NameEN: r.PostFormValue(k + "name_en"), Values: r.PostFormValue(k + "values")}
	}
	pf.Schedule = parseSchedule(r, p, fields)
	pf.Related = r.PostFormValue("related")
	if err := c.parseRelated(r.Context(), pf.Related, p, fields); err != nil {
		return err
	}
	// Files sent with the form are stored now and carried by the form
	// until the save, so a refused save does not ask for them again.
	pending, bad, err := c.uploadPending(r, readPending(r))
	if err != nil {
		return err
	}
	pf.Pending, pf.ImageError = pending, bad
	classChanged, err := c.applyClasses(r.Context(), r, p, pf)
	if err != nil {
		return err
	}
	if r.PostFormValue("action") == "preview" {
		return c.previewForm(w, r, p, pending)
	}
	if r.PostFormValue("action") == "matrix" || classChanged || !sameMatrix(p) {
		p.Variants = catalog.Matrix(p.Axes, p.Variants)
		pf.Rows, pf.Fields = nil, map[string]string{}
		if r.PostFormValue("action") != "matrix" {
			pf.Error = "admin_products.matrix_rebuilt"
		}
		return c.renderProduct(w, r, http.StatusOK, pf)
	}
	if len(fields) > 0 || bad != "" {
		pf.Error = "admin_products.error.fix"
		return c.renderProduct(w, r, http.StatusUnprocessableEntity, pf)
	}
	action := "product.updated"
	if p.ID == 0 {
		action = "product.created"
	}
	err = c.write(r, action, func(tx *db.Tx) (string, map[string]any, error) {
		id, err := catalog.SaveProduct(r.Context(), tx, p)
		if err != nil {
			return "", nil, err
		}
		keys := []string{}
		for _, im := range pending {
			if err := catalog.AddImage(r.Context(), tx, id, im.Key, im.Width, im.Height); err != nil {
				return "", nil, err
			}
			keys = append(keys, im.Key)
		}
		return p.Slug, map[string]any{"id": id, "variants": len(p.Variants), "images": keys}, nil
	})
	var se *shop.Error
	if errors.As(err, &se) && (se.Kind == shop.Invalid || se.Kind == shop.Conflict) {
		pf.Fields = se.Fields
		pf.Error = se.Key
		if se.Kind == shop.Invalid {
			pf.Error = "admin_products.error.fix"
		}
		if len(se.Args) > 0 {
			pf.ErrorArg, _ = se.Args[0].(string)
		}
		if se.Kind == shop.Conflict {
			return c.renderProduct(w, r, http.StatusConflict, pf)
		}
		return c.renderProduct(w, r, http.StatusUnprocessableEntity, pf)
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, r, "admin_products.saved")
	http.Redirect(w, r, c.h.base+"/products/"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
	return nil
}

// sameMatrix reports whether p's variants are its axes' matrix.
func sameMatrix(p *catalog.Edit) bool {
	want := catalog.Matrix(p.Axes, nil)
	if len(want) != len(p.Variants) {
		return false
	}
	for i := range want {
		if want[i].Combo() != p.Variants[i].Combo() {
			return false
		}
	}
	return true
}

// productCopy creates a private copy and opens it. POST /{admin}/products/{id}/copy
func (c *Catalog) productCopy(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var nid int64
	err = c.write(r, "product.copied", func(tx *db.Tx) (string, map[string]any, error) {
		var err error
		nid, err = catalog.CopyProduct(r.Context(), tx, id)
		return strconv.FormatInt(id, 10), map[string]any{"copy": nid}, err
	})
	if err != nil {
		return err
	}
	web.SetFlash(w, r, "admin_products.copied")
	http.Redirect(w, r, c.h.base+"/products/"+strconv.FormatInt(nid, 10), http.StatusSeeOther)
	return nil
}

// productStatus archives (or publishes, hides) a product from its page.
// POST /{admin}/products/{id}/status  status=archived&version=N
func (c *Catalog) productStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	status := r.PostFormValue("status")
	err = c.write(r, "product.status", func(tx *db.Tx) (string, map[string]any, error) {
		return strconv.FormatInt(id, 10), map[string]any{"status": status}, catalog.SetProductStatus(r.Context(), tx, id, version, status)
	})
	if err != nil {
		return err
	}
	web.SetFlash(w, r, "admin_products.saved")
	http.Redirect(w, r, c.h.base+"/products/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
