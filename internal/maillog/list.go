package maillog

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/web"
)

const perPage = 50

// Statuses are the outbox statuses the filter offers.
var Statuses = []string{mail.StatusPending, mail.StatusSent, mail.StatusDead}

type listData struct {
	Order, Customer, Status, To string
	Statuses                    []string
	Entries                     []entry
	Total, Page, Pages          int
	Error                       string // a filter the log cannot use
}

// entry is a log row as pages show it.
type entry struct {
	mail.LogEntry
	EventName string
	Created   string
	Sent      string
	Next      string
}

func newEntry(lang i18n.Lang, e mail.LogEntry) entry {
	v := entry{LogEntry: e, EventName: EventName(lang, e.Event), Created: stamp(e.CreatedAt)}
	if e.SentAt != nil {
		v.Sent = stamp(*e.SentAt)
	}
	if e.Status == mail.StatusPending && e.Attempts > 0 {
		v.Next = stamp(e.NextAttemptAt)
	}
	return v
}

// EventName is the name of a mail's event in lang (the template list's
// names), or the event code for an event without one.
func EventName(lang i18n.Lang, event string) string {
	if k := "admin.mail.event." + event; i18n.Has(k) {
		return i18n.T(lang, k)
	}
	return event
}

func stamp(t time.Time) string { return t.In(calendar.Tokyo()).Format("2006-01-02 15:04") }

// list serves GET /mail/log: the outbox, newest first, with filters.
func (p *Pages) list(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := &listData{Order: strings.TrimSpace(q.Get("order")), Customer: strings.TrimSpace(q.Get("customer")),
		Status: q.Get("status"), To: strings.TrimSpace(q.Get("to")), Statuses: Statuses}
	d.Page, _ = strconv.Atoi(q.Get("page"))
	d.Page = max(d.Page, 1)
	f := mail.LogFilter{Order: d.Order, Status: d.Status, To: d.To}
	status := http.StatusOK
	if d.Customer != "" {
		id, err := strconv.ParseInt(d.Customer, 10, 64)
		if err != nil || id <= 0 {
			d.Error = web.T(r, "maillog.bad_customer")
			status = http.StatusUnprocessableEntity
		}
		f.Customer = id
	}
	if len(d.Order) > 40 || len(d.To) > 254 || d.Status != "" && !slices.Contains(Statuses, d.Status) {
		d.Error, status = web.T(r, "maillog.bad_filter"), http.StatusUnprocessableEntity
	}
	if d.Error == "" {
		list, total, err := mail.Log(r.Context(), p.DB, f, perPage, (d.Page-1)*perPage)
		if err != nil {
			return err
		}
		lang := web.Info(r).Lang
		for _, e := range list {
			d.Entries = append(d.Entries, newEntry(lang, e))
		}
		d.Total, d.Pages = total, (total+perPage-1)/perPage
	}
	return p.Admin.Page(w, r, status, "maillog_list", "maillog.title", d)
}
