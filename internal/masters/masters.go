// Package masters holds the operator's names for master labels (EC-CUBE's
// マスタデータ管理): the choices for gender and the customer statuses,
// per language. The codes stay fixed in code and in the database; only
// what pages show changes. Order status names have their own screen
// (internal/order).
package masters

import (
	"context"
	"sync"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/i18n"
)

// Group is one master whose labels the operator may rename.
type Group struct {
	Name string   // message key of the group's heading
	Keys []string // message keys of its labels, in order
}

// Groups are the renamable masters.
var Groups = []Group{
	{"masters.group.gender", []string{"customer.gender.female", "customer.gender.male", "customer.gender.other", "customer.gender.none"}},
	{"masters.group.customer_status", []string{"admin.customers.status.pending", "admin.customers.status.active", "admin.customers.status.suspended", "admin.customers.status.withdrawn"}},
}

// Renamable reports whether key belongs to a group.
func Renamable(key string) bool {
	for _, g := range Groups {
		for _, k := range g.Keys {
			if k == key {
				return true
			}
		}
	}
	return false
}

// MaxLen is the longest label, in characters.
const MaxLen = 40

// TTL bounds how stale another instance's names may be.
const TTL = 3 * time.Second

// Store reads and caches the names.
type Store struct {
	DB *db.DB

	mu sync.Mutex
	m  map[i18n.Lang]map[string]string
	at time.Time
}

// Names returns the renamed keys for lang and their names (for
// web.Renderer.Labels).
func (s *Store) Names(ctx context.Context, lang i18n.Lang) (map[string]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m != nil && time.Since(s.at) < TTL {
		return s.m[lang], nil
	}
	rows, err := s.DB.Query(ctx, `SELECT key, lang, value FROM label_overrides`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[i18n.Lang]map[string]string{}
	for rows.Next() {
		var k, l, v string
		if err := rows.Scan(&k, &l, &v); err != nil {
			return nil, err
		}
		if !Renamable(k) {
			continue
		}
		if m[i18n.Lang(l)] == nil {
			m[i18n.Lang(l)] = map[string]string{}
		}
		m[i18n.Lang(l)][k] = v
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	s.m, s.at = m, time.Now()
	return m[lang], nil
}

// Invalidate drops the cache after a change on this instance.
func (s *Store) Invalidate() {
	s.mu.Lock()
	s.m = nil
	s.mu.Unlock()
}

// Set stores lang's name for key inside tx; an empty value restores the
// built-in name.
func Set(ctx context.Context, tx *db.Tx, key, lang, value, by string) error {
	if value == "" {
		_, err := tx.Exec(ctx, `DELETE FROM label_overrides WHERE key = ? AND lang = ?`, key, lang)
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO label_overrides (key, lang, value, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (key, lang) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		key, lang, value, by, tx.Now())
	return err
}
