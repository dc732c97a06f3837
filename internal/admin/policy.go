package admin

import (
	"context"
	"net/netip"

	"github.com/akinai/akinai/internal/db"
)

// signInPolicy says which factors sign an admin in. Typed codes (an
// authenticator app's code, a recovery code) carry nothing that names the
// site they were typed into, so a look-alike site relays them; a passkey
// cannot be relayed. Hence: as soon as an account has a passkey, only a
// passkey signs it in, unless the admin allowed typed codes again (sudo,
// audited, mailed), and never when the owner requires passkeys shop-wide.
type signInPolicy struct {
	// PasskeysOnly: TOTP and recovery codes are refused at sign-in.
	PasskeysOnly bool
	// ShopWide: the owner requires passkeys of every admin.
	ShopWide bool
	// EnrolOnly: the shop requires passkeys and this admin has none yet;
	// a typed code opens only the restricted session that enrols one.
	EnrolOnly bool
	// Passkeys is how many passkeys the admin has.
	Passkeys int
}

// policyFor returns the sign-in policy that applies to a.
func (h *Handlers) policyFor(ctx context.Context, q db.Queryer, a *Admin) (signInPolicy, error) {
	shopWide, err := h.passkeysOnly(ctx)
	if err != nil {
		return signInPolicy{}, err
	}
	n, err := passkeyCount(ctx, q, a.ID)
	if err != nil {
		return signInPolicy{}, err
	}
	return signInPolicy{
		PasskeysOnly: n > 0 && (shopWide || !a.TypedCodesAllowed),
		ShopWide:     shopWide,
		EnrolOnly:    shopWide && n == 0,
		Passkeys:     n,
	}, nil
}

// networkOf is the network an address belongs to for "signed in from here
// before": its IPv4 /24 or IPv6 /64 (home and office addresses move
// within these).
func networkOf(ip netip.Addr) string {
	ip = ip.Unmap()
	bits := 64
	if ip.Is4() {
		bits = 24
	}
	p, err := ip.Prefix(bits)
	if err != nil {
		return ""
	}
	return p.String()
}

// rememberNetwork records that a completed a sign-in from ip's network.
func rememberNetwork(ctx context.Context, tx *db.Tx, adminID int64, ip netip.Addr) error {
	n := networkOf(ip)
	if n == "" {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO admin_known_networks (admin_id, network, first_at, last_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (admin_id, network) DO UPDATE SET last_at = excluded.last_at`, adminID, n, tx.Now(), tx.Now())
	return err
}

// knownNetwork reports whether the admin completed a sign-in from ip's
// network before.
func knownNetwork(ctx context.Context, q db.Queryer, adminID int64, ip netip.Addr) (bool, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM admin_known_networks WHERE admin_id = ? AND network = ?`, adminID, networkOf(ip)).Scan(&n)
	return n > 0, err
}

// Throttle buckets of the password step. Failures count against the
// account as a whole (bucketAccount) only from networks the account does
// not trust; from a trusted network they count against that network's own
// counter for the account (bucketAccountNet), so a guesser elsewhere
// cannot lock the owner out of their office or home.
const bucketAccountNet = "admin.signin.account_network"

// passwordBucket returns the bucket and key that count password failures
// for email from ip. A network is trusted for an account when the account
// completed a sign-in from it before (key "email net:/24"), or when it is
// on the admin allow list (key "email allow:prefix", the most specific
// allow entry holding ip: a guesser in one allowed office does not lock
// the other out). a is nil for an unknown email.
func (h *Handlers) passwordBucket(ctx context.Context, a *Admin, email string, ip netip.Addr) (bucket, key string, err error) {
	ip = ip.Unmap()
	// The same query for an unknown email (ID 0 has no rows), so the time
	// taken does not tell which accounts exist.
	id := int64(0)
	if a != nil {
		id = a.ID
	}
	known, err := knownNetwork(ctx, h.DB, id, ip)
	if err != nil {
		return "", "", err
	}
	if known && ip.IsValid() {
		return bucketAccountNet, email + " net:" + networkOf(ip), nil
	}
	l, err := h.ipList(ctx)
	if err != nil {
		return "", "", err
	}
	best := netip.Prefix{}
	for _, p := range l.Allow {
		p = p.Masked()
		if p.Addr().Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		if p.Contains(ip) && (!best.IsValid() || p.Bits() > best.Bits()) {
			best = p
		}
	}
	if best.IsValid() {
		return bucketAccountNet, email + " allow:" + best.String(), nil
	}
	return bucketAccount, email, nil
}

// passkeyCount is how many passkeys the admin has: the sign-in policy,
// the factor count and the panel's "add a passkey" banner all ask.
func passkeyCount(ctx context.Context, q db.Queryer, adminID int64) (int, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM admin_passkeys WHERE admin_id = ?`, adminID).Scan(&n)
	return n, err
}
