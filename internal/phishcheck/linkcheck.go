package phishcheck

import (
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// shorteners hide the real target of a link; genuine shop mail has no need
// for them.
var shorteners = map[string]bool{
	"bit.ly": true, "bitly.com": true, "t.co": true, "tinyurl.com": true, "goo.gl": true,
	"ow.ly": true, "is.gd": true, "v.gd": true, "x.gd": true, "buff.ly": true,
	"rebrand.ly": true, "cutt.ly": true, "t.ly": true, "rb.gy": true, "shorturl.at": true,
	"tiny.cc": true, "s.id": true, "lnkd.in": true, "bit.do": true, "00m.in": true,
	"urx.nu": true, "urx2.nu": true, "urx3.nu": true, "onl.bz": true, "onl.la": true,
	"qr.paps.jp": true, "k-p.li": true, "u0u1.net": true,
}

var (
	// adminPath matches paths of administration panels (EC-CUBE's
	// default "/admin", WordPress, generic control panels).
	adminPath = regexp.MustCompile(`(?i)(^|/)(admin|administrator|wp-admin|wp-login\.php|manager?|management|dashboard|backend|controlpanel|cpanel)(/|$|\.|\?|_)`)
	// loginPath matches paths that ask for credentials.
	loginPath = regexp.MustCompile(`(?i)(log-?in|sign-?in|log-?on|auth|verif|password|passwd|account|mypage|session|secure|unlock|restore)`)
)

// checkLink examines one link and records what is wrong with it. senderReg
// is the organisational domain of the From address ("" for CheckURL); links
// to the sender's own login page are not flagged.
func (b *builder) checkLink(l *Link, senderReg string) {
	href := strings.TrimSpace(l.Href)
	if l.Kind == "form" {
		b.add("link.form_action", SeverityHigh, firstNonEmpty(href, "(no action)"))
	}
	if href == "" || strings.HasPrefix(href, "#") {
		return
	}
	lower := strings.ToLower(href)
	for _, s := range []string{"mailto:", "tel:", "cid:", "sms:"} {
		if strings.HasPrefix(lower, s) {
			return
		}
	}
	if strings.HasPrefix(lower, "javascript:") || strings.HasPrefix(lower, "data:") || strings.HasPrefix(lower, "vbscript:") {
		b.add("link.script", SeverityMedium, truncate(href, 80))
		return
	}
	if strings.HasPrefix(lower, "hxxp") {
		href = "http" + href[4:]
	}
	if !strings.Contains(href, "://") && !strings.HasPrefix(href, "//") {
		if l.Kind != "url" {
			return // relative: no host to judge
		}
		href = "http://" + href
	}
	u, err := url.Parse(href)
	if err != nil || u.Host == "" {
		b.add("link.unparseable", SeverityLow, truncate(href, 80))
		return
	}
	if u.User != nil {
		// https://shop.co.jp@evil.example/ shows a trusted name before the @.
		b.add("link.userinfo", SeverityHigh, truncate(href, 120))
	}
	host := u.Hostname()
	if isIPLiteral(host) {
		l.Host = host
		b.add("link.ip_literal", SeverityHigh, truncate(href, 120))
		return
	}
	ascii := asciiDomain(host)
	if ascii == "" {
		b.add("link.unparseable", SeverityLow, truncate(href, 80))
		return
	}
	l.Host = unicodeDomain(ascii)
	b.checkHost(ascii, "link "+truncate(href, 120))
	if shorteners[registrable(ascii)] || shorteners[ascii] {
		b.add("link.shortener", SeverityMedium, truncate(href, 120))
	}
	b.checkLoginTarget(u, ascii, senderReg)
	if l.Kind == "a" {
		b.checkLinkText(l, ascii)
	}
}

// checkHost records look-alike and mixed-script findings for a host seen
// at where ("From", "link https://…").
func (b *builder) checkHost(ascii, where string) {
	if codes, p := b.lookalike(ascii); len(codes) > 0 {
		for _, c := range codes {
			b.add(c, SeverityCritical, where+": "+unicodeDomain(ascii)+" ≈ "+p.Reg)
		}
		return
	}
	if strings.Contains(ascii, "xn--") && mixedScript(unicodeDomain(ascii)) {
		b.add("host.mixed_script", SeverityMedium, where+": "+unicodeDomain(ascii))
	}
}

// checkLoginTarget flags login and admin pages outside the admin origin.
func (b *builder) checkLoginTarget(u *url.URL, ascii, senderReg string) {
	path := u.EscapedPath() + "?" + u.RawQuery
	isAdmin, isLogin := adminPath.MatchString(u.Path), loginPath.MatchString(path)
	if !isAdmin && !isLogin {
		return
	}
	origin := adminHost(b.cfg.AdminOrigin)
	reg := registrable(ascii)
	switch {
	case origin != "" && ascii == origin:
	case b.protectedMatch(ascii) != nil:
		if isAdmin && origin != "" {
			b.add("link.admin_wrong_host", SeverityMedium, u.Host+u.Path)
		}
	case isAdmin && reg != "" && reg == senderReg && b.serviceOf(ascii) != nil:
		// A known service's own dashboard, in mail from that service.
	case isAdmin:
		b.add("link.login_offsite", SeverityHigh, u.Host+u.Path)
	case reg != "" && reg == senderReg:
		// The sender's own login page.
	default:
		b.add("link.login_offsite", SeverityMedium, u.Host+u.Path)
	}
}

// checkLinkText compares the host named in a link's visible text with the
// host it goes to.
func (b *builder) checkLinkText(l *Link, ascii string) {
	reg := registrable(ascii)
	for _, th := range hostsIn(l.Text) {
		treg := registrable(th)
		if treg == "" || treg == reg {
			continue
		}
		detail := "text " + unicodeDomain(th) + " → " + unicodeDomain(ascii)
		if b.protectedMatch(th) != nil {
			b.add("link.text_mismatch", SeverityCritical, detail)
		} else if codes, _ := b.lookalike(th); len(codes) > 0 {
			b.add("link.text_mismatch", SeverityCritical, detail)
		} else {
			b.add("link.text_mismatch", SeverityMedium, detail)
		}
		return
	}
}

// isIPLiteral reports hosts given as an address, including the decimal and
// hexadecimal forms browsers accept ("http://3232235777/").
func isIPLiteral(host string) bool {
	h := strings.Trim(host, "[]")
	if net.ParseIP(h) != nil {
		return true
	}
	if _, err := strconv.ParseUint(h, 0, 32); err == nil {
		return true
	}
	parts := strings.Split(h, ".")
	if len(parts) == 4 {
		for _, p := range parts {
			if _, err := strconv.ParseUint(p, 0, 8); err != nil {
				return false
			}
		}
		return true
	}
	return false
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
