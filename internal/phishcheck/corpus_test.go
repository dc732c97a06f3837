package phishcheck

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/mail/dkim"
)

var update = flag.Bool("update", false, "re-sign the corpus mails listed with \"sign\" from testdata/corpus/src")

// corpusCase is one entry of testdata/corpus/corpus.json (written by
// testdata/corpus/build.py).
type corpusCase struct {
	File    string   `json:"file"`
	Verdict Verdict  `json:"verdict"`
	Codes   []string `json:"codes"`
	Note    string   `json:"note"`
	Offline bool     `json:"offline"`
	Prepend string   `json:"prepend"`
	Sign    *struct {
		Signer   string `json:"signer"` // "akinai" or "python"
		Key      string `json:"key"`    // testdata/keys/KEY.pem
		Domain   string `json:"domain"`
		Selector string `json:"selector"`
	} `json:"sign"`
}

// corpusConfig is the shop the corpus was written for.
func corpusConfig(tb testing.TB) Config {
	return Config{
		Protected:          []string{"shop.co.jp", "admin.shop.co.jp", "ec-cube.net", "ec-cube.co.jp", "kessai-pay.jp"},
		Brands:             []string{"EC-CUBE", "Akinai", "さくら雑貨"},
		Services:           []Service{{Name: "丸山商事", Kind: KindSupplier, Aliases: []string{"丸山商事"}, Domains: []string{"maruyama-shoji.co.jp"}}},
		Correspondents:     []string{"kobe-tea.co.jp"},
		AdminOrigin:        "https://admin.shop.co.jp",
		AntiPhishingCode:   "sakura-42",
		TrustedAuthServIDs: []string{"mx.receiver.example"},
		Resolver:           fixtureResolver(tb),
	}
}

func mustKey(tb testing.TB, name string) crypto.Signer {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "keys", name+".pem"))
	if err != nil {
		tb.Fatal(err)
	}
	k, err := dkim.ParsePrivateKey(data)
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

// fixtureResolver answers from testdata/dns.zone, the file
// `akinai mailcheck --dns` reads: the corpus is verified offline through the
// same path an operator uses.
func fixtureResolver(tb testing.TB) StaticResolver {
	tb.Helper()
	r, err := LoadZone(filepath.Join("testdata", "dns.zone"))
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func loadCorpus(tb testing.TB) []corpusCase {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "corpus", "corpus.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var cases []corpusCase
	if err := json.Unmarshal(data, &cases); err != nil {
		tb.Fatal(err)
	}
	return cases
}

func TestCorpus(t *testing.T) {
	t.Parallel()
	cases := loadCorpus(t)
	if len(cases) < 40 {
		t.Fatalf("corpus has %d mails, want at least 40", len(cases))
	}
	if *update {
		for _, c := range cases {
			if c.Sign != nil {
				signCorpusMail(t, c)
			}
		}
	}
	cfg := corpusConfig(t)
	var tp, fp, fn, correct int
	matrix := confusion{}
	for _, c := range cases {
		t.Run(strings.TrimSuffix(c.File, ".eml"), func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", "corpus", c.File))
			if err != nil {
				t.Fatal(err)
			}
			cc := cfg
			if c.Offline {
				cc.Resolver = nil
			}
			r := CheckMessage(t.Context(), cc, raw)
			matrix.add(c.Verdict, r.Verdict)
			switch {
			case r.Verdict == Phishing && c.Verdict == Phishing:
				tp++
			case r.Verdict == Phishing:
				fp++
			case c.Verdict == Phishing:
				fn++
			}
			if r.Verdict == c.Verdict {
				correct++
			} else {
				t.Errorf("verdict %s, want %s (%s)\n%s", r.Verdict, c.Verdict, c.Note, describe(r))
			}
			for _, code := range c.Codes {
				if !r.Has(code) {
					t.Errorf("missing reason %s (%s)\n%s", code, c.Note, describe(r))
				}
			}
		})
	}
	precision, recall := ratio(tp, tp+fp), ratio(tp, tp+fn)
	t.Logf("confusion matrix, first corpus:\n%s", matrix)
	t.Logf("corpus: %d mails, %d verdicts right; phishing precision %.3f (%d/%d), recall %.3f (%d/%d)",
		len(cases), correct, precision, tp, tp+fp, recall, tp, tp+fn)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func describe(r Report) string {
	var sb strings.Builder
	sb.WriteString("  subject=" + r.Subject + " from=" + r.From + "\n")
	for _, x := range r.Reasons {
		sb.WriteString("  " + string(x.Severity) + " " + x.Code + " " + x.Detail + "\n")
	}
	for _, x := range r.NotChecked {
		sb.WriteString("  not checked " + x.Code + " " + x.Detail + "\n")
	}
	return sb.String()
}

// signCorpusMail signs src/FILE into FILE with Akinai's signer or, for
// "python", with dkimpy (skipped with a log when it is not installed).
func signCorpusMail(t *testing.T, c corpusCase) {
	src, err := os.ReadFile(filepath.Join("testdata", "corpus", "src", c.File))
	if err != nil {
		t.Fatal(err)
	}
	key := mustKey(t, c.Sign.Key)
	var signed []byte
	switch c.Sign.Signer {
	case "akinai":
		signed, err = dkim.Sign(src, c.Sign.Domain, c.Sign.Selector, key)
		if err != nil {
			t.Fatal(err)
		}
	case "python":
		signed = pythonSign(t, src, c.Sign.Domain, c.Sign.Selector, key)
		if signed == nil {
			return
		}
	default:
		t.Fatalf("%s: unknown signer %q", c.File, c.Sign.Signer)
	}
	signed = append([]byte(c.Prepend), signed...)
	if err := os.WriteFile(filepath.Join("testdata", "corpus", c.File), signed, 0o644); err != nil {
		t.Fatal(err)
	}
}

const pySign = `
import sys, dkim
msg = open(sys.argv[1], 'rb').read()
key = open(sys.argv[4], 'rb').read()
sig = dkim.sign(msg, sys.argv[3].encode(), sys.argv[2].encode(), key,
                canonicalize=(b'relaxed', b'relaxed'), signature_algorithm=sys.argv[5].encode(),
                include_headers=[b'from', b'to', b'subject', b'date', b'message-id', b'content-type'])
sys.stdout.buffer.write(sig + msg)
`

func pythonSign(t *testing.T, msg []byte, domain, selector string, key crypto.Signer) []byte {
	py := "/usr/bin/python3"
	if exec.Command(py, "-c", "import dkim, nacl").Run() != nil {
		t.Logf("python3-dkim not installed: keeping the committed python-signed mails")
		return nil
	}
	dir := t.TempDir()
	var keyData []byte
	algo := "rsa-sha256"
	switch k := key.(type) {
	case ed25519.PrivateKey:
		keyData, algo = []byte(base64.StdEncoding.EncodeToString(k.Seed())), "ed25519-sha256"
	case *rsa.PrivateKey:
		keyData = pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
	}
	files := map[string][]byte{"sign.py": []byte(pySign), "msg.eml": msg, "key": keyData}
	for n, d := range files {
		if err := os.WriteFile(filepath.Join(dir, n), d, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var stderr bytes.Buffer
	cmd := exec.Command(py, filepath.Join(dir, "sign.py"), filepath.Join(dir, "msg.eml"), domain, selector, filepath.Join(dir, "key"), algo)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python dkim sign: %v\n%s", err, stderr.String())
	}
	return out
}

func readCorpusFile(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join("testdata", "corpus", name))
}
