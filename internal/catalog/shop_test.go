package catalog_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/demo"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/web"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// testShop is the storefront wired as cmd/akinai wires it: the real
// renderer, middleware and catalogue routes on a demo database.
type testShop struct {
	DB      *db.DB
	Store   *catalog.Store
	Handler http.Handler
	Pages   *catalog.Handlers
	Render  *web.Renderer
}

func mustDemo(tb testing.TB, d *db.DB, products int) {
	tb.Helper()
	if err := demo.Load(context.Background(), d, demo.Options{Products: products}); err != nil {
		tb.Fatal(err)
	}
}

func newTestShop(tb testing.TB, d *db.DB) *testShop {
	tb.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st := settings.New(d)
	store := catalog.NewStore(d)
	render := web.NewRenderer(log, web.NewAssets())
	render.LayoutData["shop"] = func(r *http.Request) (any, error) {
		sh, err := st.Shop(r.Context())
		if err != nil {
			return nil, err
		}
		l := &web.ShopLayout{ShopName: sh.DisplayName(web.Lang(r))}
		tree, err := store.Tree(r.Context())
		if err != nil {
			return nil, err
		}
		for _, c := range tree.Roots {
			l.Categories = append(l.Categories, web.NavCategory{Slug: c.Slug, NameJA: c.NameJA, NameEN: c.NameEN})
		}
		return l, nil
	}
	h, err := catalog.NewHandlers(store, render, st, "https://shop.example.jp", log)
	if err != nil {
		tb.Fatal(err)
	}
	mux := http.NewServeMux()
	h.Routes(mux)
	mux.Handle("/", render.Handle(func(w http.ResponseWriter, r *http.Request) error {
		render.NotFound(w, r)
		return nil
	}))
	secret := make([]byte, 32)
	return &testShop{DB: d, Store: store, Pages: h, Render: render, Handler: web.Middleware(web.Config{Log: log, Secret: secret, Errors: render}, mux)}
}
