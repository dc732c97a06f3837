package catalog

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Import statuses.
const (
	ImportChecking  = "checking"
	ImportChecked   = "checked"
	ImportImporting = "importing"
	ImportDone      = "done"
	ImportFailed    = "failed"
)

// chunkSize is how much of an uploaded file one row holds.
const chunkSize = 256 << 10

// Import is an uploaded CSV and what became of it.
type Import struct {
	Token, Kind, Filename, Status string
	AdminID                       int64
	Rows, Items, ErrorCount       int
	Errors                        []RowError
	CreatedAt, UpdatedAt          time.Time
}

// SaveUpload stores an uploaded file under token, streaming it in chunks,
// with status ImportChecking. Uploads older than a day are dropped.
func SaveUpload(ctx context.Context, d *db.DB, token, kind string, adminID int64, filename string, r io.Reader) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		now := tx.Now()
		if _, err := tx.Exec(ctx, `DELETE FROM catalog_import_chunks WHERE token IN (SELECT token FROM catalog_imports WHERE created_at < ?)`, now.Add(-24*time.Hour)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM catalog_imports WHERE created_at < ?`, now.Add(-24*time.Hour)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO catalog_imports (token, kind, admin_id, filename, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, token, kind, adminID, filename, ImportChecking, now, now); err != nil {
			return err
		}
		buf := make([]byte, chunkSize)
		for seq := 0; ; seq++ {
			n, err := io.ReadFull(r, buf)
			if n > 0 {
				if _, err := tx.Exec(ctx, `INSERT INTO catalog_import_chunks (token, seq, data) VALUES (?, ?, ?)`, token, seq, buf[:n]); err != nil {
					return err
				}
			}
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return nil
			}
			if err != nil {
				return err
			}
		}
	})
}

// UploadReader reads an uploaded file back, one chunk at a time, through
// q: pass the import's transaction, so the import holds one connection
// (on PostgreSQL a second one from the shared pool could deadlock it).
func UploadReader(ctx context.Context, q db.Queryer, token string) io.Reader {
	return &chunkReader{ctx: ctx, q: q, token: token}
}

type chunkReader struct {
	ctx   context.Context
	q     db.Queryer
	token string
	seq   int
	buf   []byte
	done  bool
}

func (c *chunkReader) Read(p []byte) (int, error) {
	for len(c.buf) == 0 {
		if c.done {
			return 0, io.EOF
		}
		err := c.q.QueryRow(c.ctx, `SELECT data FROM catalog_import_chunks WHERE token = ? AND seq = ?`, c.token, c.seq).Scan(&c.buf)
		if errors.Is(err, sql.ErrNoRows) {
			c.done = true
			continue
		}
		if err != nil {
			return 0, err
		}
		c.seq++
	}
	n := copy(p, c.buf)
	c.buf = c.buf[n:]
	return n, nil
}

// ImportByToken returns an upload's state, or shop.ErrNotFound.
func ImportByToken(ctx context.Context, q db.Queryer, token string) (*Import, error) {
	im := &Import{Token: token}
	var errs string
	err := q.QueryRow(ctx, `SELECT kind, admin_id, filename, status, total_rows, items, error_count, errors, created_at, updated_at
		FROM catalog_imports WHERE token = ?`, token).Scan(&im.Kind, &im.AdminID, &im.Filename, &im.Status, &im.Rows, &im.Items,
		&im.ErrorCount, &errs, &im.CreatedAt, &im.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shop.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return im, json.Unmarshal([]byte(errs), &im.Errors)
}

// SetImportResult records a check's or an import's outcome.
func SetImportResult(ctx context.Context, d *db.DB, token, status string, rep *Report) error {
	if rep == nil {
		rep = &Report{}
	}
	errs, err := json.Marshal(append([]RowError{}, rep.Errors...))
	if err != nil {
		return err
	}
	_, err = d.Exec(ctx, `UPDATE catalog_imports SET status = ?, total_rows = ?, items = ?, error_count = ?, errors = ?, updated_at = ?
		WHERE token = ?`, status, rep.Rows, rep.Products, rep.Count, string(errs), d.Now(), token)
	return err
}

// AbandonStale marks a check or an import as failed when it has been
// running since before cutoff: its goroutine died with the instance that
// ran it (a restart, a crash), so it will never finish. The conditional
// update makes it safe against a run that finishes at the same moment.
func AbandonStale(ctx context.Context, d *db.DB, token string, cutoff time.Time) (bool, error) {
	errs, _ := json.Marshal([]RowError{{Key: "admin_products.csv.error.interrupted"}})
	n, err := db.RowsAffected(d.Exec(ctx, `UPDATE catalog_imports SET status = ?, error_count = 1, errors = ?, updated_at = ?
		WHERE token = ? AND status IN (?, ?) AND updated_at < ?`,
		ImportFailed, string(errs), d.Now(), token, ImportChecking, ImportImporting, cutoff))
	return n == 1, err
}

// ClaimImport moves a checked upload without errors to ImportImporting
// and reports whether it did (so a double click imports once).
func ClaimImport(ctx context.Context, d *db.DB, token string) (bool, error) {
	n, err := db.RowsAffected(d.Exec(ctx, `UPDATE catalog_imports SET status = ?, updated_at = ? WHERE token = ? AND status = ? AND error_count = 0`,
		ImportImporting, d.Now(), token, ImportChecked))
	return n == 1, err
}
