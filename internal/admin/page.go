package admin

import (
	"html/template"
	"net/http"

	"github.com/akinai/akinai/internal/web"
)

// Layout is what the admin layout shows on every page.
type Layout struct {
	Base  string
	Admin *Admin // nil before sign-in
	Nav   []NavItem
	// Panels are the blocks other areas add to this page (AddPanel).
	Panels []template.HTML
}

// NavItem is one entry of the admin navigation.
type NavItem struct {
	Area  Area
	Path  string
	Label string // i18n key
}

// navigation lists the areas in menu order; an admin sees those their
// role may read. Other issues add their pages here.
var navigation = []NavItem{
	{AreaDashboard, "/", "admin.nav.dashboard"},
	{AreaProducts, "/products", "admin_products.nav"},
	{AreaOrders, "/orders", "admin.nav.orders"},
	{AreaSettings, "/settings", "admin.nav.settings"},
	{AreaCustomers, "/customers", "admin.nav.customers"},
	{AreaContent, "/content", "admin.nav.content"},
	{AreaAdmins, "/admins", "admin.nav.admins"},
	{AreaSecurity, "/security", "admin.nav.security"},
	{AreaAudit, "/audit", "admin.nav.audit"},
	{AreaMail, "/mail/templates", "admin.nav.mail"},
	{AreaAccount, "/phish", "admin.nav.phish"},
	{AreaAccount, "/account", "admin.nav.account"},
}

// layoutData fills the admin layout for pages rendered without one (error
// pages).
func (h *Handlers) layoutData(r *http.Request) (any, error) {
	l := &Layout{Base: h.base}
	if c := cur(r); c != nil && c.sess.Stage == stageActive {
		l.Admin = c.admin
		for _, n := range h.menu() {
			if Allowed(c.admin.Role, n.Area, Read) {
				l.Nav = append(l.Nav, n)
			}
		}
	}
	return l, nil
}

// page renders an admin page.
func (h *Handlers) page(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) error {
	ld, _ := h.layoutData(r)
	if l, ok := ld.(*Layout); ok && l.Admin != nil && len(h.panels[name]) > 0 {
		var err error
		if l.Panels, err = h.panelsFor(r, name); err != nil {
			return err
		}
	}
	return h.Render.Render(w, r, status, name, &web.Page{Title: web.T(r, title), NoIndex: true, Data: data, Layout: ld})
}

// flashBack ends a successful form post: a message for the next page and a
// redirect to path under the admin (post/redirect/get).
func (h *Handlers) flashBack(w http.ResponseWriter, r *http.Request, flashKey, path string) error {
	web.SetFlash(w, r, flashKey)
	http.Redirect(w, r, h.base+path, http.StatusSeeOther)
	return nil
}
