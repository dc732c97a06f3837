package admin

import (
	"net/http"
	"strings"
)

// NavItem is one entry of the admin navigation.
type NavItem struct {
	Area  Area
	Path  string // relative to the admin path
	Label string // i18n key
}

// NavGroup is one heading of the sidebar and the entries under it.
type NavGroup struct {
	Label string // i18n key; "" for the entries above every heading
	Items []NavItem
}

// Crumb is one step of the breadcrumb trail; Path is empty for a step
// without a page of its own (a menu heading).
type Crumb struct {
	Path  string
	Label string // i18n key
}

// navigation is the sidebar in menu order, grouped as EC-CUBE operators
// know it (商品管理, 受注管理, 会員管理, …) with EC-CUBE's labels where the
// concept is the same. An admin sees the entries their role may read and
// the headings that keep at least one entry. Feature packages add their
// screens with AddNav.
var navigation = []NavGroup{
	{"", []NavItem{
		{AreaDashboard, "/", "admin.nav.dashboard"},
	}},
	{"admin_nav.group.products", []NavItem{
		{AreaProducts, "/products", "admin_nav.products"},
		{AreaProducts, "/products/new", "admin_nav.products_new"},
		{AreaProducts, "/classes", "catalog13.nav.classes"},
		{AreaProducts, "/categories", "admin_nav.categories"},
		{AreaProducts, "/tags", "admin_nav.tags"},
		{AreaProducts, "/catalog-csv", "admin_nav.catalog_csv"},
		{AreaProducts, "/products/settings", "catalog13.switches.title"},
	}},
	{"admin_nav.group.orders", []NavItem{
		{AreaOrders, "/orders", "admin_nav.orders"},
		{AreaOrders, "/orders/new", "admin_nav.order_new"},
		{AreaOrders, "/orders/tracking", "admin_nav.tracking"},
		{AreaOrders, "/orders/labels", "admin_nav.labels"},
	}},
	{"admin_nav.group.customers", []NavItem{
		{AreaCustomers, "/customers", "admin_nav.customers"},
	}},
	{"loyalty.nav.group", nil},       // coupons and points (internal/coupon, internal/points)
	{"magazine.nav.group", nil},      // internal/magazine
	{"admin_nav.group.reports", nil}, // internal/report
	{"admin_nav.group.content", []NavItem{
		{AreaContent, "/content/news", "admin_nav.news"},
		{AreaContent, "/content/pages", "admin_nav.pages"},
		{AreaContent, "/inquiries", "admin_nav.inquiries"},
		{AreaContent, "/holidays", "admin_nav.holidays"},
		{AreaContent, "/maintenance", "admin_nav.maintenance"},
	}},
	{"admin_nav.group.settings", []NavItem{
		{AreaSettings, "/settings", "admin_nav.shop"},
		{AreaSettings, "/settings/payment-methods", "admin_nav.payment"},
		{AreaSettings, "/settings/delivery", "admin_nav.delivery"},
		{AreaSettings, "/settings/tax", "admin_nav.tax"},
		{AreaSettings, "/settings/csv", "admin_nav.csv_columns"},
		{AreaSettings, "/settings/order-statuses", "admin_nav.order_statuses"},
		{AreaMail, "/mail/settings", "mailsettings.nav"},
		{AreaMail, "/mail/templates", "admin_nav.mail"},
		{AreaMail, "/mail/dkim", "admin_nav.dkim"},
	}},
	{"admin_nav.group.security", []NavItem{
		{AreaAdmins, "/admins", "admin_nav.admins"},
		{AreaAdmins, "/admins/roles", "roles.nav"},
		{AreaAccount, "/account", "admin_nav.factors"},
		{AreaSecurity, "/security", "admin_nav.ip"},
		{AreaAudit, "/audit", "admin_nav.audit"},
		{AreaAccount, "/account/sessions", "admin_nav.sessions"},
		{AreaAccount, "/phish", "admin_nav.phish"},
	}},
}

// defaultNav returns a copy of navigation for one admin panel.
func defaultNav() []NavGroup {
	out := make([]NavGroup, len(navigation))
	for i, g := range navigation {
		out[i] = NavGroup{Label: g.Label, Items: append([]NavItem(nil), g.Items...)}
	}
	return out
}

// AddNav adds a feature's entry to the sidebar group labelled group (a
// new group at the end when none has that label). Call it while wiring,
// before the server starts.
func (h *Handlers) AddNav(group string, item NavItem) {
	for i := range h.nav {
		if h.nav[i].Label == group {
			h.nav[i].Items = append(h.nav[i].Items, item)
			return
		}
	}
	h.nav = append(h.nav, NavGroup{Label: group, Items: []NavItem{item}})
}

// navFor returns the groups and entries a may read.
func navFor(groups []NavGroup, a *Admin) []NavGroup {
	var out []NavGroup
	for _, g := range groups {
		var items []NavItem
		for _, it := range g.Items {
			if a.Can(it.Area, Read) {
				items = append(items, it)
			}
		}
		if len(items) > 0 {
			out = append(out, NavGroup{Label: g.Label, Items: items})
		}
	}
	return out
}

// navActive finds the entry a request path (relative to the admin path)
// belongs to: the longest entry path that equals it or is a folder above
// it. The dashboard matches only itself.
func navActive(groups []NavGroup, rel string) (NavGroup, NavItem, bool) {
	var bestG NavGroup
	var best NavItem
	found := false
	for _, g := range groups {
		for _, it := range g.Items {
			match := rel == it.Path || (it.Path != "/" && strings.HasPrefix(rel, it.Path+"/"))
			if match && len(it.Path) > len(best.Path) {
				bestG, best, found = g, it, true
			}
		}
	}
	return bestG, best, found
}

// fillNav sets the sidebar, the active entry and the breadcrumb trail of
// a page for the signed-in admin.
func (l *Layout) fillNav(r *http.Request, groups []NavGroup, a *Admin) {
	l.Groups = navFor(groups, a)
	rel := strings.TrimPrefix(r.URL.Path, l.Base)
	if rel == "" {
		rel = "/"
	}
	g, it, ok := navActive(l.Groups, rel)
	if !ok {
		return
	}
	l.Active = it.Path
	if it.Path == "/" {
		return
	}
	l.Crumbs = append(l.Crumbs, Crumb{Path: "/", Label: "admin.nav.dashboard"})
	if g.Label != "" {
		l.Crumbs = append(l.Crumbs, Crumb{Label: g.Label})
	}
	l.Crumbs = append(l.Crumbs, Crumb{Path: it.Path, Label: it.Label})
	l.Deeper = rel != it.Path
}
