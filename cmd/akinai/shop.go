package main

import (
	"context"
	"log/slog"
	"net/http"
	"sync"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/api"
	"github.com/akinai/akinai/internal/b2b"
	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/checkout"
	"github.com/akinai/akinai/internal/clientip"
	"github.com/akinai/akinai/internal/content"
	"github.com/akinai/akinai/internal/customer"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/eccube"
	"github.com/akinai/akinai/internal/masters"
	"github.com/akinai/akinai/internal/metrics"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/plugin"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/web"
)

// shopApp is the wired shop: stores, handlers and the background workers.
type shopApp struct {
	cfg      Config
	oldURLs  *eccube.Redirects // EC-CUBE's URLs, after an import (internal/eccube)
	log      *slog.Logger
	db       *db.DB
	settings *settings.Store
	render   *web.Renderer
	catalog  *catalog.Store
	handler  http.Handler
	admin    *admin.Handlers    // set by adminRoutes
	content  *content.Handlers  // set by contentRoutes
	customer *customer.Handlers // set by routes
	// catalogPages is set by catalogRoutes: reviews and recommendations
	// add to its pages, and the admin's preview renders the product page.
	catalogPages *catalog.Handlers
	metrics      *metrics.Metrics // set by opsRoutes
	api          *api.Handler     // set by apiRoutes; plugins call it in-process
	statuses     *order.StatusLabels
	masters      *masters.Store
	workers      []func(ctx context.Context)
	b2b          *b2b.Service    // b2bService
	plugins      *plugin.Plugins // set by pluginSet
	// bodyLimit raises the 1 MiB request body limit for upload routes.
	bodyLimit func(r *http.Request) int64
}

// newShop wires every package: config → db → stores → handlers → router.
func newShop(ctx context.Context, cfg Config, log *slog.Logger, d *db.DB) (*shopApp, error) {
	if err := checkBoot(); err != nil {
		return nil, err
	}
	a := &shopApp{cfg: cfg, log: log, db: d, settings: settings.New(d), catalog: catalog.NewStore(d)}
	assets := web.NewAssets()
	a.render = web.NewRenderer(log, assets)
	a.render.LayoutData["shop"] = a.shopLayout
	// Shared pages serve visitors with a cart or a session too; their cart
	// badge is spliced in (docs/PERFORMANCE.md).
	a.render.AddSlot("cart", cart.Badge(d))
	a.render.ShareWith(cart.CookieNames...)
	a.render.ShareWith(customer.Cookies...)
	a.statuses = &order.StatusLabels{DB: d}
	a.render.Statuses = a.statuses
	a.masters = &masters.Store{DB: d}
	a.render.Labels = a.masters

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", health)
	mux.HandleFunc("GET /readyz", readiness(d))
	mux.Handle("GET /static/{hash}/{name...}", assets)
	mux.Handle("GET /favicon.ico", assets.File("favicon.ico"))
	mux.HandleFunc("GET "+order.StatusCSSPath, a.statuses.ServeCSS)
	if err := a.routes(ctx, mux); err != nil {
		return nil, err
	}
	mux.Handle("/", a.oldURLs.Fallback(a.render.Handle(func(w http.ResponseWriter, r *http.Request) error {
		a.render.NotFound(w, r)
		return nil
	})))
	proxies, err := clientip.ParsePrefixes(cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	resolver := &clientip.Resolver{TrustedProxies: proxies}
	if w := a.mailWorker(); w != nil {
		a.workers = append(a.workers, w)
	}
	a.workers = append(a.workers, a.captureWorker())
	a.workers = append(a.workers, (&customer.Sweeper{DB: d, Log: log}).Run)
	a.handler = web.Middleware(web.Config{
		Log:        log,
		Secret:     cfg.Secret,
		Errors:     a.render,
		ClientIP:   resolver.ClientIP,
		BodyLimit:  a.bodyLimit,
		CSRFExempt: csrfExempt,
		Router:     mux,
		Observe:    a.metrics.Observe,
	}, a.gate(a.maintenance(web.RecordPattern(mux))))
	return a, nil
}

// shopLayout fills the storefront layout.
func (a *shopApp) shopLayout(r *http.Request) (any, error) {
	sh, err := a.settings.Shop(r.Context())
	if err != nil {
		return nil, err
	}
	l := &web.ShopLayout{ShopName: sh.DisplayName(web.Lang(r))}
	// Categories: the top level of the (cached) category tree.
	tree, err := a.catalog.Tree(r.Context())
	if err != nil {
		return nil, err
	}
	for _, c := range tree.Roots {
		l.Categories = append(l.Categories, web.NavCategory{Slug: c.Slug, NameJA: c.NameJA, NameEN: c.NameEN})
	}
	return l, nil
}

// catalogRoutes mounts the storefront's catalogue pages.
func (a *shopApp) catalogRoutes(mux *http.ServeMux) error {
	h, err := catalog.NewHandlers(a.catalog, a.render, a.settings, a.cfg.BaseURL, a.log)
	if err != nil {
		return err
	}
	if a.content != nil {
		h.HomeBlocks = a.content.HomeBlocks
	}
	if h.HomeBlocks, err = a.pluginBlocks(context.Background(), h.HomeBlocks); err != nil {
		return err
	}
	h.PageFields = checkout.PageFields(a.db, a.settings, a.cfg.Secret)
	h.Routes(mux)
	a.catalogPages = h
	return nil
}

// startWorkers runs the background workers until ctx ends.
func (a *shopApp) startWorkers(ctx context.Context) *sync.WaitGroup {
	var wg sync.WaitGroup
	for _, w := range a.workers {
		wg.Go(func() { w(ctx) })
	}
	return &wg
}
