// Package i18n holds Akinai's Japanese and English message catalogues.
// Messages live in locales/*.json, one file per area, each key carrying
// both languages side by side so a missing translation is obvious:
//
//	{"cart.add": {"ja": "カートに入れる", "en": "Add to cart"}}
//
// Arguments are formatted with fmt verbs (%s, %d).
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"
)

// Lang is a supported language.
type Lang string

const (
	Japanese Lang = "ja"
	English  Lang = "en"
	Default       = Japanese
)

// Langs lists the supported languages, the default first.
var Langs = []Lang{Japanese, English}

// Parse returns the language named by s ("ja", "en", "en-US", "ja-JP"),
// and false when s names none we support.
func Parse(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case s == "ja" || strings.HasPrefix(s, "ja-"):
		return Japanese, true
	case s == "en" || strings.HasPrefix(s, "en-"):
		return English, true
	}
	return Default, false
}

// FromAcceptLanguage picks the first supported language in an
// Accept-Language header, ignoring quality weights' order subtleties
// (browsers list the preferred language first).
func FromAcceptLanguage(h string) Lang {
	for _, part := range strings.Split(h, ",") {
		tag, _, _ := strings.Cut(part, ";")
		if l, ok := Parse(tag); ok {
			return l
		}
	}
	return Default
}

type entry map[Lang]string

//go:embed locales/*.json
var localeFS embed.FS

var catalog = sync.OnceValues(func() (map[string]entry, error) { return load(localeFS) })

func load(fsys fs.FS) (map[string]entry, error) {
	files, err := fs.Glob(fsys, "locales/*.json")
	if err != nil {
		return nil, err
	}
	all := map[string]entry{}
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		var m map[string]entry
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", path.Base(f), err)
		}
		for k, v := range m {
			if _, dup := all[k]; dup {
				return nil, fmt.Errorf("i18n: key %q defined twice (again in %s)", k, path.Base(f))
			}
			for _, l := range Langs {
				if v[l] == "" {
					return nil, fmt.Errorf("i18n: key %q in %s has no %s text", k, path.Base(f), l)
				}
			}
			all[k] = v
		}
	}
	return all, nil
}

// Check loads the catalogues and reports the first problem: a broken
// file, a key defined twice, a key missing a language. The server calls
// it at start so a broken catalogue fails the boot, not a customer.
func Check() error {
	_, err := catalog()
	return err
}

// Has reports whether key exists.
func Has(key string) bool {
	c, _ := catalog()
	_, ok := c[key]
	return ok
}

// T returns the message for key in lang, formatted with args. An unknown
// key returns the key itself, which tests catch (TestTemplatesUseKnownKeys).
func T(lang Lang, key string, args ...any) string {
	c, _ := catalog()
	e, ok := c[key]
	if !ok {
		return key
	}
	s := e[lang]
	if s == "" {
		s = e[Default]
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Keys returns every key, for tests.
func Keys() []string {
	c, _ := catalog()
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	return keys
}
