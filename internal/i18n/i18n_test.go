package i18n

import (
	"testing"
	"testing/fstest"
)

func TestCatalogueLoads(t *testing.T) {
	t.Parallel()
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	if got := T(English, "error.too_many", 30); got != "Too many attempts. Please try again in 30 seconds." {
		t.Fatalf("T = %q", got)
	}
	if got := T(Japanese, "nav.cart"); got != "カート" {
		t.Fatalf("T = %q", got)
	}
	if got := T(English, "no.such.key"); got != "no.such.key" {
		t.Fatalf("unknown key = %q", got)
	}
}

func TestLoadRefusesGaps(t *testing.T) {
	t.Parallel()
	for name, files := range map[string]fstest.MapFS{
		"missing en": {"locales/a.json": {Data: []byte(`{"k": {"ja": "x"}}`)}},
		"duplicate":  {"locales/a.json": {Data: []byte(`{"k": {"ja": "x", "en": "x"}}`)}, "locales/b.json": {Data: []byte(`{"k": {"ja": "y", "en": "y"}}`)}},
		"broken":     {"locales/a.json": {Data: []byte(`{`)}},
	} {
		if _, err := load(files); err == nil {
			t.Errorf("%s: load succeeded", name)
		}
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]Lang{"ja": Japanese, "EN": English, "en-US": English, "fr": Japanese, "": Japanese} {
		if got, _ := Parse(in); got != want {
			t.Errorf("Parse(%q) = %s", in, got)
		}
	}
	if got := FromAcceptLanguage("fr-FR,en;q=0.8,ja;q=0.5"); got != English {
		t.Errorf("FromAcceptLanguage = %s", got)
	}
}
