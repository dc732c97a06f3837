package media

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/akinai/akinai/internal/shop"
)

// Bucket addressing of an S3Store.
const (
	AddressAuto    = "auto"    // virtual-host style for Amazon S3 and the like, path style otherwise (minio-go decides)
	AddressPath    = "path"    // Endpoint/Bucket/key: MinIO, SeaweedFS, most self-hosted servers
	AddressVirtual = "virtual" // Bucket.Endpoint/key: Amazon S3, Cloudflare R2, Wasabi, Sakura
)

// S3Store keeps images in a bucket of an S3-compatible object store,
// through minio-go: Signature Version 4, retries with back-off, multipart
// uploads for large objects, path- or virtual-host-style addressing.
type S3Store struct {
	Endpoint   string // "https://s3.ap-northeast-1.amazonaws.com" or "http://127.0.0.1:9000"
	Bucket     string
	Region     string // "ap-northeast-1"; "us-east-1" when the server does not care
	AccessKey  string
	SecretKey  string
	Addressing string // AddressAuto (""), AddressPath or AddressVirtual
	// PartSize is the size of a multipart upload's parts (at least 5 MiB;
	// 0: minio-go's default, 16 MiB). Larger objects go up in parts.
	PartSize uint64
	// MaxRetries bounds the attempts of one request (0: minio-go's 10).
	MaxRetries int
	// Transport replaces the HTTP transport (tests: resolving a
	// virtual-host name to loopback).
	Transport http.RoundTripper

	once   sync.Once
	client *minio.Client
	err    error
}

// Check validates the configuration without a request: the endpoint's
// URL, the addressing, the bucket's name.
func (s *S3Store) Check() error {
	_, err := s.conn()
	return err
}

func (s *S3Store) conn() (*minio.Client, error) {
	s.once.Do(func() {
		u, err := url.Parse(strings.TrimRight(s.Endpoint, "/"))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			s.err = fmt.Errorf("media: the S3 endpoint must be a URL like https://s3.example.com (no path), not %q", s.Endpoint)
			return
		}
		lookup := map[string]minio.BucketLookupType{"": minio.BucketLookupAuto, AddressAuto: minio.BucketLookupAuto,
			AddressPath: minio.BucketLookupPath, AddressVirtual: minio.BucketLookupDNS}
		bl, ok := lookup[s.Addressing]
		if !ok {
			s.err = fmt.Errorf("media: S3 addressing must be auto, path or virtual, not %q", s.Addressing)
			return
		}
		s.client, s.err = minio.New(u.Host, &minio.Options{
			Creds:        credentials.NewStaticV4(s.AccessKey, s.SecretKey, ""),
			Secure:       u.Scheme == "https",
			Region:       s.Region,
			BucketLookup: bl,
			MaxRetries:   s.MaxRetries,
			Transport:    s.Transport,
		})
		if s.err != nil {
			s.err = fmt.Errorf("media: S3 client: %w", s.err)
		}
	})
	return s.client, s.err
}

func (s *S3Store) Put(ctx context.Context, key, contentType string, data []byte) error {
	if err := checkKey(key); err != nil {
		return err
	}
	c, err := s.conn()
	if err != nil {
		return err
	}
	_, err = c.PutObject(ctx, s.Bucket, key, bytes.NewReader(data), int64(len(data)), minio.PutObjectOptions{
		ContentType: contentType, CacheControl: "public, max-age=31536000, immutable", PartSize: s.PartSize,
	})
	if err != nil {
		return fmt.Errorf("media: s3 put %s: %w", key, err)
	}
	return nil
}

func (s *S3Store) Get(ctx context.Context, key string) (string, []byte, error) {
	if checkKey(key) != nil {
		return "", nil, shop.ErrNotFound
	}
	c, err := s.conn()
	if err != nil {
		return "", nil, err
	}
	obj, err := c.GetObject(ctx, s.Bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return "", nil, s3Error("get", key, err)
	}
	defer obj.Close()
	st, err := obj.Stat()
	if err != nil {
		return "", nil, s3Error("get", key, err)
	}
	data, err := io.ReadAll(io.LimitReader(obj, MaxBytes))
	if err != nil {
		return "", nil, s3Error("get", key, err)
	}
	return st.ContentType, data, nil
}

func (s *S3Store) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	c, err := s.conn()
	if err != nil {
		return err
	}
	if err := c.RemoveObject(ctx, s.Bucket, key, minio.RemoveObjectOptions{}); err != nil {
		if e := s3Error("delete", key, err); e != shop.ErrNotFound {
			return e
		}
	}
	return nil
}

// s3Error turns a missing object into shop.ErrNotFound and names the
// operation otherwise (the server's code and message, never the keys).
func s3Error(op, key string, err error) error {
	if r := minio.ToErrorResponse(err); r.Code == minio.NoSuchKey || r.StatusCode == http.StatusNotFound && r.Code != minio.NoSuchBucket {
		return shop.ErrNotFound
	}
	return fmt.Errorf("media: s3 %s %s: %w", op, key, err)
}
