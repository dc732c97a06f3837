// Command screens starts the demo shop, signs in as a freshly created
// owner (password + TOTP) in headless Chromium and saves screenshots of
// admin and storefront pages at 1280 and 390 px wide: the pictures in
// docs/ADMIN.md, and a quick way to look at every screen after a change.
//
//	go run ./scripts/screens -out docs/screens            # the default set
//	go run ./scripts/screens -out /tmp/s -pages /orders,/settings -shop /,/cart
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"
)

// defaultAdmin lists the admin pages of docs/ADMIN.md (relative to the
// secret admin path).
var defaultAdmin = "/,/products,/products/new,/categories,/orders,/customers,/content/news,/settings,/settings/payment,/settings/delivery,/settings/tax,/mail/templates,/admins,/account,/security,/audit,/phish"

var setupRE = regexp.MustCompile(`setup_url=(\S+)`)

func main() {
	out := flag.String("out", "docs/screens", "folder for the PNG files")
	pages := flag.String("pages", defaultAdmin, "admin pages, comma-separated, relative to the admin path")
	shopPages := flag.String("shop", "", "storefront pages, comma-separated")
	widths := flag.String("widths", "1280,390", "viewport widths")
	lang := flag.String("lang", "ja", "language of the screens (ja or en)")
	chromium := flag.String("chromium", "/usr/bin/chromium", "Chromium binary")
	binary := flag.String("bin", "", "an akinai binary to run (default: build ./cmd/akinai)")
	jpeg := flag.Int("jpeg", 0, "save JPEG at this quality (1–99) instead of PNG: smaller files for docs")
	data := flag.String("data", "", "data directory of a shop without an admin yet (default: a fresh demo shop)")
	flag.Parse()
	log.SetFlags(0)
	if err := run(*out, split(*pages), split(*shopPages), split(*widths), *lang, *chromium, *binary, *data, *jpeg); err != nil {
		log.Fatal(err)
	}
}

func split(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func run(out string, adminPages, shopPages, widths []string, lang, chromium, bin, data string, quality int) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "akinai-screens-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if bin == "" {
		bin = filepath.Join(tmp, "akinai")
		log.Printf("building ./cmd/akinai")
		build := exec.Command("go", "build", "-o", bin, "./cmd/akinai")
		build.Stdout, build.Stderr = os.Stdout, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build: %w", err)
		}
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	base := "http://localhost:" + port
	if data == "" {
		data = filepath.Join(tmp, "data")
	}
	srv := exec.Command(bin, "serve", "--demo", "--data", data, "--addr", "127.0.0.1:"+port, "--base-url", base)
	stderr, _ := srv.StderrPipe()
	srv.Stdout = io.Discard
	if err := srv.Start(); err != nil {
		return err
	}
	defer srv.Process.Kill()
	setup := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if m := setupRE.FindStringSubmatch(sc.Text()); m != nil {
				setup <- m[1]
			}
		}
	}()
	var setupURL string
	select {
	case setupURL = <-setup:
	case <-time.After(3 * time.Minute):
		return fmt.Errorf("the shop printed no setup link within 3 minutes")
	}
	admin := setupURL[:strings.Index(setupURL, "/setup/")]
	log.Printf("shop at %s; signing in", base)

	ctx, cancel := browser(chromium)
	defer cancel()
	sctx, cancelS := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelS()
	if err := signUp(sctx, setupURL, admin, lang); err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		body, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("body")))
		if len(body) > 3000 {
			body = body[:3000]
		}
		return fmt.Errorf("%w\nat %s\n%s", err, loc, body)
	}
	ctx, cancelT := context.WithTimeout(ctx, 10*time.Minute)
	defer cancelT()
	for _, w := range widths {
		var width int64
		fmt.Sscan(w, &width)
		for _, p := range adminPages {
			if err := shot(ctx, admin+p, lang, width, quality, filepath.Join(out, "admin"+name(p)+"-"+w+ext(quality))); err != nil {
				return err
			}
		}
		for _, p := range shopPages {
			if err := shot(ctx, base+p, lang, width, quality, filepath.Join(out, "shop"+name(p)+"-"+w+ext(quality))); err != nil {
				return err
			}
		}
	}
	return nil
}

