package mail_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/mail/dkim"
	"github.com/akinai/akinai/internal/shop"
)

var secret = bytes.Repeat([]byte{7}, 32)

func TestKeys_GenerateRotate(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clock := newClock(d)
		k := &mail.Keys{DB: d, Secret: secret, Domain: "shop.example.jp"}
		if _, err := k.ActiveSigner(ctx); err != mail.ErrNoActiveKey {
			t.Fatalf("ActiveSigner before any key = %v", err)
		}
		if _, err := k.Rotate(ctx); shop.KindOf(err) != shop.Invalid {
			t.Fatalf("Rotate without a pending key = %v", err)
		}
		if _, err := k.GenerateKey(ctx, "dsa"); shop.KindOf(err) != shop.Invalid {
			t.Fatalf("GenerateKey(dsa) = %v", err)
		}
		first, err := k.GenerateKey(ctx, mail.Ed25519)
		if err != nil || first.Status != mail.KeyPending || !strings.HasPrefix(first.TXT, "v=DKIM1; k=ed25519; p=") {
			t.Fatalf("GenerateKey = %+v, %v", first, err)
		}
		if _, err := k.ActiveSigner(ctx); err != mail.ErrNoActiveKey {
			t.Fatal("a pending key signs")
		}
		if a, err := k.Rotate(ctx); err != nil || a.Selector != first.Selector || a.Status != mail.KeyActive {
			t.Fatalf("Rotate = %+v, %v", a, err)
		}
		s1, err := k.ActiveSigner(ctx)
		if err != nil || s1.Selector != first.Selector {
			t.Fatalf("ActiveSigner = %+v, %v", s1, err)
		}

		clock.Advance(24 * 3600e9)
		second, err := k.GenerateKey(ctx, mail.RSA)
		if err != nil || !strings.HasPrefix(second.TXT, "v=DKIM1; k=rsa; p=") || second.Selector == first.Selector {
			t.Fatalf("GenerateKey(rsa) = %+v, %v", second, err)
		}
		if _, err := k.Rotate(ctx); err != nil {
			t.Fatal(err)
		}
		if s, _ := k.ActiveSigner(ctx); s.Selector != second.Selector {
			t.Fatalf("after rotation signing with %s", s.Selector)
		}
		keys, _ := k.PublicKeys(ctx)
		if len(keys) != 2 || keys[0].Status != mail.KeyActive || keys[1].Status != mail.KeyRetired {
			t.Fatalf("published during grace: %+v", keys)
		}
		clock.Advance(8 * 24 * 3600e9)
		if keys, _ := k.PublicKeys(ctx); len(keys) != 1 || keys[0].Selector != second.Selector {
			t.Fatalf("published after grace: %+v", keys)
		}

		// At rest the private key is sealed: no PEM, and another master
		// secret cannot open it.
		rows, _ := d.Query(ctx, "SELECT private_key FROM dkim_keys")
		for rows.Next() {
			var b []byte
			rows.Scan(&b)
			if bytes.Contains(b, []byte("PRIVATE KEY")) || len(b) < 60 {
				t.Fatalf("private key stored in clear: %q", b[:min(len(b), 40)])
			}
		}
		rows.Close()
		other := &mail.Keys{DB: d, Secret: bytes.Repeat([]byte{8}, 32), Domain: "shop.example.jp"}
		if _, err := other.ActiveSigner(ctx); err == nil {
			t.Fatal("key opened with another master secret")
		}
		if _, err := other.Sign(ctx, []byte("From: a@b\r\n\r\nx\r\n")); err == nil {
			t.Fatal("signing with an unopenable key sent the mail unsigned")
		}
	})
}

// TestKeys_SignedMailVerifies delivers mail signed by the worker with an
// Ed25519 and an RSA key through a real SMTP server, then has Debian's
// python3-dkim (an independent implementation) and our verifier check
// what the server received.
func TestKeys_SignedMailVerifies(t *testing.T) {
	t.Parallel()
	py := "/usr/bin/python3"
	if exec.Command(py, "-c", "import dkim, nacl").Run() != nil {
		t.Skip("python3-dkim with python3-nacl is not installed (apt-get install python3-dkim python3-nacl)")
	}
	d := dbtest.MustOpen(t, dbtest.SQLite)
	ctx := context.Background()
	k := &mail.Keys{DB: d, Secret: secret, Domain: "example.co.jp"}
	ts := startServer(t, serverOpts{})
	records := map[string]string{}
	for _, alg := range []string{mail.Ed25519, mail.RSA} {
		pk, err := k.GenerateKey(ctx, alg)
		if err != nil {
			t.Fatal(err)
		}
		records[pk.RecordName("example.co.jp")] = pk.TXT
		if _, err := k.Rotate(ctx); err != nil {
			t.Fatal(err)
		}
		err = d.Tx(ctx, func(tx *db.Tx) error {
			for _, m := range []*mail.Message{
				{To: "山田 <taro@example.jp>", Subject: "ご注文ありがとうございます〜新茶〜", Text: "山田 様\n\n合計 ¥1,980\n", Charset: "iso-2022-jp"},
				{To: "anna@example.com", Subject: "Spring tea", Text: "Hello\n", HTML: "<p>Hello</p>", Marketing: true,
					Headers: map[string]string{"List-Unsubscribe": "<https://example.co.jp/u?t=1>"}},
			} {
				if _, err := mail.Enqueue(ctx, tx, m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		w := newWorker(d, ts, "w1")
		w.Signer, w.From, w.Domain = k, "shop@example.co.jp", "example.co.jp"
		runOnce(t, w)
	}
	got := ts.Received()
	if len(got) != 4 {
		t.Fatalf("received %d", len(got))
	}
	dir := t.TempDir()
	dns := filepath.Join(dir, "dns.json")
	b, _ := json.Marshal(records)
	os.WriteFile(dns, b, 0o600)
	script := filepath.Join(dir, "verify.py")
	os.WriteFile(script, []byte(`import json, sys, dkim
records = json.load(open(sys.argv[1]))
def dnsfunc(name, timeout=5):
    if isinstance(name, bytes):
        name = name.decode()
    return records.get(name.rstrip('.'), '').encode()
msg = open(sys.argv[2], 'rb').read()
print('pass' if dkim.verify(msg, dnsfunc=dnsfunc) else 'fail')
`), 0o600)
	for i, m := range got {
		eml := filepath.Join(dir, "m.eml")
		os.WriteFile(eml, m.Raw, 0o600)
		out, err := exec.Command(py, script, dns, eml).CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != "pass" {
			t.Errorf("mail %d: python3-dkim says %s %v\n%s", i, out, err, m.Raw)
		}
		res, err := dkim.Verify(ctx, m.Raw, func(_ context.Context, name string) ([]string, error) {
			return []string{records[strings.TrimSuffix(name, ".")]}, nil
		})
		if err != nil || len(res) != 1 || res[0].Status != dkim.StatusPass {
			t.Errorf("mail %d: dkim.Verify = %+v, %v", i, res, err)
		}
		// A second From prepended to the signed mail must break it.
		forged := append([]byte("From: ceo@example.co.jp\r\n"), m.Raw...)
		os.WriteFile(eml, forged, 0o600)
		if out, _ := exec.Command(py, script, dns, eml).CombinedOutput(); strings.TrimSpace(string(out)) != "fail" {
			t.Errorf("mail %d: forged From still verifies: %s", i, out)
		}
	}
}
