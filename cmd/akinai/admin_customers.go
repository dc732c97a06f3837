package main

import (
	"net/http"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/customer"
	"github.com/akinai/akinai/internal/rank"
)

// customerAdmin mounts the customer screens that live in feature
// packages: the rank master (in the settings area: a rank sets prices,
// listed under 会員管理 where operators look for it).
func (a *shopApp) customerAdmin(h *admin.Handlers, mux *http.ServeMux) error {
	ranks := &rank.Admin{DB: a.db, Shell: h.Section(admin.AreaSettings)}
	if err := ranks.Mount(a.render, mux); err != nil {
		return err
	}
	// 会員登録 and 会員CSV登録 are buttons on the customer list, shown to
	// the roles that may use them (the sidebar shows an entry to every
	// role that may read the area).
	h.AddNav("admin_nav.group.customers", admin.NavItem{Area: admin.AreaSettings, Path: rank.Path, Label: "admin_nav.ranks"})
	// The customer CSV upload may be larger than the default body limit.
	others, upload := a.bodyLimit, h.Base()+"/customers/import"
	a.bodyLimit = func(r *http.Request) int64 {
		if r.Method == http.MethodPost && r.URL.Path == upload {
			return customer.MaxImportBytes + 64<<10 // the file and the form around it
		}
		if others != nil {
			return others(r)
		}
		return 0
	}
	return nil
}
