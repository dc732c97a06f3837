package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/akinai/akinai/internal/backup"
	"github.com/akinai/akinai/internal/buildinfo"
)

// runBackup takes a backup of the running (or stopped) shop:
//
//	akinai backup [--to DIR|s3://bucket/prefix] [--passphrase-file F | --without-secret] [--keep N]
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var to, passFile string
	var without bool
	var keep int
	cfg, _, d, code := commandDB(ctx, "backup", args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&to, "to", env("AKINAI_BACKUP_TO", ""), "directory or s3://bucket/prefix (default DATA/backups) [AKINAI_BACKUP_TO]")
		fs.StringVar(&passFile, "passphrase-file", "", "file holding the passphrase that seals the secret key into the backup (or AKINAI_BACKUP_PASSPHRASE[_FILE])")
		fs.BoolVar(&without, "without-secret", false, "leave the secret key out of the backup (keep it elsewhere)")
		fs.IntVar(&keep, "keep", 0, "after the backup, keep only the newest N backups in the directory (0: keep all)")
	})
	if code != 0 {
		return code
	}
	defer d.Close()
	pass, err := backupPassphrase(passFile)
	if err != nil {
		fmt.Fprintln(stderr, "akinai:", err)
		return 2
	}
	if len(pass) == 0 && !without {
		fmt.Fprintln(stderr, "akinai: choose what happens to the secret key: --passphrase-file FILE (or AKINAI_BACKUP_PASSPHRASE) seals it into the backup, --without-secret leaves it out")
		return 2
	}
	if without {
		pass = nil
	}
	if to == "" {
		to = filepath.Join(cfg.DataDir, "backups")
	}
	target, err := backupTarget(to)
	if err != nil {
		fmt.Fprintln(stderr, "akinai:", err)
		return 2
	}
	if err := cfg.loadSecret(cfg.newLogger(io.Discard)); err != nil {
		fmt.Fprintln(stderr, "akinai:", err)
		return 1
	}
	info := buildinfo.Read()
	opts := backup.Options{DataDir: cfg.DataDir, Secret: cfg.Secret, Passphrase: pass, DatabaseURL: cfg.DatabaseURL, Version: info.Version, Revision: info.Revision}
	if dir, ok := target.(backup.Dir); ok {
		opts.Staging = string(dir) // same disk as the result: no surprise in /tmp
		if err := os.MkdirAll(string(dir), 0o700); err != nil {
			fmt.Fprintf(stderr, "akinai: cannot create the backup directory %s: %v\n", dir, err)
			return 1
		}
	}
	res, err := backup.Create(ctx, d, target, opts)
	if err != nil {
		fmt.Fprintln(stderr, "akinai:", err)
		return 1
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, "warning:", w)
	}
	fmt.Fprintf(stdout, "backup %s written to %s (%d bytes, %d tables, secret key %s)\n", res.Name, res.Where, res.Size, len(res.Manifest.Counts), res.Manifest.Secret)
	if keep > 0 {
		removed, err := target.Prune(keep)
		if err != nil {
			fmt.Fprintln(stderr, "akinai: pruning old backups:", err)
			return 1
		}
		for _, r := range removed {
			fmt.Fprintln(stdout, "removed old backup", r)
		}
	}
	return 0
}

// runRestore restores a backup into a new data directory:
//
//	akinai restore --from FILE --data NEWDIR [--database-url URL] [--passphrase-file F | --without-secret]
func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var from, dataDir, dbURL, passFile string
	var without bool
	fs.StringVar(&from, "from", "", "the backup file (.tar.gz)")
	fs.StringVar(&dataDir, "data", "", "the NEW data directory (must not exist, or be empty)")
	fs.StringVar(&dbURL, "database-url", "", "PostgreSQL backups: the new, empty database to restore into")
	fs.StringVar(&passFile, "passphrase-file", "", "file holding the passphrase of the sealed secret key (or AKINAI_BACKUP_PASSPHRASE[_FILE])")
	fs.BoolVar(&without, "without-secret", false, "restore without the secret key (you give the shop its original key)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if from == "" || dataDir == "" {
		fmt.Fprintln(stderr, "akinai: restore needs --from FILE and --data NEWDIR")
		return 2
	}
	pass, err := backupPassphrase(passFile)
	if err != nil {
		fmt.Fprintln(stderr, "akinai:", err)
		return 2
	}
	rep, err := backup.Restore(ctx, from, backup.RestoreOptions{DataDir: dataDir, Passphrase: pass, WithoutSecret: without, DatabaseURL: dbURL})
	if err != nil {
		fmt.Fprintln(stderr, "akinai:", err)
		return 1
	}
	for _, w := range rep.Warnings {
		fmt.Fprintln(stderr, "warning:", w)
	}
	m := rep.Manifest
	fmt.Fprintf(stdout, "restored the backup of %s (akinai %s, %s) into %s: integrity ok, %d rows in %d tables match the manifest, %d migrations recorded",
		m.CreatedAt, m.Version, m.Engine, dataDir, rep.Rows, len(m.Counts), len(m.Schema))
	if len(rep.Applied) > 0 {
		fmt.Fprintf(stdout, ", %d applied now (%s)", len(rep.Applied), strings.Join(rep.Applied, ", "))
	}
	fmt.Fprintf(stdout, "\nstart it with: akinai serve --data %s", dataDir)
	if dbURL != "" {
		fmt.Fprint(stdout, " --database-url '…'")
	}
	fmt.Fprintln(stdout)
	return 0
}

// backupPassphrase reads the passphrase from the file, or
// AKINAI_BACKUP_PASSPHRASE, or the file AKINAI_BACKUP_PASSPHRASE_FILE names.
func backupPassphrase(file string) ([]byte, error) {
	if file == "" {
		if v := os.Getenv("AKINAI_BACKUP_PASSPHRASE"); v != "" {
			return []byte(v), nil
		}
		file = os.Getenv("AKINAI_BACKUP_PASSPHRASE_FILE")
	}
	if file == "" {
		return nil, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("passphrase file: %w", err)
	}
	p := strings.TrimRight(string(b), "\r\n")
	if p == "" {
		return nil, errors.New("the passphrase file is empty")
	}
	return []byte(p), nil
}

// backupTarget turns --to into a directory or a bucket.
func backupTarget(to string) (backup.Target, error) {
	if !strings.HasPrefix(to, "s3://") {
		return backup.Dir(to), nil
	}
	u, err := url.Parse(to)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("--to %q: write s3://bucket/prefix", to)
	}
	store, err := s3FromEnv(u.Host)
	if err != nil {
		return nil, fmt.Errorf("--to %s: %w", to, err)
	}
	return backup.Bucket{Store: store, URL: to, Prefix: strings.Trim(u.Path, "/")}, nil
}
