package web

import (
	"net/http"
	"time"
)

// CookieName returns name with the __Host- prefix when the request is
// secure: the prefix makes browsers refuse the cookie unless it is Secure,
// has Path=/ and no Domain, so a sibling subdomain cannot plant it.
func CookieName(r *http.Request, name string) string {
	if Info(r).Secure {
		return "__Host-" + name
	}
	return name
}

// SetCookie sets an HttpOnly, SameSite cookie for the whole site; maxAge 0
// makes a session cookie and a negative maxAge deletes it.
func SetCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge time.Duration, sameSite http.SameSite) {
	c := &http.Cookie{
		Name:     CookieName(r, name),
		Value:    value,
		Path:     "/",
		HttpOnly: true,
		Secure:   Info(r).Secure,
		SameSite: sameSite,
	}
	switch {
	case maxAge < 0:
		c.MaxAge = -1
	case maxAge > 0:
		c.MaxAge = int(maxAge.Seconds())
	}
	http.SetCookie(w, c)
}

// Cookie returns the value of a cookie set by SetCookie, or "".
func Cookie(r *http.Request, name string) string {
	c, err := r.Cookie(CookieName(r, name))
	if err != nil {
		return ""
	}
	return c.Value
}
