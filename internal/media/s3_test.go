package media_test

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/media"
	"github.com/akinai/akinai/internal/shop"
)

// s3rverPath finds the s3rver binary (npm package s3rver, installed by
// .ci/tools): $AKINAI_S3RVER, PATH, or the tools folder.
func s3rverPath() string {
	if p := os.Getenv("AKINAI_S3RVER"); p != "" {
		return p
	}
	if p, err := exec.LookPath("s3rver"); err == nil {
		return p
	}
	home, _ := os.UserHomeDir()
	p := filepath.Join(home, ".cache", "akinai-tools", "node_modules", ".bin", "s3rver")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return ""
}

// TestS3Store runs the store against s3rver, a real S3-compatible server
// that checks Signature Version 4, on loopback.
func TestS3Store(t *testing.T) {
	t.Parallel()
	bin := s3rverPath()
	if bin == "" {
		t.Skip("s3rver not installed (npm install s3rver; see .ci/tools): S3 store not tested")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin, "-d", t.TempDir(), "-a", "127.0.0.1", "-p", strconv.Itoa(port), "--silent", "--configure-bucket", "akinai")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := "127.0.0.1:" + strconv.Itoa(port)
	for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if time.Since(start) > 20*time.Second {
			t.Fatal("s3rver did not start")
		}
	}
	s := &media.S3Store{Endpoint: "http://" + addr, Bucket: "akinai", Region: "us-east-1", AccessKey: "S3RVER", SecretKey: "S3RVER"}
	img, err := media.Process(WithOrientation(t, halves(8, 8), 1))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if _, _, err := s.Get(ctx, img.Key); err != shop.ErrNotFound {
		t.Fatalf("before put: %v", err)
	}
	if err := s.Put(ctx, img.Key, img.ContentType, img.Data); err != nil {
		t.Fatal(err)
	}
	ct, data, err := s.Get(ctx, img.Key)
	if err != nil || ct != "image/jpeg" || !bytes.Equal(data, img.Data) {
		t.Fatalf("get: %q %d bytes %v", ct, len(data), err)
	}
	// The server knows its access keys: an unknown one is refused. (It
	// does not check V4 signatures; TestSignV4_AWSExample does.)
	bad := *s
	bad.AccessKey = "NOT-A-KEY"
	if err := bad.Put(ctx, img.Key, img.ContentType, img.Data); err == nil {
		t.Error("a request with an unknown access key was accepted")
	}
	if err := s.Delete(ctx, img.Key); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Get(ctx, img.Key); err != shop.ErrNotFound {
		t.Errorf("after delete: %v", err)
	}
}
