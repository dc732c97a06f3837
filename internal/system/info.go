package system

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/akinai/akinai/internal/db"
)

// Build is what the binary says about itself.
type Build struct {
	Version   string // module version, "(devel)" for a local build
	Revision  string // VCS revision, shortened
	Modified  bool   // built from a tree with uncommitted changes
	BuildTime string // VCS commit time, as stamped by the go tool
	GoVersion string
	OSArch    string
}

// ReadBuild reads the build information the go tool embeds.
func ReadBuild() Build {
	b := Build{GoVersion: runtime.Version(), OSArch: runtime.GOOS + "/" + runtime.GOARCH, Version: "(devel)"}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	if bi.Main.Version != "" {
		b.Version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
			if len(b.Revision) > 12 {
				b.Revision = b.Revision[:12]
			}
		case "vcs.time":
			b.BuildTime = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	return b
}

// Queue is one table of work done after a commit by a background worker
// on the lease protocol: its depth, its oldest waiting row, its failures
// and when it last finished a row.
type Queue struct {
	Name     string // i18n key
	Periodic bool   // a periodic job without a queue: only LastDone
	Pending  int64
	Running  int64 // rows under a lease now
	Failed   int64 // given up (dead letters)
	Oldest   time.Time
	Age      time.Duration // how long the oldest row has waited
	LastDone time.Time
}

// queues are the lease tables; pending, failed and done name their
// status values and the column set when a row is finished.
var queues = []struct {
	key, table, failed, done, doneAt string
}{
	{"system.queue.mail", "outbox", "dead", "sent", "sent_at"},
	{"system.queue.capture", "payment_captures", "failed", "done", "done_at"},
	{"system.queue.bulk", "order_bulk_jobs", "failed", "done", "finished_at"},
}

// Info is the system information page.
type Info struct {
	Build      Build
	Started    time.Time
	Uptime     time.Duration
	Engine     db.Dialect
	Where      string
	DBSize     int64 // bytes; -1 when unknown
	DataDir    string
	DiskFree   int64 // bytes free to an unprivileged user; -1 when unknown
	DiskTotal  int64
	Goroutines int
	HeapAlloc  int64
	Queues     []Queue
}

// Collect gathers the figures. dataDir is the data directory (its disk's
// free space is shown); started is when the process started.
func Collect(ctx context.Context, d *db.DB, dataDir string, started, now time.Time) (*Info, error) {
	in := &Info{Build: ReadBuild(), Started: started.In(jst), Uptime: now.Sub(started).Truncate(time.Second),
		Engine: d.Dialect, Where: d.Where, DataDir: dataDir, DBSize: -1, DiskFree: -1, Goroutines: runtime.NumGoroutine()}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	in.HeapAlloc = int64(ms.HeapAlloc)
	var err error
	if in.DBSize, err = DatabaseSize(ctx, d); err != nil {
		return nil, err
	}
	if dataDir != "" {
		var st syscall.Statfs_t
		if syscall.Statfs(dataDir, &st) == nil {
			in.DiskFree = int64(st.Bavail) * int64(st.Bsize)
			in.DiskTotal = int64(st.Blocks) * int64(st.Bsize)
		}
	}
	for _, q := range queues {
		qq, err := readQueue(ctx, d, q.key, q.table, q.failed, q.done, q.doneAt, now)
		if err != nil {
			return nil, err
		}
		in.Queues = append(in.Queues, qq)
	}
	// The sales summary is refreshed periodically, not queued.
	var t sql.NullTime
	if err := d.QueryRow(ctx, `SELECT refreshed_at FROM report_state WHERE id = 1`).Scan(&t); err != nil && err != sql.ErrNoRows {
		return nil, err
	}
	in.Queues = append(in.Queues, Queue{Name: "system.queue.reports", Periodic: true, LastDone: t.Time.In(jst)})
	return in, nil
}

// DatabaseSize is the size of the database in bytes: on SQLite the main
// file's pages plus the write-ahead log, on PostgreSQL pg_database_size.
func DatabaseSize(ctx context.Context, d *db.DB) (int64, error) {
	switch d.Dialect {
	case db.Postgres:
		var n int64
		err := d.QueryRow(ctx, `SELECT pg_database_size(current_database())`).Scan(&n)
		return n, err
	case db.SQLite:
		var pages, size int64
		if err := d.QueryRow(ctx, `SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()`).Scan(&pages); err != nil {
			return 0, err
		}
		size = pages
		if fi, err := os.Stat(d.Where + "-wal"); err == nil {
			size += fi.Size()
		}
		return size, nil
	}
	return -1, nil
}

// readQueue counts one lease table. The table and status names come
// from the fixed list above, never from a request.
func readQueue(ctx context.Context, d *db.DB, key, table, failed, done, doneAt string, now time.Time) (Queue, error) {
	q := Queue{Name: key}
	err := d.QueryRow(ctx, `SELECT
		COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN status = 'pending' AND locked_until > ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN status = ? THEN 1 ELSE 0 END), 0)
		FROM `+table, now.UTC(), failed).Scan(&q.Pending, &q.Running, &q.Failed)
	if err != nil {
		return q, err
	}
	// Single rows, not MIN/MAX, so both drivers scan a typed timestamp.
	var t sql.NullTime
	err = d.QueryRow(ctx, `SELECT created_at FROM `+table+` WHERE status = 'pending' ORDER BY created_at LIMIT 1`).Scan(&t)
	if err != nil && err != sql.ErrNoRows {
		return q, err
	}
	q.Oldest = t.Time.In(jst)
	if t.Valid {
		q.Age = max(now.Sub(t.Time), 0).Truncate(time.Second)
	}
	t = sql.NullTime{}
	err = d.QueryRow(ctx, `SELECT `+doneAt+` FROM `+table+` WHERE status = ? AND `+doneAt+` IS NOT NULL ORDER BY `+doneAt+` DESC LIMIT 1`, done).Scan(&t)
	if err != nil && err != sql.ErrNoRows {
		return q, err
	}
	q.LastDone = t.Time.In(jst)
	return q, nil
}

// Human writes a byte count for people: 12.3 MB.
func (in *Info) Human(n int64) string { return HumanBytes(n) }

// HumanBytes writes a byte count in KB, MB, GB (powers of 1,024).
func HumanBytes(n int64) string {
	if n < 0 {
		return "-"
	}
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "KMGTPE"[exp])
}
