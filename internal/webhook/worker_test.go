package webhook_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/order/ordertest"
	"github.com/akinai/akinai/internal/webhook"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// receiver is a partner's endpoint: it verifies every delivery itself,
// the way the Standard Webhooks specification tells receivers to, with
// nothing from package webhook.
type receiver struct {
	mu       sync.Mutex
	secrets  []string
	status   int
	got      []map[string]any
	verified []bool
	ids      []string
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	id, ts, sigs := r.Header.Get("webhook-id"), r.Header.Get("webhook-timestamp"), r.Header.Get("webhook-signature")
	rc.mu.Lock()
	defer rc.mu.Unlock()
	ok := false
	if sec, err := strconv.ParseInt(ts, 10, 64); err == nil && time.Since(time.Unix(sec, 0)).Abs() < 5*time.Minute {
		for _, secret := range rc.secrets {
			key, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
			m := hmac.New(sha256.New, key)
			m.Write([]byte(id + "." + ts + "."))
			m.Write(body)
			want := base64.StdEncoding.EncodeToString(m.Sum(nil))
			for _, s := range strings.Fields(sigs) {
				if v, sig, _ := strings.Cut(s, ","); v == "v1" && hmac.Equal([]byte(sig), []byte(want)) {
					ok = true
				}
			}
		}
	}
	var p map[string]any
	json.Unmarshal(body, &p)
	rc.got, rc.verified, rc.ids = append(rc.got, p), append(rc.verified, ok), append(rc.ids, id)
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	w.WriteHeader(rc.status)
}

func (rc *receiver) count() int { rc.mu.Lock(); defer rc.mu.Unlock(); return len(rc.got) }

