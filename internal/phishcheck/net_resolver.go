package phishcheck

import (
	"context"
	"net"
	"time"
)

// NetResolver is the production Resolver: the system's DNS through Go's own
// resolver, with a time limit on every query so a slow name server cannot
// hold a check for long.
type NetResolver struct {
	Resolver *net.Resolver
	Timeout  time.Duration // per query; 0 means 5 seconds
}

// NewNetResolver returns a NetResolver with the given per-query timeout.
func NewNetResolver(timeout time.Duration) *NetResolver {
	return &NetResolver{Resolver: &net.Resolver{PreferGo: true}, Timeout: timeout}
}

func (r *NetResolver) ctx(ctx context.Context) (context.Context, context.CancelFunc) {
	t := r.Timeout
	if t <= 0 {
		t = 5 * time.Second
	}
	return context.WithTimeout(ctx, t)
}

func (r *NetResolver) res() *net.Resolver {
	if r.Resolver == nil {
		return net.DefaultResolver
	}
	return r.Resolver
}

// LookupTXT implements Resolver.
func (r *NetResolver) LookupTXT(ctx context.Context, name string) ([]string, error) {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	return r.res().LookupTXT(ctx, name)
}

// LookupMX implements Resolver.
func (r *NetResolver) LookupMX(ctx context.Context, name string) ([]*net.MX, error) {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	return r.res().LookupMX(ctx, name)
}

// LookupIPAddr implements Resolver.
func (r *NetResolver) LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error) {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	return r.res().LookupIPAddr(ctx, host)
}

// LookupAddr implements Resolver.
func (r *NetResolver) LookupAddr(ctx context.Context, addr string) ([]string, error) {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	return r.res().LookupAddr(ctx, addr)
}
