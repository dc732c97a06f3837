package web

import (
	"net/http"

	"github.com/akinai/akinai/internal/i18n"
)

// SetFlash shows a one-time message (an i18n key) on the next page, for
// the redirect after a successful form. Only known keys are ever shown, so
// a forged cookie can display nothing but the shop's own messages.
func SetFlash(w http.ResponseWriter, r *http.Request, key string) {
	SetCookie(w, r, "flash", key, 0, http.SameSiteLaxMode)
}

func takeFlash(w http.ResponseWriter, r *http.Request) string {
	key := Cookie(r, "flash")
	if key == "" {
		return ""
	}
	SetCookie(w, r, "flash", "", -1, http.SameSiteLaxMode)
	if !i18n.Has(key) {
		return ""
	}
	return key
}
