package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/media"
)

// productAdmin mounts the admin's catalogue pages (products, categories,
// tags, CSV) with images kept where --image-store says, and raises the
// body limit of their upload routes on top of the other areas' limits.
func (a *shopApp) productAdmin(h *admin.Handlers, mux *http.ServeMux) error {
	store, err := a.imageStore()
	if err != nil {
		return err
	}
	if _, inDB := store.(media.DBStore); !inDB {
		a.catalog.Images = store // the storefront serves them from there
	}
	p := h.Catalog(a.catalog, store)
	if a.catalogPages != nil {
		p.Preview = a.catalogPages.Preview
	}
	p.Routes(mux)
	others := a.bodyLimit
	a.bodyLimit = func(r *http.Request) int64 {
		if n := p.BodyLimit(r); n > 0 {
			return n
		}
		if others != nil {
			return others(r)
		}
		return 0
	}
	return nil
}

// imageStore builds the image store: the database (default, one file
// holds the whole shop), a folder in the data directory, or an
// S3-compatible bucket configured by AKINAI_S3_* (the secret also from
// AKINAI_S3_SECRET_KEY_FILE; AKINAI_S3_ADDRESSING auto, path or virtual).
func (a *shopApp) imageStore() (media.Store, error) {
	switch a.cfg.ImageStore {
	case "", "db":
		return media.DBStore{DB: a.db}, nil
	case "disk":
		return media.DiskStore{Dir: filepath.Join(a.cfg.DataDir, "images")}, nil
	case "s3":
		s, err := s3FromEnv("")
		if err != nil {
			return nil, fmt.Errorf("--image-store=s3: %w", err)
		}
		if err := s.Check(); err != nil {
			return nil, err
		}
		return s, nil
	}
	return nil, fmt.Errorf("--image-store must be db, disk or s3, not %q", a.cfg.ImageStore)
}

// s3FromEnv is the S3-compatible store configured by AKINAI_S3_* (the
// secret also from AKINAI_S3_SECRET_KEY_FILE); bucket, when set, replaces
// AKINAI_S3_BUCKET.
func s3FromEnv(bucket string) (*media.S3Store, error) {
	secret := os.Getenv("AKINAI_S3_SECRET_KEY")
	if f := os.Getenv("AKINAI_S3_SECRET_KEY_FILE"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("AKINAI_S3_SECRET_KEY_FILE: %w", err)
		}
		secret = strings.TrimSpace(string(b))
	}
	if bucket == "" {
		bucket = os.Getenv("AKINAI_S3_BUCKET")
	}
	s := &media.S3Store{Endpoint: os.Getenv("AKINAI_S3_ENDPOINT"), Bucket: bucket,
		Region: os.Getenv("AKINAI_S3_REGION"), AccessKey: os.Getenv("AKINAI_S3_ACCESS_KEY"), SecretKey: secret,
		Addressing: os.Getenv("AKINAI_S3_ADDRESSING")}
	if s.Endpoint == "" || s.Bucket == "" || s.AccessKey == "" || s.SecretKey == "" {
		return nil, fmt.Errorf("S3 needs AKINAI_S3_ENDPOINT, AKINAI_S3_BUCKET, AKINAI_S3_ACCESS_KEY and AKINAI_S3_SECRET_KEY")
	}
	return s, nil
}
