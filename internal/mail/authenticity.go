package mail

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/akinai/akinai/internal/i18n"
)

// RecordStatus is the verdict on one DNS record.
type RecordStatus string

const (
	RecordOK      RecordStatus = "ok"
	RecordMissing RecordStatus = "missing"
	RecordWrong   RecordStatus = "wrong"
	RecordUnknown RecordStatus = "unknown" // the DNS lookup failed
)

// Selector is a DKIM key that should be published: its selector and the
// TXT value (from the key store's PublicKeys).
type Selector struct {
	Selector string
	TXT      string
}

// Text is a message for the admin: an i18n key and its arguments, shown
// in the admin's language with (Text).In.
type Text struct {
	Key  string
	Args []any
}

// In renders the text in lang.
func (t Text) In(lang i18n.Lang) string {
	if t.Key == "" {
		return ""
	}
	return i18n.T(lang, t.Key, t.Args...)
}

// RecordCheck is one DNS record the shop should publish, what DNS
// answered, the verdict, why, and the exact fix.
type RecordCheck struct {
	Kind     string // "dkim", "spf" or "dmarc"
	Name     string // the DNS name, e.g. "ak1._domainkey.example.co.jp"
	Expected string // the TXT value to publish there
	Found    []string
	Status   RecordStatus
	Problem  Text // empty when OK
	Fix      Text // empty when OK
}

// Authenticity checks the records that make the shop's mail provably
// genuine for domain: a DKIM TXT per selector, SPF covering every sender
// (an IP or CIDR becomes ip4:/ip6:, anything else include:), and DMARC
// with an enforcing policy. DNS goes through r only. It returns one check
// per record, never an error: a failed lookup is RecordUnknown.
func Authenticity(ctx context.Context, r Resolver, domain string, selectors []Selector, senders []string) []RecordCheck {
	domain = normalizeName(domain)
	var out []RecordCheck
	for _, s := range selectors {
		out = append(out, checkDKIM(ctx, r, domain, s))
	}
	out = append(out, checkSPF(ctx, r, domain, senders))
	out = append(out, checkDMARC(ctx, r, domain))
	return out
}

func normalizeName(s string) string {
	return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(s), "."))
}

func lookup(ctx context.Context, r Resolver, c *RecordCheck, prefix string) bool {
	all, err := r.LookupTXT(ctx, c.Name)
	if err != nil {
		c.Status = RecordUnknown
		c.Problem = Text{"mail.auth.lookup_failed", []any{c.Name}}
		c.Fix = Text{"mail.auth.fix_retry", nil}
		return false
	}
	for _, v := range all {
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(v)), prefix) {
			c.Found = append(c.Found, v)
		}
	}
	if len(c.Found) == 0 {
		c.Status = RecordMissing
		c.Problem = Text{"mail.auth.missing", []any{c.Name}}
		c.Fix = Text{"mail.auth.fix_add", []any{c.Name, c.Expected}}
		return false
	}
	if len(c.Found) > 1 {
		c.Status = RecordWrong
		c.Problem = Text{"mail.auth.several", []any{c.Name, len(c.Found)}}
		c.Fix = Text{"mail.auth.fix_replace", []any{c.Name, c.Expected}}
		return false
	}
	return true
}

// tags parses "k=v; k=v" (DKIM, DMARC) into lower-case keys.
func tags(s string) map[string]string {
	m := map[string]string{}
	for part := range strings.SplitSeq(s, ";") {
		k, v, ok := strings.Cut(part, "=")
		if ok {
			m[strings.ToLower(strings.TrimSpace(k))] = strings.Join(strings.Fields(v), "")
		}
	}
	return m
}

func checkDKIM(ctx context.Context, r Resolver, domain string, s Selector) RecordCheck {
	c := RecordCheck{Kind: "dkim", Name: s.Selector + "._domainkey." + domain, Expected: s.TXT}
	all, err := r.LookupTXT(ctx, c.Name)
	if err == nil {
		// A key record need not start with v=DKIM1: keep every record.
		all = slices.DeleteFunc(all, func(v string) bool { return !strings.Contains(v, "p=") })
		r = TXTFixture{c.Name: all}
	}
	if !lookup(ctx, r, &c, "") {
		return c
	}
	want, got := tags(s.TXT), tags(c.Found[0])
	if got["k"] == "" {
		got["k"] = "rsa"
	}
	switch {
	case got["p"] == "":
		c.Status, c.Problem = RecordWrong, Text{"mail.auth.dkim_revoked", []any{c.Name}}
	case got["p"] != want["p"] || got["k"] != want["k"]:
		c.Status, c.Problem = RecordWrong, Text{"mail.auth.dkim_other_key", []any{c.Name}}
	default:
		c.Status = RecordOK
		return c
	}
	c.Fix = Text{"mail.auth.fix_replace", []any{c.Name, c.Expected}}
	return c
}

