package order

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/shop"
)

func mustBulk(t *testing.T, d *db.DB, j BulkJob, sel Selection) *BulkJob {
	t.Helper()
	ctx := context.Background()
	var id int64
	if err := d.Tx(ctx, func(tx *db.Tx) (err error) {
		id, err = StartBulk(ctx, tx, j, sel)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	job, err := Bulk(ctx, d, id)
	if err != nil {
		t.Fatal(err)
	}
	return job
}

func statusOf(t *testing.T, d *db.DB, number string) Status {
	t.Helper()
	o, err := ByNumber(context.Background(), d, number)
	if err != nil {
		t.Fatal(err)
	}
	return o.Status
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// A bulk cancel moves what may move, returns the stock, refuses a
// shipped order with the reason, and logs each change.
func TestBulk_StatusChange(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v1 := mustVariant(t, d, "POT", "standard", 50)
		v2 := mustVariant(t, d, "TEA", "reduced", 50)
		var orders []*Order
		for range 4 {
			orders = append(orders, mustOrder(t, d, v1, v2))
		}
		if _, err := d.Exec(ctx, `UPDATE orders SET status = 'shipped' WHERE id = ?`, orders[3].ID); err != nil {
			t.Fatal(err)
		}
		other := mustOrder(t, d, v1, v2) // not selected
		job := mustBulk(t, d, BulkJob{Action: BulkStatus, Param: string(Cancelled), Note: "欠品", Actor: "a@example.jp"},
			Selection{IDs: []int64{orders[0].ID, orders[1].ID, orders[2].ID, orders[3].ID, orders[3].ID, 999999}})
		if job.Counts.Total != 4 || job.Counts.Todo != 4 {
			t.Fatalf("counts at start: %+v", job.Counts)
		}
		w := &BulkWorker{DB: d, Log: quietLog(), Instance: "t"}
		if n, err := w.RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("RunOnce: %d %v", n, err)
		}
		job, err := Bulk(ctx, d, job.ID)
		if err != nil {
			t.Fatal(err)
		}
		if job.Status != "done" || job.Counts != (BulkCounts{Total: 4, Changed: 3, Refused: 1}) {
			t.Fatalf("job after run: %s %+v", job.Status, job.Counts)
		}
		probs, err := BulkProblems(ctx, d, job.ID, 10)
		if err != nil || len(probs) != 1 || probs[0].Number != orders[3].Number || probs[0].Message != "order.cannot_move_to.cancelled" {
			t.Fatalf("problems: %+v %v", probs, err)
		}
		for _, o := range orders[:3] {
			if s := statusOf(t, d, o.Number); s != Cancelled {
				t.Fatalf("order %s is %s", o.Number, s)
			}
		}
		if s := statusOf(t, d, other.Number); s != New {
			t.Fatalf("unselected order moved to %s", s)
		}
		// 5 orders took 2 and 3 each; 3 came back.
		if stockOf(t, d, v1) != 50-2*2 || stockOf(t, d, v2) != 50-2*3 {
			t.Fatalf("stock: %d %d", stockOf(t, d, v1), stockOf(t, d, v2))
		}
		var audits int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'order.status' AND actor = 'a@example.jp'`).Scan(&audits); err != nil || audits != 3 {
			t.Fatalf("audit entries: %d %v", audits, err)
		}
		if n, err := w.RunOnce(ctx); n != 0 || err != nil {
			t.Fatalf("a second run found work: %d %v", n, err)
		}
	})
}

// "All matching" takes the filter's orders; a job whose lease runs short
// gives itself back and resumes where it stopped, never doing an order
// twice; a failing order is reported and the others go on.
func TestBulk_FilterSlicesAndFailures(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v1 := mustVariant(t, d, "POT", "standard", -1)
		v2 := mustVariant(t, d, "TEA", "reduced", -1)
		var orders []*Order
		for range 5 {
			orders = append(orders, mustOrder(t, d, v1, v2))
		}
		if _, err := d.Exec(ctx, `UPDATE orders SET payment_method = 'card' WHERE id = ?`, orders[4].ID); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2030, 12, 2, 9, 0, 0, 0, time.UTC)
		d.Clock = func() time.Time { return now }
		job := mustBulk(t, d, BulkJob{Action: BulkNotice}, Selection{All: true, Filter: Filter{Payment: COD}})
		if job.Counts.Total != 4 {
			t.Fatalf("filter selected %d", job.Counts.Total)
		}
		calls := map[int64]int{}
		w := &BulkWorker{DB: d, Log: quietLog(), Instance: "t", Lease: 2 * time.Minute,
			Actions: map[string]BulkPrepare{BulkNotice: func(context.Context, *BulkJob) (BulkFunc, error) {
				return func(ctx context.Context, tx *db.Tx, job *BulkJob, it BulkItem) error {
					id := it.OrderID
					calls[id]++
					now = now.Add(time.Minute) // each order "takes" a minute
					if id == orders[1].ID {
						return shop.Errorf(shop.Internal, "boom")
					}
					_, err := tx.Exec(ctx, `UPDATE orders SET note = 'bulk' WHERE id = ?`, id)
					return err
				}, nil
			}}}
		// Lease 2 min, stop 20 s early: two orders per claim.
		for run := 1; ; run++ {
			if run > 5 {
				t.Fatal("job never finished")
			}
			if _, err := w.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
			j, err := Bulk(ctx, d, job.ID)
			if err != nil {
				t.Fatal(err)
			}
			if j.Status == "done" {
				if run != 2 || j.Counts != (BulkCounts{Total: 4, Changed: 3, Failed: 1}) {
					t.Fatalf("done after %d runs: %+v", run, j.Counts)
				}
				break
			}
			if j.Counts.Todo != 2 {
				t.Fatalf("after a slice: %+v", j.Counts)
			}
			var attempts int
			if err := d.QueryRow(ctx, `SELECT attempts FROM order_bulk_jobs WHERE id = ?`, job.ID).Scan(&attempts); err != nil || attempts != 0 {
				t.Fatalf("a slice counted as an attempt: %d %v", attempts, err)
			}
		}
		for _, o := range orders[:4] {
			if calls[o.ID] != 1 {
				t.Fatalf("order %s done %d times", o.Number, calls[o.ID])
			}
		}
		probs, _ := BulkProblems(ctx, d, job.ID, 10)
		if len(probs) != 1 || probs[0].Outcome != OutcomeFailed || probs[0].Number != orders[1].Number {
			t.Fatalf("problems: %+v", probs)
		}
		var note string
		if err := d.QueryRow(ctx, `SELECT note FROM orders WHERE id = ?`, orders[1].ID).Scan(&note); err != nil || note == "bulk" {
			t.Fatalf("the failed order's change was kept: %q %v", note, err)
		}
	})
}

func TestStartBulk_Refuses(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		for _, c := range []struct {
			name string
			job  BulkJob
			sel  Selection
		}{
			{"to shipped", BulkJob{Action: BulkStatus, Param: string(Shipped)}, Selection{IDs: []int64{1}}},
			{"unknown status", BulkJob{Action: BulkStatus, Param: "lost"}, Selection{IDs: []int64{1}}},
			{"unknown action", BulkJob{Action: "drop"}, Selection{IDs: []int64{1}}},
			{"nothing", BulkJob{Action: BulkNotice}, Selection{}},
			{"no such order", BulkJob{Action: BulkNotice}, Selection{IDs: []int64{424242}}},
			{"empty filter result", BulkJob{Action: BulkNotice}, Selection{All: true, Filter: Filter{Number: "NONE"}}},
		} {
			err := d.Tx(ctx, func(tx *db.Tx) error { _, err := StartBulk(ctx, tx, c.job, c.sel); return err })
			if shop.KindOf(err) != shop.Invalid {
				t.Errorf("%s: %v", c.name, err)
			}
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM order_bulk_jobs`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("refused jobs written: %d %v", n, err)
		}
	})
}
