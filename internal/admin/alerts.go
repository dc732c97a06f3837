package admin

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/web"
)

// alertData is what the admin_* mail templates receive. The anti-phishing
// code comes first in every mail: a phisher's copy cannot know it. The
// mails carry no links, since "click here to secure your account" is what
// phishing mails say.
type alertData struct {
	Name         string
	AntiPhishing string
	At           string
	Address      string
	Device       string
	Factor       string
	What         string // i18n key of the change, for admin_change
	Lang         string
}

// alertIfNewDevice queues the "new sign-in" mail when this admin has never
// signed in from this address with this browser before.
func (h *Handlers) alertIfNewDevice(ctx context.Context, tx *db.Tx, r *http.Request, a *Admin, factor string) error {
	addr, ua := web.Info(r).ClientIP.String(), r.UserAgent()
	if len(ua) > 300 {
		ua = ua[:300]
	}
	var seen int
	err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE actor_id = ? AND action = 'signin.success' AND address = ? AND user_agent = ?`, a.ID, addr, ua).Scan(&seen)
	if err != nil || seen > 0 {
		return err
	}
	return h.queueAlert(ctx, tx, r, a, "admin_signin", factor, "")
}

// alertChange queues the "your account changed" mail (password, a factor
// added or removed, recovery codes renewed).
func (h *Handlers) alertChange(ctx context.Context, tx *db.Tx, r *http.Request, a *Admin, what string) error {
	return h.queueAlert(ctx, tx, r, a, "admin_change", "", what)
}

func (h *Handlers) queueAlert(ctx context.Context, tx *db.Tx, r *http.Request, a *Admin, event, factor, what string) error {
	jst := time.FixedZone("JST", 9*3600)
	d := alertData{Name: a.Name, AntiPhishing: a.AntiPhishing, At: tx.Now().In(jst).Format("2006-01-02 15:04 MST"),
		Address: web.Info(r).ClientIP.String(), Device: deviceName(r.UserAgent()), Factor: factor, What: what, Lang: a.Lang}
	m, err := mail.Compose(ctx, tx, event, a.Lang, a.Email, d)
	if err != nil {
		return err
	}
	_, err = mail.Enqueue(ctx, tx, m)
	return err
}

// deviceName is a short description of a user agent for people.
func deviceName(ua string) string {
	browser, os := "", ""
	for _, b := range []struct{ needle, name string }{{"Edg/", "Edge"}, {"Firefox/", "Firefox"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"}, {"curl/", "curl"}, {"Go-http-client", "Go"}} {
		if contains(ua, b.needle) {
			browser = b.name
			break
		}
	}
	for _, o := range []struct{ needle, name string }{{"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Android", "Android"}, {"Windows", "Windows"}, {"Mac OS X", "macOS"}, {"Linux", "Linux"}} {
		if contains(ua, o.needle) {
			os = o.name
			break
		}
	}
	switch {
	case browser != "" && os != "":
		return browser + " / " + os
	case browser != "":
		return browser
	case os != "":
		return os
	case ua == "":
		return "?"
	}
	if len(ua) > 40 {
		return ua[:40] + "…"
	}
	return ua
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
