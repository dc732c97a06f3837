package admin

import (
	"html/template"
	"net/http"

	"github.com/akinai/akinai/internal/web"
)

// Layout is what the admin layout shows on every page.
type Layout struct {
	Base   string
	Admin  *Admin // nil before sign-in
	Groups []NavGroup
	Active string  // the sidebar entry of this page
	Crumbs []Crumb // dashboard › heading › entry
	Deeper bool    // the page lies below its entry (its title ends the trail)
	// NoPasskey shows the banner that asks the admin to add a passkey:
	// until they do, a look-alike site can relay their typed codes.
	NoPasskey bool
	// Panels are the blocks other areas add to this page (AddPanel).
	Panels []template.HTML
}

// layoutData fills the admin layout for pages rendered without one (error
// pages).
func (h *Handlers) layoutData(r *http.Request) (any, error) {
	l := &Layout{Base: h.base}
	if c := cur(r); c != nil && c.sess.Stage == stageActive {
		l.Admin = c.admin
		l.fillNav(r, h.nav, c.admin)
		n, err := passkeyCount(r.Context(), h.DB, c.admin.ID)
		if err != nil {
			return l, err
		}
		l.NoPasskey = n == 0
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
