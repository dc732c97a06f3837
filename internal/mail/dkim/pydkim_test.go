package dkim

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pyOracle is a small driver for python3-dkim (dkimpy), an implementation
// independent of go-msgauth: "verify" checks a message against the DNS
// records given as JSON, "sign" signs one with a key in dkimpy's format.
const pyOracle = `
import json, sys, dkim
mode = sys.argv[1]
msg = open(sys.argv[2], 'rb').read()
if mode == 'verify':
    records = json.load(open(sys.argv[3]))
    def dnsfunc(name, timeout=5):
        if isinstance(name, bytes):
            name = name.decode()
        return records.get(name.rstrip('.'), '').encode()
    d = dkim.DKIM(msg)
    sigs = [h for h in d.headers if h[0].lower() == b'dkim-signature']
    res = [d.verify(idx=i, dnsfunc=dnsfunc) for i in range(len(sigs))]
    print(' '.join('pass' if r else 'fail' for r in res))
else:
    domain, selector, keyfile, algo = sys.argv[3:7]
    key = open(keyfile, 'rb').read()
    sig = dkim.sign(msg, selector.encode(), domain.encode(), key,
                    canonicalize=(b'relaxed', b'relaxed'),
                    signature_algorithm=algo.encode(),
                    include_headers=[b'from', b'to', b'subject', b'date', b'message-id'])
    sys.stdout.buffer.write(sig + msg)
`

// mustPython returns a python3 that can import dkim, or skips the test.
func mustPython(tb testing.TB) string {
	tb.Helper()
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		path, err := exec.LookPath(py)
		if err != nil {
			continue
		}
		if exec.Command(path, "-c", "import dkim, nacl").Run() == nil {
			return path
		}
	}
	tb.Skip("python3-dkim (with python3-nacl) is not installed: apt-get install -y python3-dkim; skipping the independent DKIM oracle")
	return ""
}

func runOracle(tb testing.TB, py string, args ...string) string {
	tb.Helper()
	dir := tb.TempDir()
	script := filepath.Join(dir, "oracle.py")
	if err := os.WriteFile(script, []byte(pyOracle), 0o600); err != nil {
		tb.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(py, append([]string{script}, args...)...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("python dkim %v: %v\n%s", args[0], err, stderr.String())
	}
	return string(out)
}

func writeTemp(tb testing.TB, name string, data []byte) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		tb.Fatal(err)
	}
	return p
}

// pyVerify returns dkimpy's verdict for each signature of msg.
func pyVerify(tb testing.TB, py string, msg []byte, records map[string]string) string {
	tb.Helper()
	js, _ := json.Marshal(records)
	return strings.TrimSpace(runOracle(tb, py, "verify",
		writeTemp(tb, "msg.eml", msg), writeTemp(tb, "dns.json", js)))
}

// pyKey encodes key as dkimpy wants it: base64 of the 32-byte seed for
// Ed25519, PKCS#1 PEM for RSA.
func pyKey(tb testing.TB, key crypto.Signer) (data []byte, algo string) {
	tb.Helper()
	switch k := key.(type) {
	case ed25519.PrivateKey:
		return []byte(base64.StdEncoding.EncodeToString(k.Seed())), "ed25519-sha256"
	case *rsa.PrivateKey:
		return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}), "rsa-sha256"
	}
	tb.Fatalf("unexpected key %T", key)
	return nil, ""
}

func TestSign_VerifiedByPythonDKIM(t *testing.T) {
	py := mustPython(t)
	for _, kt := range testKeys(t) {
		t.Run(kt.name, func(t *testing.T) {
			signed, err := Sign([]byte(sampleMail), "shop.example.jp", "akinai1", kt.key)
			if err != nil {
				t.Fatal(err)
			}
			records := map[string]string{"akinai1._domainkey.shop.example.jp": mustTXT(t, kt.key)}
			if got := pyVerify(t, py, signed, records); got != "pass" {
				t.Fatalf("python dkim: %q, want pass\n%s", got, signed)
			}
			// A second From prepended above the signature must break it.
			forged := append([]byte("From: attacker@evil.example\r\n"), signed...)
			if got := pyVerify(t, py, forged, records); got != "fail" {
				t.Errorf("python dkim on prepended From: %q, want fail", got)
			}
			// A wrong key in DNS must fail.
			other := otherKeyOfSameType(t, kt.key)
			records["akinai1._domainkey.shop.example.jp"] = mustTXT(t, other)
			if got := pyVerify(t, py, signed, records); got != "fail" {
				t.Errorf("python dkim with a wrong key: %q, want fail", got)
			}
		})
	}
}

func TestVerify_SignedByPythonDKIM(t *testing.T) {
	py := mustPython(t)
	for _, kt := range testKeys(t) {
		t.Run(kt.name, func(t *testing.T) {
			keyData, algo := pyKey(t, kt.key)
			signed := []byte(runOracle(t, py, "sign", writeTemp(t, "msg.eml", []byte(sampleMail)),
				"sender.example.com", "py", writeTemp(t, "key", keyData), algo))
			lookup := staticTXT(map[string]string{"py._domainkey.sender.example.com": mustTXT(t, kt.key)})
			res, err := Verify(t.Context(), signed, lookup)
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != 1 || res[0].Status != StatusPass {
				t.Fatalf("Verify = %+v, want one pass", res)
			}
			if res[0].Domain != "sender.example.com" || res[0].Selector != "py" || res[0].Algorithm != algo {
				t.Errorf("result = %+v", res[0])
			}
			tampered := bytes.Replace(signed, []byte("Your order"), []byte("Your 0rder"), 1)
			res, _ = Verify(t.Context(), tampered, lookup)
			if len(res) != 1 || res[0].Status != StatusFail {
				t.Errorf("tampered subject: %+v, want fail", res)
			}
		})
	}
}
