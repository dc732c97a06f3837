package admin

import (
	"html/template"
	"net/http"
	"slices"
)

// PanelFunc renders a block another area adds to an admin page (the mails
// of an order on the order page). It sees the page's request, path values
// included; "" adds nothing.
type PanelFunc func(r *http.Request) (template.HTML, error)

// AddNav adds an area's entry to the admin navigation, after the entries
// of its area (at the end when the area has none). Shown, like every
// entry, to the roles that may read Area. Call it while wiring, before
// serving.
func (h *Handlers) AddNav(n NavItem) {
	nav := h.nav
	if nav == nil {
		nav = slices.Clone(navigation)
	}
	at := len(nav)
	for i, e := range nav {
		if e.Area == n.Area {
			at = i + 1
		}
	}
	h.nav = slices.Insert(nav, at, n)
}

// AddPanel adds a block to every rendering of the admin page named page
// ("admin_order", "admin_customer"); the page shows the layout's Panels
// where its template puts them. Call it while wiring, before serving.
func (h *Handlers) AddPanel(page string, fn PanelFunc) {
	if h.panels == nil {
		h.panels = map[string][]PanelFunc{}
	}
	h.panels[page] = append(h.panels[page], fn)
}

// menu is the navigation: the shell's areas and those others added.
func (h *Handlers) menu() []NavItem {
	if h.nav != nil {
		return h.nav
	}
	return navigation
}

// panelsFor renders the panels added to page for r.
func (h *Handlers) panelsFor(r *http.Request, page string) ([]template.HTML, error) {
	var out []template.HTML
	for _, fn := range h.panels[page] {
		b, err := fn(r)
		if err != nil {
			return nil, err
		}
		if b != "" {
			out = append(out, b)
		}
	}
	return out, nil
}
