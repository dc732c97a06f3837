package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"time"
)

// CSRF protection has two layers. http.CrossOriginProtection refuses
// unsafe requests a browser marks as cross-origin (Sec-Fetch-Site, Origin).
// Clients that send neither header still need a token, so every form
// carries one: an HMAC of a random per-browser cookie under the shop's
// secret (a signed double-submit cookie). A forged form cannot know it.

const csrfCookie = "csrf"

type csrf struct {
	key []byte
}

// token returns the request's CSRF token, setting the cookie it derives
// from when the browser has none yet.
func (c csrf) token(w http.ResponseWriter, r *http.Request) string {
	seed := Cookie(r, csrfCookie)
	if len(seed) < 32 {
		b := make([]byte, 32)
		rand.Read(b)
		seed = base64.RawURLEncoding.EncodeToString(b)
		// Lax, not Strict: a customer arriving from a search result must be
		// able to post the first form they see.
		SetCookie(w, r, csrfCookie, seed, 365*24*time.Hour, http.SameSiteLaxMode)
		// Visible to the rest of this request as if it had been sent.
		r.AddCookie(&http.Cookie{Name: CookieName(r, csrfCookie), Value: seed})
	}
	return c.sign(seed)
}

func (c csrf) sign(seed string) string {
	m := hmac.New(sha256.New, c.key)
	m.Write([]byte("csrf\x00" + seed))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// valid reports whether the request carries the right token in the
// "csrf" form field or the X-CSRF-Token header.
func (c csrf) valid(r *http.Request) bool {
	seed := Cookie(r, csrfCookie)
	if len(seed) < 32 {
		return false
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	return got != "" && hmac.Equal([]byte(got), []byte(c.sign(seed)))
}
