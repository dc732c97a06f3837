package admin

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/content"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/web"
)

// contentRoutes mounts the content area: inquiries, news, shop pages,
// the holiday calendar and maintenance mode.
func (h *Handlers) contentRoutes(mux *http.ServeMux) {
	m := func(pattern string, area Area, need Access, fn web.HandlerFunc) {
		h.Mount(mux, pattern, area, need, false, fn)
	}
	m("GET /content", AreaContent, Read, h.contentIndex)
	m("GET /inquiries", AreaContent, Read, h.inquiries)
	m("GET /inquiries/{id}", AreaContent, Read, h.inquiry)
	m("POST /inquiries/{id}", AreaContent, Write, h.inquiryUpdate)
	m("POST /inquiries/{id}/notes", AreaContent, Write, h.inquiryNote)
	m("POST /inquiries/{id}/reply", AreaContent, Write, h.inquiryReply)
	m("GET /content/news", AreaContent, Read, h.newsList)
	m("GET /content/news/new", AreaContent, Write, h.newsNew)
	m("GET /content/news/{id}", AreaContent, Read, h.newsEdit)
	m("POST /content/news", AreaContent, Write, h.newsSave)
	m("POST /content/news/{id}", AreaContent, Write, h.newsSave)
	m("POST /content/news/{id}/delete", AreaContent, Write, h.newsDelete)
	m("GET /content/pages", AreaContent, Read, h.pagesList)
	m("GET /content/pages/{slug}", AreaContent, Read, h.pageEdit)
	m("POST /content/pages/{slug}", AreaContent, Write, h.pageSave)
	m("POST /content/pages/{slug}/delete", AreaContent, Write, h.pageDelete)
	m("GET /holidays", AreaContent, Read, h.holidays)
	m("POST /holidays/weekdays", AreaContent, Write, h.holidayWeekdays)
	m("POST /holidays", AreaContent, Write, h.holidayAdd)
	m("POST /holidays/{id}/delete", AreaContent, Write, h.holidayDelete)
	m("GET /maintenance", AreaSettings, Read, h.maintenancePage)
	m("POST /maintenance", AreaSettings, Write, h.maintenanceSave)
}

// contentIndex serves GET /content: the area's sections.
func (h *Handlers) contentIndex(w http.ResponseWriter, r *http.Request) error {
	n := 0
	if _, total, err := content.Inquiries(r.Context(), h.DB, content.InquiryQuery{Status: content.StatusNew, Limit: 1}); err != nil {
		return err
	} else {
		n = total
	}
	return h.Page(w, r, http.StatusOK, "admin_content", "admin.content.title", map[string]any{"NewInquiries": n})
}

type newsForm struct {
	ID     int64
	F      content.NewsForm
	Errors map[string]string
}

const newsPerPage = 50

// newsList serves GET /content/news?page=N.
func (h *Handlers) newsList(w http.ResponseWriter, r *http.Request) error {
	page, _ := strconv.Atoi(r.FormValue("page"))
	page = max(page, 1)
	items, total, err := content.AllNews(r.Context(), h.DB, newsPerPage, (page-1)*newsPerPage)
	if err != nil {
		return err
	}
	v := map[string]any{"Items": items, "Now": h.DB.Now()}
	link := func(p int) string { return h.base + "/content/news?page=" + strconv.Itoa(p) }
	if page > 1 {
		v["Prev"] = link(page - 1)
	}
	if page*newsPerPage < total {
		v["Next"] = link(page + 1)
	}
	return h.Page(w, r, http.StatusOK, "admin_content_news", "admin.content.news", v)
}

// newsNew serves GET /content/news/new: an empty, visible item dated now.
func (h *Handlers) newsNew(w http.ResponseWriter, r *http.Request) error {
	f := content.NewsForm{PublishedAt: h.DB.Now().In(calendar.Tokyo()).Format(content.DateTimeLocal), Visible: true}
	return h.Page(w, r, http.StatusOK, "admin_content_news_edit", "admin.content.news", &newsForm{F: f})
}

// newsEdit serves GET /content/news/{id}.
func (h *Handlers) newsEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := formID(r, "id")
	if err != nil {
		return err
	}
	n, err := content.NewsByID(r.Context(), h.DB, id)
	if err != nil {
		return err
	}
	f := content.NewsForm{TitleJA: n.TitleJA, TitleEN: n.TitleEN, BodyJA: n.BodyJA, BodyEN: n.BodyEN, URL: n.URL,
		PublishedAt: n.PublishedAt.In(calendar.Tokyo()).Format(content.DateTimeLocal), Visible: n.Visible}
	return h.Page(w, r, http.StatusOK, "admin_content_news_edit", "admin.content.news", &newsForm{ID: id, F: f})
}

// newsSave serves POST /content/news (create) and /content/news/{id}.
func (h *Handlers) newsSave(w http.ResponseWriter, r *http.Request) error {
	var id int64
	if r.PathValue("id") != "" {
		var err error
		if id, err = formID(r, "id"); err != nil {
			return err
		}
	}
	f := content.NewsForm{TitleJA: r.PostFormValue("title_ja"), TitleEN: r.PostFormValue("title_en"),
		BodyJA: strings.ReplaceAll(r.PostFormValue("body_ja"), "\r\n", "\n"), BodyEN: strings.ReplaceAll(r.PostFormValue("body_en"), "\r\n", "\n"),
		URL: r.PostFormValue("url"), PublishedAt: r.PostFormValue("published_at"), Visible: r.PostFormValue("visible") == "1"}
	n, errs := f.Validate()
	if errs != nil {
		return h.Page(w, r, http.StatusUnprocessableEntity, "admin_content_news_edit", "admin.content.news", &newsForm{ID: id, F: f, Errors: errs})
	}
	n.ID = id
	err := h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := content.SaveNews(r.Context(), tx, n); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, AuditEntry(r, "news.saved", idString(n.ID), map[string]any{"title": n.TitleJA, "visible": n.Visible}))
		return err
	})
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.saved", "/content/news")
}

// newsDelete serves POST /content/news/{id}/delete.
func (h *Handlers) newsDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := formID(r, "id")
	if err != nil {
		return err
	}
	err = h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := content.DeleteNews(r.Context(), tx, id); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, AuditEntry(r, "news.deleted", idString(id), nil))
		return err
	})
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.saved", "/content/news")
}
