package calendar

import "testing"

func TestDate_Label(t *testing.T) {
	for _, c := range []struct {
		d      Date
		ja, en string
	}{
		{NewDate(2026, 12, 3), "12月3日(木)", "Thu 3 Dec"},
		{NewDate(2027, 1, 10), "1月10日(日)", "Sun 10 Jan"},
		{NewDate(2024, 2, 29), "2月29日(木)", "Thu 29 Feb"},
	} {
		if got := c.d.Label(false); got != c.ja {
			t.Errorf("%s ja: %q, want %q", c.d, got, c.ja)
		}
		if got := c.d.Label(true); got != c.en {
			t.Errorf("%s en: %q, want %q", c.d, got, c.en)
		}
	}
	if got := LabelOf("2026-12-03", false); got != "12月3日(木)" {
		t.Errorf("LabelOf: %q", got)
	}
	for _, s := range []string{"", "指定なし", "2026-02-30"} {
		if got := LabelOf(s, true); got != s {
			t.Errorf("LabelOf(%q) = %q, want it unchanged", s, got)
		}
	}
}
