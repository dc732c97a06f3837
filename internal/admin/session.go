package admin

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"time"

	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/web"
)

// Session stages.
const (
	stageMFA    = "mfa"    // password checked, second factor due
	stageEnrol  = "enrol"  // no factor yet: only enrolment is open
	stageActive = "active" // signed in
	stageAny    = ""       // for the guard: any of the above
)

// Session is a server-side admin session. The cookie holds a random token;
// the table holds only its hash, so a leaked table opens nothing.
type Session struct {
	IDHash     string
	AdminID    int64
	Stage      string
	Factor     string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	IdleUntil  time.Time
	SudoUntil  time.Time
	Address    string
	UserAgent  string
}

// Device describes the session's browser for people ("Chrome / macOS").
func (s *Session) Device() string { return deviceName(s.UserAgent) }

const sessionCols = `id_hash, admin_id, stage, factor, created_at, last_seen_at, expires_at, idle_until, sudo_until, address, user_agent`

func scanSession(row scanner) (*Session, error) {
	var s Session
	err := row.Scan(&s.IDHash, &s.AdminID, &s.Stage, &s.Factor, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt, &s.IdleUntil, &s.SudoUntil, &s.Address, &s.UserAgent)
	return &s, err
}

// startSession creates a session in stage for admin and sets its cookie.
// A fresh token every time: signing in never reuses an ID the browser had
// before (no session fixation). factor names the second factor used.
func (h *Handlers) startSession(ctx context.Context, tx *db.Tx, w http.ResponseWriter, r *http.Request, adminID int64, stage, factor string) error {
	now := tx.Now()
	tok := auth.NewToken()
	expires, idle, sudo := now.Add(h.Config.MaxAge), now.Add(h.Config.IdleTimeout), now.Add(sudoFor)
	if stage != stageActive {
		expires, idle, sudo = now.Add(mfaStepFor), now.Add(mfaStepFor), time.Unix(0, 0).UTC()
	}
	ua := r.UserAgent()
	if len(ua) > 300 {
		ua = ua[:300]
	}
	_, err := tx.Exec(ctx, `INSERT INTO admin_sessions (`+sessionCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		auth.HashToken(tok), adminID, stage, factor, now, now, expires, idle, sudo, web.Info(r).ClientIP.String(), ua)
	if err != nil {
		return err
	}
	web.SetCookie(w, r, sessionCookie, tok, 0, http.SameSiteStrictMode)
	return nil
}

// endSession deletes the request's session row and its cookie.
func (h *Handlers) endSession(ctx context.Context, tx *db.Tx, w http.ResponseWriter, r *http.Request) error {
	if tok := web.Cookie(r, sessionCookie); tok != "" {
		if _, err := tx.Exec(ctx, `DELETE FROM admin_sessions WHERE id_hash = ?`, auth.HashToken(tok)); err != nil {
			return err
		}
	}
	web.SetCookie(w, r, sessionCookie, "", -1, http.SameSiteStrictMode)
	return nil
}

// session returns the request's live session and its admin, or nil, nil
// when there is none (no cookie, unknown, expired, idle too long, admin
// disabled). An expired row is deleted. A live one has its idle deadline
// pushed back (at most once a minute, to spare the database).
func (h *Handlers) session(ctx context.Context, r *http.Request) (*Session, *Admin, error) {
	tok := web.Cookie(r, sessionCookie)
	if tok == "" {
		return nil, nil, nil
	}
	idHash := auth.HashToken(tok)
	s, err := scanSession(h.DB.QueryRow(ctx, `SELECT `+sessionCols+` FROM admin_sessions WHERE id_hash = ?`, idHash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	now := h.DB.Now()
	if now.After(s.ExpiresAt) || now.After(s.IdleUntil) {
		_, err := h.DB.Exec(ctx, `DELETE FROM admin_sessions WHERE id_hash = ?`, idHash)
		return nil, nil, err
	}
	a, err := AdminByID(ctx, h.DB, s.AdminID)
	if err != nil || a.Status != "active" {
		return nil, nil, nil
	}
	if a.matrix, err = h.access.matrix(ctx); err != nil {
		return nil, nil, err
	}
	if s.Stage == stageActive && now.Sub(s.LastSeenAt) > time.Minute {
		idle := now.Add(h.Config.IdleTimeout)
		if idle.After(s.ExpiresAt) {
			idle = s.ExpiresAt
		}
		// While the database cannot write, the panel still shows (with the
		// condition on the dashboard); the deadline moves on once it can.
		_, err := h.DB.Exec(ctx, `UPDATE admin_sessions SET last_seen_at = ?, idle_until = ? WHERE id_hash = ?`, now, idle, idHash)
		if err != nil && !db.IsUnavailable(err) {
			return nil, nil, err
		}
		if err == nil {
			s.LastSeenAt, s.IdleUntil = now, idle
		}
	}
	return s, a, nil
}

// Sessions lists an admin's live sessions, most recently seen first.
func Sessions(ctx context.Context, q db.Queryer, adminID int64, now time.Time) ([]*Session, error) {
	rows, err := q.Query(ctx, `SELECT `+sessionCols+` FROM admin_sessions WHERE admin_id = ? AND stage = 'active' ORDER BY last_seen_at DESC`, adminID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Session
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, err
		}
		if now.Before(s.ExpiresAt) && now.Before(s.IdleUntil) {
			out = append(out, s)
		}
	}
	return out, rows.Err()
}

// promote finishes a sign-in: the half-way session (if any) is replaced by
// a new active one with a new ID, sudo mode fresh.
func (h *Handlers) promote(ctx context.Context, tx *db.Tx, w http.ResponseWriter, r *http.Request, adminID int64, factor string) error {
	if err := h.endSession(ctx, tx, w, r); err != nil {
		return err
	}
	return h.startSession(ctx, tx, w, r, adminID, stageActive, factor)
}
