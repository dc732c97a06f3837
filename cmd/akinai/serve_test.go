package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/eccube/eccubetest"
)

func TestMain(m *testing.M) { dbtest.Main(m, eccubetest.Stop) }

// startShop runs `akinai serve` in-process on 127.0.0.1:0 and returns its
// base URL; the shop stops (gracefully) when the test ends.
func startShop(t testing.TB, cfg Config) string {
	t.Helper()
	return runShop(t, cfg, nil, io.Discard)
}

// runShop runs the shop on l (nil: 127.0.0.1:0), logging to logTo, until
// the test ends; when the test failed, warnings and errors from a log
// that is a *syncBuffer are repeated in the test output.
func runShop(t testing.TB, cfg Config, l net.Listener, logTo io.Writer) string {
	t.Helper()
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	if cfg.Grace == 0 {
		cfg.Grace = 5 * time.Second
	}
	if l == nil {
		var err error
		if l, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan http.Handler, 1)
	done := make(chan error, 1)
	log := slog.New(slog.NewTextHandler(logTo, &slog.HandlerOptions{Level: slog.LevelInfo}))
	go func() { done <- serve(ctx, cfg, log, l, ready) }()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("serve: %v", err)
	case <-time.After(5 * time.Minute):
		// Generous: many shops start at once in this package, on a shared
		// 2-core CI machine; a slow start is not what these tests check.
		t.Fatal("shop did not start within 5 minutes")
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve returned %v", err)
		}
		if logs, ok := logTo.(*syncBuffer); ok && t.Failed() {
			for line := range strings.SplitSeq(logs.String(), "\n") {
				if strings.Contains(line, "level=ERROR") || strings.Contains(line, "level=WARN") {
					t.Log(line)
				}
			}
		}
	})
	return "http://" + l.Addr().String()
}

func get(t *testing.T, u string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestServeBasics(t *testing.T) {
	t.Parallel()
	base := startShop(t, Config{})
	for _, tc := range []struct {
		path   string
		status int
		body   string
	}{
		{"/healthz", 200, "ok"},
		{"/readyz", 200, "ready"},
		{"/no/such/page", 404, "お探しのページは見つかりませんでした"},
		{"/no/such/page?lang=en", 404, "The page you are looking for was not found"},
		{"/static/00000000/app.css", 200, "--accent"},
		{"/static/00000000/nope.css", 404, ""},
	} {
		resp, body := get(t, base+tc.path)
		if resp.StatusCode != tc.status || !strings.Contains(body, tc.body) {
			t.Errorf("GET %s = %d, want %d containing %q", tc.path, resp.StatusCode, tc.status, tc.body)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("GET %s: CSP %q", tc.path, csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no nosniff", tc.path)
		}
	}
}

func TestServeRefusesPostWithoutToken(t *testing.T) {
	t.Parallel()
	base := startShop(t, Config{})
	resp, err := http.PostForm(base+"/anything", url.Values{"x": {"1"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("POST without CSRF token = %d, want 403", resp.StatusCode)
	}
	req, _ := http.NewRequest("POST", base+"/anything", strings.NewReader("x=1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site POST = %d, want 403", resp.StatusCode)
	}
	big := strings.NewReader("x=" + strings.Repeat("a", 3<<20))
	resp, err = http.Post(base+"/anything", "application/x-www-form-urlencoded", big)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("3 MiB POST = %d, want 413", resp.StatusCode)
	}
}

func TestServeOnPostgres(t *testing.T) {
	t.Parallel()
	base := startShop(t, Config{DatabaseURL: dbtest.NewPostgresDatabase(t)})
	if resp, _ := get(t, base+"/readyz"); resp.StatusCode != 200 {
		t.Fatalf("readyz on PostgreSQL = %d", resp.StatusCode)
	}
}

func TestRunRefusesBadFlags(t *testing.T) {
	t.Parallel()
	var out, errb strings.Builder
	if code := run(context.Background(), []string{"serve", "--database-url", "mysql://x"}, nil, &out, &errb); code != 2 {
		t.Fatalf("exit %d, stderr %s", code, errb.String())
	}
	if code := run(context.Background(), []string{"nonsense"}, nil, &out, &errb); code != 2 {
		t.Fatalf("unknown command exit %d", code)
	}
}
