package api

import (
	"context"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/order/ordertest"
)

func TestAPI_OffUntilFirstToken(t *testing.T) {
	t.Parallel()
	ta := newTestAPI(t, dbtest.MustOpen(t, dbtest.SQLite))
	ta.call("GET", "/api/v1/orders", "", "").problem(t, 404, "not-found")
	ta.call("GET", "/api/v1/openapi.json", "", "").problem(t, 404, "not-found")
	tok := ta.token(NewToken{Scopes: []string{"orders:read"}})
	ta.h.checked.Store(0) // the "no token" answer is cached for 2 s
	ta.call("GET", "/api/v1/orders", "", "").problem(t, 401, "unauthenticated")
	ta.call("GET", "/api/v1/orders", "akn_nope", "").problem(t, 401, "unauthenticated")
	if r := ta.call("GET", "/api/v1/orders", tok, ""); r.status != 200 {
		t.Fatalf("with token: %d %s", r.status, r.body)
	}
	if r := ta.call("GET", "/api/v1/openapi.json", "", ""); r.status != 200 || !strings.Contains(string(r.body), `"openapi": "3.1.0"`) {
		t.Fatalf("openapi: %d", r.status)
	}
	ta.call("GET", "/api/v1/nothing-here", tok, "").problem(t, 404, "not-found")
}

