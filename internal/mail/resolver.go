package mail

import (
	"context"
	"errors"
	"net"
	"time"
)

// Resolver looks up DNS TXT records. Every DNS question the mail code
// asks goes through it, so tests answer from fixtures and production
// asks the system resolver. A name without TXT records (or that does
// not exist) is (nil, nil); an error means the answer is unknown.
type Resolver interface {
	LookupTXT(ctx context.Context, name string) ([]string, error)
}

// SystemResolver asks the system's resolver, each question bounded by
// Timeout (default 5 s).
type SystemResolver struct {
	Resolver *net.Resolver // nil: net.DefaultResolver
	Timeout  time.Duration
}

// LookupTXT returns the TXT records at name, the strings of each record
// joined as RFC 7208 and RFC 6376 require.
func (r SystemResolver) LookupTXT(ctx context.Context, name string) ([]string, error) {
	timeout := r.Timeout
	if timeout == 0 {
		timeout = 5 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	res := r.Resolver
	if res == nil {
		res = net.DefaultResolver
	}
	txt, err := res.LookupTXT(ctx, name)
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		return nil, nil
	}
	return txt, err
}

// TXTFixture answers TXT questions from a map of name → records: the
// resolver of tests and of an offline preview. Names are matched without
// a trailing dot and case-insensitively.
type TXTFixture map[string][]string

// LookupTXT returns the fixture's records for name.
func (f TXTFixture) LookupTXT(_ context.Context, name string) ([]string, error) {
	return f[normalizeName(name)], nil
}