func checkSPF(ctx context.Context, r Resolver, domain string, senders []string) RecordCheck {
	var mechs []string
	for _, s := range senders {
		mechs = append(mechs, spfMechanism(s))
	}
	c := RecordCheck{Kind: "spf", Name: domain, Expected: strings.Join(append(append([]string{"v=spf1"}, mechs...), "-all"), " ")}
	if !lookup(ctx, r, &c, "v=spf1") {
		return c
	}
	found := strings.Fields(strings.ToLower(c.Found[0]))
	// The fix keeps what the shop already publishes (other services that
	// send for the domain) and adds what is missing before the "all" term.
	var missing []string
	budget := 10 // RFC 7208's lookup limit also bounds our include walk
	for i, m := range mechs {
		if !spfCovers(ctx, r, found, senders[i], m, &budget) {
			missing = append(missing, m)
		}
	}
	allTerm := ""
	for _, f := range found {
		if strings.HasSuffix(f, "all") && len(f) <= 4 {
			allTerm = f
		}
	}
	if len(missing) == 0 && allTerm != "+all" && allTerm != "all" {
		c.Status = RecordOK
		return c
	}
	merged := []string{"v=spf1"}
	for _, f := range found[1:] {
		if f != allTerm {
			merged = append(merged, f)
		}
	}
	merged = append(merged, missing...)
	if allTerm == "" || allTerm == "+all" || allTerm == "all" {
		allTerm = "-all"
	}
	c.Expected = strings.Join(append(merged, allTerm), " ")
	c.Status = RecordWrong
	if len(missing) > 0 {
		c.Problem = Text{"mail.auth.spf_missing_sender", []any{strings.Join(missing, " ")}}
	} else {
		c.Problem = Text{"mail.auth.spf_pass_all", nil}
	}
	c.Fix = Text{"mail.auth.fix_replace", []any{c.Name, c.Expected}}
	return c
}

// spfMechanism turns a sender into its SPF mechanism.
func spfMechanism(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if p, err := netip.ParsePrefix(s); err == nil {
		if p.Addr().Is4() {
			return "ip4:" + p.Masked().String()
		}
		return "ip6:" + p.Masked().String()
	}
	if a, err := netip.ParseAddr(s); err == nil {
		if a.Is4() {
			return "ip4:" + a.String()
		}
		return "ip6:" + a.String()
	}
	return "include:" + strings.TrimPrefix(s, "include:")
}

// spfCovers reports whether the SPF terms authorise sender: the same
// include, or an ip4/ip6 range holding the address, directly or through
// includes (followed while the lookup budget lasts).
func spfCovers(ctx context.Context, r Resolver, terms []string, sender, mech string, budget *int) bool {
	addr, addrErr := netip.ParseAddr(strings.TrimSpace(sender))
	for _, t := range terms {
		t = strings.TrimPrefix(t, "+")
		if t == mech {
			return true
		}
		if v, ok := strings.CutPrefix(t, "ip4:"); ok && addrErr == nil {
			if prefixHolds(v, addr) {
				return true
			}
		}
		if v, ok := strings.CutPrefix(t, "ip6:"); ok && addrErr == nil {
			if prefixHolds(v, addr) {
				return true
			}
		}
		if v, ok := strings.CutPrefix(t, "include:"); ok && addrErr == nil && *budget > 0 {
			*budget--
			recs, err := r.LookupTXT(ctx, v)
			if err != nil {
				continue
			}
			for _, rec := range recs {
				if strings.HasPrefix(strings.ToLower(rec), "v=spf1") && spfCovers(ctx, r, strings.Fields(strings.ToLower(rec)), sender, mech, budget) {
					return true
				}
			}
		}
	}
	return false
}

func prefixHolds(v string, a netip.Addr) bool {
	if p, err := netip.ParsePrefix(v); err == nil {
		return p.Contains(a)
	}
	b, err := netip.ParseAddr(v)
	return err == nil && b == a
}

// RecommendedDMARC is the policy Akinai proposes: quarantine what fails,
// relaxed alignment (Akinai signs with the shop's domain).
const RecommendedDMARC = "v=DMARC1; p=quarantine; adkim=r; aspf=r"

func checkDMARC(ctx context.Context, r Resolver, domain string) RecordCheck {
	c := RecordCheck{Kind: "dmarc", Name: "_dmarc." + domain, Expected: RecommendedDMARC}
	ok := lookup(ctx, r, &c, "v=dmarc1")
	if !ok && c.Status == RecordMissing {
		// RFC 7489 §6.6.3: without a record at the domain, the
		// organisational domain's policy applies.
		org, err := publicsuffix.EffectiveTLDPlusOne(domain)
		if err == nil && org != domain {
			parent := RecordCheck{Kind: "dmarc", Name: "_dmarc." + org, Expected: RecommendedDMARC}
			if lookup(ctx, r, &parent, "v=dmarc1") {
				c.Found, c.Status, c.Problem, c.Fix = parent.Found, RecordOK, Text{}, Text{}
				ok = true
				c.Name = parent.Name
			}
		}
	}
	if !ok {
		return c
	}
	t := tags(c.Found[0])
	if t["rua"] != "" {
		c.Expected += "; rua=" + t["rua"] // keep where the shop gets its reports
	}
	switch {
	case t["p"] != "quarantine" && t["p"] != "reject":
		c.Status, c.Problem = RecordWrong, Text{"mail.auth.dmarc_weak", []any{fmt.Sprint(t["p"])}}
	case t["pct"] != "" && t["pct"] != "100":
		c.Status, c.Problem = RecordWrong, Text{"mail.auth.dmarc_pct", []any{t["pct"]}}
	default:
		c.Status = RecordOK
		return c
	}
	c.Fix = Text{"mail.auth.fix_replace", []any{c.Name, c.Expected}}
	return c
}
