// Package rank holds customer ranks (会員ランク): groups of customers such
// as ゴールド会員 that the shop treats differently. A rank may carry a
// percentage off item prices, which checkout applies to a signed-in
// member of the rank. The package owns the rank master screen; the
// customer page's rank choice is in internal/admin.
package rank

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/jp"
)

// MaxName bounds a rank's name in either language.
const MaxName = 50

// Rank is one rank as stored, with how many customers are in it.
type Rank struct {
	ID        int64
	NameJA    string
	NameEN    string
	Percent   int // off item prices, 0–100
	SortOrder int
	Members   int
}

// Name is the rank's name in lang ("ja" or "en"); the Japanese name when
// the English one is empty.
func (r Rank) Name(lang string) string {
	if lang == "en" && r.NameEN != "" {
		return r.NameEN
	}
	return r.NameJA
}

// Form is a rank as typed, kept to show it again with errors.
type Form struct {
	NameJA, NameEN, Percent string
}

// Validate turns the form into a rank, with field → i18n key for every
// wrong field.
func (f Form) Validate() (Rank, map[string]string) {
	errs := map[string]string{}
	r := Rank{NameJA: strings.TrimSpace(f.NameJA), NameEN: strings.TrimSpace(f.NameEN)}
	if r.NameJA == "" {
		errs["name_ja"] = "rank.required"
	} else if utf8.RuneCountInString(r.NameJA) > MaxName {
		errs["name_ja"] = "rank.too_long"
	}
	if utf8.RuneCountInString(r.NameEN) > MaxName {
		errs["name_en"] = "rank.too_long"
	}
	p := strings.TrimSuffix(jp.Fold(f.Percent), "%")
	if p == "" {
		p = "0"
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 0 || n > 100 {
		errs["percent"] = "rank.bad_percent"
	}
	r.Percent = n
	return r, errs
}
