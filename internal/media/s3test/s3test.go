// Package s3test runs a real S3-compatible server for tests: SeaweedFS's
// S3 gateway (built by .ci/tools), which checks Signature Version 4 on
// every request. Tests skip, saying so, where it is not built.
package s3test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
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
func freePorts(t testing.TB, n int) []int {
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

// The gateway's one identity, and its domain for virtual-host-style
// requests (BUCKET.s3.akinai.test).
const (
	Key    = "AKINAITESTKEY"
	Secret = "akinai-test-secret-0123456789abcdef"
	Domain = "s3.akinai.test"
)

// Start runs SeaweedFS (master, volume, filer and S3 gateway) on
// loopback with one identity, creates the bucket "akinai" and buckets, and returns the S3 port. The gateway
// checks Signature Version 4 for every request.
func Start(t testing.TB, buckets ...string) int {
	t.Helper()
	bin := weedPath()
	if bin == "" {
		t.Skip("SeaweedFS's weed not built (.ci/tools builds it): the S3 store is not tested")
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "s3.json")
	conf := fmt.Sprintf(`{"identities":[{"name":"akinai","credentials":[{"accessKey":%q,"secretKey":%q}],"actions":["Admin","Read","Write","List","Tagging"]}]}`, Key, Secret)
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
		"-s3.config=" + cfg, "-s3.domainName=" + Domain}
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
	c, err := minio.New("127.0.0.1:"+strconv.Itoa(p[6]), &minio.Options{Creds: credentials.NewStaticV4(Key, Secret, ""), BucketLookup: minio.BucketLookupPath, MaxRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(90 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = c.MakeBucket(ctx, "akinai", minio.MakeBucketOptions{})
		cancel()
		if err == nil {
			for _, b := range buckets {
				if err := c.MakeBucket(context.Background(), b, minio.MakeBucketOptions{}); err != nil {
					t.Fatalf("bucket %s: %v", b, err)
				}
			}
			return p[6]
		}
		if time.Now().After(deadline) {
			t.Fatalf("SeaweedFS's S3 gateway did not start: %v", err)
		}
		time.Sleep(250 * time.Millisecond)
	}
}
