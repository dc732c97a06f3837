package admin

import (
	"context"
	"sync"
	"time"

	"github.com/akinai/akinai/internal/db"
)

// Matrix is what each role may do in each area.
type Matrix map[Area]map[Role]Access

// Can reports whether a has at least need in area under the shop's
// permission matrix (the built-in one plus the owner's changes, loaded
// when the request's session was read).
func (a *Admin) Can(area Area, need Access) bool {
	if a == nil {
		return false
	}
	if a.matrix == nil {
		return Allowed(a.Role, area, need)
	}
	return a.matrix[area][a.Role] >= need
}

// EditableAreas are the areas whose access the owner sets per role, in
// the order of the menu. Account (one's own sign-in) stays everyone's.
var EditableAreas = []Area{AreaDashboard, AreaProducts, AreaOrders, AreaCustomers, AreaContent, AreaReports,
	AreaSettings, AreaMail, AreaSecurity, AreaAdmins, AreaAudit}

// ownerOnlyWrite are areas only the owner may change: whoever changes
// admins or the security policy can make themselves owner or switch
// passkeys off, so granting it would hand over the shop.
var ownerOnlyWrite = map[Area]bool{AreaSecurity: true, AreaAdmins: true}

// EditableRoles are the roles the matrix screen changes; the owner keeps
// full rights.
var EditableRoles = []Role{Manager, Staff}

// CheckAccess says why role may not be given access to area, as a message
// key, or "" when it may.
func CheckAccess(role Role, area Area, acc Access) string {
	switch {
	case role == Owner:
		return "roles.error.owner"
	case acc < NoAccess || acc > Write:
		return "roles.error.bad_access"
	case ownerOnlyWrite[area] && acc == Write:
		return "roles.error.owner_only"
	case area == AreaDashboard && acc == NoAccess:
		return "roles.error.dashboard"
	}
	return ""
}

// roleAccess caches the matrix for a few seconds, like the settings, so
// every instance sees a change soon without a query per request.
type roleAccess struct {
	db *db.DB
	mu sync.Mutex
	m  Matrix
	at time.Time
}

const roleAccessTTL = 3 * time.Second

// matrix returns the shop's permission matrix.
func (ra *roleAccess) matrix(ctx context.Context) (Matrix, error) {
	ra.mu.Lock()
	defer ra.mu.Unlock()
	if ra.m != nil && time.Since(ra.at) < roleAccessTTL {
		return ra.m, nil
	}
	m := Matrix{}
	for area, roles := range Permissions {
		m[area] = map[Role]Access{}
		for role, acc := range roles {
			m[area][role] = acc
		}
	}
	rows, err := ra.db.Query(ctx, `SELECT role, area, access FROM admin_role_access`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var role, area string
		var acc int
		if err := rows.Scan(&role, &area, &acc); err != nil {
			return nil, err
		}
		if m[Area(area)] == nil {
			continue // an area this binary no longer has
		}
		if CheckAccess(Role(role), Area(area), Access(acc)) == "" {
			m[Area(area)][Role(role)] = Access(acc)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ra.m, ra.at = m, time.Now()
	return m, nil
}

// invalidate drops the cache (after a change on this instance).
func (ra *roleAccess) invalidate() {
	ra.mu.Lock()
	ra.m = nil
	ra.mu.Unlock()
}

// SetAccess stores role's access to area inside tx.
func SetAccess(ctx context.Context, tx *db.Tx, role Role, area Area, acc Access, by string) error {
	_, err := tx.Exec(ctx, `INSERT INTO admin_role_access (role, area, access, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (role, area) DO UPDATE SET access = excluded.access, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		string(role), string(area), int(acc), by, tx.Now())
	return err
}
