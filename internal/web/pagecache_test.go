package web

import (
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/akinai/akinai/internal/i18n"
)

func TestRenderSharedSplicesEachVisitorsParts(t *testing.T) {
	t.Parallel()
	r := NewRenderer(slog.New(slog.NewTextHandler(io.Discard, nil)), NewAssets())
	pages := fstest.MapFS{"p/shared_test.html": {Data: []byte(`{{define "content"}}<p>{{.Data}}</p><b>{{.Slot "cart"}}</b><form method="post">{{.CSRFField}}</form><i>{{.Slot "cart"}}</i>{{end}}`)}}
	if err := r.AddPages("shop", pages, "p/*.html"); err != nil {
		t.Fatal(err)
	}
	// The slot shows the cart cookie's value, as the real one shows the
	// count of that cart.
	r.AddSlot("cart", func(req *http.Request) (template.HTML, error) {
		if c, err := req.Cookie("cart"); err == nil {
			return template.HTML("cart-of-" + template.HTMLEscapeString(c.Value)), nil
		}
		return "", nil
	})
	r.ShareWith("cart")
	serve := func(data, token string, cookies ...*http.Cookie) string {
		req := httptest.NewRequest("GET", "/x", nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		req = req.WithContext(WithInfo(req.Context(), &Request{Lang: i18n.Japanese, CSRF: token}))
		rec := httptest.NewRecorder()
		if err := r.RenderShared(rec, req, 200, "shared_test", "/x", time.Minute, &Page{Title: "t", Data: data}); err != nil {
			t.Fatal(err)
		}
		if rec.Code != 200 || rec.Header().Get("Content-Type") != "text/html; charset=utf-8" {
			t.Fatalf("status %d, headers %v", rec.Code, rec.Header())
		}
		body := rec.Body.String()
		// Each visitor sees their own CSRF token, never another's.
		if !strings.Contains(body, `value="`+token+`"`) || strings.Count(body, "token-of-") != 1 || strings.Contains(body, r.csrfPlaceholder()) {
			t.Fatalf("page for %s does not carry exactly its own token: %s", data, body)
		}
		if cl := rec.Header().Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(body)) {
			t.Fatalf("Content-Length %s for %d bytes", cl, len(body))
		}
		return body
	}
	if got := serve("first", "token-of-first"); !strings.Contains(got, "<p>first</p>") || !strings.Contains(got, "<b></b>") {
		t.Fatalf("first render: %s", got)
	}
	// A second anonymous visitor (with only the CSRF and language cookies)
	// gets the stored page even though the data changed.
	if got := serve("second", "token-of-second", &http.Cookie{Name: "csrf", Value: strings.Repeat("a", 43)}, &http.Cookie{Name: "lang", Value: "ja"}); !strings.Contains(got, "<p>first</p>") {
		t.Fatalf("anonymous visitor got a fresh render: %s", got)
	}
	// Visitors with a cart get the stored page too, each with their own
	// cart in every slot and their own token: A never sees B's.
	for _, v := range []string{"A", "B", "A"} {
		got := serve("third", "token-of-"+v, &http.Cookie{Name: "cart", Value: v})
		if !strings.Contains(got, "<p>first</p>") || !strings.Contains(got, "<b>cart-of-"+v+"</b>") || !strings.Contains(got, "<i>cart-of-"+v+"</i>") ||
			strings.Count(got, "cart-of-") != strings.Count(got, "cart-of-"+v) {
			t.Fatalf("visitor %s: %s", v, got)
		}
	}
	// A flash message or an undeclared cookie gets a fresh page, with the
	// slot filled in directly.
	if got := serve("mine", "token-of-mine", &http.Cookie{Name: "flash", Value: "x"}, &http.Cookie{Name: "cart", Value: "C"}); !strings.Contains(got, "<p>mine</p>") || !strings.Contains(got, "<b>cart-of-C</b>") {
		t.Fatalf("visitor with a flash got a shared page: %s", got)
	}
	if got := serve("other", "token-of-other", &http.Cookie{Name: "something", Value: "x"}); !strings.Contains(got, "<p>other</p>") {
		t.Fatalf("visitor with an undeclared cookie got a shared page: %s", got)
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
