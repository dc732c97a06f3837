package admin

import "net/http"

// Card is a dashboard card another package contributes (the last backup,
// the installation's integrity): its text already in the viewer's
// language.
type Card struct {
	ID       string // the element id
	Title    string
	State    string // "ok", "warn" or "bad": the headline's colour
	Headline string
	Lines    []string
	Link     string // absolute path, or relative to the admin base when it starts with "@/"
	LinkText string
}

// CardFunc builds one card for a request; a nil card shows nothing.
type CardFunc func(r *http.Request) (*Card, error)

// AddCard adds a card to the dashboard of owners and managers (the roles
// that run the shop's settings).
func (h *Handlers) AddCard(f CardFunc) { h.cards = append(h.cards, f) }

// extraCards builds the contributed cards; one that fails is logged and
// left out, so a broken card never hides the dashboard.
func (h *Handlers) extraCards(r *http.Request, c *current) []*Card {
	if !c.admin.Can(AreaSettings, Read) {
		return nil
	}
	var out []*Card
	for _, f := range h.cards {
		card, err := f(r)
		if err != nil {
			h.Log.Error("dashboard card", "err", err)
			continue
		}
		if card != nil {
			if len(card.Link) > 1 && card.Link[:2] == "@/" {
				card.Link = h.base + card.Link[1:]
			}
			out = append(out, card)
		}
	}
	return out
}
