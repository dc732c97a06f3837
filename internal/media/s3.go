package media

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/shop"
)

// S3Store keeps images in a bucket of an S3-compatible object store,
// addressed path-style (Endpoint/Bucket/key) and signed with AWS
// Signature Version 4, which every S3-compatible server accepts.
type S3Store struct {
	Endpoint  string // "https://s3.ap-northeast-1.amazonaws.com" or "http://127.0.0.1:9000"
	Bucket    string
	Region    string // "ap-northeast-1"; "us-east-1" when the server does not care
	AccessKey string
	SecretKey string
	Client    *http.Client // nil: a client with a 30 s timeout
	Now       func() time.Time
}

func (s *S3Store) Put(ctx context.Context, key, contentType string, data []byte) error {
	if err := checkKey(key); err != nil {
		return err
	}
	resp, err := s.do(ctx, http.MethodPut, key, data, map[string]string{"Content-Type": contentType, "Cache-Control": "public, max-age=31536000, immutable"})
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return s3Error(resp)
	}
	return nil
}

func (s *S3Store) Get(ctx context.Context, key string) (string, []byte, error) {
	if checkKey(key) != nil {
		return "", nil, shop.ErrNotFound
	}
	resp, err := s.do(ctx, http.MethodGet, key, nil, nil)
	if err != nil {
		return "", nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return "", nil, shop.ErrNotFound
	}
	if resp.StatusCode != http.StatusOK {
		return "", nil, s3Error(resp)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxBytes))
	return resp.Header.Get("Content-Type"), data, err
}

func (s *S3Store) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	resp, err := s.do(ctx, http.MethodDelete, key, nil, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 && resp.StatusCode != http.StatusNotFound {
		return s3Error(resp)
	}
	return nil
}

func s3Error(resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
	return fmt.Errorf("media: s3 %s %s: %s", resp.Request.Method, resp.Status, strings.TrimSpace(string(b)))
}

// do sends a signed request for key.
func (s *S3Store) do(ctx context.Context, method, key string, body []byte, headers map[string]string) (*http.Response, error) {
	u, err := url.Parse(strings.TrimRight(s.Endpoint, "/"))
	if err != nil {
		return nil, fmt.Errorf("media: s3 endpoint: %w", err)
	}
	path := u.Path + "/" + uriEncode(s.Bucket, false) + "/" + uriEncode(key, true)
	u.Path, u.RawPath = path, path
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	s.sign(req, body)
	c := s.Client
	if c == nil {
		c = &http.Client{Timeout: 30 * time.Second}
	}
	return c.Do(req)
}

// sign adds the Signature Version 4 headers: the payload's hash, the
// date, and an Authorization over host, x-amz-content-sha256, x-amz-date
// (and Content-Type and Range when set).
func (s *S3Store) sign(req *http.Request, body []byte) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	t := now().UTC()
	amzDate, day := t.Format("20060102T150405Z"), t.Format("20060102")
	sum := sha256.Sum256(body)
	payload := hex.EncodeToString(sum[:])
	req.Header.Set("X-Amz-Content-Sha256", payload)
	req.Header.Set("X-Amz-Date", amzDate)
	signed := map[string]string{"host": req.URL.Host, "x-amz-content-sha256": payload, "x-amz-date": amzDate}
	for _, h := range []string{"Content-Type", "Range"} {
		if v := req.Header.Get(h); v != "" {
			signed[strings.ToLower(h)] = v
		}
	}
	names := make([]string, 0, len(signed))
	for k := range signed {
		names = append(names, k)
	}
	sort.Strings(names)
	var canonHeaders strings.Builder
	for _, k := range names {
		canonHeaders.WriteString(k + ":" + strings.TrimSpace(signed[k]) + "\n")
	}
	signedHeaders := strings.Join(names, ";")
	canonical := strings.Join([]string{req.Method, req.URL.EscapedPath(), req.URL.RawQuery, canonHeaders.String(), signedHeaders, payload}, "\n")
	region := s.Region
	if region == "" {
		region = "us-east-1"
	}
	scope := day + "/" + region + "/s3/aws4_request"
	ch := sha256.Sum256([]byte(canonical))
	toSign := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(ch[:])
	k := hmacSHA256([]byte("AWS4"+s.SecretKey), day)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, "s3")
	k = hmacSHA256(k, "aws4_request")
	sig := hex.EncodeToString(hmacSHA256(k, toSign))
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+s.AccessKey+"/"+scope+", SignedHeaders="+signedHeaders+", Signature="+sig)
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// uriEncode percent-encodes everything but the unreserved characters
// (and "/" in keys), as Signature Version 4 requires.
func uriEncode(s string, keepSlash bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		case c == '/' && keepSlash:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
