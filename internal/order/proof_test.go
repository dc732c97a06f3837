package order

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestProof(t *testing.T) {
	t.Parallel()
	master := []byte(strings.Repeat("k", 32))
	p, err := NewProof(master)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	cookie := func(p *Proof, number string) *http.Cookie {
		w := httptest.NewRecorder()
		p.Grant(w, httptest.NewRequest("GET", "/", nil), number, now)
		cs := w.Result().Cookies()
		if len(cs) != 1 || !cs[0].HttpOnly || cs[0].SameSite != http.SameSiteLaxMode || cs[0].MaxAge != int(ProofTTL.Seconds()) {
			t.Fatalf("cookie %+v", cs)
		}
		return cs[0]
	}
	with := func(c *http.Cookie) *http.Request {
		r := httptest.NewRequest("GET", "/", nil)
		if c != nil {
			r.AddCookie(c)
		}
		return r
	}
	good := cookie(p, "261202-ABCDEF")
	other, _ := NewProof([]byte(strings.Repeat("x", 32)))
	tampered := *good
	tampered.Value = strings.Replace(good.Value, "261202-ABCDEF", "261202-ABCDEG", 1)
	longer := *good
	longer.Value = strings.Replace(good.Value, ".", ".9", 1)
	for _, tc := range []struct {
		name   string
		p      *Proof
		c      *http.Cookie
		number string
		at     time.Time
		want   bool
	}{
		{"own order", p, good, "261202-ABCDEF", now, true},
		{"just before expiry", p, good, "261202-ABCDEF", now.Add(ProofTTL - time.Second), true},
		{"expired", p, good, "261202-ABCDEF", now.Add(ProofTTL), false},
		{"another order", p, good, "261202-ABCDEG", now, false},
		{"number changed in the cookie", p, &tampered, "261202-ABCDEG", now, false},
		{"expiry moved", p, &longer, "261202-ABCDEF", now, false},
		{"another shop's key", other, good, "261202-ABCDEF", now, false},
		{"no cookie", p, nil, "261202-ABCDEF", now, false},
		{"nil proof", nil, good, "261202-ABCDEF", now, false},
		{"empty number", p, good, "", now, false},
	} {
		if got := tc.p.Holds(with(tc.c), tc.number, tc.at); got != tc.want {
			t.Errorf("%s: Holds = %v", tc.name, got)
		}
	}
	if _, err := NewProof([]byte("short")); err == nil {
		t.Error("a short master secret was accepted")
	}
}
