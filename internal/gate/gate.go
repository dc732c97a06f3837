// Package gate decides who reaches the storefront: the owner's list of
// blocked networks, and the members-only mode in which only signed-in
// customers see the shop. The admin has its own address lists.
package gate

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// Gate wraps the storefront.
type Gate struct {
	Settings *settings.Store
	Render   *web.Renderer
	// AdminBase is the admin's path: never gated here.
	AdminBase string
	// Customer reports whether r carries a signed-in customer's session.
	Customer func(w http.ResponseWriter, r *http.Request) (bool, error)

	parsed atomic.Pointer[blockList]
}

type blockList struct {
	raw  string
	nets []netip.Prefix
}

// always are paths no gate closes: health checks, assets, and what has
// its own authentication (metrics, profiling, provider webhooks).
func (g *Gate) always(path string) bool {
	return path == "/healthz" || path == "/readyz" || path == "/favicon.ico" || path == "/robots.txt" ||
		strings.HasPrefix(path, "/static/") || path == "/metrics" || strings.HasPrefix(path, "/debug/pprof/") ||
		strings.HasPrefix(path, "/webhooks/") || strings.HasPrefix(path, "/api/v1/") ||
		(g.AdminBase != "" && (path == g.AdminBase || strings.HasPrefix(path, g.AdminBase+"/")))
}

// public are the pages a visitor needs to become or act as a member in
// members-only mode: sign-in, registration, password reset, the legal
// pages (特定商取引法に基づく表記 stays public), the contact form, and the
// mail magazine's unsubscribe link (its signed token is its authority).
func public(path string) bool {
	for _, p := range []string{"/mypage/login", "/entry", "/forgot", "/mypage/email/confirm", "/contact", "/pages/", "/api/postal/", "/mail/unsubscribe/"} {
		if path == p || strings.HasPrefix(path, p+"/") || (strings.HasSuffix(p, "/") && strings.HasPrefix(path, p)) {
			return true
		}
	}
	return false
}

// Wrap serves next to visitors the gate lets through.
func (g *Gate) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.always(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		all, err := g.Settings.All(r.Context())
		if err != nil {
			g.Render.Error(w, r, err)
			return
		}
		if g.blocked(all[settings.BlockedNets], web.Info(r).ClientIP) {
			w.Header().Set("Cache-Control", "no-store")
			g.Render.Error(w, r, &shop.Error{Kind: shop.Forbidden, Key: "gate.blocked"})
			return
		}
		if all[settings.MembersOnly] != "1" || public(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		ok, err := g.Customer(w, r)
		if err != nil {
			g.Render.Error(w, r, err)
			return
		}
		if ok {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Robots-Tag", "noindex")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			g.Render.Error(w, r, &shop.Error{Kind: shop.Unauthorized, Key: "gate.members_only"})
			return
		}
		web.SetFlash(w, r, "gate.members_only")
		http.Redirect(w, r, "/mypage/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	})
}

// blocked reports whether ip lies in one of the networks of raw (the
// setting's text), parsing raw once per change.
func (g *Gate) blocked(raw string, ip netip.Addr) bool {
	if raw == "" || !ip.IsValid() {
		return false
	}
	bl := g.parsed.Load()
	if bl == nil || bl.raw != raw {
		nets, _ := ParseNetworks(raw)
		bl = &blockList{raw: raw, nets: nets}
		g.parsed.Store(bl)
	}
	ip = ip.Unmap()
	for _, p := range bl.nets {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// MaxNetworks bounds the block list.
const MaxNetworks = 1000

// ParseNetworks reads one network per line (an address or CIDR; text
// after # is a note). It returns the networks and, per 1-based line
// number, the lines it could not read.
func ParseNetworks(text string) ([]netip.Prefix, map[int]string) {
	var out []netip.Prefix
	bad := map[int]string{}
	for i, line := range strings.Split(text, "\n") {
		if j := strings.IndexByte(line, '#'); j >= 0 {
			line = line[:j]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		p, err := netip.ParsePrefix(line)
		if err != nil {
			a, aerr := netip.ParseAddr(line)
			if aerr != nil {
				bad[i+1] = line
				continue
			}
			a = a.Unmap()
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, bad
}
