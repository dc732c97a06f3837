// Command adminsession creates a shop's owner through its one-time setup
// link (password, then an authenticator app's code) and prints the
// signed-in session's Cookie header, for load tests of admin pages
// (scripts/load/admin_list.sh). Loopback shops only.
//
//	adminsession -setup http://127.0.0.1:18121/admin-xxxx/setup/TOKEN
package main

import (
	"flag"
	"fmt"
	"html"
	"io"
	"log"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/pquerna/otp/totp"
)

var (
	csrfRE   = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	secretRE = regexp.MustCompile(`id="totp-secret"[^>]*>([A-Z2-7 ]+)<`)
)

func main() {
	setup := flag.String("setup", "", "the setup URL the shop logged")
	flag.Parse()
	log.SetFlags(0)
	u, err := url.Parse(*setup)
	if err != nil || u.Hostname() != "127.0.0.1" {
		log.Fatal("-setup must be a setup URL on 127.0.0.1")
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	base := u.Scheme + "://" + u.Host
	admin := "/" + strings.Split(u.Path, "/")[1]
	csrf := ""
	do := func(method, path string, form url.Values) string {
		var body io.Reader
		if form != nil {
			form.Set("csrf", csrf)
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequest(method, base+path, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := c.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if m := csrfRE.FindSubmatch(b); m != nil {
			csrf = html.UnescapeString(string(m[1]))
		}
		if resp.StatusCode >= 400 {
			log.Fatalf("%s %s: %s", method, path, resp.Status)
		}
		return string(b)
	}
	pw := "kanazawa-teacup-lantern-9"
	do("GET", u.Path, nil)
	do("POST", u.Path, url.Values{"email": {"owner@example.jp"}, "name": {"Tanaka Hanako"}, "password": {pw}, "password2": {pw}})
	page := do("GET", admin+"/account/totp", nil)
	m := secretRE.FindStringSubmatch(page)
	if m == nil {
		log.Fatal("no TOTP secret on the enrolment page")
	}
	code, err := totp.GenerateCode(strings.ReplaceAll(m[1], " ", ""), time.Now())
	if err != nil {
		log.Fatal(err)
	}
	do("POST", admin+"/account/totp", url.Values{"code": {code}})
	var parts []string
	for _, ck := range jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	fmt.Printf("%s\n%s\n", admin, strings.Join(parts, "; "))
}
