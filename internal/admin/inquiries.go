package admin

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/content"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

const inquiriesPerPage = 50

// inquiries serves GET /inquiries: search by text and status, paginated.
func (h *Handlers) inquiries(w http.ResponseWriter, r *http.Request) error {
	q := content.InquiryQuery{Text: strings.TrimSpace(r.FormValue("q")), Status: r.FormValue("status"), Limit: inquiriesPerPage}
	if !slices.Contains(content.Statuses, q.Status) {
		q.Status = ""
	}
	q.Page, _ = strconv.Atoi(r.FormValue("page"))
	if q.Page < 1 {
		q.Page = 1
	}
	items, total, err := content.Inquiries(r.Context(), h.DB, q)
	if err != nil {
		return err
	}
	pages := (total + inquiriesPerPage - 1) / inquiriesPerPage
	link := func(p int) string {
		return h.base + "/inquiries?" + url.Values{"q": {q.Text}, "status": {q.Status}, "page": {strconv.Itoa(p)}}.Encode()
	}
	v := map[string]any{"Items": items, "Q": q, "Total": total, "Statuses": content.Statuses}
	if q.Page > 1 {
		v["Prev"] = link(q.Page - 1)
	}
	if q.Page < pages {
		v["Next"] = link(q.Page + 1)
	}
	return h.Page(w, r, http.StatusOK, "admin_inquiries", "admin.inquiry.title", v)
}

type inquiryView struct {
	Q        *content.Inquiry
	Thread   []content.Message
	Admins   []*Admin
	Statuses []string
	Subject  string
	Body     string
	Note     string
	Errors   map[string]string
}

func (h *Handlers) renderInquiry(w http.ResponseWriter, r *http.Request, status int, v *inquiryView) error {
	id, err := formID(r, "id")
	if err != nil {
		return err
	}
	if v.Q, err = content.InquiryByID(r.Context(), h.DB, id); err != nil {
		return err
	}
	if v.Thread, err = content.Thread(r.Context(), h.DB, id); err != nil {
		return err
	}
	if v.Admins, err = Admins(r.Context(), h.DB); err != nil {
		return err
	}
	v.Statuses = content.Statuses
	if v.Subject == "" && len(v.Errors) == 0 {
		v.Subject = web.T(r, "admin.inquiry.reply_subject", v.Q.ID)
	}
	return h.Page(w, r, status, "admin_inquiry", "admin.inquiry.title", v)
}

// inquiry serves GET /inquiries/{id}: the inquiry, its thread and the
// forms to change it, note and reply.
func (h *Handlers) inquiry(w http.ResponseWriter, r *http.Request) error {
	return h.renderInquiry(w, r, http.StatusOK, &inquiryView{})
}

// inquiryUpdate serves POST /inquiries/{id}: status and assignee.
func (h *Handlers) inquiryUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := formID(r, "id")
	if err != nil {
		return err
	}
	status := r.PostFormValue("status")
	assignee, _ := strconv.ParseInt(r.PostFormValue("assignee"), 10, 64)
	err = h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if assignee > 0 {
			if a, err := AdminByID(r.Context(), tx, assignee); err != nil || a.Status != "active" {
				return shop.Invalidf(map[string]string{"assignee": "admin.inquiry.bad_assignee"})
			}
		}
		if err := content.UpdateInquiry(r.Context(), tx, id, status, assignee); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, AuditEntry(r, "inquiry.updated", idString(id), map[string]any{"status": status, "assignee": assignee}))
		return err
	})
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.saved", "/inquiries/"+idString(id))
}

// inquiryNote serves POST /inquiries/{id}/notes: an internal note.
func (h *Handlers) inquiryNote(w http.ResponseWriter, r *http.Request) error {
	id, err := formID(r, "id")
	if err != nil {
		return err
	}
	body := strings.TrimSpace(strings.ReplaceAll(r.PostFormValue("note"), "\r\n", "\n"))
	err = h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := content.AddNote(r.Context(), tx, id, Current(r).Name, body); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, AuditEntry(r, "inquiry.noted", idString(id), nil))
		return err
	})
	if shop.KindOf(err) == shop.Invalid {
		return h.renderInquiry(w, r, http.StatusUnprocessableEntity, &inquiryView{Note: body, Errors: map[string]string{"note": fieldOf(err, "body")}})
	}
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.saved", "/inquiries/"+idString(id))
}

// inquiryReply serves POST /inquiries/{id}/reply: the reply is mailed to
// the customer (through the outbox) and kept in the thread.
func (h *Handlers) inquiryReply(w http.ResponseWriter, r *http.Request) error {
	id, err := formID(r, "id")
	if err != nil {
		return err
	}
	subject := strings.TrimSpace(r.PostFormValue("subject"))
	body := strings.TrimSpace(strings.ReplaceAll(r.PostFormValue("body"), "\r\n", "\n"))
	err = h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		in, err := content.InquiryByID(r.Context(), tx, id)
		if err != nil {
			return err
		}
		if err := content.Reply(r.Context(), tx, in, Current(r).Name, subject, body); err != nil {
			return err
		}
		_, err = audit.Append(r.Context(), tx, AuditEntry(r, "inquiry.replied", idString(id), nil))
		return err
	})
	if e, ok := err.(*shop.Error); ok && e.Kind == shop.Invalid {
		return h.renderInquiry(w, r, http.StatusUnprocessableEntity, &inquiryView{Subject: subject, Body: body, Errors: e.Fields})
	}
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.inquiry.sent", "/inquiries/"+idString(id))
}

// fieldOf returns the message key of field in an Invalid error.
func fieldOf(err error, field string) string {
	if e, ok := err.(*shop.Error); ok {
		return e.Fields[field]
	}
	return ""
}
