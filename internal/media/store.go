package media

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Store keeps image bytes under keys ("p/<hash>.jpg"). Put of an existing
// key keeps what is there (keys name their content).
type Store interface {
	Put(ctx context.Context, key, contentType string, data []byte) error
	// Get returns shop.ErrNotFound for an unknown key.
	Get(ctx context.Context, key string) (contentType string, data []byte, err error)
	Delete(ctx context.Context, key string) error
}

var keyRE = regexp.MustCompile(`^[a-z0-9]+/[a-f0-9]{8,64}\.(jpg|png)$`)

func checkKey(key string) error {
	if !keyRE.MatchString(key) {
		return fmt.Errorf("media: bad key %q", key)
	}
	return nil
}

// DBStore keeps images in the database's image_blobs table, which the
// storefront serves at /images/{key} — one database holds a whole shop.
type DBStore struct{ DB *db.DB }

func (s DBStore) Put(ctx context.Context, key, contentType string, data []byte) error {
	if err := checkKey(key); err != nil {
		return err
	}
	_, err := s.DB.Exec(ctx, `INSERT INTO image_blobs (key, content_type, data, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO NOTHING`, key, contentType, data, s.DB.Now())
	return err
}

func (s DBStore) Get(ctx context.Context, key string) (string, []byte, error) {
	var ct string
	var data []byte
	err := s.DB.QueryRow(ctx, `SELECT content_type, data FROM image_blobs WHERE key = ?`, key).Scan(&ct, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, shop.ErrNotFound
	}
	return ct, data, err
}

func (s DBStore) Delete(ctx context.Context, key string) error {
	_, err := s.DB.Exec(ctx, `DELETE FROM image_blobs WHERE key = ?`, key)
	return err
}

// DiskStore keeps images as files under Dir (written to a temporary file
// and renamed, so a reader never sees half a file).
type DiskStore struct{ Dir string }

func (s DiskStore) path(key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	return filepath.Join(s.Dir, filepath.FromSlash(key)), nil
}

func (s DiskStore) Put(ctx context.Context, key, contentType string, data []byte) error {
	p, err := s.path(key)
	if err != nil {
		return err
	}
	if _, err := os.Stat(p); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".upload-*")
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	return os.Rename(f.Name(), p)
}

func (s DiskStore) Get(ctx context.Context, key string) (string, []byte, error) {
	p, err := s.path(key)
	if err != nil {
		return "", nil, shop.ErrNotFound
	}
	data, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil, shop.ErrNotFound
	}
	ct := "image/jpeg"
	if filepath.Ext(p) == ".png" {
		ct = "image/png"
	}
	return ct, data, err
}

func (s DiskStore) Delete(ctx context.Context, key string) error {
	p, err := s.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
