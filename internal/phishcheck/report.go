package phishcheck

import (
	"context"
	"net"
	"slices"
)

// Verdict is the overall judgement of a mail or link.
type Verdict string

// The three verdicts. Genuine is only given when the sender is
// authenticated (or the link is on a protected domain) and nothing else is
// wrong; see the package documentation for the scoring.
const (
	Genuine    Verdict = "genuine"
	Suspicious Verdict = "suspicious"
	Phishing   Verdict = "phishing"
)

// Severity ranks a Reason. Its Weight is what the reason adds to the score.
type Severity string

// Severities, from facts that speak for the mail to proof against it.
const (
	SeverityInfo     Severity = "info"     // a fact, often in the mail's favour
	SeverityLow      Severity = "low"      // common in genuine mail too
	SeverityMedium   Severity = "medium"   // unusual for genuine mail
	SeverityHigh     Severity = "high"     // rarely seen in genuine mail
	SeverityCritical Severity = "critical" // phishing on its own
)

// Weight is the number of points a reason of this severity adds to the
// score.
func (s Severity) Weight() int {
	switch s {
	case SeverityLow:
		return 10
	case SeverityMedium:
		return 25
	case SeverityHigh:
		return 45
	case SeverityCritical:
		return 100
	}
	return 0
}

// Reason is one finding. Code is stable and meant for machines (the admin
// page, tests, logs); Message is a sentence in the configured language;
// Detail names the evidence (a domain, a URL, a header) and is not
// translated.
type Reason struct {
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	Detail   string   `json:"detail,omitempty"`
}

// Link is a link or form target found in a mail (or the URL given to
// CheckURL).
type Link struct {
	Kind string `json:"kind"` // "a", "form", "text" (a URL in plain text) or "url"
	Href string `json:"href"`
	Text string `json:"text,omitempty"` // the visible text, normalised
	Host string `json:"host,omitempty"` // the host, in Unicode when it is an IDN
	// Fields names the credential inputs of a form ("password", "login").
	Fields []string `json:"fields,omitempty"`
}

// Report is the result of CheckMessage or CheckURL.
type Report struct {
	Verdict    Verdict  `json:"verdict"`
	Score      int      `json:"score"`
	Reasons    []Reason `json:"reasons"`
	NotChecked []Reason `json:"not_checked,omitempty"`
	Subject    string   `json:"subject,omitempty"`
	From       string   `json:"from,omitempty"`
	Links      []Link   `json:"links,omitempty"`
	// Advice tells the operator what to do instead of following the mail
	// (for example where to check the files' integrity).
	Advice []Reason `json:"advice,omitempty"`
}

// Has reports whether the report holds a reason (checked or not) with code.
func (r Report) Has(code string) bool {
	match := func(x Reason) bool { return x.Code == code }
	return slices.ContainsFunc(r.Reasons, match) || slices.ContainsFunc(r.NotChecked, match)
}

// Codes lists the codes of Reasons, in order, without repeats.
func (r Report) Codes() []string {
	var codes []string
	for _, x := range r.Reasons {
		if !slices.Contains(codes, x.Code) {
			codes = append(codes, x.Code)
		}
	}
	return codes
}

// Resolver answers the DNS queries of DKIM, SPF and DMARC. *net.Resolver
// satisfies it. A name that does not exist must give a *net.DNSError with
// IsNotFound set; a timeout one with IsTimeout or IsTemporary.
type Resolver interface {
	LookupTXT(ctx context.Context, name string) ([]string, error)
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
	LookupAddr(ctx context.Context, addr string) ([]string, error)
}

// Config tells the checker what to protect and how to reach DNS.
type Config struct {
	// Protected lists the domains phishers imitate: the shop's domains, the
	// admin host, the vendor's and the payment provider's domains
	// ("shop.co.jp", "ec-cube.net"). Look-alikes of these are phishing.
	Protected []string
	// Brands are names that must not appear in the display name of mail
	// from other domains ("EC-CUBE", "Akinai", the shop's name). The first
	// label of each protected domain of five or more characters is added.
	Brands []string
	// AdminOrigin is the admin panel's origin ("https://admin.shop.co.jp").
	// Links to login or admin pages on other hosts are flagged.
	AdminOrigin string
	// SendingDomains are the domains Akinai itself sends mail from; mail
	// claiming one of them must carry AntiPhishingCode. When empty, the
	// registrable domain of AdminOrigin is used.
	SendingDomains []string
	// AntiPhishingCode is the secret phrase Akinai puts in every mail it
	// sends. Empty disables the check.
	AntiPhishingCode string
	// Resolver answers DNS queries; nil means offline: DKIM, SPF and DMARC
	// are then listed in Report.NotChecked (or taken from a trusted
	// Authentication-Results field).
	Resolver Resolver
	// TrustedAuthServIDs are the authserv-ids of the receiving mail servers
	// (e.g. "mx.shop.co.jp"). Only their Authentication-Results fields are
	// read, and only a Received field added by one of them is trusted for
	// the connecting IP. When empty, the topmost Received field is used and
	// the SPF detail says so.
	TrustedAuthServIDs []string
	// Services are the shop's suppliers and other companies it deals with,
	// added to DefaultServices: mail that claims one of them but asks to
	// sign in elsewhere is phishing.
	Services []Service
	// Correspondents are domains the shop exchanges mail with (its
	// suppliers' domains); a request for money from a look-alike of one of
	// them is fraud.
	Correspondents []string
	// Lang is "ja" (the default) or "en": the language of Reason.Message.
	Lang string
}

// builder collects reasons for one report.
type builder struct {
	cfg       Config
	report    Report
	protected []protectedDomain
	services  []knownService
	lureScore int
}

func newBuilder(cfg Config) *builder {
	return &builder{cfg: cfg, protected: protectedList(cfg.Protected), services: prepareServices(cfg.Services),
		report: Report{Reasons: []Reason{}}}
}

// add records a finding once per code and detail.
func (b *builder) add(code string, sev Severity, detail string) {
	r := Reason{Code: code, Severity: sev, Message: message(code, b.cfg.Lang), Detail: detail}
	for _, x := range b.report.Reasons {
		if x.Code == code && x.Detail == detail {
			return
		}
	}
	b.report.Reasons = append(b.report.Reasons, r)
}

// notChecked records a check that could not be made.
func (b *builder) notChecked(code, detail string) {
	for _, x := range b.report.NotChecked {
		if x.Code == code && x.Detail == detail {
			return
		}
	}
	b.report.NotChecked = append(b.report.NotChecked, Reason{
		Code: code, Severity: SeverityInfo, Message: message(code, b.cfg.Lang), Detail: detail,
	})
}

// has reports whether a reason with code was recorded.
func (b *builder) has(code string) bool {
	return slices.ContainsFunc(b.report.Reasons, func(r Reason) bool { return r.Code == code })
}
