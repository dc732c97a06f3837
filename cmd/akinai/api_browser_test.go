package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/akinai/akinai/internal/db/dbtest"
)

// hookReceiver is a partner's webhook endpoint on loopback; it checks
// each signature with its own HMAC code.
type hookReceiver struct {
	mu       sync.Mutex
	secret   string
	verified int
	bodies   []string
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	key, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(h.secret, "whsec_"))
	m := hmac.New(sha256.New, key)
	m.Write([]byte(r.Header.Get("webhook-id") + "." + r.Header.Get("webhook-timestamp") + "." + string(body)))
	if strings.Contains(r.Header.Get("webhook-signature"), "v1,"+base64.StdEncoding.EncodeToString(m.Sum(nil))) {
		h.verified++
	}
	h.bodies = append(h.bodies, string(body))
}

func (h *hookReceiver) count() int { h.mu.Lock(); defer h.mu.Unlock(); return h.verified }

// TestAPIWebhooks_Browser walks the token and webhook screens in
// Chromium as the owner: a token is made with two scopes and shown once;
// a webhook endpoint on loopback is refused until private addresses are
// allowed for it, its secret is shown once, an order placed in the shop
// reaches it signed, the delivery log shows the 200 and the replay button
// sends it again.
func TestAPIWebhooks_Browser(t *testing.T) {
	t.Parallel()
	cfg := Config{DataDir: t.TempDir(), DatabaseURL: dbtest.NewPostgresDatabase(t)}
	base, logs := startLoggedShop(t, cfg, nil)
	setup := setupPath(t, logs)
	admin := adminPathOf(setup)
	_, secret := setupOwner(t, base, setup)
	d := openAdminDB(t, cfg.DatabaseURL)
	vid := seedProduct(t, d, "hook-tea", "standard", []string{"HOOK-1"}, []int{20})[0]
	rc := &hookReceiver{}
	srv := httptest.NewServer(rc)
	defer srv.Close()

	ctx := newBrowserFor(t, 5*time.Minute) // a webhook delivery and its replay ride on the worker's poll
	browserSignIn(t, ctx, base+admin, "ja", secret)
	browse(t, ctx, "API tokens from the menu",
		chromedp.Click(chromedp.CSS(`.admin-nav a[href$="/api-tokens"]`)),
		chromedp.WaitVisible(chromedp.CSS("#api-tokens")))
	screenshot(t, ctx, "api-tokens-empty")
	browse(t, ctx, "new token form",
		chromedp.Click(chromedp.CSS("#api-token-new")),
		chromedp.WaitVisible(chromedp.CSS("#api-token-form")))
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#api-scopes input[value=""]:checked').length`)); n != 6 {
		t.Errorf("%d areas start at no access, want all 6", n)
	}
	screenshot(t, ctx, "api-token-new")
	browse(t, ctx, "create a token",
		chromedp.SendKeys(chromedp.CSS("#api-name"), "倉庫システム"),
		chromedp.Click(chromedp.CSS(`input[name=scope_stock][value=write]`)),
		chromedp.Click(chromedp.CSS(`input[name=scope_orders][value=read]`)),
		chromedp.SendKeys(chromedp.CSS("#api-ip-allow"), "127.0.0.1"),
		chromedp.Submit(chromedp.CSS("#api-token-form")),
		chromedp.WaitVisible(chromedp.CSS("#api-token-secret")))
	token, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#api-token-secret")))
	if !strings.HasPrefix(token, "akn_") {
		t.Fatalf("token %q", token)
	}
	screenshot(t, ctx, "api-token-created")
	browse(t, ctx, "back to the list",
		chromedp.Navigate(base+admin+"/api-tokens"),
		chromedp.WaitVisible(chromedp.CSS("#api-tokens")))
	if body := text(t, ctx, "#api-tokens"); !strings.Contains(body, "stock:write") || strings.Contains(body, token) {
		t.Errorf("token list: %s", body)
	}
	screenshot(t, ctx, "api-tokens")

	browse(t, ctx, "webhooks from the menu",
		chromedp.Click(chromedp.CSS(`.admin-nav a[href$="/webhooks"]`)),
		chromedp.WaitVisible(chromedp.CSS("#webhook-create")),
		chromedp.SendKeys(chromedp.CSS("#webhook-url"), srv.URL+"/akinai"),
		chromedp.SendKeys(chromedp.CSS("#webhook-description"), "受注連携"),
		chromedp.Click(chromedp.CSS(`input[name=events][value="order.created"]`)),
		chromedp.Submit(chromedp.CSS("#webhook-create")),
		chromedp.WaitVisible(chromedp.CSS("#form-error")))
	if msg := text(t, ctx, "#webhook-create"); !strings.Contains(msg, "社内・ループバック") {
		t.Errorf("loopback URL not refused with a reason: %s", msg)
	}
	screenshot(t, ctx, "webhooks-refused")
	browse(t, ctx, "allow private for this endpoint",
		chromedp.Click(chromedp.CSS("#webhook-allow-private")),
		chromedp.Submit(chromedp.CSS("#webhook-create")),
		chromedp.WaitVisible(chromedp.CSS("#webhook-secret")))
	hookSecret, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#webhook-secret")))
	rc.mu.Lock()
	rc.secret = hookSecret
	rc.mu.Unlock()
	screenshot(t, ctx, "webhook-secret")

	start := time.Now()
	buyOne(t, base, vid)
	deadline := time.Now().Add(60 * time.Second)
	for rc.count() < 1 && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	if rc.count() != 1 {
		t.Fatalf("the receiver verified %d deliveries, want 1", rc.count())
	}
	t.Logf("order placed and delivered in %v", time.Since(start))
	browse(t, ctx, "delivery log",
		chromedp.Navigate(base+admin+"/webhooks"),
		chromedp.WaitVisible(chromedp.CSS("#webhooks")),
		chromedp.Click(chromedp.CSS(`#webhooks a`)),
		chromedp.WaitVisible(chromedp.CSS("#webhook-deliveries")))
	if log := text(t, ctx, "#webhook-deliveries"); !strings.Contains(log, "order.created") || !strings.Contains(log, "200") || !strings.Contains(log, "送信済み") {
		t.Errorf("delivery log: %s", log)
	}
	screenshot(t, ctx, "webhook-endpoint")
	browse(t, ctx, "replay",
		chromedp.Click(chromedp.CSS(`#webhook-deliveries button`)),
		chromedp.WaitVisible(chromedp.CSS("#webhook-deliveries")))
	for rc.count() < 2 && time.Now().Before(deadline.Add(30*time.Second)) {
		time.Sleep(200 * time.Millisecond)
	}
	if rc.count() != 2 {
		t.Fatalf("after replay the receiver verified %d, want 2", rc.count())
	}
	var audits int
	d.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action IN ('api.token.created', 'webhook.created', 'webhook.replayed')`).Scan(&audits)
	if audits != 3 {
		t.Errorf("%d audit entries, want 3", audits)
	}
	browse(t, ctx, "english", chromedp.Navigate(base+admin+"/webhooks?lang=en"), chromedp.WaitVisible(chromedp.CSS("#webhooks")))
	screenshot(t, ctx, "webhooks-en")
}
