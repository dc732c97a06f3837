package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/akinai/akinai/internal/i18n"
)

func TestRenderSharedOnlyForAnonymousVisitors(t *testing.T) {
	t.Parallel()
	r := NewRenderer(slog.New(slog.NewTextHandler(io.Discard, nil)), NewAssets())
	pages := fstest.MapFS{"p/shared_test.html": {Data: []byte(`{{define "content"}}<p>{{.Data}}</p><form method="post">{{.CSRFField}}</form>{{end}}`)}}
	if err := r.AddPages("shop", pages, "p/*.html"); err != nil {
		t.Fatal(err)
	}
	serve := func(data string, cookies ...*http.Cookie) string {
		req := httptest.NewRequest("GET", "/x", nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		token := "token-of-" + data
		req = req.WithContext(WithInfo(req.Context(), &Request{Lang: i18n.Japanese, CSRF: token}))
		rec := httptest.NewRecorder()
		if err := r.RenderShared(rec, req, 200, "shared_test", "/x", time.Minute, &Page{Title: "t", Data: data}); err != nil {
			t.Fatal(err)
		}
		if rec.Code != 200 || rec.Header().Get("Content-Type") != "text/html; charset=utf-8" {
			t.Fatalf("status %d, headers %v", rec.Code, rec.Header())
		}
		// Each visitor sees their own CSRF token, never another's.
		if body := rec.Body.String(); !strings.Contains(body, `value="`+token+`"`) || strings.Count(body, "token-of-") != 1 {
			t.Fatalf("page for %s does not carry exactly its own token: %s", data, body)
		}
		return rec.Body.String()
	}
	if got := serve("first"); !strings.Contains(got, "<p>first</p>") {
		t.Fatalf("first render: %s", got)
	}
	// A second anonymous visitor (with only the CSRF and language cookies)
	// gets the stored page even though the data changed.
	if got := serve("second", &http.Cookie{Name: "csrf", Value: strings.Repeat("a", 43)}, &http.Cookie{Name: "lang", Value: "ja"}); !strings.Contains(got, "<p>first</p>") {
		t.Fatalf("anonymous visitor got a fresh render: %s", got)
	}
	// A visitor with a cart (any other cookie) always gets a fresh page.
	if got := serve("mine", &http.Cookie{Name: "cart", Value: "x"}); !strings.Contains(got, "<p>mine</p>") {
		t.Fatalf("visitor with a cart got a shared page: %s", got)
	}
}

func TestAddPagesSharesPartials(t *testing.T) {
	t.Parallel()
	r := NewRenderer(slog.New(slog.NewTextHandler(io.Discard, nil)), NewAssets())
	files := fstest.MapFS{
		"p/_fields.html":   {Data: []byte(`{{define "fields"}}<input name="{{.}}">{{end}}`)},
		"p/partial_a.html": {Data: []byte(`{{define "content"}}A{{template "fields" "a"}}{{end}}`)},
		"p/partial_b.html": {Data: []byte(`{{define "content"}}B{{template "fields" "b"}}{{end}}`)},
	}
	if err := r.AddPages("shop", files, "p/*.html"); err != nil {
		t.Fatal(err)
	}
	if r.HasPage("_fields") {
		t.Fatal("a partial became a page")
	}
	for page, want := range map[string]string{"partial_a": `A<input name="a">`, "partial_b": `B<input name="b">`} {
		req := httptest.NewRequest("GET", "/", nil)
		req = req.WithContext(WithInfo(req.Context(), &Request{Lang: i18n.Japanese}))
		rec := httptest.NewRecorder()
		if err := r.Render(rec, req, 200, page, &Page{}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(rec.Body.String(), want) {
			t.Fatalf("%s lacks %s", page, want)
		}
	}
}
