package admin

import (
	"net/http"
	"strconv"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
)

type roleCell struct {
	Role   Role
	Access Access
	Field  string // the form field; "" when the cell is fixed (the owner)
	Error  string // message key
}

type roleRow struct {
	Area  Area
	Cells []roleCell
}

type rolesPage struct {
	Rows    []roleRow
	Roles   []Role
	CanEdit bool
	Failed  bool
	Owner   string // message key: a change to the owner's column was refused
}

func accessField(role Role, area Area) string { return "access." + string(role) + "." + string(area) }

// roles shows what each role may do per area (権限管理): the owner's
// column is fixed at full rights. GET /{admin}/admins/roles
func (h *Handlers) roles(w http.ResponseWriter, r *http.Request, c *current) error {
	m, err := h.access.matrix(r.Context())
	if err != nil {
		return err
	}
	return h.renderRoles(w, r, c, http.StatusOK, m, nil)
}

func (h *Handlers) renderRoles(w http.ResponseWriter, r *http.Request, c *current, status int, m Matrix, errs map[string]string) error {
	p := &rolesPage{Roles: Roles, CanEdit: c.admin.Can(AreaAdmins, Write), Failed: len(errs) > 0}
	for _, area := range EditableAreas {
		if k := errs[accessField(Owner, area)]; k != "" {
			p.Owner = k
		}
		row := roleRow{Area: area}
		for _, role := range Roles {
			cell := roleCell{Role: role, Access: m[area][role]}
			if role != Owner {
				cell.Field = accessField(role, area)
				cell.Error = errs[cell.Field]
			}
			row.Cells = append(row.Cells, cell)
		}
		p.Rows = append(p.Rows, row)
	}
	return h.page(w, r, status, "admin_roles", "roles.title", p)
}

// saveRoles stores the matrix the owner submitted. Every cell is checked
// first (the owner keeps full rights; only the owner may change admins and
// security; everyone sees the dashboard); one refused cell stores nothing.
// The changed cells are audited with their before and after.
// POST /{admin}/admins/roles (sudo)
func (h *Handlers) saveRoles(w http.ResponseWriter, r *http.Request, c *current) error {
	ctx := r.Context()
	old, err := h.access.matrix(ctx)
	if err != nil {
		return err
	}
	next := Matrix{}
	errs := map[string]string{}
	type change struct {
		role     Role
		area     Area
		from, to Access
	}
	var changes []change
	for _, area := range EditableAreas {
		next[area] = map[Role]Access{}
		for _, role := range Roles {
			next[area][role] = old[area][role]
		}
		if v, ok := r.PostForm[accessField(Owner, area)]; ok && v[0] != strconv.Itoa(int(Write)) {
			errs[accessField(Owner, area)] = "roles.error.owner"
		}
		for _, role := range EditableRoles {
			f := accessField(role, area)
			v := r.PostFormValue(f)
			if v == "" {
				continue // not on the form: unchanged
			}
			n, err := strconv.Atoi(v)
			acc := Access(n)
			if err != nil {
				acc = -1
			}
			if key := CheckAccess(role, area, acc); key != "" {
				errs[f] = key
				continue
			}
			next[area][role] = acc
			if acc != old[area][role] {
				changes = append(changes, change{role, area, old[area][role], acc})
			}
		}
	}
	if len(errs) > 0 {
		h.audit(r, c.admin, "roles.refused", "", map[string]any{"fields": len(errs)})
		return h.renderRoles(w, r, c, http.StatusUnprocessableEntity, next, errs)
	}
	if len(changes) == 0 {
		return h.flashBack(w, r, "roles.unchanged", "/admins/roles")
	}
	err = h.DB.Tx(ctx, func(tx *db.Tx) error {
		var details []map[string]any
		for _, ch := range changes {
			if err := SetAccess(ctx, tx, ch.role, ch.area, ch.to, c.admin.Email); err != nil {
				return err
			}
			details = append(details, map[string]any{"role": string(ch.role), "area": string(ch.area), "before": accessName(ch.from), "after": accessName(ch.to)})
		}
		_, err := audit.Append(ctx, tx, AuditEntry(r, "roles.access", "", map[string]any{"changes": details}))
		return err
	})
	if err != nil {
		return err
	}
	h.access.invalidate()
	return h.flashBack(w, r, "roles.saved", "/admins/roles")
}

func accessName(a Access) string {
	switch a {
	case Read:
		return "read"
	case Write:
		return "write"
	}
	return "none"
}
