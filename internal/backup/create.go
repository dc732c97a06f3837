package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/db"
)

// Options are the choices of one backup.
type Options struct {
	// DataDir is the shop's data directory: its images/ folder (the disk
	// image store) is backed up.
	DataDir string
	// Secret is the shop's master secret; Passphrase seals it into the
	// backup. Without a passphrase the secret is left out (a warning):
	// the operator must then keep the key elsewhere.
	Secret, Passphrase []byte
	// DatabaseURL is the PostgreSQL URL given to pg_dump.
	DatabaseURL string
	// Staging is where the database copy is made before it is archived
	// (default: the system's temp directory).
	Staging  string
	Version  string
	Revision string
	Now      time.Time
}

// Result describes a finished backup.
type Result struct {
	Name     string
	Where    string // the target
	Size     int64
	Manifest *Manifest
	Warnings []string
}

// Create takes a consistent backup of the shop's database, images and
// (sealed) secret key and writes it to target as one .tar.gz. On any
// error nothing is left at the target.
func Create(ctx context.Context, d *db.DB, target Target, opts Options) (*Result, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	stage, err := os.MkdirTemp(opts.Staging, "akinai-backup-")
	if err != nil {
		return nil, fmt.Errorf("backup: cannot create a staging directory: %w", err)
	}
	defer os.RemoveAll(stage)
	m := &Manifest{Format: Format, CreatedAt: opts.Now.UTC().Format(time.RFC3339), Version: opts.Version, Revision: opts.Revision, Engine: string(d.Dialect)}
	res := &Result{Name: "akinai-" + opts.Now.UTC().Format("20060102T150405.000Z") + ".tar.gz", Where: target.String(), Manifest: m}

	var dbFile string
	if d.Dialect == db.SQLite {
		dbFile = filepath.Join(stage, sqliteName)
		if err := snapshotSQLite(ctx, d, dbFile, m); err != nil {
			return nil, err
		}
	} else {
		dbFile = filepath.Join(stage, pgDumpName)
		if err := dumpPostgres(ctx, d, opts.DatabaseURL, dbFile, m); err != nil {
			return nil, err
		}
	}
	files := []staged{{name: filepath.Base(dbFile), path: dbFile}}
	switch {
	case len(opts.Secret) > 0 && len(opts.Passphrase) > 0:
		sealed, err := sealSecret(opts.Secret, opts.Passphrase)
		if err != nil {
			return nil, fmt.Errorf("backup: %w", err)
		}
		p := filepath.Join(stage, secretName)
		if err := os.WriteFile(p, sealed, 0o600); err != nil {
			return nil, fmt.Errorf("backup: %w", err)
		}
		files = append(files, staged{name: secretName, path: p})
		m.Secret = "sealed"
	default:
		m.Secret = "omitted"
		res.Warnings = append(res.Warnings, "the secret key is NOT in this backup: keep a copy of it (DATA/secret.key or AKINAI_SECRET_KEY_FILE) apart from the backup, or sealed data (payment keys, DKIM keys, sessions) cannot be read after a restore")
	}
	if opts.DataDir != "" {
		imgs, err := imageFiles(filepath.Join(opts.DataDir, "images"))
		if err != nil {
			return nil, fmt.Errorf("backup: images: %w", err)
		}
		files = append(files, imgs...)
	}
	for i := range files {
		f, err := hashFile(files[i].path)
		if err != nil {
			return nil, fmt.Errorf("backup: %w", err)
		}
		f.Name = files[i].name
		m.Files = append(m.Files, f)
	}
	w, err := target.Begin(ctx, res.Name)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	n, err := writeArchive(w, m, files)
	if err == nil {
		err = w.Commit()
	} else {
		w.Abort()
	}
	if err != nil {
		return nil, fmt.Errorf("backup: writing %s to %s failed (nothing was kept there): %w", res.Name, target, err)
	}
	res.Size = n
	return res, nil
}

type staged struct{ name, path string }