// TestAPI_BadInput covers every refusal of issue 15: revoked, expired,
// out of scope, wrong address, rate limit, stale If-Match, a replayed
// Idempotency-Key — each a problem with the right status, on both
// engines.
func TestAPI_BadInput(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ta := newTestAPI(t, d)
		ordertest.Variant(t, d, "SKU-A", "standard", 20)
		stock := ta.token(NewToken{Scopes: []string{"stock:write"}})
		reader := ta.token(NewToken{Scopes: []string{"orders:read"}})

		t.Run("out of scope", func(t *testing.T) {
			p := ta.call("GET", "/api/v1/customers", stock, "").problem(t, 403, "insufficient-scope")
			if !strings.Contains(p["detail"].(string), "customers:read") {
				t.Errorf("detail %q does not name the scope", p["detail"])
			}
			ta.call("PUT", "/api/v1/stock/SKU-A", reader, `{"stock":1}`).problem(t, 403, "insufficient-scope")
			// Read-only scope on stock cannot write either.
			ro := ta.token(NewToken{Scopes: []string{"stock:read"}})
			ta.call("POST", "/api/v1/stock/SKU-A/adjust", ro, `{"delta":1}`).problem(t, 403, "insufficient-scope")
		})
		t.Run("language", func(t *testing.T) {
			ja := ta.call("GET", "/api/v1/customers", stock, "").problem(t, 403, "insufficient-scope")
			en := ta.call("GET", "/api/v1/customers", stock, "", "Accept-Language", "en").problem(t, 403, "insufficient-scope")
			if ja["title"] == en["title"] || !strings.Contains(en["title"].(string), "scope") {
				t.Errorf("titles ja %q en %q", ja["title"], en["title"])
			}
		})
		t.Run("revoked", func(t *testing.T) {
			tok := ta.token(NewToken{Scopes: []string{"stock:read"}})
			if r := ta.call("GET", "/api/v1/stock", tok, ""); r.status != 200 {
				t.Fatalf("before revocation: %d", r.status)
			}
			err := d.Tx(context.Background(), func(tx *db.Tx) error {
				var id int64
				if err := tx.QueryRow(context.Background(), `SELECT id FROM api_tokens WHERE hash = ?`, hashToken(tok)).Scan(&id); err != nil {
					return err
				}
				return RevokeToken(context.Background(), tx, id)
			})
			if err != nil {
				t.Fatal(err)
			}
			r := ta.call("GET", "/api/v1/stock", tok, "")
			r.problem(t, 401, "revoked-token")
			if r.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
		t.Run("expired", func(t *testing.T) {
			tok := ta.token(NewToken{Scopes: []string{"stock:read"}, Days: 1})
			later := &testAPI{t: t, d: d, now: time.Now().Add(25 * time.Hour), ip: ta.ip}
			later.h = New(Config{DB: d, Now: func() time.Time { return later.now }, ClientIP: func(*http.Request) netip.Addr { return later.ip }})
			later.call("GET", "/api/v1/stock", tok, "").problem(t, 401, "expired-token")
		})
		t.Run("address", func(t *testing.T) {
			tok := ta.token(NewToken{Scopes: []string{"stock:read"}, IPAllow: "198.51.100.0/24, 2001:db8::1"})
			ta.call("GET", "/api/v1/stock", tok, "").problem(t, 403, "address-not-allowed")
			other := &testAPI{t: t, d: d, now: time.Now(), ip: netip.MustParseAddr("::ffff:198.51.100.7")}
			other.h = New(Config{DB: d, ClientIP: func(*http.Request) netip.Addr { return other.ip }})
			if r := other.call("GET", "/api/v1/stock", tok, ""); r.status != 200 {
				t.Fatalf("allowed address: %d %s", r.status, r.body)
			}
		})
		t.Run("rate limit", func(t *testing.T) {
			tok := ta.token(NewToken{Scopes: []string{"stock:read"}, RatePerMin: 3})
			for i := range 3 {
				if r := ta.call("GET", "/api/v1/stock", tok, ""); r.status != 200 {
					t.Fatalf("request %d: %d", i, r.status)
				}
			}
			r := ta.call("GET", "/api/v1/stock", tok, "")
			r.problem(t, 429, "rate-limited")
			if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 1 || s > 20 {
				t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
			}
			ta.now = ta.now.Add(21 * time.Second) // one request's worth refilled
			if r := ta.call("GET", "/api/v1/stock", tok, ""); r.status != 200 {
				t.Errorf("after waiting: %d", r.status)
			}
		})
		t.Run("stale If-Match", func(t *testing.T) {
			r := ta.call("GET", "/api/v1/stock/SKU-A", stock, "")
			tag := r.header.Get("ETag")
			if r.status != 200 || tag == "" {
				t.Fatalf("get: %d etag %q", r.status, tag)
			}
			if r := ta.call("GET", "/api/v1/stock/SKU-A", stock, "", "If-None-Match", tag); r.status != 304 {
				t.Errorf("If-None-Match: %d", r.status)
			}
			if r := ta.call("PUT", "/api/v1/stock/SKU-A", stock, `{"stock":15}`, "If-Match", tag); r.status != 200 {
				t.Fatalf("fresh If-Match: %d %s", r.status, r.body)
			}
			ta.call("PUT", "/api/v1/stock/SKU-A", stock, `{"stock":14}`, "If-Match", tag).problem(t, 412, "precondition-failed")
			var s StockLevel
			ta.call("GET", "/api/v1/stock/SKU-A", stock, "").json(t, &s)
			if s.Stock == nil || *s.Stock != 15 {
				t.Errorf("stock %v after refused write, want 15", s.Stock)
			}
		})
		t.Run("idempotency", func(t *testing.T) {
			first := ta.call("POST", "/api/v1/stock/SKU-A/adjust", stock, `{"delta":-2}`, "Idempotency-Key", "k-1")
			if first.status != 200 {
				t.Fatalf("first: %d %s", first.status, first.body)
			}
			again := ta.call("POST", "/api/v1/stock/SKU-A/adjust", stock, `{"delta":-2}`, "Idempotency-Key", "k-1")
			if again.status != 200 || string(again.body) != string(first.body) || again.header.Get("Idempotent-Replayed") != "true" || again.header.Get("ETag") != first.header.Get("ETag") {
				t.Fatalf("replay: %d %s %v, want the first response", again.status, again.body, again.header)
			}
			if n := ordertest.Stock(t, d, variantID(t, d, "SKU-A")); n != 13 {
				t.Errorf("stock %d, want 13: the replay must not adjust again", n)
			}
			ta.call("POST", "/api/v1/stock/SKU-A/adjust", stock, `{"delta":-3}`, "Idempotency-Key", "k-1").problem(t, 422, "idempotency-mismatch")
			ta.call("POST", "/api/v1/stock/SKU-A/adjust", stock, `{"delta":-1}`, "Idempotency-Key", "bad key").problem(t, 400, "bad-idempotency-key")
			// Another token's key space is its own.
			other := ta.token(NewToken{Scopes: []string{"stock:write"}})
			if r := ta.call("POST", "/api/v1/stock/SKU-A/adjust", other, `{"delta":-3}`, "Idempotency-Key", "k-1"); r.status != 200 || r.header.Get("Idempotent-Replayed") != "" {
				t.Errorf("other token: %d %v", r.status, r.header)
			}
		})
		t.Run("bad bodies", func(t *testing.T) {
			ta.call("PUT", "/api/v1/stock/SKU-A", stock, `{"stock":"many"}`).problem(t, 422, "bad-json")
			ta.call("PUT", "/api/v1/stock/SKU-A", stock, `{"stok":1}`).problem(t, 422, "bad-json")
			p := ta.call("PUT", "/api/v1/stock/SKU-A", stock, `{"stock":-1}`).problem(t, 422, "invalid")
			if p["errors"].(map[string]any)["stock"] == "" {
				t.Errorf("no field error: %v", p)
			}
			ta.call("POST", "/api/v1/stock/SKU-A/adjust", stock, `{"delta":-1000}`).problem(t, 409, "conflict")
			ta.call("PUT", "/api/v1/stock/NOPE", stock, `{"stock":1}`).problem(t, 404, "not-found")
			ta.call("GET", "/api/v1/stock?limit=1000", stock, "").problem(t, 400, "bad-parameter")
			ta.call("GET", "/api/v1/stock?cursor=zzz", stock, "").problem(t, 400, "bad-parameter")
		})
	})
}

