package admin

import (
	"context"
	"html/template"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/content"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// ShopPages are the pages every shop has (特定商取引法, privacy, terms,
// company, guide); the list offers to create those still missing.
var ShopPages = []string{"tokushoho", "privacy", "terms", "company", "guide"}

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// pageRow is a page as the admin lists and edits it.
type pageRow struct {
	catalog.Page
	Published bool
	Exists    bool
}

// adminPages returns every page, published or not, in menu order.
func adminPages(ctx context.Context, q db.Queryer) ([]pageRow, error) {
	rows, err := q.Query(ctx, `SELECT slug, title_ja, title_en, body_ja, body_en, sort_order, updated_at, published FROM pages ORDER BY sort_order, slug`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []pageRow
	for rows.Next() {
		p := pageRow{Exists: true}
		if err := rows.Scan(&p.Slug, &p.TitleJA, &p.TitleEN, &p.BodyJA, &p.BodyEN, &p.SortOrder, &p.UpdatedAt, &p.Published); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// pagesList serves GET /content/pages.
func (h *Handlers) pagesList(w http.ResponseWriter, r *http.Request) error {
	pages, err := adminPages(r.Context(), h.DB)
	if err != nil {
		return err
	}
	var missing []string
	for _, s := range ShopPages {
		found := false
		for _, p := range pages {
			found = found || p.Slug == s
		}
		if !found {
			missing = append(missing, s)
		}
	}
	return h.Page(w, r, http.StatusOK, "admin_content_pages", "admin.content.pages", map[string]any{"Pages": pages, "Missing": missing})
}

type pageForm struct {
	P                    pageRow
	Errors               map[string]string
	PreviewJA, PreviewEN template.HTML
	Preview              bool
}

// pageEdit serves GET /content/pages/{slug} ("new" for a new free page).
func (h *Handlers) pageEdit(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	pages, err := adminPages(r.Context(), h.DB)
	if err != nil {
		return err
	}
	v := &pageForm{P: pageRow{Published: true}}
	if slug != "new" {
		if !slugRE.MatchString(slug) {
			return shop.ErrNotFound
		}
		v.P.Slug = slug
		for _, p := range pages {
			if p.Slug == slug {
				v.P = p
			}
		}
	}
	return h.Page(w, r, http.StatusOK, "admin_content_page_edit", "admin.content.pages", v)
}

// pageSave serves POST /content/pages/{slug}: with "preview" it renders
// the bodies through the storefront's safe markup without saving; else it
// validates, saves (catalog.SavePage) and audits.
func (h *Handlers) pageSave(w http.ResponseWriter, r *http.Request) error {
	p := pageRow{Published: r.PostFormValue("published") == "1"}
	p.Slug = strings.TrimSpace(r.PostFormValue("slug"))
	if s := r.PathValue("slug"); s != "new" {
		p.Slug = s
	}
	p.TitleJA, p.TitleEN = strings.TrimSpace(r.PostFormValue("title_ja")), strings.TrimSpace(r.PostFormValue("title_en"))
	p.BodyJA = strings.ReplaceAll(r.PostFormValue("body_ja"), "\r\n", "\n")
	p.BodyEN = strings.ReplaceAll(r.PostFormValue("body_en"), "\r\n", "\n")
	p.SortOrder, _ = strconv.Atoi(r.PostFormValue("sort_order"))
	v := &pageForm{P: p, Errors: map[string]string{}}
	if !slugRE.MatchString(p.Slug) {
		v.Errors["slug"] = "content.err.slug"
	}
	for f, s := range map[string]string{"title_ja": p.TitleJA, "title_en": p.TitleEN} {
		if utf8.RuneCountInString(s) > content.MaxSubject {
			v.Errors[f] = "content.err.too_long"
		} else if !content.SingleLine(s) {
			v.Errors[f] = "content.err.control"
		}
	}
	if p.TitleJA == "" {
		v.Errors["title_ja"] = "content.err.required"
	}
	for f, s := range map[string]string{"body_ja": p.BodyJA, "body_en": p.BodyEN} {
		if len(s) > content.MaxPage {
			v.Errors[f] = "content.err.too_long"
		} else if !content.Text(s) {
			v.Errors[f] = "content.err.control"
		}
	}
	if r.PostFormValue("preview") != "" || len(v.Errors) > 0 {
		status := http.StatusOK
		if len(v.Errors) > 0 {
			status = http.StatusUnprocessableEntity
		} else {
			v.Preview, v.PreviewJA, v.PreviewEN = true, catalog.Markup(p.BodyJA), catalog.Markup(p.BodyEN)
		}
		return h.Page(w, r, status, "admin_content_page_edit", "admin.content.pages", v)
	}
	err := h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := catalog.SavePage(r.Context(), tx, p.Page); err != nil {
			return err
		}
		if _, err := tx.Exec(r.Context(), `UPDATE pages SET published = ? WHERE slug = ?`, p.Published, p.Slug); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, AuditEntry(r, "page.saved", p.Slug, map[string]any{"published": p.Published}))
		return err
	})
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.saved", "/content/pages/"+p.Slug)
}

// pageDelete serves POST /content/pages/{slug}/delete.
func (h *Handlers) pageDelete(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	err := h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		n, err := db.RowsAffected(tx.Exec(r.Context(), `DELETE FROM pages WHERE slug = ?`, slug))
		if err != nil {
			return err
		}
		if n == 0 {
			return shop.ErrNotFound
		}
		_, err = audit.Append(r.Context(), tx, AuditEntry(r, "page.deleted", slug, nil))
		return err
	})
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.saved", "/content/pages")
}