// endpoint registers srv's URL for events, allowing loopback (the test
// receiver lives there), and returns it.
func endpoint(t *testing.T, d *db.DB, url string, events ...string) webhook.Endpoint {
	t.Helper()
	var e webhook.Endpoint
	err := d.Tx(context.Background(), func(tx *db.Tx) error {
		var err error
		e, err = webhook.Create(context.Background(), tx, webhook.Input{URL: url, Events: events, AllowPrivate: true})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func run(t *testing.T, w *webhook.Worker) {
	t.Helper()
	if _, err := w.Once(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestWorker_SignedDelivery is the "done when": an order placed in the
// shop reaches a loopback receiver that verifies the signature on its own,
// on both engines.
func TestWorker_SignedDelivery(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		rc := &receiver{status: 200}
		srv := httptest.NewServer(rc)
		defer srv.Close()
		e := endpoint(t, d, srv.URL+"/hook", webhook.OrderCreated, webhook.OrderPaid, webhook.StockLow)
		rc.secrets = []string{e.Secret}
		pid, vid := ordertest.Product(t, d, "wh-"+string(d.Dialect))
		if err := d.Tx(context.Background(), func(tx *db.Tx) error {
			_, err := tx.Exec(context.Background(), `UPDATE variants SET stock = 6 WHERE id = ?`, vid)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		oid := ordertest.Place(t, d, 0, order.New, map[int64]int64{pid: vid}) // stock 6 → 5: low
		var number string
		d.QueryRow(context.Background(), `SELECT number FROM orders WHERE id = ?`, oid).Scan(&number)
		if err := d.Tx(context.Background(), func(tx *db.Tx) error { return order.Move(context.Background(), tx, number, order.Paid, "") }); err != nil {
			t.Fatal(err)
		}
		w := &webhook.Worker{DB: d, Log: slog.New(slog.DiscardHandler)}
		run(t, w)
		if rc.count() != 3 {
			t.Fatalf("receiver got %d deliveries, want 3 (order.created, stock.low, order.paid)", rc.count())
		}
		types := map[string]bool{}
		for i, p := range rc.got {
			if !rc.verified[i] {
				t.Errorf("delivery %d failed the receiver's own signature check", i)
			}
			types[p["type"].(string)] = true
			if p["type"] == webhook.OrderCreated && p["data"].(map[string]any)["number"] != number {
				t.Errorf("order.created data %v", p["data"])
			}
		}
		if !types[webhook.OrderCreated] || !types[webhook.OrderPaid] || !types[webhook.StockLow] {
			t.Errorf("events %v", types)
		}
		ds, err := webhook.Deliveries(context.Background(), d, e.ID, 10)
		if err != nil || len(ds) != 3 || ds[0].Status != "delivered" || ds[0].LastStatus != 200 || len(ds[0].Tries) != 1 {
			t.Fatalf("delivery log %+v %v", ds, err)
		}
		// Replay: the same webhook-id again.
		if err := d.Tx(context.Background(), func(tx *db.Tx) error {
			_, err := webhook.Replay(context.Background(), tx, e.ID, ds[0].ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		run(t, w)
		if rc.count() != 4 || rc.ids[3] != ds[0].MsgID {
			t.Errorf("replay: %d deliveries, id %v want %s", rc.count(), rc.ids, ds[0].MsgID)
		}
		// Rotation: both secrets sign for a while; a receiver with either
		// verifies.
		var newSecret string
		d.Tx(context.Background(), func(tx *db.Tx) error {
			var err error
			newSecret, err = webhook.Rotate(context.Background(), tx, e.ID)
			return err
		})
		for _, secrets := range [][]string{{e.Secret}, {newSecret}} {
			rc.secrets = secrets
			d.Tx(context.Background(), func(tx *db.Tx) error { return webhook.Ping(context.Background(), tx, e.ID) })
			run(t, w)
			if !rc.verified[len(rc.verified)-1] {
				t.Errorf("after rotation, a receiver with %d-th secret could not verify", len(secrets))
			}
		}
	})
}

// TestWorker_FailingEndpoint: a receiver that keeps failing gets retried
// with back-off, is switched off at the limit, and the owner is mailed;
// no log line carries the secret.
func TestWorker_FailingEndpoint(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		rc := &receiver{status: 500}
		srv := httptest.NewServer(rc)
		defer srv.Close()
		e := endpoint(t, d, srv.URL, webhook.CustomerCreated)
		rc.secrets = []string{e.Secret}
		ctx := context.Background()
		d.Tx(ctx, func(tx *db.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO admins (email, name, password_hash, role, lang, anti_phishing, webauthn_id, created_at, updated_at) VALUES ('owner@example.jp', 'Owner', 'x', 'owner', 'ja', 'さくら', ?, ?, ?)`, []byte{1, 2, 3}, tx.Now(), tx.Now())
			return err
		})
		d.Tx(ctx, func(tx *db.Tx) error {
			return webhook.Emit(ctx, tx, webhook.CustomerCreated, map[string]any{"id": 1})
		})
		var logs bytes.Buffer
		w := &webhook.Worker{DB: d, Log: slog.New(slog.NewTextHandler(&logs, nil)), MaxFailures: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}
		for i := 0; i < 3; i++ {
			deadline := time.Now().Add(60 * time.Second)
			for rc.count() < i+1 && time.Now().Before(deadline) {
				run(t, w)
				time.Sleep(5 * time.Millisecond)
			}
		}
		if rc.count() != 3 {
			t.Fatalf("%d attempts, want 3", rc.count())
		}
		got, err := webhook.EndpointByID(ctx, d, e.ID)
		if err != nil || got.Active || got.Failures != 3 || got.DisabledAt == nil {
			t.Fatalf("endpoint after 3 failures: %+v %v", got, err)
		}
		var to, body string
		if err := d.QueryRow(ctx, `SELECT to_addr, body_text FROM outbox WHERE event = 'webhook_disabled'`).Scan(&to, &body); err != nil || to != "owner@example.jp" || !strings.HasPrefix(body, "フィッシング対策コード：さくら") {
			t.Errorf("owner mail: %q %q %v", to, body, err)
		}
		var audits int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'webhook.disabled'`).Scan(&audits)
		if audits != 1 {
			t.Errorf("%d audit entries", audits)
		}
		// Nothing more goes out while it is off.
		d.Tx(ctx, func(tx *db.Tx) error { return webhook.Emit(ctx, tx, webhook.CustomerCreated, map[string]any{"id": 2}) })
		run(t, w)
		if rc.count() != 3 {
			t.Errorf("a disabled endpoint got a delivery")
		}
		if strings.Contains(logs.String(), strings.TrimPrefix(e.Secret, "whsec_")) {
			t.Error("the secret appears in the log")
		}
		if !strings.Contains(logs.String(), "disabled") {
			t.Errorf("log: %s", logs.String())
		}
	})
}

// TestWorker_SSRF: without the owner's permission a delivery never
// connects to loopback, whether the URL names the address or a host name
// that resolves to it (the check runs on the resolved address at connect
// time, so DNS rebinding does not get around it).
func TestWorker_SSRF(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	rc := &receiver{status: 200}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	c := webhook.Client(false, 5*time.Second)
	for _, u := range []string{srv.URL, "http://localhost:" + port + "/"} {
		_, err := c.Post(u, "application/json", strings.NewReader("{}"))
		if err == nil || !strings.Contains(err.Error(), "not allowed") {
			t.Errorf("POST %s: %v, want refused", u, err)
		}
	}
	// The same through the worker: the endpoint was stored allowing
	// private addresses, then the permission was taken away.
	e := endpoint(t, d, "http://localhost:"+port+"/", webhook.OrderCreated)
	ctx := context.Background()
	d.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE webhook_endpoints SET allow_private = ? WHERE id = ?`, false, e.ID); err != nil {
			return err
		}
		return webhook.Emit(ctx, tx, webhook.OrderCreated, map[string]any{"id": 1})
	})
	run(t, &webhook.Worker{DB: d, Log: slog.New(slog.DiscardHandler)})
	if rc.count() != 0 {
		t.Fatal("the receiver on loopback was reached")
	}
	ds, _ := webhook.Deliveries(ctx, d, e.ID, 1)
	if len(ds) != 1 || ds[0].Status != "pending" || !strings.Contains(ds[0].LastError, "not allowed") || ds[0].Tries[0].StatusCode != 0 {
		t.Errorf("delivery %+v", ds)
	}
}
