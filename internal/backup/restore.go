package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/akinai/akinai/internal/db"
)

// RestoreOptions are the choices of one restore.
type RestoreOptions struct {
	// DataDir is the new data directory; it must not exist or be empty.
	DataDir string
	// Passphrase opens the sealed secret key. A backup without the secret
	// restores only with WithoutSecret (the operator brings the key).
	Passphrase    []byte
	WithoutSecret bool
	// DatabaseURL restores a PostgreSQL backup into this (empty) database.
	DatabaseURL string
}

// Report says what a restore checked.
type Report struct {
	Manifest *Manifest
	Rows     int64    // rows checked against the manifest's counts
	Applied  []string // migrations this binary added after the restore
	Warnings []string
}

// Restore checks the backup in file and restores it into a new data
// directory: every file's checksum, the database's integrity, its row
// counts against the manifest and its migrations against this binary.
// Nothing is written to opts.DataDir unless every check passed; an
// existing, non-empty directory is refused.
func Restore(ctx context.Context, file string, opts RestoreOptions) (*Report, error) {
	if opts.DataDir == "" {
		return nil, errors.New("restore: name the new data directory (--data)")
	}
	if entries, err := os.ReadDir(opts.DataDir); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("restore: %s exists and is not empty: restore into a new data directory (nothing was changed)", opts.DataDir)
	} else if err != nil && !os.IsNotExist(err) {
		return nil, fmt.Errorf("restore: %w", err)
	}
	parent := filepath.Dir(filepath.Clean(opts.DataDir))
	if err := os.MkdirAll(parent, 0o750); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	stage, err := os.MkdirTemp(parent, "."+filepath.Base(opts.DataDir)+".restoring-")
	if err != nil {
		return nil, fmt.Errorf("restore: cannot write next to %s: %w", opts.DataDir, err)
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(stage)
		}
	}()
	m, err := extract(file, stage)
	if err != nil {
		return nil, fmt.Errorf("restore: %s: %w (nothing was restored)", file, err)
	}
	rep := &Report{Manifest: m}
	if err := restoreSecret(stage, m, opts, rep); err != nil {
		return nil, fmt.Errorf("restore: %w (nothing was restored)", err)
	}
	if err := checkDatabase(ctx, stage, m, opts, rep); err != nil {
		return nil, fmt.Errorf("restore: %w (nothing was restored)", err)
	}
	os.Remove(opts.DataDir) // the empty directory, if any, gives way
	if err := os.Rename(stage, opts.DataDir); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	ok = true
	return rep, nil
}

// extract unpacks the archive into dir, checking each file against the
// manifest, which must come first.
func extract(file, dir string) (*Manifest, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, errors.New("this is not an Akinai backup (not a gzip file)")
	}
	tr := tar.NewReader(gz)
	hdr, err := tr.Next()
	if err != nil || hdr.Name != manifestName || hdr.Size > 64<<20 {
		return nil, errors.New("this is not an Akinai backup (no manifest.json first)")
	}
	mb, err := io.ReadAll(tr)
	if err != nil {
		return nil, fmt.Errorf("the backup is damaged or truncated: %w", err)
	}
	m, err := parseManifest(mb)
	if err != nil {
		return nil, fmt.Errorf("this is not a backup this akinai can restore: %w", err)
	}
	want := map[string]File{}
	for _, fl := range m.Files {
		want[fl.Name] = fl
	}
	seen := map[string]bool{}
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("the backup is damaged or truncated: %w", err)
		}
		exp, listed := want[hdr.Name]
		clean := path.Clean(hdr.Name)
		if !listed || clean != hdr.Name || strings.HasPrefix(clean, "../") || path.IsAbs(clean) || hdr.Typeflag != tar.TypeReg {
			return nil, fmt.Errorf("the backup holds %q, which its manifest does not list", hdr.Name)
		}
		if err := extractFile(tr, filepath.Join(dir, filepath.FromSlash(clean)), exp); err != nil {
			return nil, err
		}
		seen[hdr.Name] = true
	}
	for name := range want {
		if !seen[name] {
			return nil, fmt.Errorf("the backup is truncated: %s is missing", name)
		}
	}
	return m, nil
}

func extractFile(r io.Reader, dest string, exp File) error {
	if err := os.MkdirAll(filepath.Dir(dest), 0o750); err != nil {
		return err
	}
	out, err := os.OpenFile(dest, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), r)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if strings.Contains(err.Error(), "unexpected EOF") {
			return fmt.Errorf("the backup is truncated inside %s", exp.Name)
		}
		return fmt.Errorf("writing %s: %w", exp.Name, err)
	}
	if n != exp.Size || hex.EncodeToString(h.Sum(nil)) != exp.SHA256 {
		return fmt.Errorf("%s does not match its checksum in the manifest: the backup is damaged", exp.Name)
	}
	return nil
}

