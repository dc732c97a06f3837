package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/clientip"
	"github.com/akinai/akinai/internal/throttle"
)

// Config is everything the operator sets at start, from flags and AKINAI_*
// environment variables (a flag wins). Secrets also accept a _FILE
// variant naming a file that holds them.
type Config struct {
	Addr        string
	DataDir     string
	DatabaseURL string
	BaseURL     string // the shop's public URL, e.g. https://shop.example.co.jp
	LogFormat   string // text or json
	LogLevel    string
	Demo        bool
	DemoSize    int
	Secret      []byte // master secret for CSRF, tokens and encryption at rest
	Grace       time.Duration
	// TrustedProxies lists proxies whose X-Forwarded-For is believed.
	TrustedProxies string
	// RateLimits overrides storefront limits: "contact.ip=3/1h,…".
	RateLimits string
	// Limits is RateLimits applied to the defaults, set by validate.
	Limits throttle.Limits
	// Admin: the secret path (empty: the one stored at first start), the
	// address lists added to those edited in the panel, session limits.
	AdminPath  string
	AdminAllow string
	AdminDeny  string
	AdminIdle  time.Duration
	// InvoiceFont is a TrueType Japanese font for invoice PDFs that
	// replaces the embedded one ("": the embedded IPAex Gothic).
	InvoiceFont string
	AdminMaxAge time.Duration
	// adminSignIn overrides the sign-in back-off (tests use long blocks so
	// that no assertion depends on how fast the machine is).
	adminSignIn throttle.Policy
	Mail        MailConfig // SMTP delivery (mailconfig.go)
	// ImageStore is where uploaded product images go: db, disk or s3
	// (admin_products.go reads the S3 settings).
	ImageStore string
	// Metrics: who may read /metrics (ops.go): a bearer token
	// (AKINAI_METRICS_TOKEN or _FILE) or addresses in MetricsAllow.
	MetricsToken string
	MetricsAllow string
	// Backup schedules backups in `serve` (ops_backup.go).
	Backup BackupConfig
}

// bindCommon registers the flags every database-using command shares.
func (c *Config) bindCommon(fs *flag.FlagSet) {
	fs.StringVar(&c.DataDir, "data", env("AKINAI_DATA", "./data"), "data directory (SQLite database, secret key) [AKINAI_DATA]")
	fs.StringVar(&c.DatabaseURL, "database-url", env("AKINAI_DATABASE_URL", ""), "postgres:// URL; empty uses SQLite in the data directory [AKINAI_DATABASE_URL]")
	fs.StringVar(&c.LogFormat, "log-format", env("AKINAI_LOG_FORMAT", ""), "log format: text or json [AKINAI_LOG_FORMAT]")
	fs.StringVar(&c.LogLevel, "log-level", env("AKINAI_LOG_LEVEL", "info"), "debug, info, warn or error [AKINAI_LOG_LEVEL]")
}

func (c *Config) bindServe(fs *flag.FlagSet) {
	c.bindCommon(fs)
	fs.StringVar(&c.Addr, "addr", env("AKINAI_ADDR", ":8080"), "listen address [AKINAI_ADDR]")
	fs.StringVar(&c.BaseURL, "base-url", env("AKINAI_BASE_URL", ""), "the shop's public URL (default http://localhost:PORT) [AKINAI_BASE_URL]")
	fs.BoolVar(&c.Demo, "demo", envBool("AKINAI_DEMO"), "fill an empty database with the demo shop [AKINAI_DEMO]")
	fs.IntVar(&c.DemoSize, "demo-products", 0, "number of demo products (default 72; use 10000 for load tests)")
	fs.DurationVar(&c.Grace, "shutdown-grace", 25*time.Second, "how long to wait for in-flight requests at shutdown")
	fs.StringVar(&c.AdminPath, "admin-path", env("AKINAI_ADMIN_PATH", ""), "secret admin path segment (default: generated at first start) [AKINAI_ADMIN_PATH]")
	fs.StringVar(&c.AdminAllow, "admin-allow", env("AKINAI_ADMIN_ALLOW", ""), "addresses/CIDRs allowed into the admin (empty: all) [AKINAI_ADMIN_ALLOW]")
	fs.StringVar(&c.AdminDeny, "admin-deny", env("AKINAI_ADMIN_DENY", ""), "addresses/CIDRs refused from the admin [AKINAI_ADMIN_DENY]")
	fs.StringVar(&c.InvoiceFont, "invoice-font", env("AKINAI_INVOICE_FONT", ""), "TrueType Japanese font for invoice PDFs, replacing the IPAex Gothic built into akinai [AKINAI_INVOICE_FONT]")
	fs.DurationVar(&c.AdminIdle, "admin-idle-timeout", 30*time.Minute, "admin session idle timeout")
	fs.DurationVar(&c.AdminMaxAge, "admin-session-max", 12*time.Hour, "admin session absolute lifetime")
	c.Mail.bindMail(fs)
	fs.StringVar(&c.ImageStore, "image-store", env("AKINAI_IMAGE_STORE", "db"), "where uploaded images are kept: db, disk (DATA/images) or s3 (AKINAI_S3_ENDPOINT, _BUCKET, _REGION, _ACCESS_KEY, _SECRET_KEY[_FILE], _ADDRESSING=auto|path|virtual) [AKINAI_IMAGE_STORE]")
	fs.StringVar(&c.RateLimits, "rate-limits", env("AKINAI_RATE_LIMITS", ""), "storefront rate limits to change, e.g. contact.ip=3/1h,checkout.place.ip=50/30m [AKINAI_RATE_LIMITS]")
	c.Backup.bind(fs)
	fs.StringVar(&c.MetricsAllow, "metrics-allow", env("AKINAI_METRICS_ALLOW", ""), "addresses/CIDRs that may read /metrics without the token (AKINAI_METRICS_TOKEN[_FILE]) [AKINAI_METRICS_ALLOW]")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", env("AKINAI_TRUSTED_PROXIES", ""), "addresses/CIDRs of reverse proxies whose X-Forwarded-For is believed [AKINAI_TRUSTED_PROXIES]")
}

