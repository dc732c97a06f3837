package admin

import (
	"net/http/httptest"
	"testing"
)

func TestNav_RoleSeesOnlyReadableAreas(t *testing.T) {
	staff := navFor(navigation, &Admin{Role: Staff})
	for _, g := range staff {
		for _, it := range g.Items {
			if !Allowed(Staff, it.Area, Read) {
				t.Errorf("staff sees %s (%s)", it.Path, it.Area)
			}
			if it.Path == "/security" || it.Path == "/audit" {
				t.Errorf("staff sees %s", it.Path)
			}
		}
	}
	owner := navFor(navigation, &Admin{Role: Owner})
	if len(owner) <= len(staff) {
		t.Errorf("owner sees %d groups, staff %d", len(owner), len(staff))
	}
}

func TestNav_ActiveEntryAndBreadcrumbs(t *testing.T) {
	for _, tc := range []struct {
		path, active string
		crumbs       int
		deeper       bool
	}{
		{"/admin-x/", "/", 0, false},
		{"/admin-x/settings/tax", "/settings/tax", 3, false},
		{"/admin-x/settings", "/settings", 3, false},
		{"/admin-x/orders/A-1001", "/orders", 3, true},
		{"/admin-x/products/12", "/products", 3, true},
		{"/admin-x/products/new", "/products/new", 3, false},
		{"/admin-x/nowhere", "", 0, false},
	} {
		l := &Layout{Base: "/admin-x"}
		l.fillNav(httptest.NewRequest("GET", tc.path, nil), navigation, &Admin{Role: Owner})
		if l.Active != tc.active || len(l.Crumbs) != tc.crumbs || l.Deeper != tc.deeper {
			t.Errorf("%s: active %q, %d crumbs, deeper %v; want %q, %d, %v", tc.path, l.Active, len(l.Crumbs), l.Deeper, tc.active, tc.crumbs, tc.deeper)
		}
	}
}
