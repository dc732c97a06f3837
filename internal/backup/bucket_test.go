package backup_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/akinai/akinai/internal/backup"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/media"
	"github.com/akinai/akinai/internal/media/s3test"
)

// A backup to s3://bucket/prefix lands whole under the prefix and
// restores; a bucket that refuses the upload is a clear error.
func TestBackupToABucket(t *testing.T) {
	t.Parallel()
	d, data := shop(t, dbtest.SQLite)
	port := s3test.Start(t, "backups")
	endpoint := "http://127.0.0.1:" + strconv.Itoa(port)
	store := &media.S3Store{Endpoint: endpoint, Bucket: "backups", Region: "us-east-1", AccessKey: s3test.Key, SecretKey: s3test.Secret, Addressing: media.AddressPath}
	ctx := context.Background()
	res, err := backup.Create(ctx, d, backup.Bucket{Store: store, URL: "s3://backups/nightly", Prefix: "nightly"}, backup.Options{DataDir: data, Secret: secret, Passphrase: pass})
	if err != nil {
		t.Fatal(err)
	}
	// Read it back with a signed GET.
	c, err := minio.New("127.0.0.1:"+strconv.Itoa(port), &minio.Options{Creds: credentials.NewStaticV4(s3test.Key, s3test.Secret, ""), BucketLookup: minio.BucketLookupPath})
	if err != nil {
		t.Fatal(err)
	}
	obj, err := c.GetObject(ctx, "backups", "nightly/"+res.Name, minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(obj)
	obj.Close()
	if err != nil || int64(len(body)) != res.Size {
		t.Fatalf("GET the uploaded backup: %v, %d bytes of %d", err, len(body), res.Size)
	}
	file := filepath.Join(t.TempDir(), res.Name)
	os.WriteFile(file, body, 0o600)
	if _, err := backup.Restore(ctx, file, backup.RestoreOptions{DataDir: filepath.Join(t.TempDir(), "r"), Passphrase: pass}); err != nil {
		t.Fatalf("restore the uploaded backup: %v", err)
	}
	refused := &media.S3Store{Endpoint: store.Endpoint, Bucket: store.Bucket, Region: store.Region, AccessKey: "NOT-A-KEY", SecretKey: store.SecretKey, Addressing: media.AddressPath, MaxRetries: 1}
	_, err = backup.Create(ctx, d, backup.Bucket{Store: refused, URL: "s3://backups/x", Prefix: "x"}, backup.Options{DataDir: data})
	if err == nil || !strings.Contains(err.Error(), "upload to s3://backups/x") || !strings.Contains(err.Error(), "nothing was kept") {
		t.Fatalf("a bucket that refuses: %v", err)
	}
}