// name turns a path into part of a file name: /settings/tax → -settings-tax.
func name(p string) string {
	p = strings.NewReplacer("/", "-", "?", "-", "=", "-", "&", "-").Replace(strings.TrimRight(p, "/"))
	if p == "" {
		return "-dashboard"
	}
	return p
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port, nil
}

func browser(path string) (context.Context, context.CancelFunc) {
	dir, _ := os.MkdirTemp("", "akinai-chromium-")
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.UserDataDir(dir),
		chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.NoFirstRun, chromedp.Flag("disable-quic", true),
		chromedp.NoDefaultBrowserCheck, chromedp.Flag("hide-scrollbars", true),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	if _, err := chromedp.Run(ctx, chromedp.Location()); err != nil {
		log.Fatalf("chromium: %v", err)
	}
	return ctx, func() { cancelC(); cancelA(); os.RemoveAll(dir) }
}

// signUp creates the owner through the setup link and enrols TOTP, which
// leaves the browser signed in.
func signUp(ctx context.Context, setupURL, admin, lang string) error {
	const password = "kanazawa-lantern-teacup-7"
	err := chromedp.Do(ctx,
		chromedp.Navigate(setupURL+"?lang="+lang),
		chromedp.WaitVisible(chromedp.CSS(`#setup-form`)),
		chromedp.SendKeys(chromedp.CSS(`#setup-form input[name=email]`), "owner@example.jp"),
		chromedp.SendKeys(chromedp.CSS(`#setup-form input[name=name]`), "田中 花子"),
		chromedp.SendKeys(chromedp.CSS(`#setup-form input[name=password]`), password),
		chromedp.SendKeys(chromedp.CSS(`#setup-form input[name=password2]`), password),
		chromedp.Submit(chromedp.CSS(`#setup-form`)),
		chromedp.WaitReady(chromedp.CSS(`#passkey-register`)),
		chromedp.Navigate(admin+"/account/totp?lang="+lang),
		chromedp.WaitVisible(chromedp.CSS(`#totp-secret`)),
	)
	if err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		return fmt.Errorf("setup (at %s): %w", loc, err)
	}
	secret, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#totp-secret`)))
	if err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	code, err := totp.GenerateCode(strings.ReplaceAll(secret, " ", ""), time.Now())
	if err != nil {
		return err
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`#totp-enrol-form input[name=code]`), code),
		chromedp.Submit(chromedp.CSS(`#totp-enrol-form`)),
	)
	if err != nil {
		return err
	}
	// Wait for the enrolment to land on its next page before moving on.
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if loc, err := chromedp.Run(ctx, chromedp.Location()); err == nil && !strings.Contains(loc, "/account/totp") {
			break
		}
	}
	return chromedp.Do(ctx,
		chromedp.Navigate(admin+"/?lang="+lang),
		chromedp.WaitReady(chromedp.CSS(`#admin-side`)),
	)
}

// ext is the file extension for a quality: PNG at 0 or 100, else JPEG.
func ext(quality int) string {
	if quality > 0 && quality < 100 {
		return ".jpg"
	}
	return ".png"
}

func shot(ctx context.Context, url, lang string, width int64, quality int, file string) error {
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(width, 900),
		chromedp.Navigate(url+sep+"lang="+lang),
		chromedp.WaitReady(chromedp.CSS(`body`)),
	)
	if err != nil {
		return fmt.Errorf("%s: %w", url, err)
	}
	if quality <= 0 || quality > 100 {
		quality = 100
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(quality))
	if err != nil {
		return fmt.Errorf("%s: %w", url, err)
	}
	log.Printf("%s (%d px) → %s", url, width, file)
	return os.WriteFile(file, png, 0o644)
}
