package media

import (
	"context"
	"errors"
	"net/http"
	"strings"
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
	resp, err := s.do(ctx, http.MethodPut, key, data, map[string]string{"Content-Type": contentType})
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return s3Error(resp)
	}
	return nil
}
