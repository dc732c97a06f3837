package media_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/akinai/akinai/internal/media"
	"github.com/akinai/akinai/internal/shop"
)

// weedPath finds SeaweedFS's weed binary (built by .ci/tools):
// $AKINAI_WEED, PATH, or the tools folder.
func weedPath() string {
	if p := os.Getenv("AKINAI_WEED"); p != "" {
		return p
	}
	if p, err := exec.LookPath("weed"); err == nil {
		return p
	}
	home, _ := os.UserHomeDir()
	p := filepath.Join(home, ".cache", "akinai-tools", "bin", "weed")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return ""
}

// freePorts returns n distinct free loopback ports.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	var ls []net.Listener
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

const (
	s3Key    = "AKINAITESTKEY"
	s3Secret = "akinai-test-secret-0123456789abcdef"
	s3Domain = "s3.akinai.test" // virtual-host style: BUCKET.s3.akinai.test
)

// startWeed runs SeaweedFS (master, volume, filer and S3 gateway) on
// loopback with one identity, and returns the S3 port. The gateway
// checks Signature Version 4 for every request.
func startWeed(t *testing.T) int {
	t.Helper()
	bin := weedPath()
	if bin == "" {
		t.Skip("SeaweedFS's weed not built (.ci/tools builds it): the S3 store is not tested")
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "s3.json")
	conf := fmt.Sprintf(`{"identities":[{"name":"akinai","credentials":[{"accessKey":%q,"secretKey":%q}],"actions":["Admin","Read","Write","List","Tagging"]}]}`, s3Key, s3Secret)
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	p := freePorts(t, 8)
	data := filepath.Join(dir, "data")
	os.Mkdir(data, 0o700)
	args := []string{"server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-dir=" + data, "-master.telemetry=false",
		"-master.port=" + strconv.Itoa(p[0]), "-master.port.grpc=" + strconv.Itoa(p[1]),
		"-volume.port=" + strconv.Itoa(p[2]), "-volume.port.grpc=" + strconv.Itoa(p[3]),
		"-filer", "-filer.port=" + strconv.Itoa(p[4]), "-filer.port.grpc=" + strconv.Itoa(p[5]),
		"-filer.localSocket=" + filepath.Join(dir, "filer.sock"),
		"-s3", "-s3.port=" + strconv.Itoa(p[6]), "-s3.port.grpc=" + strconv.Itoa(p[7]), "-s3.port.iceberg=0", "-s3.port.lance=0",
		"-s3.localSocket=" + filepath.Join(dir, "s3.sock"),
		"-s3.config=" + cfg, "-s3.domainName=" + s3Domain}
	cmd := exec.Command(bin, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("weed output:\n%s", out.String())
		}
	})
	// Ready when the gateway answers a signed request: create the bucket.
	c, err := minio.New("127.0.0.1:"+strconv.Itoa(p[6]), &minio.Options{Creds: credentials.NewStaticV4(s3Key, s3Secret, ""), BucketLookup: minio.BucketLookupPath, MaxRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(90 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = c.MakeBucket(ctx, "akinai", minio.MakeBucketOptions{})
		cancel()
		if err == nil {
			return p[6]
		}
		if time.Now().After(deadline) {
			t.Fatalf("SeaweedFS's S3 gateway did not start: %v", err)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

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
