package main

import (
	"net/http"
	"time"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/customer"
	"github.com/akinai/akinai/internal/recommend"
	"github.com/akinai/akinai/internal/review"
	"github.com/akinai/akinai/internal/throttle"
)

// reviewRoutes mounts the review form, gives the catalogue's pages their
// reviews section and recommendation shelves, and starts the worker that
// computes "also bought" from the orders.
func (a *shopApp) reviewRoutes(mux *http.ServeMux, customers *customer.Handlers) error {
	limits := a.cfg.Limits
	if limits == nil { // serve called without validate (tests)
		l, err := throttle.ParseLimits(a.cfg.RateLimits, throttle.DefaultLimits())
		if err != nil {
			return err
		}
		limits = l
	}
	current := func(w http.ResponseWriter, r *http.Request) (int64, error) {
		c, err := customers.Current(w, r)
		if err != nil {
			return 0, err
		}
		return c.ID, nil
	}
	h, err := review.NewHandlers(&review.Store{DB: a.db}, a.catalog, a.render, limits, current)
	if err != nil {
		return err
	}
	h.Routes(mux)
	recs := &recommend.Store{DB: a.db, Log: a.log}
	if c := a.catalogPages; c != nil {
		c.Reviews = h.Section
		c.ProductShelves = recs.ProductShelves
		c.HomeShelves = recs.HomeShelves
	}
	a.workers = append(a.workers, recs.Worker(5*time.Minute, a.catalog.TouchProducts))
	return nil
}

// reviewAdmin mounts レビュー管理 and おすすめ商品 under 商品管理.
func (a *shopApp) reviewAdmin(h *admin.Handlers, mux *http.ServeMux) error {
	rv := &review.Admin{Store: &review.Store{DB: a.db}, Shell: h.Section(admin.AreaProducts), Touch: a.catalog.TouchProducts}
	if err := rv.Mount(a.render, mux); err != nil {
		return err
	}
	h.AddNav("admin_nav.group.products", admin.NavItem{Area: admin.AreaProducts, Path: review.Path, Label: "review.admin.nav"})
	rc := &recommend.Admin{Store: &recommend.Store{DB: a.db, Log: a.log}, Shell: h.Section(admin.AreaProducts),
		Touch: a.catalog.TouchProducts, Changed: func() { a.catalog.TouchHome(); a.catalog.TouchAllProducts() }}
	if err := rc.Mount(a.render, mux); err != nil {
		return err
	}
	h.AddNav("admin_nav.group.products", admin.NavItem{Area: admin.AreaProducts, Path: recommend.Path, Label: "recommend.admin.nav"})
	return nil
}
