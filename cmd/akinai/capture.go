package main

import (
	"context"

	"github.com/akinai/akinai/internal/checkout"
)

// captureWorker runs the card captures queued when orders ship, with the
// card key the admin stored (read per batch, so a new key needs no
// restart).
func (a *shopApp) captureWorker() func(ctx context.Context) {
	svc := &checkout.Service{DB: a.db, Settings: a.settings, Log: a.log,
		Cards: &checkout.Cards{Settings: a.settings, Master: a.cfg.Secret}}
	w := &checkout.CaptureWorker{DB: a.db, Service: svc, Log: a.log}
	return w.Run
}
