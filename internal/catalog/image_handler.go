package catalog

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/http"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// imageTypes are the content types served as images; anything else in
// image_blobs is refused, so a stored file can never be served as HTML.
var imageTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/webp": true, "image/gif": true}

// Blob returns the stored image with key, or shop.ErrNotFound.
func (s *Store) Blob(ctx context.Context, key string) (contentType string, data []byte, err error) {
	if key == "" || len(key) > 200 {
		return "", nil, shop.ErrNotFound
	}
	err = s.DB.QueryRow(ctx, `SELECT content_type, data FROM image_blobs WHERE key = ?`, key).Scan(&contentType, &data)
	if errors.Is(err, sql.ErrNoRows) && s.Images != nil {
		contentType, data, err = s.Images.Get(ctx, key)
		if err == nil && !imageTypes[contentType] {
			return "", nil, shop.ErrNotFound
		}
		return contentType, data, err
	}
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !imageTypes[contentType]) {
		return "", nil, shop.ErrNotFound
	}
	return contentType, data, err
}

// PutBlob stores an image under key unless the key exists, and reports
// whether it wrote it.
func PutBlob(ctx context.Context, q db.Queryer, key, contentType string, data []byte) (bool, error) {
	n, err := db.RowsAffected(q.Exec(ctx, `INSERT INTO image_blobs (key, content_type, data, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO NOTHING`, key, contentType, data, q.Now()))
	return n == 1, err
}

// image serves GET /images/{key...} with a long cache lifetime and an ETag
// (keys are not reused for other bytes, but a replaced image still gets a
// new ETag).
func (h *Handlers) image(w http.ResponseWriter, r *http.Request) error {
	ct, data, err := h.Store.Blob(r.Context(), r.PathValue("key"))
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	hd := w.Header()
	hd.Set("ETag", etag)
	hd.Set("Cache-Control", "public, max-age=2592000")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	hd.Set("Content-Type", ct)
	_, err = w.Write(data)
	return err
}
