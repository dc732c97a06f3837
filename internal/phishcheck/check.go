package phishcheck

import (
	"context"
	"fmt"
	"strings"
)

// CheckMessage judges a raw mail (RFC 5322, as saved or pasted). It never
// fails: unreadable, truncated or oversized input gives a report with
// "parse.partial", and checks it could not make are listed in NotChecked.
// Only the first MaxMessageSize bytes are read. DNS queries go through
// cfg.Resolver and stop when ctx is done.
func CheckMessage(ctx context.Context, cfg Config, raw []byte) Report {
	b := newBuilder(cfg)
	truncated := len(raw) > MaxMessageSize
	if truncated {
		b.notChecked("parse.too_large", fmt.Sprintf("only the first %d bytes were read", MaxMessageSize))
		b.add("parse.partial", SeverityLow, "size")
		raw = raw[:MaxMessageSize]
	}
	h, body, ok := splitMessage(raw)
	if !ok {
		b.add("parse.partial", SeverityLow, "header")
	}
	b.report.Subject = normalize(decodeHeader(h.get("Subject")))

	from, fromDomain, single := b.checkFrom(h)
	fromReg := registrable(fromDomain)
	b.checkOtherAddresses(h, fromDomain)
	b.checkDisplayName(from, fromDomain)

	var c content
	c.walk(h, body, 0)
	if c.partial {
		b.add("parse.partial", SeverityLow, "body")
	}
	text := b.report.Subject + "\n" + strings.Join(c.plain, "\n")
	var links []Link
	images := c.images
	for _, doc := range c.html {
		l, visible, n := linksInHTML(doc)
		links = append(links, l...)
		text += "\n" + visible
		images += n
	}
	for _, u := range c.unreadable {
		b.add("parse.unreadable_attachment", SeverityLow, u)
	}
	for _, d := range c.disguised {
		b.add("attach.disguised", SeverityHigh, d)
	}
	for _, p := range c.plain {
		links = append(links, linksInText(p)...)
	}
	if len(links) >= maxLinks {
		// linksInHTML stops at maxLinks: reaching it means some were left.
		b.add("parse.partial", SeverityLow, "links")
		links = links[:maxLinks]
	}
	for i := range links {
		b.checkLink(&links[i], fromReg)
	}
	b.report.Links = links
	b.checkLures(text)
	b.checkCode(from, fromDomain, text+"\n"+strings.Join(c.files, "\n"))

	a := b.authenticate(ctx, raw, h, fromDomain, truncated)
	if a.protected && a.known && !a.aligned {
		b.add("sender.protected_unauthenticated", SeverityCritical, fromDomain)
	}
	norm := normalize(text)
	b.judge(mailFacts{
		h: h, from: from, fromDomain: fromDomain, auth: a, text: norm, lower: strings.ToLower(norm), plain: c.plain,
		links: links, images: images,
	})
	return b.finish(a.aligned && single)
}

// checkFrom reads the From field(s). single is false when there is not
// exactly one From address, which makes the mail unevaluable.
func (b *builder) checkFrom(h header) (from mailbox, domain string, single bool) {
	froms := h.all("From")
	switch len(froms) {
	case 0:
		b.add("header.no_from", SeverityMedium, "")
		return mailbox{}, "", false
	case 1:
		single = true
	default:
		decoded := make([]string, len(froms))
		for i, f := range froms {
			decoded[i] = normalize(decodeHeader(f))
		}
		b.add("header.multiple_from", SeverityHigh, strings.Join(decoded, " | "))
	}
	boxes := parseMailboxes(froms[0])
	if len(boxes) == 0 {
		b.add("header.bad_from", SeverityMedium, froms[0])
		return mailbox{}, "", false
	}
	if len(boxes) > 1 {
		b.add("header.multiple_from", SeverityHigh, froms[0])
		single = false
	}
	from = boxes[0]
	b.report.From = from.String()
	domain = domainOf(from.Addr)
	if domain == "" {
		b.add("header.bad_from", SeverityMedium, from.String())
		return from, "", false
	}
	b.checkHost(domain, "From")
	if b.protectedMatch(domain) != nil {
		b.add("sender.protected", SeverityInfo, domain)
	}
	for _, extra := range froms[1:] {
		for _, m := range parseMailboxes(extra) {
			if d := domainOf(m.Addr); d != "" {
				b.checkHost(d, "From")
			}
		}
	}
	return from, domain, single
}

// checkOtherAddresses compares Reply-To and Return-Path with From.
func (b *builder) checkOtherAddresses(h header, fromDomain string) {
	fromReg := registrable(fromDomain)
	for _, m := range parseMailboxes(h.get("Reply-To")) {
		d := domainOf(m.Addr)
		if d == "" {
			continue
		}
		b.checkHost(d, "Reply-To")
		if fromReg != "" && registrable(d) != fromReg {
			sev := SeverityMedium
			if b.protectedMatch(fromDomain) != nil {
				sev = SeverityHigh
			}
			b.add("header.reply_to_mismatch", sev, m.Addr)
		}
	}
	for _, m := range parseMailboxes(h.get("Return-Path")) {
		d := domainOf(m.Addr)
		if d == "" {
			continue
		}
		b.checkHost(d, "Return-Path")
		if fromReg != "" && registrable(d) != fromReg {
			b.add("header.return_path_mismatch", SeverityLow, m.Addr)
		}
	}
}

// checkCode looks for the anti-phishing code in mail that claims to come
// from one of the shop's own sending domains, by address or display name.
func (b *builder) checkCode(from mailbox, fromDomain, text string) {
	code := strings.TrimSpace(normalize(b.cfg.AntiPhishingCode))
	if code == "" {
		return
	}
	sending := b.cfg.SendingDomains
	if len(sending) == 0 {
		if h := adminHost(b.cfg.AdminOrigin); h != "" {
			sending = []string{h}
		}
	}
	claims := ""
	candidates := append([]string{fromDomain}, hostsIn(from.Name)...)
	for _, d := range candidates {
		for _, s := range sending {
			if r := registrable(asciiDomain(s)); r != "" && registrable(d) == r {
				claims = d
			}
		}
	}
	if claims == "" {
		return
	}
	if strings.Contains(squeeze(normalize(text)), squeeze(code)) {
		b.add("code.present", SeverityInfo, claims)
	} else {
		b.add("code.missing", SeverityHigh, claims)
	}
}
