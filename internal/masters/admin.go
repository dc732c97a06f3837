package masters

import (
	"embed"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Admin serves the master labels screen.
type Admin struct {
	Store *Store
	Shell *admin.Handlers
}

// Mount registers the screen under 設定.
func (a *Admin) Mount(r *web.Renderer, mux *http.ServeMux) error {
	if err := r.AddPages("admin", templateFS, "templates/*.html"); err != nil {
		return err
	}
	a.Shell.AddNav("admin_nav.group.settings", admin.NavItem{Area: admin.AreaSettings, Path: "/settings/masters", Label: "masters.nav"})
	a.Shell.Mount(mux, "GET /settings/masters", admin.AreaSettings, admin.Read, false, a.page)
	a.Shell.Mount(mux, "POST /settings/masters", admin.AreaSettings, admin.Write, false, a.save)
	return nil
}

type labelRow struct {
	Key                  string
	DefaultJA, DefaultEN string
	JA, EN               string
	ErrJA, ErrEN         string
}

type groupView struct {
	Name string
	Rows []labelRow
}

type pageData struct {
	Groups  []groupView
	Failed  bool
	CanEdit bool
}

func (a *Admin) page(w http.ResponseWriter, r *http.Request) error {
	ja, err := a.Store.Names(r.Context(), i18n.Japanese)
	if err != nil {
		return err
	}
	en, err := a.Store.Names(r.Context(), i18n.English)
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, func(k string) (string, string) { return ja[k], en[k] }, nil)
}

func (a *Admin) render(w http.ResponseWriter, r *http.Request, status int, value func(key string) (ja, en string), errs map[string]string) error {
	d := &pageData{Failed: len(errs) > 0, CanEdit: admin.Current(r).Can(admin.AreaSettings, admin.Write)}
	for _, g := range Groups {
		gv := groupView{Name: g.Name}
		for _, k := range g.Keys {
			ja, en := value(k)
			gv.Rows = append(gv.Rows, labelRow{Key: k, DefaultJA: i18n.T(i18n.Japanese, k), DefaultEN: i18n.T(i18n.English, k),
				JA: ja, EN: en, ErrJA: errs["ja."+k], ErrEN: errs["en."+k]})
		}
		d.Groups = append(d.Groups, gv)
	}
	return a.Shell.Page(w, r, status, "admin_masters", "masters.title", d)
}

// save stores every label of the form; one bad label stores none.
// POST /{admin}/settings/masters
func (a *Admin) save(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	form := map[string]string{}
	errs := map[string]string{}
	for _, g := range Groups {
		for _, k := range g.Keys {
			for _, l := range []string{"ja", "en"} {
				v := strings.TrimSpace(r.PostFormValue(l + "." + k))
				form[l+"."+k] = v
				if bad(v) {
					errs[l+"."+k] = "masters.error.label"
				}
			}
		}
	}
	value := func(k string) (string, string) { return form["ja."+k], form["en."+k] }
	if len(errs) > 0 {
		return a.render(w, r, http.StatusUnprocessableEntity, value, errs)
	}
	oldJA, err := a.Store.Names(ctx, i18n.Japanese)
	if err != nil {
		return err
	}
	oldEN, err := a.Store.Names(ctx, i18n.English)
	if err != nil {
		return err
	}
	_, by := a.Shell.Section(admin.AreaSettings).Actor(r)
	var changes []map[string]string
	err = a.Store.DB.Tx(ctx, func(tx *db.Tx) error {
		for _, g := range Groups {
			for _, k := range g.Keys {
				for _, l := range []string{"ja", "en"} {
					old := oldJA[k]
					if l == "en" {
						old = oldEN[k]
					}
					v := form[l+"."+k]
					if v == old {
						continue
					}
					if err := Set(ctx, tx, k, l, v, by); err != nil {
						return err
					}
					changes = append(changes, map[string]string{"key": k, "lang": l, "before": old, "after": v})
				}
			}
		}
		if len(changes) == 0 {
			return nil
		}
		_, err := audit.Append(ctx, tx, admin.AuditEntry(r, "masters.labels", "", map[string]any{"changes": changes}))
		return err
	})
	if err != nil {
		return err
	}
	a.Store.Invalidate()
	return a.Shell.Section(admin.AreaSettings).Done(w, r, "masters.saved", "/settings/masters")
}

// bad reports a label that cannot be shown as one: too long, or holding
// line breaks or control characters.
func bad(v string) bool {
	if utf8.RuneCountInString(v) > MaxLen {
		return true
	}
	for _, c := range v {
		if unicode.IsControl(c) {
			return true
		}
	}
	return false
}
