package phishcheck

import (
	"net/url"
	"slices"
	"strings"
)

// claimedService returns the known service the mail claims to come from —
// by its display name ("display"), its subject ("subject") or the opening
// of its text ("body") — when the sender's domain is not that service's.
func (b *builder) claimedService(f mailFacts, fromReg string) (*knownService, string) {
	if f.fromDomain != "" && b.serviceOf(f.fromDomain) != nil {
		return nil, "" // a service writing about itself or others
	}
	if s, _ := b.serviceNamed(f.from.Name); s != nil && !b.ownBrandIn(f.from.Name, fromReg) {
		return s, "display"
	}
	if s, _ := b.serviceNamed(b.report.Subject); s != nil {
		return s, "subject"
	}
	body := normalize(strings.Join(f.plain, "\n"))
	if body == "" {
		body = f.text
	}
	if r := []rune(body); len(r) > 300 {
		body = string(r[:300])
	}
	if s, _ := b.serviceNamed(body); s != nil {
		return s, "body"
	}
	return nil, ""
}

// ownBrandIn reports whether a display name also names the shop itself
// ("さくら雑貨 楽天市場店"): the shop's own mail naming where it sells.
func (b *builder) ownBrandIn(name, fromReg string) bool {
	key := brandKey(name)
	for _, br := range b.cfg.Brands {
		if k := brandKey(br); k != "" && strings.Contains(key, k) {
			return true
		}
	}
	label, _, _ := strings.Cut(fromReg, ".")
	return len(label) >= 4 && strings.Contains(key, brandKey(label))
}

// checkServiceClaim flags mail that claims a known service but is sent from
// another domain, and makes it phishing when its sign-in goes elsewhere.
// Look-alikes of a service's domains are flagged wherever they appear.
func (b *builder) checkServiceClaim(f mailFacts, claimed *knownService, how, fromReg string, signIn bool, awaySignIn []Link, elsewhere func(string) bool) {
	strong := how == "display"
	for _, where := range []struct{ name, host string }{{"From", f.fromDomain}} {
		if code, imitated := b.serviceLookalike(where.host); code != "" {
			b.add("service.lookalike", SeverityHigh, where.name+": "+unicodeDomain(where.host)+" ≈ "+imitated+" ("+code+")")
			strong = true
		}
	}
	for _, l := range f.links {
		h := hostOf(l)
		if code, imitated := b.serviceLookalike(h); code != "" {
			b.add("service.lookalike", SeverityHigh, "link "+truncate(l.Href, 100)+": "+unicodeDomain(h)+" ≈ "+imitated+" ("+code+")")
			if claimed == nil {
				for i := range b.services {
					if b.services[i].owns(imitated) {
						claimed = &b.services[i]
					}
				}
			}
			strong = true
		}
	}
	if claimed == nil {
		return
	}
	if how == "display" && b.protectedMatch(f.fromDomain) == nil {
		b.add("display.spoof_service", SeverityMedium, f.from.String()+" ≈ "+claimed.Name+" ("+strings.Join(claimed.regs, ", ")+")")
	} else if how == "display" {
		b.add("display.spoof_service", SeverityHigh, f.from.String()+" ≈ "+claimed.Name+" ("+strings.Join(claimed.regs, ", ")+")")
	}
	if len(awaySignIn) == 0 && !(signIn && strong && anyAway(f.links, elsewhere)) {
		return
	}
	target := firstHost(awaySignIn, f.links, elsewhere)
	detail := claimed.Name + " → " + target
	pressure := b.hasPrefix("lure.account_suspension", "lure.password_expiry", "lure.identity_check", "lure.payment", "lure.file_corruption")
	// A name in the subject or text only is a weak claim: a shop's
	// newsletter says "Amazon Pay" and links to its own sign-in page.
	// Only a sign-in on a third site counts fully.
	third := slices.ContainsFunc(awaySignIn, func(l Link) bool { return registrable(hostOf(l)) != fromReg })
	switch {
	case strong:
		b.add("service.impersonation", SeverityCritical, detail)
	case !signIn && len(awaySignIn) == 0:
	case third && pressure && !f.auth.aligned:
		b.add("service.impersonation", SeverityCritical, detail)
	case third || !f.auth.aligned:
		b.add("service.impersonation", SeverityHigh, detail)
	}
}

func anyAway(links []Link, elsewhere func(string) bool) bool {
	for _, l := range links {
		if elsewhere(hostOf(l)) {
			return true
		}
	}
	return false
}

// checkRedirects flags links that pass through another site to a third
// one (https://www.google.com/url?q=https://evil.example/): the host a
// reader checks is not where the link ends. The sender's own click
// tracking (click.shop.co.jp → shop.co.jp) is not flagged.
func (b *builder) checkRedirects(links []Link, fromReg string) {
	for _, l := range links {
		h := hostOf(l)
		if h == "" {
			continue
		}
		u, err := url.Parse(l.Href)
		if err != nil || u.RawQuery == "" {
			continue
		}
		reg := registrable(h)
		for _, vs := range u.Query() {
			for _, v := range vs {
				t := redirectTarget(v)
				if t == "" {
					continue
				}
				treg := registrable(t)
				if treg == "" || treg == reg || treg == fromReg || b.protectedMatch(t) != nil || (reg == fromReg && fromReg != "") {
					continue
				}
				b.add("link.open_redirect", SeverityMedium, unicodeDomain(h)+" → "+unicodeDomain(t))
				b.checkHost(t, "redirect "+truncate(l.Href, 100))
				return
			}
		}
	}
}

// redirectTarget returns the ASCII host of a URL given as a query value.
func redirectTarget(v string) string {
	v = strings.TrimSpace(v)
	lower := strings.ToLower(v)
	if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") && !strings.HasPrefix(lower, "//") {
		return ""
	}
	if strings.HasPrefix(v, "//") {
		v = "https:" + v
	}
	u, err := url.Parse(v)
	if err != nil {
		return ""
	}
	return asciiDomain(u.Hostname())
}
