package catalog

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/akinai/akinai/internal/i18n"
)

type pageView struct {
	Title string
	Body  any
}

// page serves GET /pages/{slug}: 特定商取引法に基づく表記, privacy
// policy, company and any other published page, its body rendered by
// Markup (no raw HTML).
func (h *Handlers) page(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	return h.renderCached(w, r, "/pages/"+slug, func(ctx context.Context, lang i18n.Lang) (*fragment, error) {
		p, err := h.Store.Page(ctx, slug)
		if err != nil {
			return nil, err
		}
		en := lang == i18n.English
		src := pickName(en, p.BodyJA, p.BodyEN)
		if h.PageFields != nil && strings.Contains(src, "{") {
			fields, err := h.PageFields(ctx, lang)
			if err != nil {
				return nil, err
			}
			for k, v := range fields {
				src = strings.ReplaceAll(src, k, v)
			}
		}
		v := pageView{Title: pickName(en, p.TitleJA, p.TitleEN), Body: Markup(src)}
		body, err := h.execute("page", v)
		if err != nil {
			return nil, err
		}
		f := &fragment{Body: body, Title: v.Title, Description: v.Title}
		f.Canonical, f.Alternates = h.canonical(ctx, lang, "/pages/"+p.Slug, url.Values{})
		return f, nil
	})
}
