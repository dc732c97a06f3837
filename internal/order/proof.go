package order

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/web"
)

// ProofTTL is how long the browser that placed an order may see its
// completion page and prefill the registration form from it.
const ProofTTL = 60 * time.Minute

// proofCookie holds the proof; proofPurpose keys it (auth.DeriveKey).
const (
	proofCookie  = "order_proof"
	proofPurpose = "akinai order proof v1"
)

// Proof is the short-lived proof, kept in a signed cookie, that a browser
// placed one order. Order numbers are read out on the phone and printed
// on slips, so knowing one must not show the buyer's name, address and
// phone: the completion page and the registration form's prefill want
// the proof and answer as for an unknown order without it. The cookie
// names one order (the last one placed) and carries its expiry under an
// HMAC keyed from the shop's secret, so every instance of a shop accepts
// it and nothing is stored. A nil *Proof proves nothing.
type Proof struct {
	key []byte
	TTL time.Duration
}

// NewProof derives the proof key from the shop's master secret. Errors:
// the master secret is too short (auth.ErrKeySize).
func NewProof(master []byte) (*Proof, error) {
	k, err := auth.DeriveKey(master, proofPurpose)
	if err != nil {
		return nil, err
	}
	return &Proof{key: k, TTL: ProofTTL}, nil
}

// Grant gives the browser of r the proof that it placed order number,
// valid for TTL from now. It replaces the proof of an earlier order.
func (p *Proof) Grant(w http.ResponseWriter, r *http.Request, number string, now time.Time) {
	if p == nil {
		return
	}
	exp := strconv.FormatInt(now.Add(p.TTL).Unix(), 10)
	v := number + "." + exp + "." + auth.Sign(p.key, "order-proof", number, exp)
	// Lax: the page is reached by the redirect after the order's POST and
	// by links on the shop's own pages.
	web.SetCookie(w, r, proofCookie, v, p.TTL, http.SameSiteLaxMode)
}

// Forget removes the proof from the browser of r (at sign-out, so that
// the next person at a shared computer does not see the order).
func Forget(w http.ResponseWriter, r *http.Request) {
	if web.Cookie(r, proofCookie) != "" {
		web.SetCookie(w, r, proofCookie, "", -1, http.SameSiteLaxMode)
	}
}

// Holds reports whether the browser of r holds an unexpired proof for
// order number.
func (p *Proof) Holds(r *http.Request, number string, now time.Time) bool {
	if p == nil || number == "" {
		return false
	}
	parts := strings.Split(web.Cookie(r, proofCookie), ".")
	if len(parts) != 3 || parts[0] != number {
		return false
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || now.Unix() >= exp {
		return false
	}
	return auth.VerifySigned(p.key, parts[2], "order-proof", number, parts[1])
}
