// Package magazine is the mail magazine (メルマガ): a mail composed once,
// sent to the opted-in customers a segment selects, throttled, across
// restarts and crashes, with one-click unsubscribe (RFC 8058), bounce
// suppression and per-send statistics. It owns its admin screens and the
// public unsubscribe page. How a send survives a kill -9, and where
// at-least-once ends, is in docs/MAIL_MAGAZINE.md.
package magazine

import (
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/shop"
)

// Statuses of a magazine.
const (
	Draft     = "draft"
	Pending   = "pending" // scheduled or sending
	Sent      = "sent"
	Cancelled = "cancelled"
	Dead      = "dead"
)

// Limits of what an operator may compose.
const (
	MaxSubject  = 200     // characters
	MaxBody     = 200_000 // bytes, text and HTML each
	MaxRate     = 100_000 // mails per minute
	DefaultRate = 600
)

// Magazine is one mail magazine: its content, its segment and, once
// scheduled, the state of its send.
type Magazine struct {
	ID          int64
	Subject     string
	Text        string
	HTML        string
	Segment     Segment
	Rate        int // mails per minute
	Status      string
	ScheduledAt *time.Time
	Listed      bool
	LastError   string
	CreatedBy   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	StartedAt   *time.Time
	FinishedAt  *time.Time
}

// Editable reports whether the content and segment may still change.
func (m *Magazine) Editable() bool { return m.Status == Draft }

// Segment selects recipients among the active, opted-in customers whose
// address is not suppressed. Zero values select everyone.
type Segment struct {
	// Purchased: "" any, "yes" bought at least once, "no" never bought.
	Purchased  string `json:"purchased,omitempty"`
	ProductID  int64  `json:"product_id,omitempty"`  // bought this product
	CategoryID int64  `json:"category_id,omitempty"` // bought a product of this category
	// MinTotal and MaxTotal bound the sum of the customer's orders (yen,
	// tax included, cancelled and returned orders left out); 0: no bound.
	MinTotal shop.Yen `json:"min_total,omitempty"`
	MaxTotal shop.Yen `json:"max_total,omitempty"`
	// LastFrom and LastTo bound the date of the last purchase (JST days,
	// YYYY-MM-DD, inclusive); "": no bound.
	LastFrom string `json:"last_from,omitempty"`
	LastTo   string `json:"last_to,omitempty"`
	Pref     int    `json:"pref,omitempty"`    // 1–47; 0: any
	RankID   int64  `json:"rank_id,omitempty"` // 0: any
	// MinAge and MaxAge bound the age on the day of listing (customers
	// without a birthday are left out when either is set); 0: no bound.
	MinAge int `json:"min_age,omitempty"`
	MaxAge int `json:"max_age,omitempty"`
}

// Validate checks a segment as the form sends it. The error is Invalid
// with per-field keys.
func (s Segment) Validate() error {
	bad := map[string]string{}
	if s.Purchased != "" && s.Purchased != "yes" && s.Purchased != "no" {
		bad["purchased"] = "error.invalid"
	}
	if s.MinTotal < 0 {
		bad["min_total"] = "magazine.err.negative"
	}
	if s.MaxTotal < 0 {
		bad["max_total"] = "magazine.err.negative"
	}
	if s.MaxTotal > 0 && s.MinTotal > s.MaxTotal {
		bad["max_total"] = "magazine.err.range"
	}
	for f, v := range map[string]string{"last_from": s.LastFrom, "last_to": s.LastTo} {
		if v != "" {
			if _, err := time.Parse(time.DateOnly, v); err != nil {
				bad[f] = "magazine.err.date"
			}
		}
	}
	if s.LastFrom != "" && s.LastTo != "" && s.LastFrom > s.LastTo && bad["last_to"] == "" {
		bad["last_to"] = "magazine.err.range"
	}
	if s.Pref < 0 || s.Pref > 47 {
		bad["pref"] = "error.invalid"
	}
	if s.MinAge < 0 || s.MinAge > 130 {
		bad["min_age"] = "magazine.err.age"
	}
	if s.MaxAge < 0 || s.MaxAge > 130 {
		bad["max_age"] = "magazine.err.age"
	}
	if s.MaxAge > 0 && s.MinAge > s.MaxAge && bad["max_age"] == "" {
		bad["max_age"] = "magazine.err.range"
	}
	if s.Purchased == "no" && (s.ProductID != 0 || s.CategoryID != 0 || s.MinTotal > 0 || s.LastFrom != "" || s.LastTo != "") {
		bad["purchased"] = "magazine.err.never_bought"
	}
	if len(bad) > 0 {
		return shop.Invalidf(bad)
	}
	return nil
}

func (s Segment) encode() string {
	b, _ := json.Marshal(s)
	return string(b)
}

func decodeSegment(src string) (Segment, error) {
	var s Segment
	err := json.Unmarshal([]byte(src), &s)
	return s, err
}

// Validate checks the content and rate. The error is Invalid with
// per-field keys; the segment is checked too.
func (m *Magazine) Validate() error {
	bad := map[string]string{}
	subj := strings.TrimSpace(m.Subject)
	switch {
	case subj == "":
		bad["subject"] = "magazine.err.required"
	case utf8.RuneCountInString(subj) > MaxSubject:
		bad["subject"] = "magazine.err.too_long"
	case strings.ContainsAny(m.Subject, "\r\n\x00"):
		bad["subject"] = "magazine.err.one_line"
	}
	if strings.TrimSpace(m.Text) == "" {
		bad["text"] = "magazine.err.required"
	}
	if len(m.Text) > MaxBody {
		bad["text"] = "magazine.err.too_long"
	}
	if len(m.HTML) > MaxBody {
		bad["html"] = "magazine.err.too_long"
	}
	if m.Rate < 1 || m.Rate > MaxRate {
		bad["rate"] = "magazine.err.rate"
	}
	if err := m.Segment.Validate(); err != nil {
		for k, v := range err.(*shop.Error).Fields {
			bad[k] = v
		}
	}
	if len(bad) > 0 {
		return shop.Invalidf(bad)
	}
	m.Subject = subj
	return nil
}

// Stats are the figures of one send.
type Stats struct {
	Recipients   int // listed so far
	Pending      int
	Sent         int
	Failed       int
	Skipped      int // unsubscribed or suppressed before their turn
	Unsubscribed int // unsubscribed through this magazine's link
	Bounced      int
	Interrupted  int // sends a crash interrupted and that were sent again (possible duplicates)
}

// When is the scheduled time in JST as the admin shows it, "" for none.
func (m *Magazine) When() string { return jstTime(m.ScheduledAt) }

// Finished is the end of the send in JST, "" while it goes on.
func (m *Magazine) Finished() string { return jstTime(m.FinishedAt) }

func jstTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(jst).Format("2006-01-02 15:04")
}
