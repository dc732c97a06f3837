package phishcheck

import (
	"context"
	"net/url"
	"strings"
)

// CheckURL judges a single link, as a person would paste it from a mail or
// a chat. Genuine means the host belongs to a protected domain and nothing
// is wrong with the link; an unknown host with no findings is suspicious
// ("url.unknown_host"), because the checker cannot vouch for it. ctx is
// reserved for checks that need the network; none does today.
func CheckURL(ctx context.Context, cfg Config, rawURL string) Report {
	_ = ctx
	b := newBuilder(cfg)
	l := Link{Kind: "url", Href: strings.TrimSpace(normalize(rawURL))}
	if l.Href == "" {
		b.add("link.unparseable", SeverityLow, "(empty)")
		return b.finish(false)
	}
	b.checkLink(&l, "")
	b.report.Links = []Link{l}
	if h := hostOf(l); h != "" {
		if code, imitated := b.serviceLookalike(h); code != "" {
			b.add("service.lookalike", SeverityCritical, unicodeDomain(h)+" ≈ "+imitated+" ("+code+")")
		}
	}
	host := asciiDomain(l.Host)
	vouched := host != "" && b.protectedMatch(host) != nil
	switch {
	case vouched:
		b.add("url.protected", SeverityInfo, l.Host)
	case l.Host != "" && len(b.report.Reasons) == 0:
		b.add("url.unknown_host", SeverityLow, l.Host)
	}
	return b.finish(vouched)
}

// adminHost returns the ASCII host of an origin such as
// "https://admin.shop.co.jp", or "".
func adminHost(origin string) string {
	if origin == "" {
		return ""
	}
	if !strings.Contains(origin, "://") {
		origin = "https://" + origin
	}
	u, err := url.Parse(origin)
	if err != nil {
		return ""
	}
	return asciiDomain(u.Hostname())
}
