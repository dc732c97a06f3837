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

type tagPage struct {
	Tags   []catalog.Tag
	Form   catalog.Tag
	Fields map[string]string
	Error  string
}

// tagList lists the tags with edit forms. GET /{admin}/tags
func (c *Catalog) tagList(w http.ResponseWriter, r *http.Request) error {
	return c.renderTags(w, r, http.StatusOK, &tagPage{})
}

func (c *Catalog) renderTags(w http.ResponseWriter, r *http.Request, status int, p *tagPage) error {
	var err error
	if p.Tags, err = c.store.Tags(r.Context()); err != nil {
		return err
	}
	if p.Fields == nil {
		p.Fields = map[string]string{}
	}
	return c.h.Page(w, r, status, "admin_tags", "admin_products.tags.title", p)
}

// tagSave creates a tag (id empty) or updates one. POST /{admin}/tags
func (c *Catalog) tagSave(w http.ResponseWriter, r *http.Request) error {
	t := catalog.Tag{Slug: strings.TrimSpace(r.PostFormValue("slug")), NameJA: strings.TrimSpace(r.PostFormValue("name_ja")),
		NameEN: strings.TrimSpace(r.PostFormValue("name_en"))}
	t.ID, _ = strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	err := c.write(r, "tag.saved", func(tx *db.Tx) (string, map[string]any, error) {
		id, err := catalog.SaveTag(r.Context(), tx, t)
		return t.Slug, map[string]any{"id": id}, err
	})
	return c.tagDone(w, r, err, &tagPage{Form: t})
}

// tagDelete deletes a tag. POST /{admin}/tags/{id}/delete
func (c *Catalog) tagDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	err = c.write(r, "tag.deleted", func(tx *db.Tx) (string, map[string]any, error) {
		return strconv.FormatInt(id, 10), nil, catalog.DeleteTag(r.Context(), tx, id)
	})
	return c.tagDone(w, r, err, &tagPage{})
}

func (c *Catalog) tagDone(w http.ResponseWriter, r *http.Request, err error, p *tagPage) error {
	var se *shop.Error
	if errors.As(err, &se) && se.Kind == shop.Invalid {
		p.Fields, p.Error = se.Fields, "admin_products.error.fix"
		return c.renderTags(w, r, http.StatusUnprocessableEntity, p)
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, r, "admin_products.saved")
	http.Redirect(w, r, c.h.base+"/tags", http.StatusSeeOther)
	return nil
}
