package backup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Target is where a backup goes: a directory or an object store.
type Target interface {
	// Begin starts writing the backup called name.
	Begin(ctx context.Context, name string) (Writer, error)
	// Prune removes all but the newest keep backups; a target that cannot
	// list its backups returns nil and leaves them.
	Prune(keep int) ([]string, error)
	String() string
}

// Writer receives a backup's bytes. Nothing is visible at the target
// until Commit succeeds; Abort removes what was written.
type Writer interface {
	io.Writer
	Commit() error
	Abort()
}

// Dir is a directory target. A backup is written to a hidden partial file
// and renamed into place when complete, so a full disk or a crash never
// leaves a half backup under a backup's name.
type Dir string

func (d Dir) String() string { return string(d) }

func (d Dir) Begin(ctx context.Context, name string) (Writer, error) {
	if err := os.MkdirAll(string(d), 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the backup directory %s: %w", d, err)
	}
	f, err := os.CreateTemp(string(d), "."+name+".partial-*")
	if err != nil {
		return nil, fmt.Errorf("cannot write to the backup directory %s: %w", d, err)
	}
	return &dirWriter{f: f, final: filepath.Join(string(d), name)}, nil
}

type dirWriter struct {
	f     *os.File
	final string
}

func (w *dirWriter) Write(p []byte) (int, error) { return w.f.Write(p) }

func (w *dirWriter) Commit() error {
	if err := w.f.Sync(); err != nil {
		w.Abort()
		return err
	}
	if err := w.f.Close(); err != nil {
		os.Remove(w.f.Name())
		return err
	}
	if err := os.Rename(w.f.Name(), w.final); err != nil {
		os.Remove(w.f.Name())
		return err
	}
	if dir, err := os.Open(filepath.Dir(w.final)); err == nil {
		dir.Sync()
		dir.Close()
	}
	return nil
}

func (w *dirWriter) Abort() {
	w.f.Close()
	os.Remove(w.f.Name())
}

// Backups lists the directory's complete backups, oldest first.
func (d Dir) Backups() ([]string, error) {
	entries, err := os.ReadDir(string(d))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if n := e.Name(); strings.HasPrefix(n, "akinai-") && strings.HasSuffix(n, ".tar.gz") && e.Type().IsRegular() {
			out = append(out, n)
		}
	}
	sort.Strings(out) // the names carry a UTC timestamp
	return out, nil
}

func (d Dir) Prune(keep int) ([]string, error) {
	if keep <= 0 {
		return nil, nil
	}
	all, err := d.Backups()
	if err != nil {
		return nil, err
	}
	var removed []string
	for len(all) > keep {
		if err := os.Remove(filepath.Join(string(d), all[0])); err != nil {
			return removed, err
		}
		removed = append(removed, all[0])
		all = all[1:]
	}
	return removed, nil
}

// ObjectStore is the part of an S3-compatible client a backup needs
// (internal/media's S3 store has it).
type ObjectStore interface {
	PutObject(ctx context.Context, key, contentType string, data []byte) error
}

// Bucket is an object-store target: s3://bucket/prefix. The backup is
// held in memory and uploaded at Commit, so a failed upload leaves
// nothing behind. Pruning is left to the bucket's lifecycle rules.
type Bucket struct {
	Store  ObjectStore
	URL    string // s3://bucket/prefix, for messages
	Prefix string
}

func (b Bucket) String() string { return b.URL }

func (b Bucket) Begin(ctx context.Context, name string) (Writer, error) {
	if b.Store == nil {
		return nil, errors.New("no object store configured for " + b.URL)
	}
	return &bucketWriter{b: b, ctx: ctx, key: strings.TrimSuffix(b.Prefix, "/") + "/" + name}, nil
}

func (b Bucket) Prune(int) ([]string, error) { return nil, nil }

type bucketWriter struct {
	b   Bucket
	ctx context.Context
	key string
	buf bytes.Buffer
}

func (w *bucketWriter) Write(p []byte) (int, error) { return w.buf.Write(p) }
func (w *bucketWriter) Abort()                      { w.buf.Reset() }
func (w *bucketWriter) Commit() error {
	if err := w.b.Store.PutObject(w.ctx, strings.TrimPrefix(w.key, "/"), "application/gzip", w.buf.Bytes()); err != nil {
		return fmt.Errorf("upload to %s: %w", w.b.URL, err)
	}
	return nil
}
