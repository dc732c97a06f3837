package maillog

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/web"
)

// panelRows bounds the mails a panel lists; the log's filter shows all.
const panelRows = 20

type panelData struct {
	Lang    i18n.Lang
	Base    string
	Entries []entry
	Total   int
	ID      string // the section's id
	Query   string // the log's filter for "all mails"
	Links   bool   // the admin may open the log
}

func (d *panelData) T(key string, args ...any) string { return i18n.T(d.Lang, key, args...) }

// orderPanel lists an order's mails on its admin page.
func (p *Pages) orderPanel(r *http.Request) (template.HTML, error) {
	number := r.PathValue("number")
	if number == "" {
		return "", nil
	}
	return p.renderPanel(r, "order-mails", mail.LogFilter{Order: number}, "order="+template.URLQueryEscaper(number))
}

// customerPanel lists a customer's mails (account mails and the mails of
// their orders) on the customer's admin page.
func (p *Pages) customerPanel(r *http.Request) (template.HTML, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return "", nil
	}
	return p.renderPanel(r, "customer-mails", mail.LogFilter{Customer: id}, "customer="+strconv.FormatInt(id, 10))
}

func (p *Pages) renderPanel(r *http.Request, id string, f mail.LogFilter, query string) (template.HTML, error) {
	list, total, err := mail.Log(r.Context(), p.DB, f, panelRows, 0)
	if err != nil {
		return "", err
	}
	lang := web.Info(r).Lang
	d := &panelData{Lang: lang, Base: p.Admin.Base(), Total: total, ID: id, Query: query}
	if a := admin.Current(r); a != nil {
		d.Links = a.Can(admin.AreaMail, admin.Read)
	}
	for _, e := range list {
		d.Entries = append(d.Entries, newEntry(lang, e))
	}
	var b bytes.Buffer
	if err := p.panel.ExecuteTemplate(&b, "maillog_panel.html", d); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}
