package phishcheck

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/mail/dkim"
)

// classCase is one entry of testdata/corpus/classes/corpus.json (written
// by build.py there). Mails with Sign are signed here, at run time, with
// Akinai's DKIM signer.
type classCase struct {
	corpusCase
	Part   string   `json:"part"` // "tuned" or "heldout"
	Advice []string `json:"advice"`
}

func loadClassCorpus(tb testing.TB) []classCase {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "corpus", "classes", "corpus.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var cases []classCase
	if err := json.Unmarshal(data, &cases); err != nil {
		tb.Fatal(err)
	}
	return cases
}

// classMail reads a class corpus mail, signed when its entry says so.
func classMail(tb testing.TB, c classCase) []byte {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "corpus", "classes", c.File))
	if err != nil {
		tb.Fatal(err)
	}
	if c.Sign == nil {
		return raw
	}
	signed, err := dkim.Sign(raw, c.Sign.Domain, c.Sign.Selector, mustKey(tb, c.Sign.Key))
	if err != nil {
		tb.Fatal(err)
	}
	return signed
}

// confusion counts expected (rows) against judged (columns) verdicts.
type confusion map[Verdict]map[Verdict]int

func (m confusion) add(want, got Verdict) {
	if m[want] == nil {
		m[want] = map[Verdict]int{}
	}
	m[want][got]++
}

func (m confusion) String() string {
	var sb strings.Builder
	sb.WriteString("| expected \\ judged | genuine | suspicious | phishing |\n|---|---|---|---|\n")
	for _, w := range []Verdict{Genuine, Suspicious, Phishing} {
		fmt.Fprintf(&sb, "| %s | %d | %d | %d |\n", w, m[w][Genuine], m[w][Suspicious], m[w][Phishing])
	}
	return sb.String()
}

func TestCorpusClasses(t *testing.T) {
	t.Parallel()
	cases := loadClassCorpus(t)
	if n := len(cases) + len(loadCorpus(t)); n < 150 {
		t.Fatalf("corpus has %d mails, want at least 150", n)
	}
	cfg := corpusConfig(t)
	matrix := map[string]confusion{}
	for _, c := range cases {
		t.Run(strings.TrimSuffix(c.File, ".eml"), func(t *testing.T) {
			cc := cfg
			if c.Offline {
				cc.Resolver = nil
			}
			r := CheckMessage(t.Context(), cc, classMail(t, c))
			for _, key := range []string{c.Part, "all"} {
				if matrix[key] == nil {
					matrix[key] = confusion{}
				}
				matrix[key].add(c.Verdict, r.Verdict)
			}
			if r.Verdict != c.Verdict {
				t.Errorf("verdict %s, want %s (%s)\n%s", r.Verdict, c.Verdict, c.Note, describe(r))
			}
			for _, code := range c.Codes {
				if !r.Has(code) {
					t.Errorf("missing reason %s (%s)\n%s", code, c.Note, describe(r))
				}
			}
			for _, code := range c.Advice {
				if !slices.ContainsFunc(r.Advice, func(a Reason) bool { return a.Code == code }) {
					t.Errorf("missing advice %s", code)
				}
			}
		})
	}
	for _, key := range []string{"tuned", "heldout", "all"} {
		if m := matrix[key]; m != nil {
			t.Logf("confusion matrix, %s part:\n%s", key, m)
		}
	}
}
