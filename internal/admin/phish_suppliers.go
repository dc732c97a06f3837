package admin

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/phishcheck"
	"github.com/akinai/akinai/internal/shop"
)

// maxSuppliers bounds the operator's list.
const maxSuppliers = 500

// Supplier is a company the operator added to the checker's services.
type Supplier struct {
	ID        int64
	Service   phishcheck.Service
	CreatedBy string
	CreatedAt time.Time
}

// ErrSupplierExists is AddSupplier's answer for a name already listed.
var ErrSupplierExists = errors.New("a supplier of that name is already listed")

// Suppliers lists the operator's suppliers, by name.
func Suppliers(ctx context.Context, q db.Queryer) ([]Supplier, error) {
	rows, err := q.Query(ctx, `SELECT id, name, domains, created_by, created_at FROM phish_suppliers ORDER BY name, id LIMIT 500`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Supplier
	for rows.Next() {
		var s Supplier
		var domains string
		if err := rows.Scan(&s.ID, &s.Service.Name, &domains, &s.CreatedBy, &s.CreatedAt); err != nil {
			return nil, err
		}
		s.Service.Kind = phishcheck.KindSupplier
		s.Service.Aliases = []string{s.Service.Name}
		s.Service.Domains = strings.Split(domains, ",")
		out = append(out, s)
	}
	return out, rows.Err()
}

// SupplierServices returns the suppliers as the checker's services.
func SupplierServices(ctx context.Context, q db.Queryer) ([]phishcheck.Service, error) {
	list, err := Suppliers(ctx, q)
	out := make([]phishcheck.Service, len(list))
	for i, s := range list {
		out[i] = s.Service
	}
	return out, err
}

// AddSupplier stores a validated supplier (phishcheck.NewSupplier) and its
// audit entry in tx. Errors: ErrSupplierExists, or the list is full.
func AddSupplier(ctx context.Context, tx *db.Tx, s phishcheck.Service, e audit.Entry) (int64, error) {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM phish_suppliers`).Scan(&n); err != nil {
		return 0, err
	}
	if n >= maxSuppliers {
		return 0, errors.New("the list of suppliers is full (500)")
	}
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO phish_suppliers (name, domains, created_by, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		s.Name, strings.Join(s.Domains, ","), firstNonEmpty(e.Actor, "cli"), tx.Now()).Scan(&id)
	if db.IsUniqueViolation(err) {
		return 0, ErrSupplierExists
	}
	if err != nil {
		return 0, err
	}
	e.Action, e.Target = "phish.supplier_added", s.Name
	if e.Details == nil {
		e.Details = map[string]any{}
	}
	e.Details["id"], e.Details["domains"] = id, s.Domains
	_, err = audit.Append(ctx, tx, e)
	return id, err
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

type phishServicesPage struct {
	BuiltIn   []phishcheck.Service
	Suppliers []Supplier
	CanEdit   bool
	Name      string
	Domains   string
	Fields    map[string]string
	BadDomain string
}

// phishServices lists the services the checker knows: the built-in list
// and the operator's suppliers. GET /{admin}/phish/services
func (p *MailPages) phishServices(w http.ResponseWriter, r *http.Request) error {
	return p.renderServices(w, r, http.StatusOK, &phishServicesPage{})
}

func (p *MailPages) renderServices(w http.ResponseWriter, r *http.Request, status int, d *phishServicesPage) error {
	list, err := Suppliers(r.Context(), p.H.DB)
	if err != nil {
		return err
	}
	d.BuiltIn, d.Suppliers = phishcheck.DefaultServices(), list
	d.CanEdit = Current(r).Can(AreaMail, Write)
	return p.H.Page(w, r, status, "admin_phish_services", "admin.phish.services_title", d)
}

// phishSupplierAdd adds a supplier. POST /{admin}/phish/services
func (p *MailPages) phishSupplierAdd(w http.ResponseWriter, r *http.Request) error {
	d := &phishServicesPage{Name: r.PostFormValue("name"), Domains: r.PostFormValue("domains")}
	s, err := phishcheck.NewSupplier(d.Name, d.Domains)
	var bad *phishcheck.BadDomainError
	switch {
	case errors.Is(err, phishcheck.ErrSupplierName):
		d.Fields = map[string]string{"name": "admin.phish.supplier_bad_name"}
	case errors.As(err, &bad):
		d.Fields, d.BadDomain = map[string]string{"domains": "admin.phish.bad_domain"}, bad.Domain
	case err != nil:
		d.Fields = map[string]string{"domains": "admin.phish.supplier_no_domains"}
	}
	if d.Fields != nil {
		return p.renderServices(w, r, http.StatusUnprocessableEntity, d)
	}
	ctx := r.Context()
	err = p.H.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := AddSupplier(ctx, tx, s, AuditEntry(r, "", "", nil))
		return err
	})
	if errors.Is(err, ErrSupplierExists) {
		d.Fields = map[string]string{"name": "admin.phish.supplier_exists"}
		return p.renderServices(w, r, http.StatusConflict, d)
	}
	if err != nil {
		return err
	}
	return p.H.flashBack(w, r, "admin.saved", "/phish/services")
}

// phishSupplierDelete removes a supplier. POST /{admin}/phish/services/{id}/delete
func (p *MailPages) phishSupplierDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return shop.ErrNotFound
	}
	ctx := r.Context()
	found := false
	err = p.H.DB.Tx(ctx, func(tx *db.Tx) error {
		var name, domains string
		err := tx.QueryRow(ctx, `DELETE FROM phish_suppliers WHERE id = ? RETURNING name, domains`, id).Scan(&name, &domains)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		found = true
		_, err = audit.Append(ctx, tx, AuditEntry(r, "phish.supplier_removed", name, map[string]any{"id": id, "domains": domains}))
		return err
	})
	if err != nil {
		return err
	}
	if !found {
		return shop.ErrNotFound
	}
	return p.H.flashBack(w, r, "admin.saved", "/phish/services")
}
