// Package settings holds what an operator changes at run time — shop
// information, the secret admin path, tax rounding — in the settings
// table, with a short cache so a busy storefront does not read it on every
// request while several instances still see a change within seconds.
package settings

import (
	"context"
	"sync"
	"time"

	"github.com/akinai/akinai/internal/db"
)

// Keys of the settings table. Features add their own keys here so that
// every setting can be found in one place.
const (
	ShopName       = "shop.name"
	ShopNameEN     = "shop.name_en"
	ShopCompany    = "shop.company"
	ShopCompanyEN  = "shop.company_en"
	ShopURL        = "shop.url"
	ShopEmail      = "shop.email"
	ShopPhone      = "shop.phone"
	ShopPostalCode = "shop.postal_code"
	ShopAddress    = "shop.address"
	ShopAddressEN  = "shop.address_en"
	ShopManager    = "shop.manager"
	ShopHours      = "shop.hours"
	InvoiceNumber  = "tax.invoice_number" // T + 13 digits
	TaxRounding    = "tax.rounding"       // shop.Rounding
	AdminPath      = "admin.path"         // secret admin path segment
	FreeShipping   = "delivery.free_threshold"
	ProtectDomains = "mail.protected_domains"
	MailBCC        = "mail.bcc"       // a copy of every order mail goes here
	MailFooterJA   = "mail.footer_ja" // text added at the end of customer mails
	MailFooterEN   = "mail.footer_en"
	MembersOnly    = "store.members_only"     // "1": the storefront is for signed-in customers
	BlockedNets    = "store.blocked_networks" // networks refused by the storefront, one per line
)

// TTL bounds how stale a cached value may be on another instance.
const TTL = 3 * time.Second

// Store reads and writes settings.
type Store struct {
	DB *db.DB

	mu     sync.Mutex
	values map[string]string
	at     time.Time
}

// New returns a store on d.
func New(d *db.DB) *Store { return &Store{DB: d} }

// All returns every setting, from the cache when it is fresh.
func (s *Store) All(ctx context.Context) (map[string]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.values != nil && time.Since(s.at) < TTL {
		return s.values, nil
	}
	rows, err := s.DB.Query(ctx, "SELECT key, value FROM settings")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		m[k] = v
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	s.values, s.at = m, time.Now()
	return m, nil
}

// Get returns one setting, or "" when it is not set.
func (s *Store) Get(ctx context.Context, key string) (string, error) {
	m, err := s.All(ctx)
	return m[key], err
}

// Set writes settings inside the caller's transaction (so a change and its
// audit entry commit together) and drops the cache.
func (s *Store) Set(ctx context.Context, q db.Queryer, kv map[string]string) error {
	for k, v := range kv {
		_, err := q.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, k, v, q.Now())
		if err != nil {
			return err
		}
	}
	s.Invalidate()
	return nil
}

// SetDefault writes a setting only if it is not set yet, and reports
// whether it wrote it. Used at install for generated values.
func (s *Store) SetDefault(ctx context.Context, key, value string) (bool, error) {
	n, err := db.RowsAffected(s.DB.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO NOTHING`, key, value, s.DB.Now()))
	s.Invalidate()
	return n == 1, err
}

// Invalidate drops the cache.
func (s *Store) Invalidate() {
	s.mu.Lock()
	s.values = nil
	s.mu.Unlock()
}