// snapshotSQLite copies the database with VACUUM INTO and reads the
// copy's migration record and row counts.
func snapshotSQLite(ctx context.Context, d *db.DB, path string, m *Manifest) error {
	if err := d.VacuumInto(ctx, path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	snap, err := db.Open(ctx, db.Config{Path: path, ReadConns: 1})
	if err != nil {
		return fmt.Errorf("backup: the copy cannot be opened: %w", err)
	}
	defer snap.Close()
	return describe(ctx, snap, db.SQLite, m)
}

// describe fills the manifest's schema and counts from q.
func describe(ctx context.Context, q db.Queryer, dialect db.Dialect, m *Manifest) error {
	rows, err := q.Query(ctx, "SELECT version, name, checksum FROM schema_migrations ORDER BY version")
	if err != nil {
		return fmt.Errorf("backup: read the migration record: %w", err)
	}
	for rows.Next() {
		var mg Migration
		if err := rows.Scan(&mg.Version, &mg.Name, &mg.Checksum); err != nil {
			rows.Close()
			return err
		}
		m.Schema = append(m.Schema, mg)
	}
	rows.Close()
	counts, err := db.Counts(ctx, q, dialect)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	delete(counts, "akinai_lockcheck")
	m.Counts = counts
	return nil
}

// PgDumpCommand is what an operator runs by hand when pg_dump is not on
// the server's PATH.
func PgDumpCommand(redactedURL string) string {
	return fmt.Sprintf("pg_dump --format=custom --no-owner --no-privileges --file=akinai.pgdump '%s'   (PGPASSWORD in the environment)", redactedURL)
}

// dumpPostgres runs pg_dump on a snapshot exported from a transaction in
// which it also counts the rows, so manifest and dump agree.
func dumpPostgres(ctx context.Context, d *db.DB, dbURL, path string, m *Manifest) error {
	pgDump, err := exec.LookPath("pg_dump")
	if err != nil {
		return fmt.Errorf("backup: pg_dump is not on PATH: install the PostgreSQL client (Debian: apt install postgresql-client), or take the dump yourself with\n  %s", PgDumpCommand(d.Where))
	}
	u, err := url.Parse(dbURL)
	if err != nil || dbURL == "" {
		return fmt.Errorf("backup: no usable database URL for pg_dump")
	}
	env := os.Environ()
	if p, ok := u.User.Password(); ok {
		env = append(env, "PGPASSWORD="+p) // not on the command line, where ps shows it
		u.User = url.User(u.User.Username())
	}
	return d.ExportSnapshot(ctx, func(tx *db.Tx, snapshot string) error {
		if err := describe(ctx, tx, db.Postgres, m); err != nil {
			return err
		}
		cmd := exec.CommandContext(ctx, pgDump, "--format=custom", "--no-owner", "--no-privileges", "--snapshot="+snapshot, "--file="+path, "--dbname="+u.String())
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("backup: pg_dump failed: %v: %s", err, strings.TrimSpace(string(out)))
		}
		return nil
	})
}

func imageFiles(dir string) ([]staged, error) {
	var out []staged
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && p == dir {
				return filepath.SkipDir
			}
			return err
		}
		if e.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, staged{name: imagesPrefix + filepath.ToSlash(rel), path: p})
		}
		return nil
	})
	return out, err
}

func hashFile(path string) (File, error) {
	f, err := os.Open(path)
	if err != nil {
		return File{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return File{}, err
	}
	return File{Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// writeArchive writes the manifest and then the files as a .tar.gz.
func writeArchive(w io.Writer, m *Manifest, files []staged) (int64, error) {
	cw := &countingWriter{w: w}
	gz := gzip.NewWriter(cw)
	tw := tar.NewWriter(gz)
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return 0, err
	}
	now := time.Now()
	if err := tw.WriteHeader(&tar.Header{Name: manifestName, Mode: 0o600, Size: int64(len(mb)), ModTime: now}); err != nil {
		return 0, err
	}
	if _, err := tw.Write(mb); err != nil {
		return 0, err
	}
	for i, s := range files {
		f, err := os.Open(s.path)
		if err != nil {
			return 0, err
		}
		err = tw.WriteHeader(&tar.Header{Name: s.name, Mode: 0o600, Size: m.Files[i].Size, ModTime: now})
		if err == nil {
			_, err = io.Copy(tw, io.LimitReader(f, m.Files[i].Size))
		}
		f.Close()
		if err != nil {
			return 0, err
		}
	}
	if err := tw.Close(); err != nil {
		return 0, err
	}
	if err := gz.Close(); err != nil {
		return 0, err
	}
	return cw.n, nil
}
