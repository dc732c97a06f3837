package admin

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

type categoryPage struct {
	Rows    []categoryRow
	Options []categoryOption
	Form    catalog.CategoryInput
	EditID  int64 // the row whose form failed
	Fields  map[string]string
	Error   string
}

type categoryRow struct {
	*catalog.Category
	Depth       int
	Indent      string
	First, Last bool
}

// categoryList shows the tree with rename/move/reorder forms.
// GET /{admin}/categories
func (c *Catalog) categoryList(w http.ResponseWriter, r *http.Request) error {
	return c.renderCategories(w, r, http.StatusOK, &categoryPage{})
}

func (c *Catalog) renderCategories(w http.ResponseWriter, r *http.Request, status int, p *categoryPage) error {
	t, err := c.store.Tree(r.Context())
	if err != nil {
		return err
	}
	for _, cat := range t.All() {
		sibs := t.Roots
		if cat.Parent != nil {
			sibs = cat.Parent.Children
		}
		d := len(t.Path(cat)) - 1
		p.Rows = append(p.Rows, categoryRow{Category: cat, Depth: d, Indent: strings.Repeat("　", d),
			First: sibs[0] == cat, Last: sibs[len(sibs)-1] == cat})
	}
	if p.Options, err = c.categoryOptions(r); err != nil {
		return err
	}
	if p.Fields == nil {
		p.Fields = map[string]string{}
	}
	return c.h.Page(w, r, status, "admin_categories", "admin_products.categories.title", p)
}

func categoryInput(r *http.Request) catalog.CategoryInput {
	in := catalog.CategoryInput{Slug: strings.TrimSpace(r.PostFormValue("slug")),
		NameJA: strings.TrimSpace(r.PostFormValue("name_ja")), NameEN: strings.TrimSpace(r.PostFormValue("name_en"))}
	in.ParentID, _ = strconv.ParseInt(r.PostFormValue("parent_id"), 10, 64)
	return in
}

// categoryDone redirects after a category write, or shows the page with
// the input and messages after a refused one.
func (c *Catalog) categoryDone(w http.ResponseWriter, r *http.Request, err error, p *categoryPage) error {
	var se *shop.Error
	if errors.As(err, &se) && (se.Kind == shop.Invalid || se.Kind == shop.Conflict) {
		p.Fields, p.Error = se.Fields, se.Key
		return c.renderCategories(w, r, web.Status(err), p)
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, r, "admin_products.saved")
	http.Redirect(w, r, c.h.base+"/categories", http.StatusSeeOther)
	return nil
}

// categoryCreate adds a category. POST /{admin}/categories
func (c *Catalog) categoryCreate(w http.ResponseWriter, r *http.Request) error {
	in := categoryInput(r)
	err := c.write(r, "category.created", func(tx *db.Tx) (string, map[string]any, error) {
		id, err := catalog.CreateCategory(r.Context(), tx, in)
		return in.Slug, map[string]any{"id": id, "parent": in.ParentID}, err
	})
	return c.categoryDone(w, r, err, &categoryPage{Form: in})
}

// categoryUpdate renames a category and moves it under another parent.
// POST /{admin}/categories/{id}
func (c *Catalog) categoryUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in := categoryInput(r)
	err = c.write(r, "category.updated", func(tx *db.Tx) (string, map[string]any, error) {
		return in.Slug, map[string]any{"id": id, "parent": in.ParentID}, catalog.UpdateCategory(r.Context(), tx, id, in)
	})
	return c.categoryDone(w, r, err, &categoryPage{EditID: id, Form: in})
}

// categoryMove moves a category up or down among its siblings
// (dir=up|down). POST /{admin}/categories/{id}/move
func (c *Catalog) categoryMove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d := 1
	if r.PostFormValue("dir") == "up" {
		d = -1
	}
	err = c.write(r, "category.moved", func(tx *db.Tx) (string, map[string]any, error) {
		return strconv.FormatInt(id, 10), map[string]any{"delta": d}, catalog.MoveCategory(r.Context(), tx, id, d)
	})
	return c.categoryDone(w, r, err, &categoryPage{})
}

// categoryDelete deletes a category without children.
// POST /{admin}/categories/{id}/delete
func (c *Catalog) categoryDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	err = c.write(r, "category.deleted", func(tx *db.Tx) (string, map[string]any, error) {
		return strconv.FormatInt(id, 10), nil, catalog.DeleteCategory(r.Context(), tx, id)
	})
	return c.categoryDone(w, r, err, &categoryPage{})
}
