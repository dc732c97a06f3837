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

// classPage is the class masters screen (規格管理): every class with its
// values, a form per class to rename it and add values, and the new-class
// form.
type classPage struct {
	Classes  []catalog.Class
	Form     classForm
	Fields   map[string]string
	ErrorMsg string
}

type classForm struct {
	ID             int64
	NameJA, NameEN string
	Values         string
}

// classList shows the class masters. GET /{admin}/classes
func (c *Catalog) classList(w http.ResponseWriter, r *http.Request) error {
	return c.renderClasses(w, r, http.StatusOK, &classPage{})
}

func (c *Catalog) renderClasses(w http.ResponseWriter, r *http.Request, status int, p *classPage) error {
	var err error
	if p.Classes, err = c.store.Classes(r.Context()); err != nil {
		return err
	}
	if p.Fields == nil {
		p.Fields = map[string]string{}
	}
	return c.h.Page(w, r, status, "admin_classes", "catalog13.class.title", p)
}

// classSave creates a class (id empty) or renames one and adds the values
// typed one a line. POST /{admin}/classes
func (c *Catalog) classSave(w http.ResponseWriter, r *http.Request) error {
	f := classForm{NameJA: r.PostFormValue("name_ja"), NameEN: r.PostFormValue("name_en"), Values: r.PostFormValue("values")}
	f.ID, _ = strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	err := c.write(r, "class.saved", func(tx *db.Tx) (string, map[string]any, error) {
		id, err := catalog.SaveClass(r.Context(), tx, f.ID, f.NameJA, f.NameEN, catalog.ParseClassValues(f.Values))
		return strconv.FormatInt(id, 10), map[string]any{"name": f.NameJA, "values": f.Values}, err
	})
	return c.classDone(w, r, err, &classPage{Form: f})
}

// classValueDelete deletes one value of a class, refused while a product
// uses it. POST /{admin}/classes/{id}/values/{value}/delete
func (c *Catalog) classValueDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	vid, err := pathID(r, "value")
	if err != nil {
		return err
	}
	err = c.write(r, "class.value_deleted", func(tx *db.Tx) (string, map[string]any, error) {
		return strconv.FormatInt(id, 10), map[string]any{"value": vid}, catalog.DeleteClassValue(r.Context(), tx, id, vid)
	})
	return c.classDone(w, r, err, &classPage{})
}

// classDelete deletes a class and its values, refused while a product
// uses one of them. POST /{admin}/classes/{id}/delete
func (c *Catalog) classDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	err = c.write(r, "class.deleted", func(tx *db.Tx) (string, map[string]any, error) {
		return strconv.FormatInt(id, 10), nil, catalog.DeleteClass(r.Context(), tx, id)
	})
	return c.classDone(w, r, err, &classPage{})
}

// classDone shows bad input (422) and refusals (409, saying which
// products use the value) on the screen, or goes back to it.
func (c *Catalog) classDone(w http.ResponseWriter, r *http.Request, err error, p *classPage) error {
	var se *shop.Error
	if errors.As(err, &se) && (se.Kind == shop.Invalid || se.Kind == shop.Conflict) {
		if se.Kind == shop.Invalid {
			p.Fields, p.ErrorMsg = se.Fields, web.T(r, "admin_products.error.fix")
			return c.renderClasses(w, r, http.StatusUnprocessableEntity, p)
		}
		p.ErrorMsg = web.T(r, se.Key, se.Args...)
		return c.renderClasses(w, r, http.StatusConflict, p)
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, r, "admin_products.saved")
	http.Redirect(w, r, c.h.base+"/classes", http.StatusSeeOther)
	return nil
}
