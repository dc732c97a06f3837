package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/minio/minio-go/v7"
)

// PutObject stores any object (not only an image) under key in the
// bucket: backups use it. Keys are paths of letters, digits and
// "-_.", separated by "/".
func (s *S3Store) PutObject(ctx context.Context, key, contentType string, data []byte) error {
	if key == "" || strings.HasPrefix(key, "/") || strings.Contains(key, "..") || strings.ContainsFunc(key, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./", r))
	}) {
		return errors.New("media: bad object key " + key)
	}
	c, err := s.conn()
	if err != nil {
		return err
	}
	_, err = c.PutObject(ctx, s.Bucket, key, bytes.NewReader(data), int64(len(data)), minio.PutObjectOptions{
		ContentType: contentType, PartSize: s.PartSize,
	})
	if err != nil {
		return fmt.Errorf("media: s3 put %s: %w", key, err)
	}
	return nil
}
