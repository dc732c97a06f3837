package api

import (
	"context"
	"net/netip"
	"sync"
	"time"

	"github.com/akinai/akinai/internal/db"
)

// usage counts every request a token makes, in memory, and Flush writes
// the counts to api_token_uses (per token, hour, method and status) and
// the token's last use. Writing one audit row per request would serialise
// every API call on the audit chain's head row and multiply the log's
// size by the request rate; writes — the requests that change something —
// get a hash-chained audit entry in their own transaction instead, and
// refused uses of a real token (revoked, expired, wrong address, out of
// scope, rate-limited) are counted here under their status.
type usage struct {
	mu     sync.Mutex
	counts map[usageKey]int64
	last   map[int64]lastUse
}

type usageKey struct {
	token  int64
	hour   time.Time
	method string
	status int
}

type lastUse struct {
	at time.Time
	ip string
}

func newUsage() *usage {
	return &usage{counts: map[usageKey]int64{}, last: map[int64]lastUse{}}
}

func (u *usage) add(token int64, now time.Time, method string, status int, ip netip.Addr) {
	u.mu.Lock()
	u.counts[usageKey{token, now.UTC().Truncate(time.Hour), method, status}]++
	u.last[token] = lastUse{now, ip.String()}
	u.mu.Unlock()
}

// Flush writes the counts gathered since the last flush. Counts that
// cannot be written are kept for the next try.
func (h *Handler) Flush(ctx context.Context) error {
	u := h.usage
	u.mu.Lock()
	counts, last := u.counts, u.last
	u.counts, u.last = map[usageKey]int64{}, map[int64]lastUse{}
	u.mu.Unlock()
	if len(counts) == 0 {
		return nil
	}
	err := h.cfg.DB.Tx(ctx, func(tx *db.Tx) error {
		perToken := map[int64]int64{}
		for k, n := range counts {
			perToken[k.token] += n
			if _, err := tx.Exec(ctx, `INSERT INTO api_token_uses (token_id, hour, method, status, uses) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (token_id, hour, method, status) DO UPDATE SET uses = api_token_uses.uses + excluded.uses`,
				k.token, k.hour, k.method, k.status, n); err != nil {
				return err
			}
		}
		for id, n := range perToken {
			l := last[id]
			if _, err := tx.Exec(ctx, `UPDATE api_tokens SET uses = uses + ?, last_used_at = ?, last_used_ip = ? WHERE id = ?`, n, l.at, l.ip, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		u.mu.Lock()
		for k, n := range counts {
			u.counts[k] += n
		}
		for id, l := range last {
			if _, ok := u.last[id]; !ok {
				u.last[id] = l
			}
		}
		u.mu.Unlock()
	}
	return err
}

// Worker flushes the usage counts every few seconds (and once more when
// ctx ends) and drops Idempotency-Key records older than a day.
func (h *Handler) Worker(ctx context.Context) {
	tick := time.NewTicker(3 * time.Second)
	defer tick.Stop()
	sweep := time.Now()
	for {
		select {
		case <-ctx.Done():
			c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			h.Flush(c)
			cancel()
			return
		case <-tick.C:
		}
		if err := h.Flush(ctx); err != nil && ctx.Err() == nil && !db.IsUnavailable(err) {
			h.cfg.Log.Error("api: usage flush", "err", err)
		}
		if time.Since(sweep) > 10*time.Minute {
			sweep = time.Now()
			h.cfg.DB.Tx(ctx, func(tx *db.Tx) error {
				_, err := tx.Exec(ctx, `DELETE FROM api_idempotency WHERE created_at < ?`, tx.Now().Add(-24*time.Hour))
				return err
			})
		}
	}
}
