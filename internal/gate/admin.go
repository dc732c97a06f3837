package gate

import (
	"embed"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Admin serves the storefront access screen (ショップのアクセス制限).
type Admin struct {
	DB       *db.DB
	Settings *settings.Store
	Shell    *admin.Handlers
}

// Mount registers the screen and its menu entry under セキュリティ.
func (a *Admin) Mount(r *web.Renderer, mux *http.ServeMux) error {
	if err := r.AddPages("admin", templateFS, "templates/*.html"); err != nil {
		return err
	}
	a.Shell.AddNav("admin_nav.group.security", admin.NavItem{Area: admin.AreaSecurity, Path: "/security/storefront", Label: "gate.nav"})
	a.Shell.Mount(mux, "GET /security/storefront", admin.AreaSecurity, admin.Read, false, a.page)
	a.Shell.Mount(mux, "POST /security/storefront", admin.AreaSecurity, admin.Write, true, a.save)
	return nil
}

type pageData struct {
	MembersOnly bool
	Networks    string
	Count       int
	Errors      []string // message lines
	CanEdit     bool
}

func (a *Admin) page(w http.ResponseWriter, r *http.Request) error {
	all, err := a.Settings.All(r.Context())
	if err != nil {
		return err
	}
	nets, _ := ParseNetworks(all[settings.BlockedNets])
	return a.render(w, r, http.StatusOK, &pageData{MembersOnly: all[settings.MembersOnly] == "1", Networks: all[settings.BlockedNets], Count: len(nets)})
}

func (a *Admin) render(w http.ResponseWriter, r *http.Request, status int, d *pageData) error {
	if cur := admin.Current(r); cur != nil {
		d.CanEdit = cur.Can(admin.AreaSecurity, admin.Write)
	}
	return a.Shell.Page(w, r, status, "admin_gate", "gate.title", d)
}

// save stores the members-only switch and the block list. A line that is
// not an address or network refuses the whole form, naming the line.
// POST /{admin}/security/storefront (sudo)
func (a *Admin) save(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	text := strings.ReplaceAll(r.PostFormValue("networks"), "\r\n", "\n")
	d := &pageData{MembersOnly: r.PostFormValue("members_only") == "1", Networks: text}
	nets, bad := ParseNetworks(text)
	lines := make([]int, 0, len(bad))
	for n := range bad {
		lines = append(lines, n)
	}
	slices.Sort(lines)
	for _, n := range lines {
		d.Errors = append(d.Errors, web.T(r, "gate.error.line", strconv.Itoa(n), bad[n]))
	}
	if len(nets) > MaxNetworks {
		d.Errors = append(d.Errors, web.T(r, "gate.error.too_many", strconv.Itoa(MaxNetworks)))
	}
	if len(d.Errors) > 0 {
		return a.render(w, r, http.StatusUnprocessableEntity, d)
	}
	old, err := a.Settings.All(ctx)
	if err != nil {
		return err
	}
	oldNets, _ := ParseNetworks(old[settings.BlockedNets])
	members := ""
	if d.MembersOnly {
		members = "1"
	}
	err = a.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := a.Settings.Set(ctx, tx, map[string]string{settings.MembersOnly: members, settings.BlockedNets: strings.TrimSpace(text)}); err != nil {
			return err
		}
		_, err := audit.Append(ctx, tx, admin.AuditEntry(r, "gate.settings", "", map[string]any{
			"members_only_before": old[settings.MembersOnly] == "1", "members_only": d.MembersOnly,
			"networks_before": prefixes(oldNets), "networks": prefixes(nets)}))
		return err
	})
	if err != nil {
		return err
	}
	return a.Shell.Section(admin.AreaSecurity).Done(w, r, "gate.saved", "/security/storefront")
}

func prefixes(ps []netip.Prefix) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}
