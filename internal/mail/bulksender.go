package mail

import (
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// BulkCheck is one of the requirements the large mailbox providers (Gmail,
// Yahoo) set from February 2024 for senders of bulk mail such as the mail
// magazine: authenticated mail whose DKIM domain is aligned with From, SPF,
// a published DMARC record, and one-click unsubscribe (RFC 8058) in
// marketing mail, honoured within two days.
type BulkCheck struct {
	Key string // i18n key naming the requirement: "mail.bulk.<name>"
	OK  bool
	Why Text // what is wrong and what to do; empty when OK
}

// BulkSender judges the requirements from the authenticity checks of the
// page (Authenticity's result for the signing domain), the keys, the
// domain of the From address the shop sends with, and the shop's public
// base URL (where the unsubscribe links point).
func BulkSender(checks []RecordCheck, keys []PublicKey, signDomain, fromDomain, baseURL string) []BulkCheck {
	var active *PublicKey
	for i := range keys {
		if keys[i].Status == KeyActive {
			active = &keys[i]
		}
	}
	published := map[string]RecordStatus{}
	var dmarcFound, spfOK bool
	for _, c := range checks {
		switch c.Kind {
		case "dkim":
			published[strings.SplitN(c.Name, ".", 2)[0]] = c.Status
		case "spf":
			spfOK = c.Status == RecordOK
		case "dmarc":
			dmarcFound = len(c.Found) > 0
		}
	}

	dkim := BulkCheck{Key: "mail.bulk.dkim_aligned"}
	switch {
	case active == nil:
		dkim.Why = Text{Key: "mail.bulk.no_active_key"}
	case published[active.Selector] != RecordOK:
		dkim.Why = Text{Key: "mail.bulk.key_not_published", Args: []any{active.RecordName(signDomain)}}
	case !aligned(signDomain, fromDomain):
		dkim.Why = Text{Key: "mail.bulk.not_aligned", Args: []any{signDomain, fromDomain}}
	default:
		dkim.OK = true
	}
	spf := BulkCheck{Key: "mail.bulk.spf", OK: spfOK}
	if !spfOK {
		spf.Why = Text{Key: "mail.bulk.see_spf"}
	}
	dmarc := BulkCheck{Key: "mail.bulk.dmarc", OK: dmarcFound}
	if !dmarcFound {
		dmarc.Why = Text{Key: "mail.bulk.publish_dmarc", Args: []any{"_dmarc." + fromDomain, RecommendedDMARC}}
	}
	// RFC 8058 §3.1: the one-click URI must be HTTPS, and the headers
	// must be covered by a valid DKIM signature.
	oneClick := BulkCheck{Key: "mail.bulk.one_click"}
	u, err := url.Parse(baseURL)
	switch {
	case err != nil || u.Scheme != "https" || u.Host == "":
		oneClick.Why = Text{Key: "mail.bulk.base_not_https", Args: []any{baseURL}}
	case !dkim.OK:
		oneClick.Why = Text{Key: "mail.bulk.unsigned_headers"}
	default:
		oneClick.OK = true
	}
	// Unsubscribes apply to the very next mail (internal/magazine), well
	// inside the two days allowed.
	honoured := BulkCheck{Key: "mail.bulk.honoured", OK: true}
	return []BulkCheck{dkim, spf, dmarc, oneClick, honoured}
}

// aligned reports DMARC relaxed alignment: the two domains share their
// organisational domain (RFC 7489 §3.1.1).
func aligned(a, b string) bool {
	a, b = strings.ToLower(strings.TrimSuffix(a, ".")), strings.ToLower(strings.TrimSuffix(b, "."))
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	oa, err1 := publicsuffix.EffectiveTLDPlusOne(a)
	ob, err2 := publicsuffix.EffectiveTLDPlusOne(b)
	return err1 == nil && err2 == nil && oa == ob
}
