package plugin

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/lease"
	"github.com/akinai/akinai/pluginsdk"
)

// EnqueueOrderPlaced writes, in the order's transaction, one job per
// enabled plugin with order.placed: the reaction runs after the commit,
// from the Worker, never in the buyer's request.
func (ps *Plugins) EnqueueOrderPlaced(ctx context.Context, tx *db.Tx, o pluginsdk.Order) error {
	list := ps.With(ctx, tx, HookOrderPlaced)
	if len(list) == 0 {
		return nil
	}
	b, err := json.Marshal(o)
	if err != nil {
		return err
	}
	for _, p := range list {
		if _, err := tx.Exec(ctx, `INSERT INTO plugin_jobs (plugin, hook, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?)`,
			p.Name, HookOrderPlaced, string(b), tx.Now(), tx.Now()); err != nil {
			return err
		}
	}
	return nil
}

// Worker runs the queued reactions on the lease: a job is claimed in one
// short transaction, the plugin runs outside any (so it may write its
// store and call the API), and the outcome is marked in a second. A
// failure is counted like any other (and may disable the plugin) and the
// job retried with back-off; a job whose plugin is no longer enabled is
// given up.
type Worker struct {
	Plugins  *Plugins
	Instance string
	Poll     time.Duration
}

func (w *Worker) queue() *lease.Queue {
	if w.Instance == "" {
		b := make([]byte, 6)
		rand.Read(b)
		w.Instance = "plugin-" + hex.EncodeToString(b)
	}
	return &lease.Queue{Table: "plugin_jobs", Done: "done", DoneAt: "done_at", Dead: "dead", Instance: w.Instance,
		Lease: time.Minute, Batch: 10, MaxAttempts: 5, BaseDelay: 30 * time.Second, MaxDelay: time.Hour}
}

// Run works until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	poll := w.Poll
	if poll == 0 {
		poll = 5 * time.Second
	}
	lease.Run(ctx, 10, poll, w.RunOnce, func(err error) { w.Plugins.Log.Error("plugins: job scan", "err", err) })
}

type job struct {
	lease.Job
	plugin, hook, payload string
}

// RunOnce claims and runs one batch, returning how many it claimed.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	d, q := w.Plugins.DB, w.queue()
	var jobs []job
	err := d.Tx(ctx, func(tx *db.Tx) error {
		js, err := q.Claim(ctx, tx)
		if err != nil {
			return err
		}
		for _, lj := range js {
			j := job{Job: lj}
			if err := tx.QueryRow(ctx, `SELECT plugin, hook, payload FROM plugin_jobs WHERE id = ?`, j.ID).Scan(&j.plugin, &j.hook, &j.payload); err != nil {
				return err
			}
			jobs = append(jobs, j)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, j := range jobs {
		if ctx.Err() != nil || j.Late(d.Now()) {
			break
		}
		var p *Installed
		for _, e := range w.Plugins.With(ctx, d, j.hook) {
			if e.Name == j.plugin {
				p = e
			}
		}
		var cerr error
		if p != nil {
			cerr = w.Plugins.run(ctx, p, j.hook, d, json.RawMessage(j.payload), nil)
		}
		err := d.Tx(context.WithoutCancel(ctx), func(tx *db.Tx) error {
			switch {
			case p == nil:
				_, err := q.Fail(ctx, tx, j.Job, "plugin not enabled", true)
				return err
			case cerr != nil:
				_, err := q.Fail(ctx, tx, j.Job, cerr.Error(), false)
				return err
			}
			return q.Finish(ctx, tx, j.Job)
		})
		if err != nil {
			return len(jobs), err
		}
	}
	return len(jobs), nil
}
