package customer

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Authenticate checks an email and password. Unknown addresses, pending,
// suspended and withdrawn accounts and wrong passwords all give
// ErrCredentials after the same argon2id work, so neither the message nor
// the time tells which it was. A hash made with older parameters is
// replaced.
func (s *Store) Authenticate(ctx context.Context, email, password string) (*Customer, error) {
	c, err := byEmail(ctx, s.DB, EmailKey(email))
	if err != nil && shop.KindOf(err) != shop.NotFound {
		return nil, err
	}
	if c == nil || c.PasswordHash == "" {
		auth.DummyCheck()
		return nil, ErrCredentials
	}
	if strings.HasPrefix(c.PasswordHash, "$eccube$") {
		return s.authenticateLegacy(ctx, c, password)
	}
	ok, rehash, err := auth.CheckPassword(c.PasswordHash, password)
	if err != nil || !ok || c.Status != Active {
		return nil, ErrCredentials
	}
	if rehash {
		if h, err := auth.HashPassword(password); err == nil {
			_ = s.DB.Tx(ctx, func(tx *db.Tx) error {
				_, err := tx.Exec(ctx, `UPDATE customers SET password_hash = ? WHERE id = ?`, h, c.ID)
				return err
			})
		}
	}
	return c, nil
}

// authenticateLegacy checks a password against a hash imported from
// EC-CUBE and, when it matches, replaces the hash with argon2id at once:
// the legacy hash is forgotten at the customer's first sign-in. A wrong
// password costs the same argon2id work as for any other account.
func (s *Store) authenticateLegacy(ctx context.Context, c *Customer, password string) (*Customer, error) {
	ok := false
	if s.Legacy != nil {
		ok, _ = s.Legacy.Check(ctx, c.PasswordHash, password)
	}
	if !ok || c.Status != Active {
		auth.DummyCheck()
		return nil, ErrCredentials
	}
	h, err := auth.HashPassword(password)
	if err != nil {
		return nil, err
	}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE customers SET password_hash = ? WHERE id = ? AND password_hash = ?`, h, c.ID, c.PasswordHash)
		return err
	})
	if err != nil {
		return nil, err
	}
	c.PasswordHash = h
	return c, nil
}

// Tokens are what a sign-in hands the browser: the session cookie and,
// with "keep me signed in", the long-lived remember cookie.
type Tokens struct {
	Session  string
	Remember string // "" without "keep me signed in"
}

// StartSession creates a session (and a remember token when remember is
// set) for customerID from the device dev and records the sign-in.
func (s *Store) StartSession(ctx context.Context, customerID int64, remember bool, dev Device) (Tokens, error) {
	var t Tokens
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		var err error
		t, err = startSession(ctx, tx, customerID, remember, dev)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE customers SET last_login_at = ? WHERE id = ?`, tx.Now(), customerID)
		return err
	})
	return t, err
}

func startSession(ctx context.Context, tx *db.Tx, customerID int64, remember bool, dev Device) (Tokens, error) {
	now := tx.Now()
	ua, addr := dev.clean()
	t := Tokens{Session: auth.NewToken()}
	if _, err := tx.Exec(ctx, `INSERT INTO customer_sessions (id_hash, customer_id, kind, created_at, last_seen_at, expires_at, user_agent, client_ip)
		VALUES (?, ?, 'session', ?, ?, ?, ?, ?)`, auth.HashToken(t.Session), customerID, now, now, now.Add(SessionAbsolute), ua, addr); err != nil {
		return t, err
	}
	if remember {
		t.Remember = auth.NewToken()
		if _, err := tx.Exec(ctx, `INSERT INTO customer_sessions (id_hash, customer_id, kind, created_at, last_seen_at, expires_at, user_agent, client_ip)
			VALUES (?, ?, 'remember', ?, ?, ?, ?, ?)`, auth.HashToken(t.Remember), customerID, now, now, now.Add(RememberTTL), ua, addr); err != nil {
			return t, err
		}
	}
	return t, nil
}

// Session returns the active customer of a session token and refreshes
// its idle timer (at most once a minute, to spare the writer). Errors:
// Unauthorized for an unknown, idle, expired or closed one.
func (s *Store) Session(ctx context.Context, tok string) (*Customer, error) {
	if len(tok) != 43 {
		return nil, shop.Errorf(shop.Unauthorized, "customer.signin_required")
	}
	h := auth.HashToken(tok)
	var id int64
	var seen, exp time.Time
	err := s.DB.QueryRow(ctx, `SELECT customer_id, last_seen_at, expires_at FROM customer_sessions WHERE id_hash = ? AND kind = 'session'`, h).Scan(&id, &seen, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shop.Errorf(shop.Unauthorized, "customer.signin_required")
	}
	if err != nil {
		return nil, err
	}
	now := s.DB.Now()
	if !now.Before(exp) || now.Sub(seen) > SessionIdle {
		return nil, shop.Errorf(shop.Unauthorized, "customer.signin_required")
	}
	c, err := ByID(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if c.Status != Active {
		return nil, shop.Errorf(shop.Unauthorized, "customer.signin_required")
	}
	if now.Sub(seen) > time.Minute {
		err = s.DB.Tx(ctx, func(tx *db.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE customer_sessions SET last_seen_at = ? WHERE id_hash = ?`, tx.Now(), h)
			return err
		})
	}
	return c, err
}

// Resume turns a remember token into a new session. The remember token is
// replaced by a new one (a stolen copy stops working once the owner's
// browser uses it). Errors: Unauthorized.
func (s *Store) Resume(ctx context.Context, remember string, dev Device) (Tokens, error) {
	var t Tokens
	if len(remember) != 43 {
		return t, shop.Errorf(shop.Unauthorized, "customer.signin_required")
	}
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		var id int64
		var exp time.Time
		var status string
		err := tx.QueryRow(ctx, `DELETE FROM customer_sessions WHERE id_hash = ? AND kind = 'remember' RETURNING customer_id, expires_at`,
			auth.HashToken(remember)).Scan(&id, &exp)
		if errors.Is(err, sql.ErrNoRows) {
			return shop.Errorf(shop.Unauthorized, "customer.signin_required")
		}
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT status FROM customers WHERE id = ?`, id).Scan(&status); err != nil {
			return err
		}
		if !tx.Now().Before(exp) || status != Active {
			return shop.Errorf(shop.Unauthorized, "customer.signin_required")
		}
		t, err = startSession(ctx, tx, id, true, dev)
		return err
	})
	return t, err
}

// EndSession deletes a session or remember token (sign-out).
func (s *Store) EndSession(ctx context.Context, toks ...string) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		for _, t := range toks {
			if t == "" {
				continue
			}
			if _, err := tx.Exec(ctx, `DELETE FROM customer_sessions WHERE id_hash = ?`, auth.HashToken(t)); err != nil {
				return err
			}
		}
		return nil
	})
}

// endOthers deletes every session and remember token of a customer but
// keep (a session token, or "" for all).
func endOthers(ctx context.Context, tx *db.Tx, customerID int64, keep string) error {
	_, err := tx.Exec(ctx, `DELETE FROM customer_sessions WHERE customer_id = ? AND id_hash <> ?`, customerID, auth.HashToken(keep))
	return err
}

// EndAll signs a customer out everywhere but the session keep.
func (s *Store) EndAll(ctx context.Context, customerID int64, keep string) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error { return endOthers(ctx, tx, customerID, keep) })
}
