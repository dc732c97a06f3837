package rank

import "testing"

func TestForm_Validate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		f       Form
		percent int
		errs    map[string]string
	}{
		{Form{NameJA: " ゴールド会員 ", Percent: "１０％"}, 10, nil},
		{Form{NameJA: "法人会員", Percent: ""}, 0, nil},
		{Form{NameJA: "全品無料", Percent: "100"}, 100, nil},
		{Form{NameJA: "", Percent: "5"}, 5, map[string]string{"name_ja": "rank.required"}},
		{Form{NameJA: "x", Percent: "101"}, 101, map[string]string{"percent": "rank.bad_percent"}},
		{Form{NameJA: "x", Percent: "-1"}, -1, map[string]string{"percent": "rank.bad_percent"}},
		{Form{NameJA: "x", Percent: "2.5"}, 0, map[string]string{"percent": "rank.bad_percent"}},
		{Form{NameJA: "x", NameEN: string(make([]byte, 51)), Percent: "1"}, 1, map[string]string{"name_en": "rank.too_long"}},
	} {
		r, errs := tc.f.Validate()
		if len(errs) != len(tc.errs) {
			t.Errorf("%+v: errors %v, want %v", tc.f, errs, tc.errs)
			continue
		}
		for k, v := range tc.errs {
			if errs[k] != v {
				t.Errorf("%+v: %s = %q, want %q", tc.f, k, errs[k], v)
			}
		}
		if len(errs) == 0 && r.Percent != tc.percent {
			t.Errorf("%+v: percent %d, want %d", tc.f, r.Percent, tc.percent)
		}
	}
	if r, _ := (Form{NameJA: " ゴールド会員 "}).Validate(); r.NameJA != "ゴールド会員" || r.Name("en") != "ゴールド会員" {
		t.Errorf("trim and fallback: %+v", r)
	}
}
