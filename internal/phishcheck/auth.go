package phishcheck

import (
	"context"
	"errors"
	"net"
	"strings"

	"blitiri.com.ar/go/spf"
	"github.com/akinai/akinai/internal/mail/dkim"
	"github.com/emersion/go-msgauth/authres"
	"github.com/emersion/go-msgauth/dmarc"
)

// auth is the authentication state of a mail's From domain.
type auth struct {
	fromDomain string
	protected  bool // the From domain belongs to a protected domain
	aligned    bool // a DKIM or SPF pass aligned with From (DMARC pass)
	known      bool // authentication could be evaluated (DNS or a trusted header)
}

// authenticate runs DKIM, SPF and DMARC with the resolver, or reads a
// trusted Authentication-Results field when offline.
func (b *builder) authenticate(ctx context.Context, raw []byte, h header, fromDomain string, truncated bool) auth {
	a := auth{fromDomain: fromDomain, protected: b.protectedMatch(fromDomain) != nil}
	if b.cfg.Resolver == nil {
		b.fromAuthResults(h, &a)
		if !a.known {
			b.notChecked("dkim.offline", "")
			b.notChecked("spf.offline", "")
			b.notChecked("dmarc.offline", "")
		}
		return a
	}
	if fromDomain == "" {
		b.notChecked("dmarc.no_from", "")
		return a
	}
	a.known = true
	var dkimAligned, spfAligned, temp bool
	record, recErr := b.lookupDMARC(ctx, fromDomain)
	strictDKIM := record != nil && record.DKIMAlignment == dmarc.AlignmentStrict
	strictSPF := record != nil && record.SPFAlignment == dmarc.AlignmentStrict

	if truncated {
		b.notChecked("dkim.too_large", "")
	} else {
		results, err := dkim.Verify(ctx, raw, b.cfg.Resolver.LookupTXT)
		if err != nil {
			b.notChecked("dkim.unreadable", err.Error())
		}
		if len(results) == 0 && err == nil {
			b.add("dkim.none", SeverityLow, "")
		}
		for _, r := range results {
			detail := "d=" + r.Domain + " s=" + r.Selector
			isAligned := aligned(r.Domain, fromDomain, strictDKIM)
			switch r.Status {
			case dkim.StatusPass:
				b.add("dkim.pass", SeverityInfo, detail)
				dkimAligned = dkimAligned || isAligned
			case dkim.StatusTempError:
				temp = true
				b.notChecked("dkim.temperror", detail)
			case dkim.StatusFail:
				sev := SeverityMedium
				if isAligned && a.protected {
					sev = SeverityHigh
				}
				b.add("dkim.fail", sev, detail+": "+errText(r.Err))
			default:
				b.add("dkim.permerror", SeverityLow, detail+": "+errText(r.Err))
			}
		}
	}

	spfDomain, spfRes := b.checkSPF(ctx, h, fromDomain)
	if spfRes == spf.Pass {
		spfAligned = aligned(spfDomain, fromDomain, strictSPF)
	}
	temp = temp || spfRes == spf.TempError

	a.aligned = dkimAligned || spfAligned
	how := []string{}
	if dkimAligned {
		how = append(how, "dkim")
	}
	if spfAligned {
		how = append(how, "spf")
	}
	switch {
	case recErr != nil && !isNotFound(recErr):
		b.notChecked("dmarc.temperror", recErr.Error())
	case record == nil:
		b.add("dmarc.none", SeverityLow, fromDomain)
	}
	switch {
	case a.aligned && record != nil:
		b.add("dmarc.pass", SeverityInfo, fromDomain+" ("+strings.Join(how, "+")+", p="+string(record.Policy)+")")
	case a.aligned:
		b.add("auth.aligned", SeverityInfo, fromDomain+" ("+strings.Join(how, "+")+")")
	case temp && !a.aligned:
		a.known = false
	case record != nil:
		sev := SeverityMedium
		if record.Policy == dmarc.PolicyReject || record.Policy == dmarc.PolicyQuarantine {
			sev = SeverityHigh
		}
		b.add("dmarc.fail", sev, fromDomain+" (p="+string(record.Policy)+")")
	}
	return a
}

