package db

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/akinai/akinai/internal/shop"
)

// Reasons a database cannot write, as WriteError.Reason and WriteState
// name them.
const (
	ReasonDiskFull    = "disk_full"   // SQLITE_FULL, PostgreSQL 53100
	ReasonLocked      = "locked"      // SQLITE_BUSY/LOCKED: another process holds the write lock; PostgreSQL 55P03
	ReasonReadOnly    = "read_only"   // SQLITE_READONLY, PostgreSQL 25006 (a standby, default_transaction_read_only)
	ReasonIO          = "io_error"    // SQLITE_IOERR, PostgreSQL 58030
	ReasonUnreachable = "unreachable" // PostgreSQL down, restarting, out of connections
)

// RetryAfter is the Retry-After, in seconds, of a refusal because the
// database cannot write.
const RetryAfter = 30

// probeEvery is how often, while the database cannot write, a background
// probe tries one small write to find out whether it can again. Meanwhile
// every write is refused at once instead of each waiting for the busy
// timeout.
const probeEvery = 2 * time.Second

// WriteError is a write the database refused for a reason of its own (a
// full disk, a lock held by another process, read-only), not because of
// what was written. It comes wrapped in a *shop.Error of kind Unavailable
// with key "ops.db_unavailable", so the web layer answers 503 with
// Retry-After and a "try again in a moment" page.
type WriteError struct {
	Reason string
	Err    error // the driver's error; nil for a refusal while failing
}

func (e *WriteError) Error() string {
	if e.Err == nil {
		return "db: cannot write (" + e.Reason + "); refused without trying"
	}
	return "db: cannot write (" + e.Reason + "): " + e.Err.Error()
}

func (e *WriteError) Unwrap() error { return e.Err }

// IsUnavailable reports whether err is (or wraps) a WriteError.
func IsUnavailable(err error) bool {
	var we *WriteError
	return errors.As(err, &we)
}

// unavailable wraps a WriteError for the web layer.
func unavailable(we *WriteError) error {
	return &shop.Error{Kind: shop.Unavailable, Key: "ops.db_unavailable", RetryAfter: RetryAfter, Cause: we}
}

// writeReason classifies a driver error: the reason the database cannot
// write, or "" for any other error (a constraint, a syntax error, a
// cancelled context).
func writeReason(err error) string {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return ""
	}
	var coded interface{ Code() int } // modernc.org/sqlite
	if errors.As(err, &coded) {
		switch coded.Code() & 0xff {
		case 13: // SQLITE_FULL
			return ReasonDiskFull
		case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
			return ReasonLocked
		case 8: // SQLITE_READONLY
			return ReasonReadOnly
		case 10, 14, 15: // SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_PROTOCOL
			return ReasonIO
		}
		return ""
	}
	var state interface{ SQLState() string } // pgx
	if errors.As(err, &state) {
		s := state.SQLState()
		switch {
		case s == "53100":
			return ReasonDiskFull
		case s == "55P03":
			return ReasonLocked
		case s == "25006":
			return ReasonReadOnly
		case s == "58030":
			return ReasonIO
		case strings.HasPrefix(s, "08"), strings.HasPrefix(s, "53"), s == "57P01", s == "57P02", s == "57P03":
			return ReasonUnreachable
		}
		return ""
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return ReasonUnreachable
	}
	return ""
}

// WriteState is whether the database can write, as the dashboard and
// /readyz show it.
type WriteState struct {
	Failing bool
	Reason  string    // one of the Reason constants while failing
	Since   time.Time // the first failed write
	Refused int64     // writes refused since then
	Detail  string    // the driver's message of the first failure
}

// health tracks the database's ability to write: the first failure is
// logged once, every refusal counted, the recovery logged once.
type health struct {
	mu      sync.Mutex
	state   WriteState
	probing bool // the probe loop runs
	closed  bool
}

// admit is called before a write: nil lets it run. While the database
// cannot write, every write is refused at once (the probe loop finds out
// when it can again).
func (d *DB) admit() error {
	h := &d.health
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.state.Failing {
		return nil
	}
	h.state.Refused++
	return unavailable(&WriteError{Reason: h.state.Reason})
}

// observe records a write's outcome and returns err, wrapped for the web
// layer when the database could not write. Other errors (a constraint, a
// sold-out item) say nothing about the database and change nothing.
func (d *DB) observe(err error) error {
	reason := writeReason(err)
	if reason == "" && err != nil {
		return err
	}
	h := &d.health
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case reason != "":
		if !h.state.Failing {
			h.state = WriteState{Failing: true, Reason: reason, Since: d.Now(), Detail: err.Error()}
			d.logger().Error("database cannot write: refusing writes with 503 until it can (logged once)",
				"reason", reason, "database", d.Where, "err", err)
			if !h.probing && !h.closed {
				h.probing = true
				go d.probeLoop()
			}
		} else {
			h.state.Refused++
			h.state.Reason = reason
		}
		return unavailable(&WriteError{Reason: reason, Err: err})
	case err == nil && h.state.Failing:
		d.logger().Info("database writes again", "reason_was", h.state.Reason, "down_for", d.Now().Sub(h.state.Since).Round(time.Second).String(),
			"refused", h.state.Refused, "database", d.Where)
		h.state = WriteState{}
	}
	return err
}

// WriteState reports whether the database can write, as last seen.
func (d *DB) WriteState() WriteState {
	d.health.mu.Lock()
	defer d.health.mu.Unlock()
	return d.health.state
}

// probeLoop tries one small write every probeEvery until the database
// writes again or is closed, so that a shop that takes no orders (every
// write refused) still finds out.
func (d *DB) probeLoop() {
	t := time.NewTicker(probeEvery)
	defer t.Stop()
	for range t.C {
		d.health.mu.Lock()
		closed := d.health.closed
		d.health.mu.Unlock()
		if closed {
			break
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := d.tx(ctx, func(tx *Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO write_probe (id, probed_at) VALUES (1, ?)
				ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at`, tx.Now())
			return err
		})
		cancel()
		if err == nil {
			d.observe(nil)
			break
		}
		if reason := writeReason(err); reason != "" {
			d.health.mu.Lock()
			d.health.state.Reason = reason // e.g. from unreachable to read_only
			d.health.mu.Unlock()
		}
	}
	d.health.mu.Lock()
	d.health.probing = false
	d.health.mu.Unlock()
}

// closeHealth stops the probe loop.
func (d *DB) closeHealth() {
	d.health.mu.Lock()
	d.health.closed = true
	d.health.mu.Unlock()
}

func (d *DB) logger() *slog.Logger {
	if d.Log != nil {
		return d.Log
	}
	return slog.Default()
}
