package main

import (
	"bytes"
	"context"
	"html"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
)

// syncBuffer collects a server's log for the test to read.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startLoggedShop is startShop on a given listener (or 127.0.0.1:0) that
// also returns the server's log, where the setup link is printed.
func startLoggedShop(t *testing.T, cfg Config, l net.Listener) (string, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	return runShop(t, cfg, l, logs), logs
}

var setupURLRE = regexp.MustCompile(`setup_url=(\S+)`)

// setupPath returns the path of the setup link in the log.
func setupPath(t *testing.T, logs *syncBuffer) string {
	t.Helper()
	m := setupURLRE.FindStringSubmatch(logs.String())
	if m == nil {
		t.Fatalf("no setup link in the log:\n%s", logs)
	}
	u, err := url.Parse(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return u.Path
}

// adminPathOf returns "/admin-…" from a setup path.
func adminPathOf(setup string) string { return "/" + strings.Split(setup, "/")[1] }

// client is a browser stand-in: cookies, the last page's CSRF token, no
// redirects followed.
type client struct {
	t     *testing.T
	base  string
	admin string // "/admin-…"
	c     *http.Client
	csrf  string
}

func newClient(t *testing.T, base string) *client {
	jar, _ := cookiejar.New(nil)
	// *.localhost names are loopback, as in Chromium.
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, _ := net.SplitHostPort(addr)
		if strings.HasSuffix(host, ".localhost") {
			addr = net.JoinHostPort("127.0.0.1", port)
		}
		return dialer.DialContext(ctx, network, addr)
	}}
	t.Cleanup(tr.CloseIdleConnections)
	return &client{t: t, base: base, c: &http.Client{Jar: jar, Transport: tr, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

type result struct {
	status   int
	body     string
	location string
	header   http.Header
}

func (c *client) do(req *http.Request) result {
	c.t.Helper()
	resp, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	body := string(b)
	if m := csrfRE.FindStringSubmatch(body); m != nil {
		c.csrf = html.UnescapeString(m[1])
	}
	return result{status: resp.StatusCode, body: body, location: resp.Header.Get("Location"), header: resp.Header}
}

func (c *client) get(path string) result {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	return c.do(req)
}

// post sends a form with the CSRF token of the last page.
func (c *client) post(path string, form url.Values) result {
	c.t.Helper()
	form = maps.Clone(form)
	if form == nil {
		form = url.Values{}
	}
	if _, set := form["csrf"]; !set {
		form.Set("csrf", c.csrf)
	}
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// postJSON sends a JSON body the way admin-passkey.js does.
func (c *client) postJSON(path, contentType, body string) result {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-CSRF-Token", c.csrf)
	return c.do(req)
}

func (r result) want(t *testing.T, what string, status int, contains ...string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status %d, want %d (location %q)\n%s", what, r.status, status, r.location, clipBody(r.body))
	}
	// The text is looked for as written and as a reader sees it:
	// html/template writes "+" as "&#43;", which a DKIM key may contain.
	text := html.UnescapeString(r.body)
	for _, s := range contains {
		if !strings.Contains(r.body, s) && !strings.Contains(text, s) && !strings.Contains(r.location, s) {
			t.Fatalf("%s: response lacks %q\n%s", what, s, clipBody(r.body))
		}
	}
}

func clipBody(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "…"
	}
	return s
}

// totp runs oathtool, the reference implementation, for the code of the
// 30-second step `offset` steps from now.
func totp(t *testing.T, secret string, offset int) string {
	t.Helper()
	at := time.Now().Unix() + int64(offset*30)
	out, err := exec.Command("oathtool", "--totp", "-b", "-N", "@"+strconv.FormatInt(at, 10), secret).Output()
	if err != nil {
		t.Skipf("oathtool not available: %v", err)
	}
	return strings.TrimSpace(string(out))
}

var secretRE = regexp.MustCompile(`id="totp-secret">([A-Z2-7 ]+)<`)

const ownerPassword = "kanazawa-teacup-lantern-9"

// setupOwner follows the setup link, creates the owner and enrols TOTP. It
// returns the signed-in client and the TOTP secret.
func setupOwner(t *testing.T, base, setup string) (*client, string) {
	t.Helper()
	c := newClient(t, base)
	c.admin = adminPathOf(setup)
	c.get(setup).want(t, "setup page", 200, "setup-form")
	c.post(setup, url.Values{"email": {"Owner@Example.jp"}, "name": {"Tanaka Hanako"}, "password": {ownerPassword}, "password2": {ownerPassword}}).
		want(t, "create owner", 303, "/enrol")
	secret := enrolTOTP(t, c, 0)
	return c, secret
}

// enrolTOTP scans the enrolment page's secret and proves it with the code
// of step offset; it returns the secret.
func enrolTOTP(t *testing.T, c *client, offset int) string {
	t.Helper()
	admin := c.admin
	r := c.get(admin + "/account/totp")
	r.want(t, "TOTP page", 200, "data:image/png;base64,")
	m := secretRE.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no secret on the TOTP page")
	}
	secret := strings.ReplaceAll(m[1], " ", "")
	c.post(admin+"/account/totp", url.Values{"code": {totp(t, secret, offset)}}).want(t, "enrol TOTP", 303)
	return secret
}

// openAdminDB opens the shop's PostgreSQL database alongside the server,
// for checking what was stored. (A second process-local pool on the
// SQLite file would contend with the server's single writer.)
func openAdminDB(t *testing.T, url string) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), db.Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// auditCount counts audit entries with action (and actor, if not "").
func auditCount(t *testing.T, d *db.DB, action, actor string) int {
	t.Helper()
	var n int
	q := `SELECT COUNT(*) FROM audit_log WHERE action = ?`
	args := []any{action}
	if actor != "" {
		q += ` AND actor = ?`
		args = append(args, actor)
	}
	if err := d.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func regexpAll(pattern, s string) []string {
	var out []string
	for _, m := range regexp.MustCompile(pattern).FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// newClientFrom is newClient dialling from a given local address (e.g.
// 127.0.0.2), so the shop sees another client address.
func newClientFrom(t *testing.T, base, local string) *client {
	c := newClient(t, base)
	dialer := &net.Dialer{Timeout: 10 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}}
	c.c.Transport = &http.Transport{DialContext: dialer.DialContext}
	return c
}

// getWith sends a GET with extra headers.
func (c *client) getWith(path string, header map[string]string) result {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return c.do(req)
}
