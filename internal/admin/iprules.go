package admin

import (
	"context"
	"net/netip"
	"time"

	"github.com/akinai/akinai/internal/db"
)

// IPRule is an allow or deny rule edited in the panel.
type IPRule struct {
	ID        int64
	Kind      string // allow or deny
	Prefix    netip.Prefix
	Note      string
	CreatedAt time.Time
}

// IPRules returns the stored rules.
func IPRules(ctx context.Context, q db.Queryer) ([]IPRule, error) {
	rows, err := q.Query(ctx, `SELECT id, kind, cidr, note, created_at FROM admin_ip_rules ORDER BY kind, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []IPRule
	for rows.Next() {
		var ru IPRule
		var cidr string
		if err := rows.Scan(&ru.ID, &ru.Kind, &cidr, &ru.Note, &ru.CreatedAt); err != nil {
			return nil, err
		}
		p, err := netip.ParsePrefix(cidr)
		if err != nil {
			continue // written by ReplaceIPRules, which parsed it
		}
		ru.Prefix = p
		out = append(out, ru)
	}
	return out, rows.Err()
}

// ReplaceIPRules stores the allow and deny lists in place of the old ones.
func ReplaceIPRules(ctx context.Context, tx *db.Tx, allow, deny []netip.Prefix) error {
	if _, err := tx.Exec(ctx, `DELETE FROM admin_ip_rules`); err != nil {
		return err
	}
	for kind, list := range map[string][]netip.Prefix{"allow": allow, "deny": deny} {
		for _, p := range list {
			if _, err := tx.Exec(ctx, `INSERT INTO admin_ip_rules (kind, cidr, created_at) VALUES (?, ?, ?)`, kind, p.String(), tx.Now()); err != nil {
				return err
			}
		}
	}
	return nil
}
