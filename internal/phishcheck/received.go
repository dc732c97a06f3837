package phishcheck

import (
	"net"
	"regexp"
	"strings"
)

// hop is what one Received field says about the connection it records.
type hop struct {
	From string // the HELO name after "from"
	IP   net.IP // the connecting address, from "[…]" in the from clause
	By   string // the receiving host after "by"
}

var (
	receivedIP   = regexp.MustCompile(`\[(?:IPv6:)?([0-9A-Fa-f:.]+)\]`)
	receivedFrom = regexp.MustCompile(`(?i)^\s*from\s+(\S+)`)
	receivedBy   = regexp.MustCompile(`(?i)\bby\s+([^\s;()]+)`)
)

func parseReceived(v string) hop {
	var h hop
	if m := receivedFrom.FindStringSubmatch(v); m != nil {
		h.From = strings.Trim(m[1], "[]")
	}
	fromClause := v
	if i := strings.Index(strings.ToLower(v), " by "); i >= 0 {
		fromClause = v[:i]
	}
	if m := receivedIP.FindStringSubmatch(fromClause); m != nil {
		h.IP = net.ParseIP(m[1])
	}
	if m := receivedBy.FindStringSubmatch(v); m != nil {
		h.By = strings.ToLower(strings.TrimSuffix(m[1], "."))
	}
	return h
}

// connectingHop finds the hop that handed the mail to the receiving
// servers. With trusted ids configured it walks down the Received fields the
// trusted servers added and returns the first whose sender is a public
// address; without, it takes the topmost field (added by the last server,
// so the sender cannot forge it) and reports trusted=false.
func (b *builder) connectingHop(h header) (hp hop, trusted, ok bool) {
	received := h.all("Received")
	if len(received) == 0 {
		return hop{}, false, false
	}
	if len(b.cfg.TrustedAuthServIDs) == 0 {
		hp = parseReceived(received[0])
		return hp, false, hp.IP != nil
	}
	for _, r := range received {
		hp = parseReceived(r)
		if !b.trustedID(hp.By) {
			return hop{}, true, false
		}
		if hp.IP != nil && !hp.IP.IsPrivate() && !hp.IP.IsLoopback() {
			return hp, true, true
		}
	}
	return hop{}, true, false
}

// trustedID reports whether an authserv-id or host is one of ours.
func (b *builder) trustedID(id string) bool {
	id = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(id), "."))
	for _, t := range b.cfg.TrustedAuthServIDs {
		if id != "" && strings.EqualFold(strings.TrimSuffix(t, "."), id) {
			return true
		}
	}
	return false
}
