package content

import (
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/jp"
)

// Inquiry statuses.
const (
	StatusNew    = "new"
	StatusOpen   = "open" // in progress
	StatusClosed = "closed"
)

// Statuses lists the inquiry statuses in workflow order.
var Statuses = []string{StatusNew, StatusOpen, StatusClosed}

// Categories are the subjects a customer picks on the contact form.
var Categories = []string{"product", "order", "delivery", "return", "other"}

// Limits of the contact form, in characters.
const (
	MaxName    = 100
	MaxMessage = 5000
	MaxSubject = 200
)

// Inquiry is a message sent through the contact form.
type Inquiry struct {
	ID                   int64
	Lang                 string
	Name, Kana, Email    string
	Phone, Category      string
	Message              string
	Status               string
	AssigneeID           int64 // 0: nobody
	Assignee             string
	Address              string
	CreatedAt, UpdatedAt time.Time
}

// Message is one entry of an inquiry's thread: an operator's internal
// note or a reply mailed to the customer.
type Message struct {
	ID        int64
	Kind      string // "note" or "reply"
	Author    string
	Subject   string
	Body      string
	CreatedAt time.Time
}

// ContactForm is the contact form as typed, kept to show it again.
type ContactForm struct {
	Name, Kana, Email, Phone, Category, Message string
}

// ReadContactForm reads the contact fields of r.
func ReadContactForm(r *http.Request) ContactForm {
	g := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return ContactForm{Name: g("name"), Kana: g("kana"), Email: g("email"), Phone: g("phone"),
		Category: g("category"), Message: strings.TrimSpace(strings.ReplaceAll(r.PostFormValue("message"), "\r\n", "\n"))}
}

// Validate checks the form and returns the inquiry to store, or the
// fields in error (field → i18n key). Control characters are refused in
// every field (line breaks only in the message), so nothing typed can
// reach a mail header.
func (f ContactForm) Validate() (*Inquiry, map[string]string) {
	errs := map[string]string{}
	in := &Inquiry{Name: f.Name, Kana: f.Kana, Phone: f.Phone, Category: f.Category, Message: f.Message}
	line := func(field, v string, required bool, max int) {
		switch {
		case v == "" && required:
			errs[field] = "content.err.required"
		case utf8.RuneCountInString(v) > max:
			errs[field] = "content.err.too_long"
		case !SingleLine(v):
			errs[field] = "content.err.control"
		}
	}
	line("name", f.Name, true, MaxName)
	line("kana", f.Kana, false, MaxName)
	if f.Kana != "" && errs["kana"] == "" {
		if k, ok := kana(f.Kana); ok {
			in.Kana = k
		} else {
			errs["kana"] = "content.err.kana"
		}
	}
	if e, err := jp.Email(f.Email); err != nil || !SingleLine(f.Email) {
		errs["email"] = "content.err.email"
	} else {
		in.Email = e
	}
	if f.Phone != "" {
		if p, err := jp.Phone(f.Phone); err != nil {
			errs["phone"] = "content.err.phone"
		} else {
			in.Phone = p
		}
	}
	if !slices.Contains(Categories, f.Category) {
		errs["category"] = "content.err.category"
	}
	switch {
	case f.Message == "":
		errs["message"] = "content.err.required"
	case utf8.RuneCountInString(f.Message) > MaxMessage:
		errs["message"] = "content.err.message_long"
	case !Text(f.Message):
		errs["message"] = "content.err.control"
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return in, nil
}

// SingleLine reports whether s is valid UTF-8 without control characters
// (no CR, LF, tab, NUL, DEL, C1 controls, nor the Unicode line and
// paragraph separators).
func SingleLine(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return false
		}
	}
	return true
}

// Text reports whether s is valid UTF-8 whose only control characters
// are line feeds and tabs.
func Text(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r != '\n' && r != '\t' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029') {
			return false
		}
	}
	return true
}

// kana normalises a name in katakana, word by word (「ヤマダ タロウ」).
func kana(s string) (string, bool) {
	var parts []string
	for _, w := range strings.Fields(strings.ReplaceAll(s, "\u3000", " ")) {
		k, err := jp.Kana(w)
		if err != nil {
			return "", false
		}
		parts = append(parts, k)
	}
	return strings.Join(parts, " "), len(parts) > 0
}
