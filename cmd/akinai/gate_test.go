package main

import (
	"net/url"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db/dbtest"
)

// The owner blocks a network and turns members-only on: the blocked
// address gets 403 on the storefront (the admin and health checks stay
// reachable); a visitor is sent to sign in, while registration, the legal
// pages and the contact form stay open; a signed-in customer shops as
// usual. A bad line refuses the form with nothing changed; changes are
// audited.
func TestGate_BlockListAndMembersOnly(t *testing.T) {
	t.Parallel()
	for _, engine := range []dbtest.Engine{dbtest.SQLite, dbtest.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			cfg := Config{DataDir: t.TempDir()}
			if engine == dbtest.Postgres {
				cfg.DatabaseURL = dbtest.NewPostgresDatabase(t)
			}
			base, logs := startLoggedShop(t, cfg, nil)
			setup := setupPath(t, logs)
			admin := adminPathOf(setup)
			owner, _ := setupOwner(t, base, setup)
			member := registerActive(t, base, cfg, "member@example.jp")
			signIn(t, base, member, "member@example.jp")

			r := owner.get(admin + "/security/storefront")
			r.want(t, "screen", 200, `id="gate-form"`, "会員限定モード", "現在 0 件")
			if strings.Contains(r.body, `id="gate-members" checked`) || strings.Contains(r.body, `value="1" id="gate-members" checked`) {
				t.Error("members-only is pre-selected")
			}

			// A line that is not a network: nothing stored.
			owner.post(admin+"/security/storefront", url.Values{"members_only": {"1"}, "networks": {"127.0.0.3\nnot-a-net"}}).want(t, "bad line", 422, "2 行目", "not-a-net")
			newClient(t, base).get("/").want(t, "still open", 200)

			owner.post(admin+"/security/storefront", url.Values{"members_only": {"1"}, "networks": {"127.0.0.3 # 攻撃元\n2001:db8::/32"}}).want(t, "save", 303, "/security/storefront")
			owner.get(admin+"/security/storefront").want(t, "saved", 200, "保存しました", "現在 2 件")

			blocked := newClientFrom(t, base, "127.0.0.3")
			blocked.get("/").want(t, "blocked top", 403, "制限されています")
			blocked.get("/pages/tokushoho").want(t, "blocked legal page", 403)
			blocked.get("/healthz").want(t, "blocked health", 200)

			visitor := newClient(t, base)
			r = visitor.get("/products")
			r.want(t, "members only", 303)
			if !strings.HasPrefix(r.location, "/mypage/login?next=%2Fproducts") {
				t.Errorf("redirect to %q", r.location)
			}
			if r.header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control %q", r.header.Get("Cache-Control"))
			}
			visitor.get("/").want(t, "members-only top", 303)
			visitor.get("/sitemap.xml").want(t, "members-only sitemap", 303)
			for _, p := range []string{"/mypage/login", "/entry", "/forgot", "/contact", "/pages/tokushoho", "/robots.txt"} {
				if got := visitor.get(p).status; got != 200 && got != 404 {
					t.Errorf("%s: %d", p, got)
				}
			}
			if got := visitor.get("/mypage/login").status; got != 200 {
				t.Errorf("sign-in page: %d", got)
			}
			visitor.post("/cart/add", url.Values{"variant": {"1"}, "qty": {"1"}}).want(t, "anonymous add to cart", 401)

			if resp, body := member.get(t, base+"/products"); resp.StatusCode != 200 || strings.Contains(body, "会員限定です") {
				t.Errorf("member: %d", resp.StatusCode)
			}

			owner.get(admin+"/audit?action=gate.settings").want(t, "audited", 200, "gate.settings", "127.0.0.3/32")

			owner.post(admin+"/security/storefront", url.Values{"networks": {""}}).want(t, "open again", 303)
			newClient(t, base).get("/products").want(t, "open", 200)
			newClientFrom(t, base, "127.0.0.3").get("/").want(t, "unblocked", 200)
		})
	}
}