func variantID(t *testing.T, d *db.DB, sku string) int64 {
	t.Helper()
	var id int64
	if err := d.QueryRow(context.Background(), `SELECT id FROM variants WHERE sku = ?`, sku).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestAPI_PagesAndAudit: cursor pages in ID order cover every order once,
// updated_since narrows them, a write leaves a hash-chained audit entry
// in the token's name, and every use is counted.
func TestAPI_PagesAndAudit(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ta := newTestAPI(t, d)
		pid, vid := ordertest.Product(t, d, "pg-"+strconv.Itoa(int(time.Now().UnixNano()%1e6)))
		var ids []int64
		for range 5 {
			ids = append(ids, ordertest.Place(t, d, 0, order.New, map[int64]int64{pid: vid}))
		}
		tok := ta.token(NewToken{Scopes: []string{"orders:write"}})
		var seen []int64
		cursor := ""
		for pages := 0; ; pages++ {
			var l List[Order]
			ta.call("GET", "/api/v1/orders?limit=2&cursor="+cursor, tok, "").json(t, &l)
			for _, o := range l.Data {
				seen = append(seen, o.ID)
				if len(o.Lines) != 1 || o.Lines[0].VariantID == nil || *o.Lines[0].VariantID != vid {
					t.Errorf("order %d: lines %+v", o.ID, o.Lines)
				}
			}
			if !l.HasMore {
				break
			}
			cursor = *l.NextCursor
			if pages > 5 {
				t.Fatal("cursor does not end")
			}
		}
		if len(seen) != 5 || seen[0] != ids[0] || seen[4] != ids[4] {
			t.Fatalf("pages gave %v, want %v", seen, ids)
		}
		// Move one order; only it is updated since now.
		since := time.Now().Add(-time.Second).UTC().Format(time.RFC3339)
		d.Tx(context.Background(), func(tx *db.Tx) error {
			_, err := tx.Exec(context.Background(), `UPDATE orders SET updated_at = ? WHERE id <> ?`, time.Now().Add(-time.Hour), ids[2])
			return err
		})
		r := ta.call("POST", "/api/v1/orders/"+strconv.FormatInt(ids[2], 10)+"/status", tok, `{"status":"paid","note":"入金確認"}`)
		if r.status != 200 {
			t.Fatalf("move: %d %s", r.status, r.body)
		}
		var l List[Order]
		ta.call("GET", "/api/v1/orders?updated_since="+since, tok, "").json(t, &l)
		if len(l.Data) != 1 || l.Data[0].ID != ids[2] || l.Data[0].Status != "paid" {
			t.Fatalf("updated_since: %+v", l.Data)
		}
		ta.call("POST", "/api/v1/orders/"+strconv.FormatInt(ids[2], 10)+"/status", tok, `{"status":"new"}`).problem(t, 409, "conflict")
		var actor string
		if err := d.QueryRow(context.Background(), `SELECT actor FROM audit_log WHERE action = 'api.order.status' ORDER BY id DESC LIMIT 1`).Scan(&actor); err != nil || !strings.HasPrefix(actor, "api:test#akn_") {
			t.Errorf("audit actor %q, %v", actor, err)
		}
		if err := ta.h.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		var uses, conflicts int64
		d.QueryRow(context.Background(), `SELECT uses FROM api_tokens WHERE hash = ?`, hashToken(tok)).Scan(&uses)
		d.QueryRow(context.Background(), `SELECT COALESCE(SUM(uses), 0) FROM api_token_uses WHERE status = 409`).Scan(&conflicts)
		if uses < 6 || conflicts != 1 {
			t.Errorf("uses %d, 409s %d", uses, conflicts)
		}
	})
}

// TestAPI_InProcess is how a plugin calls the API: a request with its own
// token straight to ServeHTTP, no network; concurrent callers are fine.
func TestAPI_InProcess(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	ta := newTestAPI(t, d)
	ordertest.Variant(t, d, "SKU-P", "standard", 50)
	tok := ta.token(NewToken{Name: "plugin:volume-discount", Scopes: []string{"stock:write"}})
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			req, _ := http.NewRequest("POST", "/api/v1/stock/SKU-P/adjust", strings.NewReader(`{"delta":-1}`))
			req.Header.Set("Authorization", "Bearer "+tok)
			req.RemoteAddr = "127.0.0.1:0"
			rec := &recorder{header: http.Header{}, status: 200}
			ta.h.ServeHTTP(rec, req)
			if rec.status != 200 {
				t.Errorf("in-process call: %d %s", rec.status, rec.body.String())
			}
		})
	}
	wg.Wait()
	if n := ordertest.Stock(t, d, variantID(t, d, "SKU-P")); n != 40 {
		t.Errorf("stock %d, want 40", n)
	}
}
