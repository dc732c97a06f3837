// Package admin is the shop's back office: its front door (first-run
// setup, password, passkeys, TOTP and recovery codes, throttling, IP lists,
// sessions, sudo mode), the shell other areas hang their pages in (layout,
// navigation by role, dashboard), the admins' own account pages, the
// management of admins and security settings, and the audit log viewer.
package admin

import (
	"embed"
	"fmt"
	"log/slog"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/csvcols"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/throttle"
	"github.com/akinai/akinai/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Config is what the operator decides at start.
type Config struct {
	// Path is the secret first path segment of every admin URL, without
	// slashes ("admin-k3x9…").
	Path string
	// BaseURL is the shop's public URL; its host is the passkeys' RP ID
	// and its origin the only origin ceremonies are accepted from.
	BaseURL string
	// Secret is the master secret; the TOTP sealing key is derived from it.
	Secret []byte
	// Allow and Deny come from AKINAI_ADMIN_ALLOW/DENY and add to the rules
	// edited in the panel.
	Allow, Deny []netip.Prefix
	// IdleTimeout and MaxAge bound a session (defaults 30 min, 12 h).
	IdleTimeout time.Duration
	MaxAge      time.Duration
	// SignIn is the failure back-off (zero: throttle.SignIn).
	SignIn throttle.Policy
	// PathFromConfig is true when Path came from --admin-path or
	// AKINAI_ADMIN_PATH, which the stored setting cannot override.
	PathFromConfig bool
	// FontPath is a TrueType Japanese font for invoice PDFs that replaces
	// the embedded IPAex Gothic (zero: the embedded font).
	FontPath string
}

// Handlers serves the admin panel. Build it with New.
type Handlers struct {
	DB       *db.DB
	Settings *settings.Store
	Render   *web.Renderer
	Log      *slog.Logger
	Config   Config

	base     string     // "/" + Config.Path
	patterns []string   // every route, for Patterns
	cards    []CardFunc // contributed dashboard cards (AddCard)
	totpKey  []byte
	webauthn *webauthn.WebAuthn
	nav      []NavGroup             // the sidebar: navigation plus the features' entries
	panels   map[string][]PanelFunc // page name → blocks other areas add (AddPanel)
	access   roleAccess             // the owner's permission matrix, cached
	csv      csvcols.Registry       // the exports of 設定 › CSV出力項目設定
}

// Timeouts of the sign-in steps.
const (
	sudoFor        = 10 * time.Minute
	mfaStepFor     = 10 * time.Minute
	ceremonyFor    = 5 * time.Minute
	setupTokenFor  = 60 * time.Minute
	sessionCookie  = "admin_session"
	ceremonyCookie = "admin_ceremony"
)

// New checks cfg, derives the keys, configures WebAuthn for the base URL's
// host and origin, and registers the admin templates with r.
func New(d *db.DB, s *settings.Store, r *web.Renderer, log *slog.Logger, cfg Config) (*Handlers, error) {
	if cfg.Path == "" || strings.ContainsAny(cfg.Path, "/?#% ") {
		return nil, fmt.Errorf("admin: bad admin path %q", cfg.Path)
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 30 * time.Minute
	}
	if cfg.MaxAge <= 0 {
		cfg.MaxAge = 12 * time.Hour
	}
	if cfg.SignIn == (throttle.Policy{}) {
		cfg.SignIn = throttle.SignIn
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("admin: bad base URL %q", cfg.BaseURL)
	}
	key, err := auth.DeriveKey(cfg.Secret, auth.PurposeTOTPSecret)
	if err != nil {
		return nil, err
	}
	wa, err := webauthn.New(&webauthn.Config{
		RPID:          u.Hostname(),
		RPDisplayName: "Akinai",
		RPOrigins:     []string{u.Scheme + "://" + u.Host},
	})
	if err != nil {
		return nil, fmt.Errorf("admin: webauthn: %w", err)
	}
	h := &Handlers{DB: d, Settings: s, Render: r, Log: log, Config: cfg, base: "/" + cfg.Path, totpKey: key, webauthn: wa, nav: defaultNav(), access: roleAccess{db: d}}
	if err := r.AddLayout("admin", templateFS, "templates/admin_layout.html"); err != nil {
		return nil, err
	}
	if err := r.AddPages("admin", templateFS, "templates/admin_[a-k]*.html", "templates/admin_lo*.html", "templates/admin_[m-z]*.html", "templates/_*.html"); err != nil {
		return nil, err
	}
	r.LayoutData["admin"] = h.layoutData
	return h, nil
}

// Base is the admin's URL path prefix ("/admin-k3x9…").
func (h *Handlers) Base() string { return h.base }
