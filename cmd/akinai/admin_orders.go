package main

import (
	"net/http"
	"os"
	"strconv"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/order"
)

// orderAdmin mounts the order screens the order package owns (list,
// saved filters, bulk actions) in the admin's orders area, and starts the
// worker that runs bulk jobs, with the admin's shipping notice as the
// notice action.
func (a *shopApp) orderAdmin(h *admin.Handlers, mux *http.ServeMux) error {
	p, err := order.NewAdminPages(a.db, a.settings, a.render, h.Section(admin.AreaOrders))
	if err != nil {
		return err
	}
	p.Routes(mux)
	(&order.StatusAdmin{DB: a.db, Labels: a.statuses, Shell: h.Section(admin.AreaSettings)}).Routes(mux)
	others := a.bodyLimit
	a.bodyLimit = func(r *http.Request) int64 {
		if n := p.BodyLimit(r); n > 0 {
			return n
		}
		if others != nil {
			return others(r)
		}
		return 0
	}
	host, _ := os.Hostname()
	w := &order.BulkWorker{DB: a.db, Log: a.log, Instance: host + ":" + strconv.Itoa(os.Getpid()),
		Actions: map[string]order.BulkPrepare{order.BulkNotice: h.BulkNotice, order.BulkShip: h.BulkShip}}
	a.workers = append(a.workers, w.Run)
	return nil
}
