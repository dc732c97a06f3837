package content

import (
	"encoding/xml"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/web"
)

// newsItem is a news item as the storefront shows it.
type newsItem struct {
	ID    int64
	Date  string // 2026.11.24
	Title string
	Body  template.HTML // safe markup, rendered
	URL   string
}

func newsItems(items []*News, en bool) []newsItem {
	out := make([]newsItem, 0, len(items))
	for _, n := range items {
		out = append(out, newsItem{ID: n.ID, Date: n.PublishedAt.In(calendar.Tokyo()).Format("2006.01.02"),
			Title: n.Title(en), Body: catalog.Markup(n.Body(en)), URL: n.URL})
	}
	return out
}

// newsPage serves GET /news: the latest 50 published items.
func (h *Handlers) newsPage(w http.ResponseWriter, r *http.Request) error {
	items, err := PublishedNews(r.Context(), h.DB, h.DB.Now(), 50)
	if err != nil {
		return err
	}
	return h.Render.Render(w, r, http.StatusOK, "content_news", &web.Page{Title: web.T(r, "content.news.title"),
		Data: newsItems(items, web.Lang(r) == i18n.English)})
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Link    atomLink `xml:"link"`
	Updated string   `xml:"updated"`
	Pub     string   `xml:"published"`
	Content atomText `xml:"content"`
}

// base is the shop's public URL without a trailing slash.
func (h *Handlers) base(r *http.Request) string {
	if u, err := h.Settings.Get(r.Context(), settings.ShopURL); err == nil && (strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) {
		return strings.TrimRight(u, "/")
	}
	return strings.TrimRight(h.BaseURL, "/")
}

// newsFeed serves GET /news.atom: the latest 20 items as an Atom feed in
// the request's language. Bodies are the rendered safe markup, escaped as
// Atom "html" content.
func (h *Handlers) newsFeed(w http.ResponseWriter, r *http.Request) error {
	items, err := PublishedNews(r.Context(), h.DB, h.DB.Now(), 20)
	if err != nil {
		return err
	}
	sh, err := h.Settings.Shop(r.Context())
	if err != nil {
		return err
	}
	lang := web.Lang(r)
	en := lang == i18n.English
	base := h.base(r)
	suffix := ""
	if en {
		suffix = "?lang=en"
	}
	f := atomFeed{Lang: string(lang), Title: i18n.T(lang, "content.news.feed_title", sh.DisplayName(lang)), ID: base + "/news" + suffix,
		Updated: time.Unix(0, 0).UTC().Format(time.RFC3339), Author: atomAuthor{Name: sh.DisplayName(lang)},
		Links: []atomLink{{Href: base + "/news.atom" + suffix, Rel: "self", Type: "application/atom+xml"}, {Href: base + "/news" + suffix, Rel: "alternate", Type: "text/html"}}}
	var updated time.Time
	for _, n := range items {
		if n.UpdatedAt.After(updated) {
			updated = n.UpdatedAt
			f.Updated = updated.UTC().Format(time.RFC3339)
		}
		link := base + "/news" + suffix + "#news-" + strconv.FormatInt(n.ID, 10)
		if n.URL != "" {
			link = n.URL
			if strings.HasPrefix(link, "/") {
				link = base + link
			}
		}
		f.Entries = append(f.Entries, atomEntry{Title: n.Title(en), ID: base + "/news#news-" + strconv.FormatInt(n.ID, 10), Link: atomLink{Href: link},
			Updated: n.UpdatedAt.UTC().Format(time.RFC3339), Pub: n.PublishedAt.UTC().Format(time.RFC3339),
			Content: atomText{Type: "html", Body: string(catalog.Markup(n.Body(en)))}})
	}
	out, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	w.Write(out)
	return nil
}
