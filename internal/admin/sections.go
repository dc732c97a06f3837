package admin

import (
	"html/template"
	"net/http"
)

// PanelFunc renders a block another area adds to an admin page (the mails
// of an order on the order page). It sees the page's request, path values
// included; "" adds nothing.
type PanelFunc func(r *http.Request) (template.HTML, error)

// AddPanel adds a block to every rendering of the admin page named page
// ("admin_order", "admin_customer"); the page shows the layout's Panels
// where its template puts them. Call it while wiring, before serving.
func (h *Handlers) AddPanel(page string, fn PanelFunc) {
	if h.panels == nil {
		h.panels = map[string][]PanelFunc{}
	}
	h.panels[page] = append(h.panels[page], fn)
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
