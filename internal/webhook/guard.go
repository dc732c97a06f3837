package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/akinai/akinai/internal/shop"
)

// Forbidden reports addresses a delivery must not reach unless the owner
// allowed private addresses for the endpoint: loopback, private (RFC 1918,
// fc00::/7), link-local (169.254/16 with the cloud metadata service,
// fe80::/10), shared (100.64/10), unspecified, multicast and the other
// special-purpose blocks.
func Forbidden(ip netip.Addr) bool {
	ip = ip.Unmap() // ::ffff:10.0.0.1 is 10.0.0.1
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return true
	}
	for _, p := range specialBlocks {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

var specialBlocks = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"), // NAT64 could reach any IPv4 address
	netip.MustParsePrefix("2002::/16"),    // 6to4 likewise
}

// errForbiddenAddr is what a refused connection reports in the delivery
// log.
var errForbiddenAddr = errors.New("address not allowed (loopback, private or link-local)")

// CheckURL validates a URL the owner typed for an endpoint: http or
// https, a host, no user info; a literal address or "localhost" that is
// Forbidden is refused unless allowPrivate. Names are checked again at
// every connection (Client), since DNS may answer differently later.
func CheckURL(raw string, allowPrivate bool) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.Hostname() == "" || len(raw) > 2000 {
		return nil, shop.Errorf(shop.Invalid, "webhook.error.url")
	}
	if allowPrivate {
		return u, nil
	}
	host := strings.ToLower(u.Hostname())
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return nil, shop.Errorf(shop.Invalid, "webhook.error.private")
	}
	if ip, err := netip.ParseAddr(host); err == nil && Forbidden(ip) {
		return nil, shop.Errorf(shop.Invalid, "webhook.error.private")
	}
	return u, nil
}

// Client returns the HTTP client deliveries use. Its dialer checks the
// address it is about to connect to — after DNS resolution, so a name
// that resolves (or rebinds) to an internal address is refused too — and
// it follows no redirects and ignores proxy settings.
func Client(allowPrivate bool, timeout time.Duration) *http.Client {
	d := &net.Dialer{Timeout: 10 * time.Second}
	if !allowPrivate {
		d.Control = func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || Forbidden(ap.Addr()) {
				return fmt.Errorf("%w: %s", errForbiddenAddr, address)
			}
			return nil
		}
	}
	t := &http.Transport{
		Proxy:                 nil,
		DialContext:           func(ctx context.Context, n, a string) (net.Conn, error) { return d.DialContext(ctx, n, a) },
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: timeout,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       30 * time.Second,
	}
	return &http.Client{
		Transport:     t,
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
