package points

import (
	"context"
	"embed"
	"html/template"
	"net/http"
	"strconv"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/web"
)

//go:embed templates/shop/*.html
var shopFS embed.FS

// Storefront shows a signed-in customer their points: the "points"
// slot (the balance, on My Page and in the cart) and the ledger page
// /mypage/points.
type Storefront struct {
	DB       *db.DB
	Settings func(ctx context.Context) (map[string]string, error)
	Render   *web.Renderer
	// Customer returns the signed-in customer's ID (customer.Handlers.CustomerID).
	Customer func(*http.Request) (int64, bool)
}

// Mount registers the ledger page and the "points" slot.
func (s *Storefront) Mount(mux *http.ServeMux) error {
	if err := s.Render.AddPages("shop", shopFS, "templates/shop/*.html"); err != nil {
		return err
	}
	s.Render.AddSlot("points", s.slot)
	mux.Handle("GET /mypage/points", s.Render.Handle(s.page))
	return nil
}

func (s *Storefront) enabled(r *http.Request) (bool, error) {
	m, err := s.Settings(r.Context())
	if err != nil {
		return false, err
	}
	return SettingsFrom(m).Enabled, nil
}

// slot is the balance of the signed-in customer, "" for a guest or when
// the shop has no points.
func (s *Storefront) slot(r *http.Request) (template.HTML, error) {
	id, ok := s.Customer(r)
	if !ok {
		return "", nil
	}
	if on, err := s.enabled(r); err != nil || !on {
		return "", err
	}
	b, err := Balance(r.Context(), s.DB, id)
	if err != nil {
		return "", err
	}
	lang := web.Info(r).Lang
	return template.HTML(`<p class="points-balance" id="points-balance"><a href="/mypage/points">` +
		template.HTMLEscapeString(i18n.T(lang, "points.your_balance", strconv.FormatInt(b, 10))) + `</a></p>`), nil
}

type mypageData struct {
	Balance int64
	Ledger  []Entry
}

// page lists the customer's ledger; a visitor who is not signed in is
// sent to the sign-in page.
func (s *Storefront) page(w http.ResponseWriter, r *http.Request) error {
	id, ok := s.Customer(r)
	if !ok {
		http.Redirect(w, r, "/mypage/login", http.StatusSeeOther)
		return nil
	}
	d := &mypageData{}
	var err error
	if d.Balance, err = Balance(r.Context(), s.DB, id); err != nil {
		return err
	}
	if d.Ledger, err = Ledger(r.Context(), s.DB, id, 100); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.Render.Render(w, r, http.StatusOK, "points_mypage", &web.Page{Title: web.T(r, "points.mypage_title"), NoIndex: true, Data: d})
}
