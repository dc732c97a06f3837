package phishcheck

import (
	"context"
	"net"
	"strings"
)

// StaticResolver answers DNS queries from fixed records, for tests and for
// demonstrations without a network. Keys are lower-case names without the
// trailing dot. Names it does not hold give a not-found *net.DNSError.
type StaticResolver struct {
	TXT map[string][]string
	IP  map[string][]net.IP
	MX  map[string][]*net.MX
}

func notFound(name string) error {
	return &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

func key(name string) string { return strings.TrimSuffix(strings.ToLower(name), ".") }

// LookupTXT returns the TXT records of name.
func (r StaticResolver) LookupTXT(_ context.Context, name string) ([]string, error) {
	if v, ok := r.TXT[key(name)]; ok {
		return v, nil
	}
	return nil, notFound(name)
}

// LookupMX returns the MX records of name.
func (r StaticResolver) LookupMX(_ context.Context, name string) ([]*net.MX, error) {
	if v, ok := r.MX[key(name)]; ok {
		return v, nil
	}
	return nil, notFound(name)
}

// LookupIPAddr returns the addresses of host.
func (r StaticResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	ips, ok := r.IP[key(host)]
	if !ok {
		return nil, notFound(host)
	}
	out := make([]net.IPAddr, len(ips))
	for i, ip := range ips {
		out[i] = net.IPAddr{IP: ip}
	}
	return out, nil
}

// LookupAddr has no reverse records: every address is not found.
func (r StaticResolver) LookupAddr(_ context.Context, addr string) ([]string, error) {
	return nil, notFound(addr)
}
