// Package throttle limits how often something may happen, with its state
// in the database so that every instance of the shop sees the same
// counts: a fixed-window rate limit (Hit) and a failure back-off with a
// temporary lock (Fail, Blocked, Reset) for sign-in forms. Buckets name
// what is limited ("admin.signin.account"); keys name who (an email, an
// address). Callers pass the transaction, whose Now() is the clock.
package throttle

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/akinai/akinai/internal/db"
)

// Hit counts one event for key in bucket and reports whether it is within
// limit events per window. When it is not, retryAfter is the time until
// the window ends. The count is taken even when refused, so hammering does
// not help.
func Hit(ctx context.Context, tx *db.Tx, bucket, key string, limit int, window time.Duration) (allowed bool, retryAfter time.Duration, err error) {
	now := tx.Now().UnixMicro()
	expired := now - window.Microseconds()
	var hits int
	var start int64
	err = tx.QueryRow(ctx, `INSERT INTO throttle (bucket, key, hits, window_start_us, updated_us) VALUES (?, ?, 1, ?, ?)
		ON CONFLICT (bucket, key) DO UPDATE SET
			hits = CASE WHEN throttle.window_start_us <= ? THEN 1 ELSE throttle.hits + 1 END,
			window_start_us = CASE WHEN throttle.window_start_us <= ? THEN ? ELSE throttle.window_start_us END,
			updated_us = ?
		RETURNING hits, window_start_us`,
		bucket, key, now, now, expired, expired, now, now).Scan(&hits, &start)
	if err != nil {
		return false, 0, fmt.Errorf("throttle: hit %s: %w", bucket, err)
	}
	if hits <= limit {
		return true, 0, nil
	}
	count(&refused, bucket)
	return false, time.Duration(start+window.Microseconds()-now) * time.Microsecond, nil
}

// Policy is a failure back-off: the first Free failures cost nothing;
// each further one blocks the key for Base, doubling each time up to Max;
// from LockAfter failures on the key is locked for LockFor. Failures are
// forgotten after Forget without one.
type Policy struct {
	Free      int
	Base      time.Duration
	Max       time.Duration
	LockAfter int
	LockFor   time.Duration
	Forget    time.Duration
}

// SignIn is the policy for sign-in forms: three free tries, then 2 s, 4 s,
// … up to 5 minutes, and a 30-minute lock from the tenth failure.
var SignIn = Policy{Free: 3, Base: 2 * time.Second, Max: 5 * time.Minute, LockAfter: 10, LockFor: 30 * time.Minute, Forget: 24 * time.Hour}

// Delay is how long the key is blocked after its n-th failure.
func (p Policy) Delay(n int) time.Duration {
	if p.LockAfter > 0 && n >= p.LockAfter {
		return p.LockFor
	}
	if n <= p.Free {
		return 0
	}
	d := p.Base
	for i := p.Free + 1; i < n && d < p.Max; i++ {
		d *= 2
	}
	return min(d, p.Max)
}

// Blocked returns how long key is still blocked in bucket (0 if not).
func Blocked(ctx context.Context, q db.Queryer, now time.Time, bucket, key string) (time.Duration, error) {
	var until int64
	err := q.QueryRow(ctx, `SELECT blocked_until_us FROM throttle WHERE bucket = ? AND key = ?`, bucket, key).Scan(&until)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return 0, nil
		}
		return 0, fmt.Errorf("throttle: blocked %s: %w", bucket, err)
	}
	if left := until - now.UnixMicro(); left > 0 {
		return time.Duration(left) * time.Microsecond, nil
	}
	return 0, nil
}

// Fail records a failure for key and returns how long it is now blocked
// and how many failures it has. Concurrent failures on several instances
// each count: the upsert locks the row.
func Fail(ctx context.Context, tx *db.Tx, p Policy, bucket, key string) (time.Duration, int, error) {
	now := tx.Now().UnixMicro()
	var n int
	err := tx.QueryRow(ctx, `INSERT INTO throttle (bucket, key, failures, updated_us) VALUES (?, ?, 1, ?)
		ON CONFLICT (bucket, key) DO UPDATE SET
			failures = CASE WHEN throttle.updated_us <= ? THEN 1 ELSE throttle.failures + 1 END,
			updated_us = ?
		RETURNING failures`, bucket, key, now, now-p.Forget.Microseconds(), now).Scan(&n)
	if err != nil {
		return 0, 0, fmt.Errorf("throttle: fail %s: %w", bucket, err)
	}
	count(&failed, bucket)
	d := p.Delay(n)
	if d > 0 {
		if _, err := tx.Exec(ctx, `UPDATE throttle SET blocked_until_us = ? WHERE bucket = ? AND key = ?`, now+d.Microseconds(), bucket, key); err != nil {
			return 0, 0, fmt.Errorf("throttle: block %s: %w", bucket, err)
		}
	}
	return d, n, nil
}

// Reset forgets key's failures, after a success.
func Reset(ctx context.Context, tx *db.Tx, bucket, key string) error {
	_, err := tx.Exec(ctx, `UPDATE throttle SET failures = 0, blocked_until_us = 0 WHERE bucket = ? AND key = ?`, bucket, key)
	return err
}