func restoreSecret(stage string, m *Manifest, opts RestoreOptions, rep *Report) error {
	sealedPath := filepath.Join(stage, secretName)
	defer os.Remove(sealedPath)
	if m.Secret != "sealed" {
		if !opts.WithoutSecret {
			return errors.New("this backup does not hold the secret key: restore with --without-secret and give the shop its original key (AKINAI_SECRET_KEY_FILE)")
		}
		rep.Warnings = append(rep.Warnings, "no secret key restored: start the shop with its original key (AKINAI_SECRET_KEY_FILE)")
		return nil
	}
	if len(opts.Passphrase) == 0 {
		if opts.WithoutSecret {
			rep.Warnings = append(rep.Warnings, "the sealed secret key was left out as asked: start the shop with its original key (AKINAI_SECRET_KEY_FILE)")
			return nil
		}
		return errors.New("this backup holds the secret key sealed with a passphrase: give it (--passphrase-file or AKINAI_BACKUP_PASSPHRASE), or restore --without-secret")
	}
	sealed, err := os.ReadFile(sealedPath)
	if err != nil {
		return err
	}
	secret, err := openSecret(sealed, opts.Passphrase)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(stage, "secret.key"), []byte(hex.EncodeToString(secret)+"\n"), 0o600)
}

// checkDatabase proves the restored database whole: integrity, the
// manifest's counts and schema, then this binary's migrations.
func checkDatabase(ctx context.Context, stage string, m *Manifest, opts RestoreOptions, rep *Report) error {
	var cfg db.Config
	if m.Engine == "sqlite" {
		if opts.DatabaseURL != "" {
			return errors.New("this is a SQLite backup: restore it without --database-url")
		}
		cfg.Path = filepath.Join(stage, sqliteName)
	} else {
		if opts.DatabaseURL == "" {
			return errors.New("this is a PostgreSQL backup: give the new, empty database with --database-url")
		}
		if err := pgRestore(ctx, opts.DatabaseURL, filepath.Join(stage, pgDumpName)); err != nil {
			return err
		}
		os.Remove(filepath.Join(stage, pgDumpName))
		cfg.URL = opts.DatabaseURL
	}
	d, err := db.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	if d.Dialect == db.SQLite {
		var res string
		if err := d.QueryRow(ctx, "PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
			return fmt.Errorf("the database fails its integrity check: %s %v", res, err)
		}
	}
	got := &Manifest{}
	if err := describe(ctx, d, d.Dialect, got); err != nil {
		return err
	}
	for _, t := range slices.Sorted(maps.Keys(m.Counts)) {
		if got.Counts[t] != m.Counts[t] {
			return fmt.Errorf("table %s has %d rows, the manifest says %d", t, got.Counts[t], m.Counts[t])
		}
		rep.Rows += m.Counts[t]
	}
	if !slices.Equal(got.Schema, m.Schema) {
		return errors.New("the database's migration record differs from the manifest's")
	}
	before := len(got.Schema)
	if err := d.Migrate(ctx, nil); err != nil {
		return err
	}
	applied, err := d.AppliedMigrations(ctx)
	if err != nil {
		return err
	}
	for _, a := range applied[before:] {
		rep.Applied = append(rep.Applied, a.Label())
	}
	return nil
}

// pgRestore loads a pg_dump archive into an empty database.
func pgRestore(ctx context.Context, dbURL, dump string) error {
	d, err := db.Open(ctx, db.Config{URL: dbURL})
	if err != nil {
		return err
	}
	tables, err := db.Tables(ctx, d, db.Postgres)
	d.Close()
	if err != nil {
		return err
	}
	if len(tables) > 0 {
		return fmt.Errorf("the database %s is not empty (%d tables): restore into a new, empty database", redact(dbURL), len(tables))
	}
	bin, err := exec.LookPath("pg_restore")
	if err != nil {
		return fmt.Errorf("pg_restore is not on PATH: install the PostgreSQL client, or run pg_restore --no-owner --no-privileges --exit-on-error --dbname='%s' database.pgdump yourself", redact(dbURL))
	}
	u, _ := url.Parse(dbURL)
	env := os.Environ()
	if p, ok := u.User.Password(); ok {
		env = append(env, "PGPASSWORD="+p)
		u.User = url.User(u.User.Username())
	}
	cmd := exec.CommandContext(ctx, bin, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--dbname="+u.String(), dump)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("pg_restore failed: %v: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

func redact(u string) string {
	if p, err := url.Parse(u); err == nil {
		return p.Redacted()
	}
	return "(the database URL)"
}