// validate checks the values and fills derived ones.
func (c *Config) validate() error {
	if c.Limits == nil {
		l, err := throttle.ParseLimits(c.RateLimits, throttle.DefaultLimits())
		if err != nil {
			return err
		}
		c.Limits = l
	}
	if c.DatabaseURL != "" {
		u, err := url.Parse(c.DatabaseURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			return errors.New("--database-url must be a postgres:// URL")
		}
	}
	switch c.LogFormat {
	case "", "text", "json":
	default:
		return fmt.Errorf("--log-format must be text or json, not %q", c.LogFormat)
	}
	if c.AdminPath != "" && !admin.ValidPath(c.AdminPath) {
		return fmt.Errorf("--admin-path must be 8 to 64 letters, digits, '-' or '_', not %q", c.AdminPath)
	}
	for name, v := range map[string]string{"--admin-allow": c.AdminAllow, "--admin-deny": c.AdminDeny, "--trusted-proxies": c.TrustedProxies, "--metrics-allow": c.MetricsAllow} {
		if _, err := clientip.ParsePrefixes(v); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--base-url must be an absolute http(s) URL, not %q", c.BaseURL)
		}
		c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	}
	return c.Mail.validateMail()
}

// SQLitePath is where the embedded database lives.
func (c *Config) SQLitePath() string { return filepath.Join(c.DataDir, "akinai.db") }

// loadSecret reads AKINAI_SECRET_KEY (or _FILE), or the data directory's
// secret.key, creating it on first start. Instances sharing one PostgreSQL
// database must share the secret: set AKINAI_SECRET_KEY_FILE on each.
func (c *Config) loadSecret(log *slog.Logger) error {
	if len(c.Secret) >= 32 {
		return nil // set by the caller (tests running several instances)
	}
	if v := os.Getenv("AKINAI_SECRET_KEY"); v != "" {
		return c.setSecret(v, "AKINAI_SECRET_KEY")
	}
	path := os.Getenv("AKINAI_SECRET_KEY_FILE")
	if path == "" {
		path = filepath.Join(c.DataDir, "secret.key")
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && os.Getenv("AKINAI_SECRET_KEY_FILE") == "" {
		if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
			return err
		}
		k := make([]byte, 32)
		rand.Read(k)
		if err := os.WriteFile(path, []byte(hex.EncodeToString(k)+"\n"), 0o600); err != nil {
			return fmt.Errorf("create secret key %s: %w", path, err)
		}
		log.Info("created a new secret key", "file", path)
		c.Secret = k
		return nil
	}
	if err != nil {
		return fmt.Errorf("read secret key: %w", err)
	}
	return c.setSecret(strings.TrimSpace(string(b)), path)
}

func (c *Config) setSecret(v, where string) error {
	k, err := hex.DecodeString(v)
	if err != nil || len(k) < 32 {
		return fmt.Errorf("%s must hold at least 64 hex characters (32 random bytes)", where)
	}
	c.Secret = k
	return nil
}

// newLogger sets up slog: text on a terminal, JSON otherwise or when asked.
func (c *Config) newLogger(w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func env(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}

func envBool(key string) bool {
	switch strings.ToLower(os.Getenv(key)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}
