package customer

import (
	"context"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// Device is where a session was started from, shown to its owner in the
// list of signed-in devices and nowhere else (never logged).
type Device struct {
	UserAgent string
	ClientIP  string
}

func deviceOf(r *http.Request) Device {
	return Device{UserAgent: r.UserAgent(), ClientIP: web.Info(r).ClientIP.String()}
}

// clean cuts the User-Agent to 200 characters of valid UTF-8.
func (d Device) clean() (ua, ip string) {
	ua = strings.ToValidUTF8(d.UserAgent, "")
	if utf8.RuneCountInString(ua) > 200 {
		ua = string([]rune(ua)[:200])
	}
	return ua, d.ClientIP
}

// SessionInfo is one signed-in device as My Page lists it. ID is the
// stored hash of the session token: it names the row to end, and cannot
// be turned back into a cookie.
type SessionInfo struct {
	ID        string
	Kind      string // "session" or "remember"
	UserAgent string
	ClientIP  string
	CreatedAt time.Time
	LastSeen  time.Time
	Current   bool
}

// Browser is a short name for the User-Agent ("Chrome", "Safari", …).
func (s SessionInfo) Browser() string {
	ua := s.UserAgent
	for _, b := range []struct{ token, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"Chromium/", "Chromium"},
		{"HeadlessChrome/", "Chrome (headless)"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"},
	} {
		if strings.Contains(ua, b.token) {
			return b.name
		}
	}
	if ua == "" {
		return "?"
	}
	if i := strings.IndexAny(ua, " /"); i > 0 {
		return ua[:i]
	}
	return ua
}

// Sessions lists a customer's live sessions and remember tokens, the
// most recently seen first; current (the caller's session token) is
// marked.
func Sessions(ctx context.Context, q db.Queryer, now time.Time, customerID int64, current string) ([]SessionInfo, error) {
	rows, err := q.Query(ctx, `SELECT id_hash, kind, user_agent, client_ip, created_at, last_seen_at FROM customer_sessions
		WHERE customer_id = ? AND expires_at > ? ORDER BY last_seen_at DESC, id_hash`, customerID, now)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cur := auth.HashToken(current)
	var out []SessionInfo
	for rows.Next() {
		var s SessionInfo
		if err := rows.Scan(&s.ID, &s.Kind, &s.UserAgent, &s.ClientIP, &s.CreatedAt, &s.LastSeen); err != nil {
			return nil, err
		}
		if s.Kind == "session" && now.Sub(s.LastSeen) > SessionIdle {
			continue
		}
		s.Current = s.ID == cur
		out = append(out, s)
	}
	return out, rows.Err()
}

// EndSessionID ends one of the customer's sessions by its listed ID.
// Errors: NotFound for an unknown ID or another customer's session.
func (s *Store) EndSessionID(ctx context.Context, customerID int64, id string) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		n, err := db.RowsAffected(tx.Exec(ctx, `DELETE FROM customer_sessions WHERE id_hash = ? AND customer_id = ?`, id, customerID))
		if err == nil && n == 0 {
			return shop.ErrNotFound
		}
		return err
	})
}
