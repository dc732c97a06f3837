package plugin_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/plugin"
	"github.com/akinai/akinai/internal/plugin/plugintest"
	"github.com/akinai/akinai/pluginsdk"
)

// orderAPI is a small Admin API of the shape the real one has: bearer
// tokens looked up as the API will (plugin.ByToken), a scope per route,
// 401 and 403 problem details, and one route reading an order's total.
func orderAPI(d *db.DB, totals map[string]int64) http.Handler {
	mux := http.NewServeMux()
	problem := func(w http.ResponseWriter, status int, title string) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"status": status, "title": title})
	}
	mux.HandleFunc("GET /api/v1/orders/{number}", func(w http.ResponseWriter, r *http.Request) {
		tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		p, err := plugin.ByToken(r.Context(), d, tok)
		if err != nil {
			problem(w, http.StatusUnauthorized, "unknown token")
			return
		}
		if !slices.Contains(p.Scopes(), "orders:read") {
			problem(w, http.StatusForbidden, "scope orders:read needed")
			return
		}
		total, ok := totals[r.PathValue("number")]
		if !ok {
			problem(w, http.StatusNotFound, "no such order")
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"number": r.PathValue("number"), "total": total})
	})
	return mux
}

// An order.placed reaction runs from the job queue after the commit: it
// reads the order through the API with its own token and writes its
// key-value store, which its next checkout hook reads. A job for an order
// the API does not know fails and is retried later; the store goes at
// uninstall and the token stops working.
func TestWorker_OrderPlaced(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		h := mustHost(t, plugin.DefaultLimits)
		h.API = orderAPI(d, map[string]int64{"A-1": 12345})
		p := mustInstall(t, d, h, plugintest.Package(t, "misbehave", nil, nil), map[string]string{"mode": "kv", "amount": "100"})
		ps := plugin.New(d, h, nil)
		// Before any order: the KV discount is not set; a write from a
		// checkout hook is refused (the plugin checks that itself).
		if ds := ps.Discounts(ctx, d, cart); len(ds) != 1 || ds[0].Amount != 100 {
			t.Fatalf("before: %+v", ds)
		}
		for _, number := range []string{"A-1", "B-404"} {
			err := d.Tx(ctx, func(tx *db.Tx) error {
				return ps.EnqueueOrderPlaced(ctx, tx, pluginsdk.Order{Number: number, Total: 12345})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		w := &plugin.Worker{Plugins: ps}
		if n, err := w.RunOnce(ctx); err != nil || n != 2 {
			t.Fatalf("run: %d %v", n, err)
		}
		ps.Wait()
		var done, pending int
		var lastErr string
		d.QueryRow(ctx, `SELECT COUNT(*) FROM plugin_jobs WHERE status = 'done'`).Scan(&done)
		d.QueryRow(ctx, `SELECT COUNT(*), MAX(last_error) FROM plugin_jobs WHERE status = 'pending'`).Scan(&pending, &lastErr)
		if done != 1 || pending != 1 || !strings.Contains(lastErr, "api answered 404") {
			t.Fatalf("jobs: %d done, %d pending (%s)", done, pending, lastErr)
		}
		ps.Invalidate()
		if ds := ps.Discounts(ctx, d, cart); len(ds) != 1 || ds[0].Amount != 123 {
			t.Fatalf("after the reaction: %+v", ds)
		}
		// The token works only while the plugin is enabled and installed.
		if _, err := plugin.ByToken(ctx, d, p.Token); err != nil {
			t.Fatal(err)
		}
		if err := plugin.Uninstall(ctx, d, p.Name, owner); err != nil {
			t.Fatal(err)
		}
		var kv, jobs int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM plugin_kv`).Scan(&kv)
		d.QueryRow(ctx, `SELECT COUNT(*) FROM plugin_jobs WHERE status = 'pending'`).Scan(&jobs)
		if _, err := plugin.ByToken(ctx, d, p.Token); err == nil || kv != 0 || jobs != 0 {
			t.Fatalf("after uninstall: token %v, %d values, %d jobs", err, kv, jobs)
		}
		rec := &recorderW{h: http.Header{}}
		req, _ := http.NewRequest("GET", "/api/v1/orders/A-1", nil)
		req.Header.Set("Authorization", "Bearer "+p.Token)
		h.API.ServeHTTP(rec, req)
		if rec.status != http.StatusUnauthorized {
			t.Fatalf("revoked token: %d", rec.status)
		}
	})
}

type recorderW struct {
	h      http.Header
	status int
}

func (r *recorderW) Header() http.Header         { return r.h }
func (r *recorderW) WriteHeader(s int)           { r.status = s }
func (r *recorderW) Write(b []byte) (int, error) { return len(b), nil }
