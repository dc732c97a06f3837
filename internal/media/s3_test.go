package media_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/akinai/akinai/internal/media"
	"github.com/akinai/akinai/internal/media/s3test"
	"github.com/akinai/akinai/internal/shop"
)

const (
	s3Key    = s3test.Key
	s3Secret = s3test.Secret
	s3Domain = s3test.Domain
)

func startWeed(t *testing.T) int { return s3test.Start(t) }

// loopback dials every host name (BUCKET.s3.akinai.test) on 127.0.0.1,
// so virtual-host-style requests reach the local gateway; fail503 makes
// the first n requests answer 503 Slow Down, as a busy S3 does.
type loopback struct {
	base    *http.Transport
	fail503 atomic.Int32
	seen    atomic.Int32
}

func newLoopback() *loopback {
	l := &loopback{}
	l.base = &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		_, port, _ := net.SplitHostPort(addr)
		return (&net.Dialer{}).DialContext(ctx, network, "127.0.0.1:"+port)
	}}
	return l
}

func (l *loopback) RoundTrip(r *http.Request) (*http.Response, error) {
	l.seen.Add(1)
	if l.fail503.Add(-1) >= 0 {
		if r.Body != nil {
			io.Copy(io.Discard, r.Body)
			r.Body.Close()
		}
		body := `<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`
		return &http.Response{StatusCode: 503, Status: "503 Slow Down", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{"Content-Type": {"application/xml"}}, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
	}
	return l.base.RoundTrip(r)
}

// TestS3Store runs the store against SeaweedFS's S3 gateway, which
// verifies Signature Version 4: path- and virtual-host-style addressing,
// a multipart upload, a retry after 503 Slow Down, and a wrong secret
// refused.
func TestS3Store(t *testing.T) {
	t.Parallel()
	port := startWeed(t)
	img, err := media.Process(WithOrientation(t, halves(8, 8), 1))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	for _, tc := range []struct{ name, endpoint, addressing string }{
		{"path style", "http://127.0.0.1:" + strconv.Itoa(port), media.AddressPath},
		{"virtual-host style", "http://" + s3Domain + ":" + strconv.Itoa(port), media.AddressVirtual},
	} {
		lb := newLoopback()
		s := &media.S3Store{Endpoint: tc.endpoint, Bucket: "akinai", Region: "us-east-1", AccessKey: s3Key, SecretKey: s3Secret,
			Addressing: tc.addressing, Transport: lb}
		if _, _, err := s.Get(ctx, img.Key); err != shop.ErrNotFound {
			t.Fatalf("%s: before put: %v", tc.name, err)
		}
		lb.fail503.Store(1)
		if err := s.Put(ctx, img.Key, img.ContentType, img.Data); err != nil {
			t.Fatalf("%s: put after a 503: %v", tc.name, err)
		}
		if lb.fail503.Load() >= 0 {
			t.Fatalf("%s: the 503 was never served", tc.name)
		}
		ct, data, err := s.Get(ctx, img.Key)
		if err != nil || ct != "image/jpeg" || !bytes.Equal(data, img.Data) {
			t.Fatalf("%s: get: %q %d bytes %v", tc.name, ct, len(data), err)
		}
		if err := s.Delete(ctx, img.Key); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Get(ctx, img.Key); err != shop.ErrNotFound {
			t.Errorf("%s: after delete: %v", tc.name, err)
		}
		if err := s.Delete(ctx, img.Key); err != nil {
			t.Errorf("%s: deleting a missing key: %v", tc.name, err)
		}
	}

	// A wrong secret (the right access key): the signature does not
	// match and the gateway refuses; nothing is stored.
	good := &media.S3Store{Endpoint: "http://127.0.0.1:" + strconv.Itoa(port), Bucket: "akinai", AccessKey: s3Key, SecretKey: s3Secret, Addressing: media.AddressPath}
	bad := &media.S3Store{Endpoint: good.Endpoint, Bucket: "akinai", AccessKey: s3Key, SecretKey: "not-the-secret", Addressing: media.AddressPath, MaxRetries: 1}
	err = bad.Put(ctx, img.Key, img.ContentType, img.Data)
	if err == nil || !strings.Contains(err.Error(), "signature") {
		t.Fatalf("a wrong secret: %v", err)
	}
	if _, _, err := good.Get(ctx, img.Key); err != shop.ErrNotFound {
		t.Fatalf("a refused put stored something: %v", err)
	}

	// A large object goes up in 5 MiB parts.
	big := make([]byte, 12<<20)
	rand.Read(big)
	key := "p/" + strings.Repeat("ab", 32) + ".jpg"
	multi := &media.S3Store{Endpoint: good.Endpoint, Bucket: "akinai", AccessKey: s3Key, SecretKey: s3Secret, Addressing: media.AddressPath, PartSize: 5 << 20}
	if err := multi.Put(ctx, key, "image/jpeg", big); err != nil {
		t.Fatal(err)
	}
	c, _ := minio.New("127.0.0.1:"+strconv.Itoa(port), &minio.Options{Creds: credentials.NewStaticV4(s3Key, s3Secret, ""), BucketLookup: minio.BucketLookupPath})
	st, err := c.StatObject(ctx, "akinai", key, minio.StatObjectOptions{})
	if err != nil || !strings.HasSuffix(strings.Trim(st.ETag, `"`), "-3") {
		t.Fatalf("not a 3-part upload: ETag %q, %v", st.ETag, err)
	}
	if _, data, err := multi.Get(ctx, key); err != nil || !bytes.Equal(data, big) {
		t.Fatalf("multipart object read back: %d bytes, %v", len(data), err)
	}
}

// TestS3StoreConfig refuses a configuration that cannot work, before any
// request.
func TestS3StoreConfig(t *testing.T) {
	t.Parallel()
	for _, s := range []*media.S3Store{
		{Endpoint: "s3.example.com", Bucket: "b"},
		{Endpoint: "ftp://s3.example.com", Bucket: "b"},
		{Endpoint: "https://s3.example.com/prefix", Bucket: "b"},
		{Endpoint: "https://s3.example.com", Bucket: "b", Addressing: "dns"},
	} {
		if err := s.Check(); err == nil {
			t.Errorf("%+v accepted", s)
		}
	}
	if err := (&media.S3Store{Endpoint: "https://s3.ap-northeast-1.amazonaws.com", Bucket: "b", Addressing: media.AddressVirtual}).Check(); err != nil {
		t.Error(err)
	}
}
