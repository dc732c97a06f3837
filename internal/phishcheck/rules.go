package phishcheck

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// mailFacts is what CheckMessage learnt about a mail before the rules that
// weigh several findings together.
type mailFacts struct {
	h          header
	from       mailbox
	fromDomain string
	auth       auth
	text       string // subject, plain text and visible HTML text, normalised
	lower      string // text, lower-cased
	plain      []string
	links      []Link
	images     int
}

// signInWords are requests to sign in or confirm an account, matched as
// plain substrings of lower-cased text (a regular expression over 4 MB of
// text costs ten times more).
var signInWords = []string{
	"ログイン", "サインイン", "ログオン", "再認証", "本人確認", "認証手続", "アカウント確認", "アカウントの確認", "アカウントを確認",
	"sign in", "sign-in", "signin", "log in", "log-in", "login", "verify your", "confirm your account", "confirm your identity",
}

// asksSignIn reports whether lower-cased text asks to sign in.
func asksSignIn(lower string) bool {
	for _, w := range signInWords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// signInText matches the visible text of a link that leads to a sign-in or
// a form ("ログインする", "再配達のお手続き", "Verify now").
var signInText = regexp.MustCompile(`(?i)(ログイン|サインイン|ログオン|認証|本人確認|手続|解除|再開|更新|確認する|確認はこちら|修復|復旧|パスワード|お支払|再配達|sign[- ]?in|log[- ]?in|verify|confirm|unlock|restore|update|reactivate)`)

// hostOf returns the ASCII host of an absolute http(s) link, or "".
func hostOf(l Link) string {
	href := strings.TrimSpace(l.Href)
	if strings.HasPrefix(strings.ToLower(href), "hxxp") {
		href = "http" + href[4:]
	}
	u, err := url.Parse(href)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return asciiDomain(u.Hostname())
}

// judge applies the rules that need the whole mail: the sender's own
// domain linking elsewhere, credential forms, script links, QR-code lures,
// impersonated services, open redirects, business-email compromise and the
// corrupted-files lure.
func (b *builder) judge(f mailFacts) {
	fromReg := registrable(f.fromDomain)
	victims := b.victimDomains(f.h)
	// A self-spoof writes from the recipients' own domain; a mail that also
	// goes to other domains is someone writing to their colleague and us.
	self := fromReg != "" && len(victims) == 1 && victims[0] == fromReg
	ownFrom := b.protectedMatch(f.fromDomain) != nil || self
	signIn := asksSignIn(f.lower) || b.hasPrefix("lure.login_request", "lure.password_expiry", "lure.identity_check", "lure.account_suspension")

	// elsewhere: a link that is neither protected, nor a known service's,
	// nor the recipient's own domain.
	elsewhere := func(host string) bool {
		return host != "" && b.protectedMatch(host) == nil && b.serviceOf(host) == nil && !slices.Contains(victims, registrable(host))
	}
	var hosted, away int
	var awaySignIn []Link
	for _, l := range f.links {
		h := hostOf(l)
		if h == "" {
			continue
		}
		hosted++
		if elsewhere(h) {
			away++
			if l.Kind == "form" || signInText.MatchString(l.Text) || loginPath.MatchString(l.Href) || adminPath.MatchString(l.Href) {
				awaySignIn = append(awaySignIn, l)
			}
		}
	}
	allAway := hosted > 0 && away == hosted

	b.checkVictimInPath(f.links, victims, fromReg, ownFrom, elsewhere)
	claimed, how := b.claimedService(f, fromReg)

	// The shop's (or the recipient's) own domain in From, and the sign-in
	// elsewhere: a genuine mail from a domain links to that domain.
	if ownFrom && (len(awaySignIn) > 0 || (allAway && (signIn || claimed != nil || b.has("link.victim_domain")))) {
		sev := SeverityCritical
		if f.auth.aligned {
			sev = SeverityHigh // authenticated: a hijacked account, or a mistake
		}
		target := firstHost(awaySignIn, f.links, elsewhere)
		b.add("sender.own_domain_links_elsewhere", sev, "From "+f.fromDomain+" → "+target)
	}

	b.checkForms(f.links)
	b.checkScriptLinks(f.links, signIn)
	b.checkQR(f, signIn, hosted, allAway, claimed)
	b.checkServiceClaim(f, claimed, how, fromReg, signIn, awaySignIn, elsewhere)
	b.checkRedirects(f.links, fromReg)
	b.checkBEC(f, fromReg)

	if b.has("lure.file_corruption") {
		b.advise("advice.integrity")
		if signIn && (len(awaySignIn) > 0 || allAway) {
			b.add("lure.integrity_login", SeverityCritical, firstHost(awaySignIn, f.links, elsewhere))
		}
	}
}

// hasPrefix reports whether any reason's code is one of codes.
func (b *builder) hasPrefix(codes ...string) bool {
	return slices.ContainsFunc(codes, b.has)
}

// advise adds an advice sentence once.
func (b *builder) advise(code string) {
	for _, a := range b.report.Advice {
		if a.Code == code {
			return
		}
	}
	b.report.Advice = append(b.report.Advice, Reason{Code: code, Severity: SeverityInfo, Message: message(code, b.cfg.Lang)})
}

// firstHost names the first sign-in link elsewhere, else the first link
// elsewhere.
func firstHost(signIn, all []Link, elsewhere func(string) bool) string {
	if len(signIn) > 0 {
		return truncate(signIn[0].Href, 120)
	}
	for _, l := range all {
		if elsewhere(hostOf(l)) {
			return truncate(l.Href, 120)
		}
	}
	return ""
}

// victimDomains are the registrable domains of the recipients (To, Cc,
// Delivered-To) and of the protected list: the names a phisher writes into
// a link to make a page look personal.
func (b *builder) victimDomains(h header) []string {
	var out []string
	for _, name := range []string{"To", "Cc", "Delivered-To", "X-Original-To"} {
		for _, v := range h.all(name) {
			for _, m := range parseMailboxes(v) {
				if r := registrable(domainOf(m.Addr)); r != "" && !freeMail[r] && !slices.Contains(out, r) {
					out = append(out, r)
				}
			}
		}
	}
	return out
}

// checkVictimInPath flags links to another site that carry the victim's
// domain or address in their path or query (https://evil.example/shop.co.jp/login).
func (b *builder) checkVictimInPath(links []Link, victims []string, fromReg string, ownFrom bool, elsewhere func(string) bool) {
	names := slices.Clone(victims)
	for _, p := range b.protected {
		if !slices.Contains(names, p.Reg) {
			names = append(names, p.Reg)
		}
	}
	for _, l := range links {
		h := hostOf(l)
		if !elsewhere(h) || (registrable(h) == fromReg && !ownFrom) {
			continue
		}
		u, err := url.Parse(l.Href)
		if err != nil {
			continue
		}
		rest := strings.ToLower(u.Path + "?" + u.RawQuery + "#" + u.Fragment)
		if un, err := url.QueryUnescape(rest); err == nil {
			rest = un
		}
		for _, n := range names {
			if strings.Contains(rest, n) {
				b.add("link.victim_domain", SeverityHigh, truncate(l.Href, 120)+" ("+n+")")
				break
			}
		}
	}
}

// checkForms flags forms that ask for a password or card data: genuine
// mail never does, and one posting to a site that is not protected hands
// them to a stranger.
func (b *builder) checkForms(links []Link) {
	for _, l := range links {
		if l.Kind != "form" || !credentialForm(l.Fields) {
			continue
		}
		h := hostOf(l)
		detail := firstNonEmpty(truncate(l.Href, 120), "(no action)") + " [" + strings.Join(l.Fields, ", ") + "]"
		switch {
		case h != "" && b.protectedMatch(h) != nil:
			b.add("link.credential_form", SeverityHigh, detail)
		case h != "" || isIPLiteralHref(l.Href):
			b.add("link.credential_form", SeverityCritical, detail)
		default:
			b.add("link.credential_form", SeverityHigh, detail)
		}
	}
}

func isIPLiteralHref(href string) bool {
	u, err := url.Parse(strings.TrimSpace(href))
	return err == nil && u.Host != "" && isIPLiteral(u.Hostname())
}

var sensitiveField = regexp.MustCompile(`(?i)(pass|pwd|card|cvv|cvc|pin|otp|secret|暗証|パスワード)`)

func credentialForm(fields []string) bool {
	return slices.ContainsFunc(fields, sensitiveField.MatchString)
}

// checkScriptLinks makes a javascript: or data: link phishing when the
// mail (or the link) asks to sign in: the page it opens is the attacker's.
func (b *builder) checkScriptLinks(links []Link, signIn bool) {
	for _, l := range links {
		lower := strings.ToLower(strings.TrimSpace(l.Href))
		if !strings.HasPrefix(lower, "javascript:") && !strings.HasPrefix(lower, "data:") && !strings.HasPrefix(lower, "vbscript:") {
			continue
		}
		if signIn || signInText.MatchString(l.Text) {
			b.add("link.script_login", SeverityCritical, firstNonEmpty(l.Text, "(no text)")+" → "+truncate(l.Href, 60))
			return
		}
	}
}

// qrWords name a QR code (lower-cased); a request to scan one for a sign-in moves the
// link where no filter and no hover can see it.
var qrWords = []string{"qrコード", "二次元コード", "2次元コード", "二次元バーコード", "qr code", "qr-code", "qrcode"}

func (b *builder) checkQR(f mailFacts, signIn bool, hosted int, allAway bool, claimed *knownService) {
	text := f.lower
	if !signIn || (f.images == 0 && !strings.Contains(text, "添付") && !strings.Contains(text, "attach") && !strings.Contains(text, "Attach")) {
		return
	}
	var loc []int
	for _, w := range qrWords {
		if i := strings.Index(text, w); i >= 0 {
			loc = []int{i, i + len(w)}
			break
		}
	}
	if loc == nil {
		return
	}
	// The code must be what one signs in with: the request is in the same
	// sentence or the next line, not elsewhere in a mail that has a QR code
	// for store pick-up and a "log in to My Page" further down.
	end := len(text)
	for i, n := loc[1], 0; i < len(text); i++ {
		if text[i] == '\n' {
			if n++; n == 2 {
				end = i
				break
			}
		}
	}
	start := strings.LastIndexByte(text[:loc[0]], '\n') + 1
	if !asksSignIn(text[start:end]) {
		return
	}
	if hosted > 0 && !allAway && f.auth.aligned {
		return // an authenticated mail with its own links: a QR code is a convenience
	}
	pressure := b.hasPrefix("lure.account_suspension", "lure.password_expiry", "lure.identity_check", "lure.urgency", "lure.payment")
	// Nobody signs in by scanning a code from a mail: phishing unless the
	// sender is authenticated, and even then with pressure or a claim.
	sev := SeverityCritical
	if f.auth.aligned && !pressure && claimed == nil {
		sev = SeverityHigh
	}
	if len(f.text) == len(text) {
		text = f.text // quote the sentence as written
	}
	b.add("lure.qr_login", sev, sentenceAt(text, loc[0]))
}

// sentenceAt returns the sentence (or line) of text around byte index i,
// shortened: the evidence a reason points at.
func sentenceAt(text string, i int) string {
	start := 0
	if j := strings.LastIndexAny(text[:i], "\n。!?"); j >= 0 {
		start = j + len(string([]rune(text[j:])[0]))
	}
	end := len(text)
	if j := strings.IndexAny(text[i:], "\n。!?"); j >= 0 {
		end = i + j
	}
	return truncate(strings.TrimSpace(text[start:end]), 100)
}
