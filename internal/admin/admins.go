package admin

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

type adminsPage struct {
	Admins  []*Admin
	Me      *Admin
	CanEdit bool
	Form    NewAdmin
	Fields  map[string]string
	Roles   []Role
}

// admins lists the back-office accounts. GET /{admin}/admins
func (h *Handlers) admins(w http.ResponseWriter, r *http.Request, c *current) error {
	return h.renderAdmins(w, r, c, http.StatusOK, NewAdmin{Role: Staff}, nil)
}

func (h *Handlers) renderAdmins(w http.ResponseWriter, r *http.Request, c *current, status int, f NewAdmin, fields map[string]string) error {
	list, err := Admins(r.Context(), h.DB)
	if err != nil {
		return err
	}
	f.Password = ""
	return h.page(w, r, status, "admin_admins", "admin.admins.title", &adminsPage{Admins: list, Me: c.admin, CanEdit: c.admin.Can(AreaAdmins, Write), Form: f, Fields: fields, Roles: Roles})
}

// roleFromForm parses a role and refuses a forged one (not a role, or
// above what the acting admin may grant) with an audit entry.
func (h *Handlers) roleFromForm(r *http.Request, c *current) (Role, error) {
	role, ok := ParseRole(r.PostFormValue("role"))
	if !ok {
		h.audit(r, c.admin, "admin.forged_role", r.PostFormValue("role"), nil)
		return "", &shop.Error{Kind: shop.Invalid, Key: "admin.field.role", Fields: map[string]string{"role": "admin.field.role"}}
	}
	return role, nil
}

// createAdmin adds an admin, who enrols a second factor at first sign-in.
// POST /{admin}/admins (sudo)
func (h *Handlers) createAdmin(w http.ResponseWriter, r *http.Request, c *current) error {
	ctx := r.Context()
	f := NewAdmin{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"), Password: r.PostFormValue("password"), Lang: r.PostFormValue("lang")}
	role, err := h.roleFromForm(r, c)
	if err != nil {
		return h.renderAdmins(w, r, c, http.StatusUnprocessableEntity, f, err.(*shop.Error).Fields)
	}
	f.Role = role
	err = h.DB.Tx(ctx, func(tx *db.Tx) error {
		a, err := CreateAdmin(ctx, tx, f)
		if err != nil {
			return err
		}
		_, err = audit.Append(ctx, tx, h.entry(r, c.admin, "admin.created", a.Email, map[string]any{"role": string(a.Role)}))
		return err
	})
	var e *shop.Error
	if errors.As(err, &e) && e.Fields != nil {
		return h.renderAdmins(w, r, c, http.StatusUnprocessableEntity, f, e.Fields)
	}
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.admins.created", "/admins")
}

// target loads the admin named in the URL, refusing to act on oneself
// (an owner could otherwise demote or delete the last owner by mistake).
func (h *Handlers) target(r *http.Request, c *current) (*Admin, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, shop.ErrNotFound
	}
	if id == c.admin.ID {
		return nil, &shop.Error{Kind: shop.Conflict, Key: "admin.admins.not_self"}
	}
	return AdminByID(r.Context(), h.DB, id)
}

// setRole changes another admin's role. POST /{admin}/admins/{id}/role (sudo)
func (h *Handlers) setRole(w http.ResponseWriter, r *http.Request, c *current) error {
	t, err := h.target(r, c)
	if err != nil {
		return err
	}
	role, err := h.roleFromForm(r, c)
	if err != nil {
		return err
	}
	return h.changeAdmin(w, r, c, t, "admin.role_changed", map[string]any{"from": string(t.Role), "to": string(role)},
		`UPDATE admins SET role = ?, updated_at = ? WHERE id = ?`, string(role))
}

// removeAdmin deletes another admin. POST /{admin}/admins/{id}/delete (sudo)
func (h *Handlers) removeAdmin(w http.ResponseWriter, r *http.Request, c *current) error {
	t, err := h.target(r, c)
	if err != nil {
		return err
	}
	err = h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if _, err := tx.Exec(r.Context(), `DELETE FROM admins WHERE id = ?`, t.ID); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, h.entry(r, c.admin, "admin.removed", t.Email, nil))
		return err
	})
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.saved", "/admins")
}

// resetFactors removes another admin's passkeys, TOTP, recovery codes and
// sessions: they enrol again at next sign-in. POST /{admin}/admins/{id}/reset-mfa (sudo)
func (h *Handlers) resetFactors(w http.ResponseWriter, r *http.Request, c *current) error {
	t, err := h.target(r, c)
	if err != nil {
		return err
	}
	err = h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := ResetFactors(r.Context(), tx, t.ID); err != nil {
			return err
		}
		if _, err := audit.Append(r.Context(), tx, h.entry(r, c.admin, "admin.factors_reset", t.Email, nil)); err != nil {
			return err
		}
		return h.alertChange(r.Context(), tx, r, t, "admin.change.factors_reset")
	})
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.saved", "/admins")
}

func (h *Handlers) changeAdmin(w http.ResponseWriter, r *http.Request, c *current, t *Admin, action string, details map[string]any, q string, v any) error {
	err := h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if _, err := tx.Exec(r.Context(), q, v, tx.Now(), t.ID); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, h.entry(r, c.admin, action, t.Email, details))
		return err
	})
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.saved", "/admins")
}
