package db

import (
	"context"
	"log/slog"
	"time"
)

// Optimize lets SQLite's query planner know the shape of the data: it runs
// PRAGMA optimize, which analyses the tables that were never analysed or
// changed a lot since. The analysis reads whole indexes (analysis_limit
// 0): a sample of 1,000 rows told the planner there were 1,001 products
// per status when all 100,000 were public, and it kept the wrong index. A
// full analysis of the 100,000-product demo with a year of orders (a
// 500 MB file) takes about 2 s, off the request path. Without
// those statistics SQLite cannot tell a partial index that holds half the
// products from a plain index on every product, and the admin's
// "public + few left" list read every public product's row (measured in
// docs/PERFORMANCE.md). PostgreSQL's autovacuum analyses by itself: a
// no-op there.
func (d *DB) Optimize(ctx context.Context) error {
	if d.Dialect != SQLite {
		return nil
	}
	conn, err := d.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA analysis_limit = 0`); err != nil {
		return err
	}
	// 0x10002: look at every table (not only those the connection used),
	// and analyse those never analysed.
	if _, err = conn.ExecContext(ctx, `PRAGMA optimize = 0x10002`); err != nil {
		return err
	}
	// A connection reads the statistics when it opens: drop the idle
	// readers so the next queries plan with the new ones (a reader busy
	// right now keeps the old until the pool retires it).
	n := d.read.Stats().MaxOpenConnections
	d.read.SetMaxIdleConns(0)
	d.read.SetMaxIdleConns(n)
	return nil
}

// OptimizeWorker runs Optimize now and then every interval, until ctx
// ends: a bulk load or a catalogue that grew tenfold gets fresh
// statistics without a restart.
func (d *DB) OptimizeWorker(every time.Duration, log *slog.Logger) func(ctx context.Context) {
	return func(ctx context.Context) {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			if err := d.Optimize(ctx); err != nil && ctx.Err() == nil && log != nil {
				log.Warn("database optimize", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}
}
