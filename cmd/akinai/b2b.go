package main

import (
	"net/http"
	"os"
	"strconv"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/b2b"
	"github.com/akinai/akinai/internal/checkout"
	"github.com/akinai/akinai/internal/customer"
)

// b2bService is the one B2B service of the shop (quotes, approval,
// payment on account), made on first use.
func (a *shopApp) b2bService() *b2b.Service {
	if a.b2b == nil {
		a.b2b = &b2b.Service{DB: a.db, Settings: a.settings, BaseURL: a.cfg.BaseURL, FontPath: a.cfg.InvoiceFont, Log: a.log}
	}
	return a.b2b
}

// b2bCheckout gives the storefront checkout the B2B rules (quoted
// prices, 掛け払い and its credit limit) and the approval hold, and the
// B2B service the checkout that places approved orders and quotes.
func (a *shopApp) b2bCheckout() checkout.Option {
	return func(h *checkout.Handlers) {
		s := a.b2bService()
		s.Checkout, s.Carts = h.Service, h.Carts
		h.Service.Rules, h.Hold = s, s.Hold
	}
}

// b2bShop mounts the company members' pages (My Page, quotes, approvals,
// invoices) and the slots of My Page and the cart.
func (a *shopApp) b2bShop(mux *http.ServeMux, customers *customer.Handlers) error {
	return (&b2b.Storefront{Service: a.b2bService(), Render: a.render, Customer: customers.CustomerID}).Mount(mux)
}

// b2bAdmin mounts the quotes, approvals, invoices and receivables screens
// under 受注管理 (the orders area) and starts the invoicing worker.
func (a *shopApp) b2bAdmin(h *admin.Handlers, mux *http.ServeMux) error {
	if err := (&b2b.Admin{Service: a.b2bService(), Shell: h.Section(admin.AreaOrders)}).Mount(a.render, mux); err != nil {
		return err
	}
	for _, it := range []struct{ path, label string }{{"/b2b/quotes", "b2b.nav.quotes"}, {"/b2b/approvals", "b2b.nav.approvals"},
		{"/b2b/invoices", "b2b.nav.invoices"}, {"/b2b/receivables", "b2b.nav.receivables"}} {
		h.AddNav("admin_nav.group.orders", admin.NavItem{Area: admin.AreaOrders, Path: it.path, Label: it.label})
	}
	others, upload := a.bodyLimit, h.Base()+"/b2b/bank"
	a.bodyLimit = func(r *http.Request) int64 {
		if r.Method == http.MethodPost && r.URL.Path == upload {
			return b2b.MaxBankFile + 64<<10
		}
		if others != nil {
			return others(r)
		}
		return 0
	}
	host, _ := os.Hostname()
	a.workers = append(a.workers, (&b2b.RunWorker{Service: a.b2bService(), Instance: host + ":" + strconv.Itoa(os.Getpid()) + ":b2b", Log: a.log}).Run)
	return nil
}