// checkSPF evaluates SPF for the envelope sender (Return-Path) and the
// connecting IP of the trusted hop. It returns the domain checked.
func (b *builder) checkSPF(ctx context.Context, h header, fromDomain string) (string, spf.Result) {
	rp := parseMailboxes(h.get("Return-Path"))
	sender := ""
	if len(rp) > 0 {
		sender = rp[0].Addr
	}
	hp, trusted, ok := b.connectingHop(h)
	if !ok {
		b.notChecked("spf.no_ip", "")
		return "", ""
	}
	if sender == "" && hp.From == "" {
		b.notChecked("spf.no_sender", "")
		return "", ""
	}
	domain := domainOf(sender)
	if domain == "" {
		domain = asciiDomain(hp.From)
	}
	res, err := spf.CheckHostWithSender(hp.IP, hp.From, sender,
		spf.WithResolver(b.cfg.Resolver), spf.WithContext(ctx))
	detail := domain + " from " + hp.IP.String()
	if !trusted {
		detail += " (IP from the topmost Received field)"
	}
	switch res {
	case spf.Pass:
		b.add("spf.pass", SeverityInfo, detail)
	case spf.Fail:
		sev := SeverityMedium
		if b.protectedMatch(domain) != nil {
			sev = SeverityHigh
		}
		b.add("spf.fail", sev, detail)
	case spf.SoftFail:
		b.add("spf.softfail", SeverityLow, detail)
	case spf.TempError:
		b.notChecked("spf.temperror", detail+": "+errText(err))
	case spf.PermError:
		b.add("spf.permerror", SeverityLow, detail+": "+errText(err))
	default: // none, neutral
		b.add("spf.none", SeverityInfo, detail+": "+string(res))
	}
	return domain, res
}

// lookupDMARC finds the DMARC record of domain or, failing that, of its
// organisational domain (RFC 7489 §6.6.3).
func (b *builder) lookupDMARC(ctx context.Context, domain string) (*dmarc.Record, error) {
	if domain == "" {
		return nil, &net.DNSError{Err: "no From domain", IsNotFound: true}
	}
	names := []string{domain}
	if org := registrable(domain); org != "" && org != domain {
		names = append(names, org)
	}
	var lastErr error
	for _, n := range names {
		txts, err := b.cfg.Resolver.LookupTXT(ctx, "_dmarc."+n)
		if err != nil && !isNotFound(err) {
			return nil, err
		}
		lastErr = err
		for _, t := range txts {
			if !strings.HasPrefix(strings.TrimSpace(t), "v=DMARC1") {
				continue
			}
			if rec, err := dmarc.Parse(t); err == nil {
				return rec, nil
			}
		}
	}
	if lastErr == nil {
		lastErr = &net.DNSError{Err: "no DMARC record", Name: "_dmarc." + domain, IsNotFound: true}
	}
	return nil, lastErr
}

// fromAuthResults reads the Authentication-Results fields that our own
// receiving servers added: those above the second Received field (fields
// further down could have come with the mail) whose authserv-id is trusted.
func (b *builder) fromAuthResults(h header, a *auth) {
	if len(b.cfg.TrustedAuthServIDs) == 0 {
		return
	}
	received := 0
	for _, f := range h {
		if strings.EqualFold(f.Name, "Received") {
			if received++; received > 1 {
				break
			}
			continue
		}
		if !strings.EqualFold(f.Name, "Authentication-Results") {
			continue
		}
		id, results, err := authres.Parse(f.Value)
		if err != nil || !b.trustedID(id) {
			continue
		}
		a.known = true
		for _, r := range results {
			switch r := r.(type) {
			case *authres.DMARCResult:
				if r.Value == authres.ResultPass {
					a.aligned = true
					b.add("dmarc.pass", SeverityInfo, a.fromDomain+" (Authentication-Results: "+id+")")
				} else if r.Value == authres.ResultFail {
					b.add("dmarc.fail", SeverityHigh, a.fromDomain+" (Authentication-Results: "+id+")")
				}
			case *authres.DKIMResult:
				if r.Value == authres.ResultPass {
					b.add("dkim.pass", SeverityInfo, "d="+r.Domain+" (Authentication-Results: "+id+")")
					a.aligned = a.aligned || aligned(r.Domain, a.fromDomain, false)
				} else if r.Value == authres.ResultFail {
					b.add("dkim.fail", SeverityMedium, "d="+r.Domain+" (Authentication-Results: "+id+")")
				}
			case *authres.SPFResult:
				if r.Value == authres.ResultPass {
					b.add("spf.pass", SeverityInfo, r.From+" (Authentication-Results: "+id+")")
					a.aligned = a.aligned || aligned(domainOf(r.From), a.fromDomain, false) || aligned(r.From, a.fromDomain, false)
				} else if r.Value == authres.ResultFail {
					b.add("spf.fail", SeverityMedium, r.From+" (Authentication-Results: "+id+")")
				}
			}
		}
	}
}

func isNotFound(err error) bool {
	var d *net.DNSError
	return errors.As(err, &d) && d.IsNotFound
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
