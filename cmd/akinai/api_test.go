package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/api"
	"github.com/akinai/akinai/internal/db/dbtest"
)

// partner is another company's system calling the Admin API: no cookies,
// a bearer token.
type partner struct {
	t     *testing.T
	base  string
	token string
	c     *http.Client
}

func (p *partner) call(method, path, body string, header ...string) (int, http.Header, []byte) {
	p.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, p.base+path, rd)
	if p.token != "" {
		req.Header.Set("Authorization", "Bearer "+p.token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := p.c.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func (p *partner) json(method, path, body string, want int, v any, header ...string) http.Header {
	p.t.Helper()
	status, h, b := p.call(method, path, body, header...)
	if status != want {
		p.t.Fatalf("%s %s: %d %s, want %d", method, path, status, b, want)
	}
	if v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			p.t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	return h
}

func (p *partner) problem(method, path, body string, status int, kind string) {
	p.t.Helper()
	var pr api.Problem
	h := p.json(method, path, body, status, &pr)
	if h.Get("Content-Type") != "application/problem+json" || pr.Type != api.ProblemBase+kind {
		p.t.Fatalf("%s %s: %s %+v, want problem %s", method, path, h.Get("Content-Type"), pr, kind)
	}
}

var tokenRE = regexp.MustCompile(`id="api-token-secret" value="(akn_[A-Za-z0-9_-]+)"`)

// TestAPI_PartnerSync is issue 15's "done when" for the API, on a running
// shop on each engine: the owner makes a scoped token in the admin (with
// sudo, shown once); a warehouse system sets stock and reads the orders
// customers place, polling from its cursor; it cannot read customers,
// change orders or open the admin; revoked, the token stops at once.
func TestAPI_PartnerSync(t *testing.T) {
	t.Parallel()
	for _, engine := range []dbtest.Engine{dbtest.SQLite, dbtest.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			cfg := Config{DataDir: t.TempDir()}
			if engine == dbtest.Postgres {
				cfg.DatabaseURL = dbtest.NewPostgresDatabase(t)
			}
			base, logs := startLoggedShop(t, cfg, nil)
			d := openShopDB(t, cfg)
			vids := seedProduct(t, d, "api-tea", "standard", []string{"TEA-1", "TEA-2"}, []int{3, 50})
			p := &partner{t: t, base: base, c: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
			p.problem("GET", "/api/v1/orders", "", 404, "not-found") // off: no token yet

			c, _ := setupOwner(t, base, setupPath(t, logs))
			admin := c.admin
			// The owner signed in a moment ago: that counts as sudo (the
			// screens are mounted with ReadSudo/WriteSudo).
			c.get(admin+"/api-tokens/new").want(t, "token form", 200, "api-token-form")
			c.post(admin+"/api-tokens", url.Values{"name": {"倉庫"}, "days": {"30"}, "rate": {"600"}}).want(t, "no scope", 422, "field-error")
			r := c.post(admin+"/api-tokens", url.Values{"name": {"倉庫システム"}, "scope_stock": {"write"}, "scope_orders": {"read"}, "days": {"30"}, "rate": {"600"}, "ip_allow": {""}})
			r.want(t, "create token", 200, "api-token-secret")
			if r.header.Get("Cache-Control") != "no-store" {
				t.Errorf("token page Cache-Control %q", r.header.Get("Cache-Control"))
			}
			m := tokenRE.FindStringSubmatch(r.body)
			if m == nil {
				t.Fatalf("no token on the page")
			}
			p.token = m[1]
			list := c.get(admin + "/api-tokens")
			list.want(t, "token list", 200, "倉庫システム", "stock:write")
			if strings.Contains(list.body, p.token) {
				t.Fatal("the token is shown again in the list")
			}

			// Stock sync: read every SKU's stock, set the warehouse's count.
			var levels api.List[api.StockLevel]
			p.json("GET", "/api/v1/stock?limit=100", "", 200, &levels)
			if len(levels.Data) != 2 || levels.Data[0].SKU != "TEA-1" || *levels.Data[0].Stock != 3 {
				t.Fatalf("stock list %+v", levels.Data)
			}
			var lv api.StockLevel
			h := p.json("PUT", "/api/v1/stock/TEA-1", `{"stock":10}`, 200, &lv, "Idempotency-Key", "sync-0001")
			p.json("PUT", "/api/v1/stock/TEA-1", `{"stock":10}`, 200, nil, "Idempotency-Key", "sync-0001")
			if *lv.Stock != 10 || h.Get("ETag") == "" {
				t.Fatalf("set stock: %+v %v", lv, h)
			}

			// Customers buy; the partner reads the new orders, then polls
			// from its cursor and sees only what came after.
			first := buyOne(t, base, vids[0])
			var orders api.List[api.Order]
			p.json("GET", "/api/v1/orders?limit=100", "", 200, &orders)
			if len(orders.Data) != 1 || orders.Data[0].Number != first || orders.Data[0].Lines[0].SKU != "TEA-1" || orders.HasMore || orders.NextCursor == nil {
				t.Fatalf("orders %+v", orders)
			}
			cursor := *orders.NextCursor
			second := buyOne(t, base, vids[0])
			p.json("GET", "/api/v1/orders?cursor="+cursor, "", 200, &orders)
			if len(orders.Data) != 1 || orders.Data[0].Number != second {
				t.Fatalf("polling from the cursor gave %+v, want only %s", orders.Data, second)
			}
			p.json("GET", "/api/v1/stock/TEA-1", "", 200, &lv)
			if *lv.Stock != 8 {
				t.Errorf("stock after two sales %d, want 8", *lv.Stock)
			}

			// Only its scopes, and never the admin.
			p.problem("GET", "/api/v1/customers", "", 403, "insufficient-scope")
			p.problem("POST", "/api/v1/orders/1/status", `{"status":"cancelled"}`, 403, "insufficient-scope")
			if status, h, _ := p.call("GET", admin+"/", ""); status != 303 || !strings.Contains(h.Get("Location"), "/login") {
				t.Errorf("the token opened the admin: %d %s", status, h.Get("Location"))
			}
			if status, _, body := p.call("GET", admin+"/api-tokens", ""); status != 303 || strings.Contains(string(body), "api-token-new") {
				t.Errorf("the token reached the token screen: %d", status)
			}

			// Revoked in the admin: refused at once.
			id := regexp.MustCompile(`id="api-token-(\d+)"`).FindStringSubmatch(list.body)[1]
			c.post(admin+"/api-tokens/"+id+"/revoke", nil).want(t, "revoke", 303)
			p.problem("GET", "/api/v1/stock", "", 401, "revoked-token")
			if n := auditCount(t, d, "api.token.created", ""); n != 1 {
				t.Errorf("%d token.created entries", n)
			}
			if n := auditCount(t, d, "api.stock.set", ""); n != 1 {
				t.Errorf("%d api.stock.set entries, want 1 (the replayed key wrote nothing)", n)
			}
		})
	}
}
