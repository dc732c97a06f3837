package plugin

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
)

// MaxFailures is how many failed calls in a row disable a plugin.
const MaxFailures = 5

// Plugins is the enabled plugin set as the shop calls it. It reads the
// set from the database every few seconds (so every instance sharing the
// database picks up an install, a change or a disable), keeps each
// module compiled in the Host, and counts failures: a plugin that failed
// MaxFailures times in a row is disabled, which the owner sees on the
// dashboard and the plugin screens.
type Plugins struct {
	DB   *db.DB
	Host *Host
	Log  *slog.Logger
	// TTL is how long the enabled set is used before it is read again.
	TTL time.Duration

	mu      sync.Mutex
	list    []*Installed
	modules map[string][]byte // by digest
	at      time.Time
	wg      sync.WaitGroup
}

// New returns the plugin set of d run by h.
func New(d *db.DB, h *Host, log *slog.Logger) *Plugins {
	if log == nil {
		log = slog.Default()
	}
	return &Plugins{DB: d, Host: h, Log: log, TTL: 3 * time.Second}
}

// Enabled returns the enabled plugins (with their modules), read through
// q when the cached set is older than TTL. On an error reading it the
// last set is kept: plugins never stop the shop.
func (ps *Plugins) Enabled(ctx context.Context, q db.Queryer) []*Installed {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if !ps.at.IsZero() && time.Since(ps.at) < ps.TTL {
		return ps.list
	}
	list, err := ps.load(ctx, q)
	if err != nil {
		ps.Log.Error("plugins: reading the enabled set", "err", err)
		return ps.list
	}
	ps.list, ps.at = list, time.Now()
	return list
}

func (ps *Plugins) load(ctx context.Context, q db.Queryer) ([]*Installed, error) {
	rows, err := q.Query(ctx, `SELECT `+installedCols+` FROM plugins WHERE status = 'enabled' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	var list []*Installed
	for rows.Next() {
		p, err := scanInstalled(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		list = append(list, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if ps.modules == nil {
		ps.modules = map[string][]byte{}
	}
	keep := map[string]bool{}
	for _, p := range list {
		keep[p.WasmSHA256] = true
		if ps.modules[p.WasmSHA256] == nil {
			if ps.modules[p.WasmSHA256], err = moduleOf(ctx, q, p.Name); err != nil {
				return nil, err
			}
		}
		p.Module = ps.modules[p.WasmSHA256]
	}
	for sum := range ps.modules {
		if !keep[sum] {
			delete(ps.modules, sum)
		}
	}
	ps.Host.Forget(ctx, keep)
	return list, nil
}

// Invalidate makes the next call read the enabled set again.
func (ps *Plugins) Invalidate() {
	ps.mu.Lock()
	ps.at = time.Time{}
	ps.mu.Unlock()
}

// With returns the enabled plugins implementing hook.
func (ps *Plugins) With(ctx context.Context, q db.Queryer, hook string) []*Installed {
	if ps == nil {
		return nil
	}
	var out []*Installed
	for _, p := range ps.Enabled(ctx, q) {
		if p.Manifest.Has(hook) {
			out = append(out, p)
		}
	}
	return out
}

// call runs one hook of p and books the outcome.
func (ps *Plugins) call(ctx context.Context, p *Installed, hook string, q db.Queryer, in, out any) bool {
	return ps.run(ctx, p, hook, q, in, out) == nil
}

func (ps *Plugins) run(ctx context.Context, p *Installed, hook string, q db.Queryer, in, out any) error {
	err := ps.Host.Call(ctx, p, hook, q, in, out)
	if err != nil {
		ps.Failed(p, hook, err)
		return err
	}
	if p.Failures > 0 {
		p.Failures = 0
		ps.background(func(ctx context.Context) error {
			_, err := ps.DB.Exec(ctx, `UPDATE plugins SET failures = 0 WHERE name = ?`, p.Name)
			return err
		})
	}
	return nil
}

// Failed books a failed call of p: logged, counted in the database (in
// the background, never inside the caller's transaction), and after
// MaxFailures in a row the plugin is disabled with an audit entry.
func (ps *Plugins) Failed(p *Installed, hook string, cause error) {
	ps.Log.Warn("plugin skipped", "plugin", p.Name, "hook", hook, "err", cause)
	msg := cause.Error()
	if len(msg) > 500 {
		msg = msg[:500]
	}
	ps.background(func(ctx context.Context) error {
		disabled := false
		err := ps.DB.Tx(ctx, func(tx *db.Tx) error {
			var n int
			err := tx.QueryRow(ctx, `UPDATE plugins SET failures = failures + 1, failures_total = failures_total + 1, last_error = ?, last_failed_at = ?
				WHERE name = ? AND wasm_sha256 = ? RETURNING failures`, msg, tx.Now(), p.Name, p.WasmSHA256).Scan(&n)
			if err != nil {
				return ignoreNoRows(err) // uninstalled or updated meanwhile
			}
			if n < MaxFailures {
				return nil
			}
			res, err := tx.Exec(ctx, `UPDATE plugins SET status = 'disabled', disabled_reason = 'failures', updated_at = ? WHERE name = ? AND status = 'enabled'`, tx.Now(), p.Name)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 0 {
				return nil
			}
			disabled = true
			_, err = audit.Append(ctx, tx, audit.Entry{Actor: "system", Action: "plugin.auto_disable", Target: "plugin:" + p.Name,
				Details: map[string]any{"version": p.Version, "failures": n, "error": msg}})
			return err
		})
		if disabled {
			ps.Log.Error("plugin disabled after repeated failures", "plugin", p.Name, "err", msg)
			ps.Invalidate()
		}
		return err
	})
}

func (ps *Plugins) background(fn func(context.Context) error) {
	ps.wg.Add(1)
	go func() {
		defer ps.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := fn(ctx); err != nil {
			ps.Log.Error("plugins: booking a call", "err", err)
		}
	}()
}

// Wait waits for the failure bookings under way (tests, shutdown).
func (ps *Plugins) Wait() { ps.wg.Wait() }
