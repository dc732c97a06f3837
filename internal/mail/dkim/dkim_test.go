package dkim

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
)

const sampleMail = "From: Akinai Shop <shop@shop.example.jp>\r\n" +
	"To: customer@example.net\r\n" +
	"Subject: Your order 1001\r\n" +
	"Date: Tue, 04 Mar 2025 10:00:00 +0900\r\n" +
	"Message-ID: <1001@shop.example.jp>\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n" +
	"\r\n" +
	"Thank you for your order.\r\n" +
	"ご注文ありがとうございます。\r\n"

type keyCase struct {
	name string
	key  crypto.Signer
}

var (
	keysOnce sync.Once
	keysRSA  [2]crypto.Signer
	keysEd   [2]crypto.Signer
)

// testKeys makes (once per test binary: RSA generation is slow) two keys of
// each type; the second of each is used as "the wrong key".
func testKeys(tb testing.TB) []keyCase {
	tb.Helper()
	keysOnce.Do(func() {
		for i := range 2 {
			keysRSA[i], _ = GenerateRSA()
			keysEd[i], _ = GenerateEd25519()
		}
	})
	if keysRSA[0] == nil || keysEd[0] == nil {
		tb.Fatal("key generation failed")
	}
	return []keyCase{{"ed25519", keysEd[0]}, {"rsa2048", keysRSA[0]}}
}

func otherKeyOfSameType(tb testing.TB, k crypto.Signer) crypto.Signer {
	if _, ok := k.(ed25519.PrivateKey); ok {
		return keysEd[1]
	}
	return keysRSA[1]
}

func mustTXT(tb testing.TB, k crypto.Signer) string {
	tb.Helper()
	txt, err := TXTRecord(k.Public())
	if err != nil {
		tb.Fatal(err)
	}
	return txt
}

func staticTXT(records map[string]string) LookupTXTFunc {
	return func(_ context.Context, name string) ([]string, error) {
		if v, ok := records[strings.TrimSuffix(name, ".")]; ok {
			return []string{v}, nil
		}
		return nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
	}
}

func TestKeys_RoundTrip(t *testing.T) {
	for _, kt := range testKeys(t) {
		t.Run(kt.name, func(t *testing.T) {
			pemData, err := MarshalPrivateKey(kt.key)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(pemData, []byte("-----BEGIN PRIVATE KEY-----")) {
				t.Errorf("not PKCS#8 PEM: %.40s", pemData)
			}
			back, err := ParsePrivateKey(pemData)
			if err != nil {
				t.Fatal(err)
			}
			if mustTXT(t, back) != mustTXT(t, kt.key) {
				t.Error("parsed key differs from the original")
			}
		})
	}
}

func TestTXTRecord(t *testing.T) {
	ed := keysEdPublic(t)
	txt := mustTXT(t, ed)
	if !strings.HasPrefix(txt, "v=DKIM1; k=ed25519; p=") || len(txt) != len("v=DKIM1; k=ed25519; p=")+44 {
		t.Errorf("ed25519 record = %q", txt)
	}
	if txt := mustTXT(t, keysRSA[0]); !strings.HasPrefix(txt, "v=DKIM1; k=rsa; p=MIIBIjAN") {
		t.Errorf("rsa record = %q", txt)
	}
	if _, err := TXTRecord("not a key"); !errors.Is(err, ErrUnsupportedKey) {
		t.Errorf("TXTRecord(string) error = %v, want ErrUnsupportedKey", err)
	}
}

func keysEdPublic(t *testing.T) crypto.Signer { testKeys(t); return keysEd[0] }

