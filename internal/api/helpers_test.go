package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// testAPI is the handler on a fresh database, with a settable clock and
// client address.
type testAPI struct {
	t   *testing.T
	d   *db.DB
	h   *Handler
	now time.Time
	ip  netip.Addr
}

func newTestAPI(t *testing.T, d *db.DB) *testAPI {
	ta := &testAPI{t: t, d: d, now: time.Now(), ip: netip.MustParseAddr("203.0.113.5")}
	ta.h = New(Config{DB: d, Now: func() time.Time { return ta.now }, ClientIP: func(*http.Request) netip.Addr { return ta.ip }})
	return ta
}

// token makes a token with scopes and returns its secret.
func (ta *testAPI) token(n NewToken) string {
	ta.t.Helper()
	if n.Name == "" {
		n.Name = "test"
	}
	if n.Days == 0 {
		n.Days = 30
	}
	if n.RatePerMin == 0 {
		n.RatePerMin = 100000
	}
	var secret string
	err := ta.d.Tx(context.Background(), func(tx *db.Tx) error {
		var err error
		_, secret, err = CreateToken(context.Background(), tx, n)
		return err
	})
	if err != nil {
		ta.t.Fatal(err)
	}
	return secret
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// problem decodes an RFC 9457 body and checks status and type.
func (r resp) problem(t *testing.T, status int, kind string) map[string]any {
	t.Helper()
	if r.status != status || r.header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("got %d %s %s, want %d problem %s", r.status, r.header.Get("Content-Type"), r.body, status, kind)
	}
	var p map[string]any
	r.json(t, &p)
	if p["type"] != ProblemBase+kind || p["status"] != float64(status) || p["title"] == "" || p["detail"] == "" {
		t.Fatalf("problem %v, want type %s", p, kind)
	}
	return p
}

// call sends a request through the handler, as the shop's mux would.
func (ta *testAPI) call(method, path, token, body string, header ...string) resp {
	ta.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = bytes.NewBufferString(body)
	}
	req := httptest.NewRequest(method, path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	ta.h.ServeHTTP(rec, req)
	return resp{rec.Code, rec.Header(), rec.Body.Bytes()}
}
