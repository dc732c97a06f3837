package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db/dbtest"
)

// TestScaleOutBehindNginx runs three instances on one PostgreSQL database
// behind Debian's nginx (round robin, X-Forwarded-For from a trusted
// proxy), as docs/OPERATIONS.md sets them up, and checks under load that
// carts, sessions, rate limits, admin sign-in, the outbox and the page
// caches behave as on one instance, and that killing an instance in the
// middle of the orders loses none: every buyer ends with exactly one
// order (a retry carries the same idempotency key), stock and mails match.
func TestScaleOutBehindNginx(t *testing.T) {
	t.Parallel()
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		if _, err := os.Stat("/usr/sbin/nginx"); err != nil {
			t.Skip("nginx is not installed (apt-get install nginx; .ci/run installs it): scale-out test skipped")
		}
		nginx = "/usr/sbin/nginx"
	}
	cfg := Config{DatabaseURL: dbtest.NewPostgresDatabase(t), DataDir: t.TempDir(), TrustedProxies: "127.0.0.1/32",
		RateLimits: "customer.signin.ip=3/30m,checkout.place.ip=100000/30m,checkout.confirm.ip=100000/30m"}
	// The first instance migrates and prints the admin setup link.
	var bases []string
	var kills []func()
	var allLogs []*syncBuffer
	for i := 0; i < 3; i++ {
		l := &syncBuffer{}
		base, kill := startInstance(t, cfg, l)
		bases, kills, allLogs = append(bases, base), append(kills, kill), append(allLogs, l)
	}
	logs := allLogs[0]
	proxy := startNginx(t, nginx, bases)

	d := openShopDB(t, cfg)
	if _, err := d.Exec(context.Background(), `INSERT INTO tax_rules (tax_class, rate_bp, effective_from) VALUES ('standard', 1000, ?), ('reduced', 800, ?)
		ON CONFLICT (tax_class, effective_from) DO NOTHING`, time.Date(2019, 9, 30, 15, 0, 0, 0, time.UTC), time.Date(2019, 9, 30, 15, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	const buyers, stock = 48, 1000
	slug := "scale-" + randHex(4)
	vid := seedProduct(t, d, slug, "standard", []string{"SCALE-" + randHex(4)}, []int{stock})[0]

	t.Run("rate limits follow the forwarded address on every instance", func(t *testing.T) {
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		login := func(from string) int {
			b := newBuyer(t, proxy)
			req, _ := http.NewRequest("POST", proxy+"/mypage/login", strings.NewReader(url.Values{
				"csrf": {b.csrf}, "email": {"nobody@example.jp"}, "password": {"wrong-password-123"}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", from)
			for _, ck := range b.c.Jar.Cookies(req.URL) {
				req.AddCookie(ck)
			}
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		// Three attempts from one address go through three instances; the
		// fourth is refused whichever instance answers.
		for i := 0; i < 3; i++ {
			if got := login("203.0.113.9"); got == http.StatusTooManyRequests {
				t.Fatalf("attempt %d refused already", i+1)
			}
		}
		if got := login("203.0.113.9"); got != http.StatusTooManyRequests {
			t.Fatalf("fourth attempt from one address: %d, want 429", got)
		}
		// Another visitor behind the same proxy is not refused: the limit
		// counts the forwarded address, not the proxy's.
		if got := login("203.0.113.10"); got == http.StatusTooManyRequests {
			t.Fatal("a different forwarded address was refused")
		}
	})

	t.Run("admin sign-in holds across instances", func(t *testing.T) {
		c, _ := setupOwner(t, proxy, setupPath(t, logs))
		for i := 0; i < 6; i++ { // round robin: every instance twice
			c.get(c.admin+"/").want(t, fmt.Sprintf("dashboard, request %d", i+1), 200)
		}
	})

	t.Run("orders under load, one instance killed", func(t *testing.T) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		var problems []string
		placed := make(chan struct{}, buyers)
		for i := 0; i < buyers; i++ {
			wg.Go(func() {
				fail := func(f string, a ...any) {
					mu.Lock()
					problems = append(problems, fmt.Sprintf("buyer %d: ", i)+fmt.Sprintf(f, a...))
					mu.Unlock()
				}
				b := newBuyer(t, proxy)
				// The cart is built through whichever instances nginx picks.
				if resp, body, err := retry(func() (*http.Response, string, error) {
					return b.post(proxy+"/cart/add", url.Values{"variant_id": {fmt.Sprint(vid)}, "qty": {"1"}})
				}); err != nil || resp.StatusCode != 303 {
					fail("add to cart: %v %v %.200s", err, resp, body)
					return
				}
				if resp, body := b.get(t, proxy+"/cart"); resp.StatusCode != 200 || !strings.Contains(body, slug) && !strings.Contains(body, "SCALE-") {
					fail("cart on another instance: %d %.200s", resp.StatusCode, body)
				}
				form := orderForm(randHex(16), "cod")
				email := fmt.Sprintf("buyer%d-%s@example.jp", i, randHex(3))
				form.Set("email", email)
				form.Set("email2", email)
				resp, body, err := retry(func() (*http.Response, string, error) { return b.post(proxy+"/checkout/place", form) })
				if err != nil || resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/checkout/done/") {
					fail("place: %v %v %.200s", err, resp, body)
				}
				placed <- struct{}{}
			})
		}
		// Kill the second instance once a third of the orders are in.
		for i := 0; i < buyers/4; i++ {
			<-placed
		}
		kills[1]()
		wg.Wait()
		if len(problems) > 0 {
			t.Fatalf("%d problems: %v", len(problems), problems[:min(3, len(problems))])
		}
		ctx := context.Background()
		var orders, units, left, mails, perBuyerMin, perBuyerMax int
		d.QueryRow(ctx, `SELECT COUNT(DISTINCT order_id), COALESCE(SUM(qty), 0) FROM order_lines WHERE variant_id = ?`, vid).Scan(&orders, &units)
		d.QueryRow(ctx, `SELECT stock FROM variants WHERE id = ?`, vid).Scan(&left)
		d.QueryRow(ctx, `SELECT COUNT(*), MIN(n), MAX(n) FROM (SELECT to_addr, COUNT(*) AS n FROM outbox WHERE to_addr LIKE 'buyer%' GROUP BY to_addr) m`).
			Scan(&mails, &perBuyerMin, &perBuyerMax)
		if orders != buyers || units != buyers || left != stock-buyers {
			t.Fatalf("after the kill: %d orders, %d units, stock %d (want %d, %d, %d)", orders, units, left, buyers, buyers, stock-buyers)
		}
		if mails != buyers || perBuyerMin != perBuyerMax || perBuyerMin == 0 {
			t.Fatalf("outbox: mails for %d buyers, %d–%d each (want %d buyers, the same number each)", mails, perBuyerMin, perBuyerMax, buyers)
		}
		t.Logf("%d buyers through nginx, instance 2 killed after %d: %d orders, stock %d, %d mail(s) each; %d request(s) retried",
			buyers, buyers/4, orders, left, perBuyerMin, retries.Load())
		// What the killed instance said about the requests it dropped.
		for line := range strings.SplitSeq(allLogs[1].String(), "\n") {
			if strings.Contains(line, "level=ERROR") {
				t.Log("instance 2: " + line)
			}
		}
	})

	t.Run("page caches follow a change made elsewhere", func(t *testing.T) {
		// A price changed by another instance (here: straight in the
		// database, as the admin of another instance would) shows on every
		// live instance once its cache lifetime (catalog.CacheTTL) is over.
		// First every instance caches the page with the old price.
		for _, base := range []string{bases[0], bases[2]} {
			if resp, body := get(t, base+"/products/"+slug); resp.StatusCode != 200 || !strings.Contains(body, "1,100") {
				t.Fatalf("%s: %d, old price 1,100 not shown", base, resp.StatusCode)
			}
		}
		if _, err := d.Exec(context.Background(), `UPDATE variants SET price = 7777 WHERE id = ?`, vid); err != nil {
			t.Fatal(err)
		}
		for _, base := range []string{bases[0], bases[2], proxy} {
			deadline := time.Now().Add(60 * time.Second)
			for {
				resp, body := get(t, base+"/products/"+slug)
				if resp.StatusCode == 200 && strings.Contains(body, "8,55") { // 7,777 + 10 % = 8,554.7
					break
				}
				if time.Now().After(deadline) {
					i := strings.Index(body, "¥")
					t.Fatalf("%s still shows the old price after 60 s: %d %.300s", base, resp.StatusCode, body[max(0, i):])
				}
				time.Sleep(250 * time.Millisecond)
			}
		}
	})
}

// retries counts the requests retry repeated.
var retries atomic.Int64

// retry repeats a request that failed on the way (an instance gone
// mid-request, nginx answering 502) with the same form, as a shopper
// pressing the button again would, for up to 60 s. The form's
// idempotency key makes a repeated order safe.
func retry(do func() (*http.Response, string, error)) (*http.Response, string, error) {
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, body, err := do()
		if err == nil && resp.StatusCode < 500 {
			return resp, body, nil
		}
		retries.Add(1)
		if time.Now().After(deadline) {
			return resp, body, err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// startInstance runs one `akinai serve` that the test can kill: its
// listener and connections close at once, mid-request.
func startInstance(t *testing.T, cfg Config, logTo io.Writer) (string, func()) {
	t.Helper()
	cfg.Grace = time.Millisecond
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan http.Handler, 1)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, slog.New(slog.NewTextHandler(logTo, nil)), l, ready) }()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("serve: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("instance did not start")
	}
	var once sync.Once
	kill := func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(kill)
	return "http://" + l.Addr().String(), kill
}

// startNginx runs nginx in front of the instances and returns its URL.
func startNginx(t *testing.T, nginx string, upstreams []string) string {
	t.Helper()
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	var servers strings.Builder
	for _, u := range upstreams {
		fmt.Fprintf(&servers, "    server %s max_fails=1 fail_timeout=10s;\n", strings.TrimPrefix(u, "http://"))
	}
	conf := strings.NewReplacer("{dir}", dir, "{addr}", addr, "{servers}", servers.String()).Replace(nginxConf)
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(nginx, "-p", dir, "-e", filepath.Join(dir, "error.log"), "-c", path)
	out, err := os.Create(filepath.Join(dir, "output.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	// A file, not a pipe: the worker must not keep the test waiting for
	// its output after the master is gone.
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = 10 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// SIGTERM: the master stops its workers, then itself.
	t.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() })
	deadline := time.Now().Add(60 * time.Second)
	for {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return "http://" + addr
		}
		if time.Now().After(deadline) {
			o, _ := os.ReadFile(filepath.Join(dir, "output.log"))
			b, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("nginx did not start: %s %s", o, b)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// nginxConf is the reverse proxy of docs/OPERATIONS.md, with paths made
// local to the test.
const nginxConf = `daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  upstream akinai {
{servers}    keepalive 16;
  }
  server {
    listen {addr};
    client_max_body_size 20m;
    client_body_buffer_size 1m;
    location / {
      proxy_pass http://akinai;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_buffers 16 32k;
      proxy_max_temp_file_size 0;
      proxy_connect_timeout 2s;
      proxy_next_upstream error timeout http_502;
    }
  }
}
`
