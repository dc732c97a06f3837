package main

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/db/dbtest"
)

// inert fails the test if body carries any of the operator's markup as
// live HTML.
func inert(t *testing.T, what, body string) {
	t.Helper()
	for _, bad := range []string{"<script>alert", `href="javascript:`, `href="JavaScript:`, `onmouseover="`, "<img src=x", `onerror="`, "<iframe"} {
		if strings.Contains(body, bad) {
			t.Fatalf("%s: %q is live\n%s", what, bad, clipBody(body))
		}
	}
}

const evilPage = "# ご利用ガイド\n<script>alert(1)</script>\n[click](javascript:alert(1))\n[x](https://example.jp/\" onmouseover=\"alert(1))\n| 販売業者 | <img src=x onerror=alert(1)> |\n- [送料](/pages/tokushoho)"

// TestContent_AdminPagesNewsHolidays edits a page (with a preview), news
// and the holiday calendar from the admin and reads them back on the
// storefront: the top page's blocks, /news, /news.atom and /pages/{slug}.
func TestContent_AdminPagesNewsHolidays(t *testing.T) {
	t.Parallel()
	base, logs := startLoggedShop(t, Config{Demo: true}, nil)
	c, _ := setupOwner(t, base, setupPath(t, logs))
	a := c.admin
	shopper := newClient(t, base)

	c.get(a+"/content").want(t, "content index", 200, a+"/inquiries", a+"/content/news", a+"/holidays")
	c.get(a+"/").want(t, "navigation", 200, a+"/content")

	// Pages: preview renders the safe markup, inert; save publishes it.
	c.get(a+"/content/pages").want(t, "pages", 200, "/pages/tokushoho")
	c.get(a+"/content/pages/new").want(t, "new page", 200, "page-form")
	form := url.Values{"slug": {"how-to"}, "title_ja": {"ご利用ガイド"}, "title_en": {"Guide"}, "body_ja": {evilPage}, "published": {"1"}}
	prev := url.Values{"preview": {"1"}}
	for k, v := range form {
		prev[k] = v
	}
	r := c.post(a+"/content/pages/new", prev)
	r.want(t, "preview", 200, "page-preview", "<h2>ご利用ガイド</h2>", "&lt;script&gt;alert(1)&lt;/script&gt;", `<a href="/pages/tokushoho">送料</a>`, "<th>販売業者</th>")
	inert(t, "preview", r.body)
	c.post(a+"/content/pages/new", form).want(t, "save page", 303, a+"/content/pages/how-to")
	r = shopper.get("/pages/how-to")
	r.want(t, "storefront page", 200, "<h2>ご利用ガイド</h2>", "&lt;img src=x onerror=alert(1)&gt;")
	inert(t, "storefront page", r.body)
	bad := url.Values{"title_ja": {"a\r\nSet-Cookie: x=1"}, "body_ja": {"ok"}}
	c.post(a+"/content/pages/how-to", bad).want(t, "title with CRLF", 422, "使用できない文字")
	c.post(a+"/content/pages/new", url.Values{"slug": {"../etc"}, "title_ja": {"x"}}).want(t, "bad slug", 422, "半角英小文字")

	// News: a javascript: link is refused; the title stays text everywhere.
	c.get(a+"/content/news/new").want(t, "news form", 200, "news-form")
	now := time.Now().In(calendar.Tokyo())
	news := url.Values{"title_ja": {"<b>年末年始</b>の営業について"}, "title_en": {"New Year hours"}, "body_ja": {"12/29〜1/3は休業します。"},
		"url": {"javascript:alert(1)"}, "published_at": {now.Add(-time.Hour).Format("2006-01-02T15:04")}, "visible": {"1"}}
	c.post(a+"/content/news", news).want(t, "javascript: link", 422, "https://")
	news.Set("url", "")
	c.post(a+"/content/news", news).want(t, "save news", 303, a+"/content/news")
	future := url.Values{"title_ja": {"未来のお知らせ"}, "published_at": {now.Add(48 * time.Hour).Format("2006-01-02T15:04")}, "visible": {"1"}}
	c.post(a+"/content/news", future).want(t, "scheduled news", 303)
	c.get(a+"/content/news").want(t, "news list", 200, "未来のお知らせ", "公開予約")

	// Holidays: Sundays, and tomorrow–the day after.
	c.get(a+"/holidays").want(t, "holidays", 200, "weekdays-form")
	c.post(a+"/holidays/weekdays", url.Values{"weekday": {"0"}}).want(t, "weekdays", 303)
	c.post(a+"/holidays/weekdays", url.Values{"weekday": {"0", "1", "2", "3", "4", "5", "6"}}).want(t, "every day closed", 422, "すべての曜日")
	tomorrow := calendar.DateOf(time.Now()).AddDays(1)
	c.post(a+"/holidays", url.Values{"first": {tomorrow.String()}, "last": {tomorrow.AddDays(1).String()}, "name": {"棚卸し"}}).want(t, "add holiday", 303)
	c.post(a+"/holidays", url.Values{"first": {"2027-01-03"}, "last": {"2026-12-29"}}).want(t, "reversed range", 422, "終了日は開始日以降")
	c.get(a+"/holidays").want(t, "holiday listed", 200, "棚卸し", tomorrow.String())

	// The storefront's top page: the news block and the calendar block.
	r = shopper.get("/")
	r.want(t, "top page", 200, "新着情報", "&lt;b&gt;年末年始&lt;/b&gt;の営業について", "営業日カレンダー", `class="closed"`)
	if strings.Contains(r.body, "未来のお知らせ") {
		t.Fatal("scheduled news shown before its date")
	}
	if strings.Contains(r.body, "<b>年末年始") {
		t.Fatal("news title rendered as HTML")
	}
	shopper.get("/?lang=en").want(t, "top page in English", 200, "New Year hours", "Business calendar")
	shopper.get("/news").want(t, "news page", 200, "12/29〜1/3は休業します。")

	// The Atom feed parses, carries the item, and not the scheduled one.
	resp, body := get(t, base+"/news.atom")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("feed %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var feed struct {
		Entries []struct {
			Title   string `xml:"title"`
			Content string `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(body), &feed); err != nil {
		t.Fatalf("feed: %v\n%s", err, body)
	}
	if len(feed.Entries) != 1 || feed.Entries[0].Title != "<b>年末年始</b>の営業について" || !strings.Contains(feed.Entries[0].Content, "12/29〜1/3") {
		t.Fatalf("feed entries %+v", feed.Entries)
	}
}

// TestContent_Maintenance switches the storefront to maintenance from the
// admin: visitors get a 503 with Retry-After in the shop's look; the
// signed-in owner, the admin path, health checks and static assets pass;
// forged cookies change nothing.
func TestContent_Maintenance(t *testing.T) {
	t.Parallel()
	base, logs := startLoggedShop(t, Config{Demo: true, DatabaseURL: dbtest.NewPostgresDatabase(t)}, nil)
	c, _ := setupOwner(t, base, setupPath(t, logs))
	a := c.admin
	c.get(a+"/maintenance").want(t, "maintenance page", 200, "maintenance-form")
	c.post(a+"/maintenance", url.Values{"on": {"1"}, "note": {"15時に再開します"}, "note_en": {"Back at 3 pm"}, "retry": {"99999"}}).want(t, "bad retry", 422, "1〜10080")
	c.post(a+"/maintenance", url.Values{"on": {"1"}, "note": {"15時に再開します"}, "note_en": {"Back at 3 pm"}, "retry": {"30"}}).want(t, "switch on", 303)

	visitor := newClient(t, base)
	r := visitor.get("/products")
	r.want(t, "visitor", 503, "ただいまメンテナンス中です", "15時に再開します", `class="site"`)
	if r.header.Get("Retry-After") != "1800" {
		t.Fatalf("Retry-After %q", r.header.Get("Retry-After"))
	}
	visitor.get("/?lang=en").want(t, "visitor in English", 503, "We are down for maintenance", "Back at 3 pm")
	visitor.get("/contact").want(t, "contact in maintenance", 503)
	visitor.get("/healthz").want(t, "healthz", 200)
	visitor.get("/readyz").want(t, "readyz", 200)
	css := regexp.MustCompile(`href="(/static/[^"]+app\.css)"`).FindStringSubmatch(r.body)
	if css == nil {
		t.Fatal("no stylesheet on the maintenance page")
	}
	visitor.get(css[1]).want(t, "static asset", 200)
	visitor.get(a+"/login").want(t, "admin sign-in page", 200)

	// The signed-in owner browses the shop as usual.
	c.get("/products").want(t, "owner", 200, `action="/products"`)
	c.get("/?lang=en").want(t, "owner top page", 200, "New arrivals")

	// Forged cookies: a made-up session token, bypass-looking names.
	for _, ck := range []*http.Cookie{
		{Name: "admin_session", Value: "forged-token-0123456789abcdef"},
		{Name: "__Host-admin_session", Value: "forged"},
		{Name: "maintenance_bypass", Value: "1"},
		{Name: "admin_maintenance", Value: "1"},
		{Name: "eccube_maintenance", Value: "1"},
	} {
		req, _ := http.NewRequest("GET", base+"/products", nil)
		req.AddCookie(ck)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 503 {
			t.Fatalf("cookie %s: status %d", ck.Name, resp.StatusCode)
		}
	}
	// A visitor's own storefront cookies do not help either.
	visitor.get("/products?lang=ja").want(t, "visitor with cookies", 503)

	c.get(a + "/maintenance")
	c.post(a+"/maintenance", url.Values{"retry": {"30"}}).want(t, "switch off", 303)
	visitor.get("/products").want(t, "visitor after", 200)
}