func TestParsePrivateKey_Errors(t *testing.T) {
	for name, data := range map[string]string{
		"empty":      "",
		"not pem":    "hello",
		"wrong type": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
		"bad der":    "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
	} {
		if _, err := ParsePrivateKey([]byte(data)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestSign_OverSignsAndVerifies(t *testing.T) {
	for _, kt := range testKeys(t) {
		t.Run(kt.name, func(t *testing.T) {
			lf := strings.ReplaceAll(sampleMail, "\r\n", "\n")
			signed, err := Sign([]byte(lf), "shop.example.jp", "s1", kt.key)
			if err != nil {
				t.Fatal(err)
			}
			lookup := staticTXT(map[string]string{"s1._domainkey.shop.example.jp": mustTXT(t, kt.key)})
			res, err := Verify(context.Background(), signed, lookup)
			if err != nil || len(res) != 1 || res[0].Status != StatusPass {
				t.Fatalf("Verify = %+v, %v", res, err)
			}
			r := res[0]
			for name, want := range map[string]int{"From": 2, "Subject": 2, "Reply-To": 1, "To": 2, "Date": 2, "Message-ID": 2} {
				if got := r.Signs(name); got != want {
					t.Errorf("h= lists %s %d times, want %d (h=%v)", name, got, want, r.HeaderKeys)
				}
			}
			if !strings.Contains(string(signed), "c=relaxed/relaxed") {
				t.Error("not relaxed/relaxed")
			}
			tests := map[string][]byte{
				"prepended From": append([]byte("From: attacker@evil.example\r\n"), signed...),
				"added Reply-To": append([]byte("Reply-To: attacker@evil.example\r\n"), signed...),
				"changed body":   bytes.Replace(signed, []byte("Thank you"), []byte("Thank yoU"), 1),
				"second Subject": append([]byte("Subject: urgent\r\n"), signed...),
			}
			for name, msg := range tests {
				res, _ := Verify(context.Background(), msg, lookup)
				if len(res) != 1 || res[0].Status != StatusFail {
					t.Errorf("%s: %+v, want fail", name, res)
				}
			}
		})
	}
}

func TestVerify_Statuses(t *testing.T) {
	key := testKeys(t)[0].key
	signed, err := Sign([]byte(sampleMail), "shop.example.jp", "s1", key)
	if err != nil {
		t.Fatal(err)
	}
	tempFail := func(_ context.Context, name string) ([]string, error) {
		return nil, &net.DNSError{Err: "timeout", Name: name, IsTimeout: true, IsTemporary: true}
	}
	tests := []struct {
		name   string
		msg    []byte
		lookup LookupTXTFunc
		want   []Status
	}{
		{"unsigned", []byte(sampleMail), staticTXT(nil), nil},
		{"no key in DNS", signed, staticTXT(nil), []Status{StatusPermError}},
		{"dns timeout", signed, tempFail, []Status{StatusTempError}},
		{"revoked key", signed, staticTXT(map[string]string{"s1._domainkey.shop.example.jp": "v=DKIM1; k=ed25519; p="}), []Status{StatusPermError}},
		{"garbage signature", append([]byte("DKIM-Signature: v=1; a=zz; b=!!\r\n"), signed...), staticTXT(map[string]string{"s1._domainkey.shop.example.jp": mustTXT(t, key)}), []Status{StatusPermError, StatusPass}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Verify(context.Background(), tt.msg, tt.lookup)
			if err != nil {
				t.Fatal(err)
			}
			var got []Status
			for _, r := range res {
				got = append(got, r.Status)
			}
			if strings.Join(statusStrings(got), ",") != strings.Join(statusStrings(tt.want), ",") {
				t.Errorf("statuses = %v, want %v", got, tt.want)
			}
		})
	}
}

func statusStrings(s []Status) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = string(v)
	}
	return out
}

func TestSign_Errors(t *testing.T) {
	key := testKeys(t)[0].key
	if _, err := Sign([]byte("To: x@example.jp\r\n\r\nhi\r\n"), "a.jp", "s", key); err == nil {
		t.Error("no error for a message without From")
	}
	if _, err := Sign([]byte(sampleMail), "", "s", key); err == nil {
		t.Error("no error for an empty domain")
	}
}
