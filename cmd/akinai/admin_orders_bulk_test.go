package main

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/csvfile"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/invoicepdf"
	"github.com/akinai/akinai/internal/order"
)

var bulkLocRE = regexp.MustCompile(`/order-bulk/(\d+)$`)

// waitBulk follows a bulk job's progress page until the job is no longer
// running (the worker polls every second; the deadline is generous for a
// loaded CI machine) and returns the last page.
func waitBulk(t *testing.T, c *client, path string) result {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		r := c.get(path)
		r.want(t, "progress page", 200)
		if !strings.Contains(r.body, `data-status="pending"`) {
			if r.header.Get("Refresh") != "" {
				t.Fatal("a finished job's page still reloads")
			}
			return r
		}
		if r.header.Get("Refresh") == "" {
			t.Fatal("a running job's page does not reload")
		}
		if time.Now().After(deadline) {
			t.Fatalf("bulk job still running after 60 s:\n%s", clipBody(r.body))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestAdminOrders_Bulk(t *testing.T) {
	t.Parallel()
	_, c, d, o1, pot := orderShop(t)
	ctx := context.Background()
	a := c.admin
	tea := o1.Lines[1].VariantID
	if _, err := d.Exec(ctx, `UPDATE variants SET stock = 100`); err != nil {
		t.Fatal(err)
	}
	o2 := placeTestOrder(t, d, pot, tea)
	o3 := placeTestOrder(t, d, pot, tea)
	if _, err := d.Exec(ctx, `UPDATE orders SET total = 9999, delivery_date = '2030-01-02' WHERE id = ?`, o2.ID); err != nil {
		t.Fatal(err)
	}

	t.Run("sorting", func(t *testing.T) {
		r := c.get(a + "/orders?sort=-total")
		r.want(t, "sorted by total", 200, `id="sort-total"`, "▼")
		if i, j := strings.Index(r.body, o2.Number), strings.Index(r.body, o1.Number); i < 0 || j < 0 || i > j {
			t.Fatal("descending total does not put the larger order first")
		}
		r = c.get(a + "/orders?sort=total")
		if i, j := strings.Index(r.body, o2.Number), strings.Index(r.body, o1.Number); i < j {
			t.Fatal("ascending total puts the larger order first")
		}
		c.get(a+"/orders?sort=;DROP").want(t, "unknown sort key", 200, o1.Number)
	})

	t.Run("saved filter", func(t *testing.T) {
		c.get(a + "/orders")
		c.post(a+"/orders/filters", url.Values{"filter_name": {""}, "query": {"status=new"}}).want(t, "nameless filter", 422, "50文字以内")
		r := c.post(a+"/orders/filters", url.Values{"filter_name": {"新規・お届け日指定"}, "query": {"status=new&delivery=2030-01-02&bogus=1"}})
		r.want(t, "save filter", 303)
		r = c.get(a + "/orders")
		r.want(t, "list shows the filter", 200, "新規・お届け日指定", "delivery=2030-01-02&amp;status=new")
		r = c.get(a + "/orders?status=new&delivery=2030-01-02")
		if !strings.Contains(r.body, o2.Number) || strings.Contains(r.body, o1.Number) {
			t.Fatal("the delivery-date filter does not select")
		}
		if n := auditCount(t, d, "order.filter_saved", ""); n != 1 {
			t.Fatalf("audit entries for the saved filter: %d", n)
		}
		var id int64
		if err := d.QueryRow(ctx, `SELECT id FROM order_saved_filters`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		c.post(a+"/orders/filters/"+strconv.FormatInt(id, 10)+"/delete", nil).want(t, "delete filter", 303)
		if r := c.get(a + "/orders"); strings.Contains(r.body, "新規・お届け日指定") {
			t.Fatal("deleted filter still listed")
		}
	})

	t.Run("bad input", func(t *testing.T) {
		c.get(a + "/orders")
		c.post(a+"/orders/bulk", url.Values{"scope": {"ids"}, "action": {"status"}, "to": {"paid"}}).want(t, "nothing ticked", 422, "対象の受注がありません")
		c.post(a+"/orders/bulk", url.Values{"scope": {"ids"}, "id": {strconv.FormatInt(o1.ID, 10)}}).want(t, "no action", 422, "一括操作を選んでください")
		c.post(a+"/orders/bulk", url.Values{"scope": {"ids"}, "id": {strconv.FormatInt(o1.ID, 10)}, "action": {"status"}, "to": {"shipped"}}).want(t, "to shipped", 422, "変更後のステータス")
		c.post(a+"/orders/bulk", url.Values{"scope": {"ids"}, "id": {strconv.FormatInt(o1.ID, 10)}, "action": {"status"}}).want(t, "no status", 422)
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM order_bulk_jobs`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("refused bulk actions wrote %d jobs (%v)", n, err)
		}
	})

	t.Run("status change with a refusal", func(t *testing.T) {
		if _, err := d.Exec(ctx, `UPDATE orders SET status = 'cancelled' WHERE id = ?`, o3.ID); err != nil {
			t.Fatal(err)
		}
		c.get(a + "/orders")
		r := c.post(a+"/orders/bulk", url.Values{"scope": {"ids"}, "action": {"status"}, "to": {"paid"}, "note": {"入金確認（一括）"},
			"id": {strconv.FormatInt(o1.ID, 10), strconv.FormatInt(o2.ID, 10), strconv.FormatInt(o3.ID, 10)}})
		r.want(t, "start", 303)
		m := bulkLocRE.FindStringSubmatch(r.location)
		if m == nil {
			t.Fatalf("start redirects to %q", r.location)
		}
		r = waitBulk(t, c, a+"/order-bulk/"+m[1])
		r.want(t, "job done", 200, `data-status="done"`, "対象 3件", "変更 2件", "対象外 1件", o3.Number, "に変更できません")
		for _, o := range []*order.Order{o1, o2} {
			if got, _ := order.ByNumber(ctx, d, o.Number); got.Status != order.Paid {
				t.Fatalf("%s is %s", o.Number, got.Status)
			}
		}
		if n := auditCount(t, d, "order.status", ""); n != 2 {
			t.Fatalf("audit entries: %d", n)
		}
		c.get(a+"/orders").want(t, "list links the job", 200, "一括操作 #"+m[1])
	})

	t.Run("shipping notice", func(t *testing.T) {
		if err := d.Tx(ctx, func(tx *db.Tx) error { return order.AddShipment(ctx, tx, o1.ID, "yamato", "1234-5678-9012") }); err != nil {
			t.Fatal(err)
		}
		c.get(a + "/orders")
		r := c.post(a+"/orders/bulk", url.Values{"scope": {"all"}, "action": {"notice"}, "query": {"status=paid"}})
		r.want(t, "start notices", 303)
		r = waitBulk(t, c, r.location)
		r.want(t, "notices done", 200, "対象 2件", "変更 1件", "対象外 1件", "まだ発送されていません")
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM outbox WHERE event = 'order_shipped' AND body_text LIKE ?`, "%1234-5678-9012%").Scan(&n); err != nil || n != 1 {
			t.Fatalf("shipping notices queued: %d (%v)", n, err)
		}
	})

	t.Run("export selected", func(t *testing.T) {
		c.get(a + "/orders")
		r := c.post(a+"/orders/bulk", url.Values{"scope": {"ids"}, "action": {"export"}, "encoding": {"sjis"},
			"id": {strconv.FormatInt(o2.ID, 10), strconv.FormatInt(o3.ID, 10)}})
		r.want(t, "export redirect", 303, "/orders.csv?")
		r = c.get(r.location)
		r.want(t, "export", 200)
		rd, err := csvfile.NewReader(strings.NewReader(r.body))
		if err != nil {
			t.Fatal(err)
		}
		recs, err := rd.ReadAll()
		if err != nil || rd.Encoding != csvfile.ShiftJIS || len(recs) != 3 {
			t.Fatalf("export: %v %s %d rows", err, rd.Encoding, len(recs))
		}
		got := recs[1][0] + " " + recs[2][0]
		if !strings.Contains(got, o2.Number) || !strings.Contains(got, o3.Number) {
			t.Fatalf("exported %q", got)
		}
	})

	t.Run("slips of the selection", func(t *testing.T) {
		c.get(a + "/orders")
		r := c.post(a+"/orders/bulk", url.Values{"scope": {"ids"}, "action": {"slips"}, "id": {strconv.FormatInt(o1.ID, 10), strconv.FormatInt(o2.ID, 10)}})
		r.want(t, "slips redirect", 303, "/orders/slips?")
		if _, err := exec.LookPath("pdftotext"); err != nil {
			t.Skip("pdftotext not installed")
		}
		r = c.get(r.location)
		if r.status != 200 || r.header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("slips: %d %s", r.status, r.header.Get("Content-Type"))
		}
		// One PDF: a 納品書 per order from its own page, oldest first, no
		// registration number needed.
		text := invoicepdfText(t, []byte(r.body))
		if strings.Count(text, "納品書") != 2 || strings.Index(text, o1.Number) > strings.Index(text, o2.Number) || strings.Count(text, "\f") < 2 {
			t.Fatalf("slips: not two, oldest first:\n%s", text)
		}
		c.get(a+"/orders/slips?ids=0").want(t, "no orders", 422, "対象の受注がありません")
	})
	t.Run("CSV columns per export type", func(t *testing.T) {
		c.get(a+"/orders/csv-columns?type=line").want(t, "old address", 303, "/settings/csv?type=line")
		c.get(a+"/settings/csv?type=line").want(t, "columns page", 200, "明細ごと", `name="include_sku"`)
		c.post(a+"/settings/csv?type=line", url.Values{"pos_sku": {"1"}}).want(t, "nothing ticked", 422, "少なくとも1つ")
		c.post(a+"/settings/csv?type=line", url.Values{"include_sku": {"1"}, "pos_sku": {"2"}, "include_qty": {"1"}, "pos_qty": {"1"}, "heading_qty": {"個数"}}).
			want(t, "save columns", 303)
		c.get(a + "/orders")
		r := c.post(a+"/orders/bulk", url.Values{"scope": {"ids"}, "action": {"export_line"}, "encoding": {"utf8"}, "id": {strconv.FormatInt(o2.ID, 10)}})
		r.want(t, "per-line export redirect", 303, "type=line")
		r = c.get(r.location)
		r.want(t, "per-line export", 200)
		rd, _ := csvfile.NewReader(strings.NewReader(r.body))
		recs, err := rd.ReadAll()
		if err != nil || len(recs) != 3 || strings.Join(recs[0], ",") != "個数,商品コード" || recs[1][1] != "POT-1" {
			t.Fatalf("per-line export: %q %v", recs, err)
		}
		c.get(a+"/orders.csv?type=nope").want(t, "unknown export type", 404)
	})
	t.Run("invoices as one PDF", func(t *testing.T) {
		if _, err := d.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ('tax.invoice_number', ?, ?)`, testRegistration(), d.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(invoicepdf.DefaultFont); err != nil {
			t.Skip("IPAex Gothic not installed")
		}
		if _, err := exec.LookPath("pdftotext"); err != nil {
			t.Skip("pdftotext not installed")
		}
		c.get(a + "/orders")
		r := c.post(a+"/orders/bulk", url.Values{"scope": {"ids"}, "action": {"invoices"}, "id": {strconv.FormatInt(o1.ID, 10), strconv.FormatInt(o2.ID, 10)}})
		r.want(t, "invoices redirect", 303, "/orders/invoices.pdf?")
		path := r.location
		for range 20 { // the settings cache holds values for 3 s
			if r = c.get(path); r.status == 200 {
				break
			}
			time.Sleep(250 * time.Millisecond)
		}
		if r.status != 200 || r.header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("invoices.pdf: %d", r.status)
		}
		text := invoicepdfText(t, []byte(r.body))
		if strings.Count(text, "適格請求書") != 2 || !strings.Contains(text, o1.Number) || !strings.Contains(text, o2.Number) || strings.Count(text, "\f") < 2 {
			t.Fatalf("the PDF does not hold both invoices on their own pages:\n%s", text)
		}
		c.get(a+"/orders/invoices.pdf?ids=0").want(t, "no orders", 422, "対象の受注がありません")
	})
}
