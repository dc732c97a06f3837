package backup_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/backup"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/media"
)

// s3rver is the S3-compatible server .ci/tools installs from npm.
func s3rver(t *testing.T) (endpoint, dir string) {
	t.Helper()
	bin, err := exec.LookPath("s3rver")
	if err != nil {
		home, _ := os.UserHomeDir()
		bin = filepath.Join(home, ".cache", "akinai-tools", "node_modules", ".bin", "s3rver")
		if _, err := os.Stat(bin); err != nil {
			t.Skip("s3rver not installed (see .ci/tools): backups to a bucket not tested")
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	dir = t.TempDir()
	_, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command(bin, "-d", dir, "-a", "127.0.0.1", "-p", port, "--silent", "--configure-bucket", "backups")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return "http://" + addr, dir
		}
		if time.Since(start) > 60*time.Second {
			t.Fatal("s3rver did not start")
		}
	}
}

// A backup to s3://bucket/prefix lands whole under the prefix and
// restores; a bucket that refuses the upload is a clear error.
func TestBackupToABucket(t *testing.T) {
	t.Parallel()
	d, data := shop(t, dbtest.SQLite)
	endpoint, _ := s3rver(t)
	store := &media.S3Store{Endpoint: endpoint, Bucket: "backups", Region: "us-east-1", AccessKey: "S3RVER", SecretKey: "S3RVER"}
	ctx := context.Background()
	res, err := backup.Create(ctx, d, backup.Bucket{Store: store, URL: "s3://backups/nightly", Prefix: "nightly"}, backup.Options{DataDir: data, Secret: secret, Passphrase: pass})
	if err != nil {
		t.Fatal(err)
	}
	// Read it back (s3rver serves unsigned GETs).
	req, _ := http.NewRequestWithContext(ctx, "GET", endpoint+"/backups/nightly/"+res.Name, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || int64(len(body)) != res.Size {
		t.Fatalf("GET the uploaded backup: %d, %d bytes of %d", resp.StatusCode, len(body), res.Size)
	}
	file := filepath.Join(t.TempDir(), res.Name)
	os.WriteFile(file, body, 0o600)
	if _, err := backup.Restore(ctx, file, backup.RestoreOptions{DataDir: filepath.Join(t.TempDir(), "r"), Passphrase: pass}); err != nil {
		t.Fatalf("restore the uploaded backup: %v", err)
	}
	refused := &media.S3Store{Endpoint: store.Endpoint, Bucket: store.Bucket, Region: store.Region, AccessKey: "NOT-A-KEY", SecretKey: store.SecretKey}
	_, err = backup.Create(ctx, d, backup.Bucket{Store: refused, URL: "s3://backups/x", Prefix: "x"}, backup.Options{DataDir: data})
	if err == nil || !strings.Contains(err.Error(), "upload to s3://backups/x") || !strings.Contains(err.Error(), "nothing was kept") {
		t.Fatalf("a bucket that refuses: %v", err)
	}
}
