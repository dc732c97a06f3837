package throttle

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Limit is a fixed-window rate limit: at most Max events per Window.
type Limit struct {
	Max    int
	Window time.Duration
}

// Limits names the storefront's rate limits. The state lives in the
// database (Hit), so several instances and a restart share it. Keys of a
// limit are an address (".ip") or a customer ID (".customer").
type Limits map[string]Limit

// Names of the storefront limits, and their defaults: at least as strict
// as EC-CUBE 4.2's production settings (eccube_rate_limiter.yaml).
const (
	CustomerSignInAccount = "customer.signin.account" // per email+address
	CustomerSignInIP      = "customer.signin.ip"
	RegisterIP            = "customer.register.ip" // registration form posts
	RegisterCompleteIP    = "customer.register.complete.ip"
	PasswordResetIP       = "customer.reset.ip"
	CustomerChange        = "customer.change.customer" // profile, addresses
	ContactIP             = "contact.ip"
	CheckoutConfirmIP     = "checkout.confirm.ip"
	CheckoutConfirmUser   = "checkout.confirm.customer"
	CheckoutPlaceIP       = "checkout.place.ip"
	CheckoutPlaceUser     = "checkout.place.customer"
	ReviewIP              = "review.ip"       // review form posts
	ReviewCustomer        = "review.customer" // per signed-in customer
)

// DefaultLimits returns the default storefront limits.
func DefaultLimits() Limits {
	m := 30 * time.Minute
	return Limits{
		CustomerSignInAccount: {5, m},
		CustomerSignInIP:      {25, m},
		RegisterIP:            {25, m},
		RegisterCompleteIP:    {5, m},
		PasswordResetIP:       {5, m},
		CustomerChange:        {10, m},
		ContactIP:             {5, m},
		CheckoutConfirmIP:     {25, m},
		CheckoutConfirmUser:   {10, m},
		CheckoutPlaceIP:       {25, m},
		CheckoutPlaceUser:     {10, m},
		// A customer writes one review per product bought; more posts
		// than that in a day are a script.
		ReviewIP:       {20, time.Hour},
		ReviewCustomer: {10, 24 * time.Hour},
	}
}

// ParseLimits overrides base with "name=max/window" pairs separated by
// commas, e.g. "contact.ip=3/1h,checkout.place.ip=50/30m" (from
// AKINAI_RATE_LIMITS). Unknown names are refused so a typo does not
// silently leave a form unprotected.
func ParseLimits(s string, base Limits) (Limits, error) {
	out := Limits{}
	for k, v := range base {
		out[k] = v
	}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, spec, ok := strings.Cut(part, "=")
		if _, known := base[name]; !ok || !known {
			return nil, fmt.Errorf("rate limit %q: unknown name (known: %s)", part, strings.Join(base.names(), ", "))
		}
		maxS, winS, ok := strings.Cut(spec, "/")
		max, err1 := strconv.Atoi(maxS)
		win, err2 := time.ParseDuration(winS)
		if !ok || err1 != nil || err2 != nil || max < 1 || win <= 0 {
			return nil, fmt.Errorf("rate limit %q: want name=max/window, e.g. %s=5/30m", part, name)
		}
		out[name] = Limit{max, win}
	}
	return out, nil
}

func (l Limits) names() []string {
	var n []string
	for k := range l {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// Allow counts one event for key under the named limit, in its own
// transaction, and returns a TooMany error (429, Retry-After) when the
// limit is exceeded. An unknown name is a programming error.
func (l Limits) Allow(ctx context.Context, d *db.DB, name, key string) error {
	lim, ok := l[name]
	if !ok {
		return fmt.Errorf("throttle: no limit named %q", name)
	}
	var allowed bool
	var retry time.Duration
	err := d.Tx(ctx, func(tx *db.Tx) error {
		var err error
		allowed, retry, err = Hit(ctx, tx, name, key, lim.Max, lim.Window)
		return err
	})
	if err != nil {
		return err
	}
	if allowed {
		return nil
	}
	secs := int(math.Ceil(retry.Seconds()))
	if secs < 1 {
		secs = 1
	}
	return &shop.Error{Kind: shop.TooMany, Key: "error.too_many", Args: []any{secs}, RetryAfter: secs}
}
