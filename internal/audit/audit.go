// Package audit is the hash-chained, append-only audit log: who did what,
// to what, when and from where. Every entry's hash covers its fields and
// the previous entry's hash, so a row edited or deleted in the database
// breaks the chain from that point on, and Verify names the first broken
// link.
package audit

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/db"
)

// Entry is one audit record. ActorID is 0 for the system or an unknown
// visitor; Actor is a human-readable name (an email, "cli", "system").
type Entry struct {
	ID        int64
	At        time.Time
	ActorID   int64
	Actor     string
	Action    string
	Target    string
	Address   string
	UserAgent string
	Details   map[string]any
	PrevHash  string
	Hash      string
}

// Append adds e to the chain inside tx and returns its ID. It first
// updates the single audit_head row, which locks it until tx ends: on
// PostgreSQL a second instance appending at the same time waits there, so
// the chain never forks; on SQLite the single writer already serialises.
// Pass tx.Now() semantics: At is always set from the transaction.
func Append(ctx context.Context, tx *db.Tx, e Entry) (int64, error) {
	var prev string
	err := tx.QueryRow(ctx, `UPDATE audit_head SET last_id = last_id WHERE id = 1 RETURNING last_hash`).Scan(&prev)
	if err != nil {
		return 0, fmt.Errorf("audit: lock head: %w", err)
	}
	e.At = tx.Now()
	e.PrevHash = prev
	if len(e.UserAgent) > 300 {
		e.UserAgent = e.UserAgent[:300]
	}
	details, err := encodeDetails(e.Details)
	if err != nil {
		return 0, err
	}
	var id int64
	err = tx.QueryRow(ctx, `INSERT INTO audit_log (at, at_us, actor_id, actor, action, target, address, user_agent, details, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '') RETURNING id`,
		e.At, e.At.UnixMicro(), nullID(e.ActorID), e.Actor, e.Action, e.Target, e.Address, e.UserAgent, details, prev).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("audit: insert: %w", err)
	}
	h := hash(id, e.At.UnixMicro(), e.ActorID, e.Actor, e.Action, e.Target, e.Address, e.UserAgent, details, prev)
	if _, err := tx.Exec(ctx, `UPDATE audit_log SET hash = ? WHERE id = ?`, h, id); err != nil {
		return 0, fmt.Errorf("audit: seal: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1`, id, h); err != nil {
		return 0, fmt.Errorf("audit: head: %w", err)
	}
	return id, nil
}

// Record appends e in its own transaction, for events that change nothing
// else (a failed sign-in, a refused request).
func Record(ctx context.Context, d *db.DB, e Entry) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		_, err := Append(ctx, tx, e)
		return err
	})
}

// encodeDetails renders details as JSON with sorted keys (encoding/json
// sorts map keys), so the stored text is what the hash covers.
func encodeDetails(d map[string]any) (string, error) {
	if len(d) == 0 {
		return "{}", nil
	}
	b, err := json.Marshal(d)
	if err != nil {
		return "", fmt.Errorf("audit: details: %w", err)
	}
	return string(b), nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// hash is SHA-256 over the entry's fields, each length-prefixed so that no
// two different entries serialise alike.
func hash(id, atUS, actorID int64, actor, action, target, address, ua, details, prev string) string {
	var b strings.Builder
	for _, f := range []string{strconv.FormatInt(id, 10), strconv.FormatInt(atUS, 10), strconv.FormatInt(actorID, 10), actor, action, target, address, ua, details, prev} {
		b.WriteString(strconv.Itoa(len(f)))
		b.WriteByte(':')
		b.WriteString(f)
		b.WriteByte('\n')
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// Broken describes the first link of the chain that does not hold.
type Broken struct {
	ID     int64
	Reason string
}

func (b *Broken) Error() string { return fmt.Sprintf("audit entry %d: %s", b.ID, b.Reason) }

// Verify walks the whole chain in ID order and returns the number of
// entries checked and, if the chain is broken, a *Broken naming the first
// bad entry (an altered field, a deleted predecessor, or a head that does
// not point at the last entry). Other errors are database errors.
func Verify(ctx context.Context, d *db.DB) (int, *Broken, error) {
	rows, err := d.Query(ctx, `SELECT id, at_us, actor_id, actor, action, target, address, user_agent, details, prev_hash, hash FROM audit_log ORDER BY id`)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	n, prev, lastID := 0, "", int64(0)
	for rows.Next() {
		var id, atUS int64
		var actorID sql.NullInt64
		var actor, action, target, address, ua, details, prevHash, h string
		if err := rows.Scan(&id, &atUS, &actorID, &actor, &action, &target, &address, &ua, &details, &prevHash, &h); err != nil {
			return n, nil, err
		}
		n++
		if prevHash != prev {
			return n, &Broken{ID: id, Reason: "does not follow the previous entry (an entry before it was removed or altered)"}, nil
		}
		if hash(id, atUS, actorID.Int64, actor, action, target, address, ua, details, prevHash) != h {
			return n, &Broken{ID: id, Reason: "its content does not match its hash (the entry was altered)"}, nil
		}
		prev, lastID = h, id
	}
	if err := rows.Err(); err != nil {
		return n, nil, err
	}
	var headID int64
	var headHash string
	if err := d.QueryRow(ctx, `SELECT last_id, last_hash FROM audit_head WHERE id = 1`).Scan(&headID, &headHash); err != nil {
		return n, nil, err
	}
	if headID != lastID || headHash != prev {
		return n, &Broken{ID: headID, Reason: "the chain head does not point at the last entry (entries at the end were removed)"}, nil
	}
	return n, nil, nil
}
