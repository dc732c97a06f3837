package web

import (
	"bytes"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// formServer is the middleware in front of a mux with one Form handler
// (POST /form, "note" multi-line) and one plain handler (POST /plain).
// Each handler records what it saw.
type formServer struct {
	h       http.Handler
	seen    url.Values
	errs    map[string]string
	plainOK bool
	seed    string
	token   string
}

func newFormServer(t *testing.T) *formServer {
	t.Helper()
	s := &formServer{seed: strings.Repeat("s", 43)}
	key := []byte(strings.Repeat("k", 32))
	s.token = csrf{key: key}.sign(s.seed)
	render := NewRenderer(slog.New(slog.NewTextHandler(io.Discard, nil)), NewAssets())
	mux := http.NewServeMux()
	mux.Handle("POST /form", Form(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.seen, s.errs = r.PostForm, FieldErrors(r, nil)
		w.WriteHeader(FormStatus(s.errs))
	}), "note"))
	mux.Handle("POST /plain", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.plainOK = true }))
	s.h = Middleware(Config{Log: render.Log, Secret: key, Errors: render, Router: mux}, mux)
	return s
}

// post sends body (raw, so that any bytes get through) to path.
func (s *formServer) post(path, body, contentType string) *httptest.ResponseRecorder {
	s.seen, s.errs, s.plainOK = nil, nil, false
	req := httptest.NewRequest("POST", path, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.AddCookie(&http.Cookie{Name: "csrf", Value: s.seed})
	req.Header.Set("X-CSRF-Token", s.token)
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	return rec
}

// raw builds an urlencoded body with field → raw bytes.
func raw(fields map[string]string) string {
	var parts []string
	for k, v := range fields {
		parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v))
	}
	return strings.Join(parts, "&")
}

const formCT = "application/x-www-form-urlencoded"

func TestFormText_BadFieldsAreMarkedAndEmptied(t *testing.T) {
	t.Parallel()
	s := newFormServer(t)
	for _, tc := range []struct {
		name, field, value, want string
	}{
		{"invalid UTF-8", "name", "ab\xff\xfe", FieldNotText},
		{"raw Shift_JIS 山田", "name", "\x8eR\x93c", FieldNotText},
		{"raw Shift_JIS in the note", "note", "\x82\xa0\x82\xa2", FieldNotText},
		{"lone surrogate (CESU)", "name", "\xed\xa0\x80", FieldNotText},
		{"NUL", "name", "山田\x00", FieldControl},
		{"ESC", "city", "\x1b[2J", FieldControl},
		{"BEL in the note", "note", "hi\x07", FieldControl},
		{"DEL", "name", "a\x7fb", FieldControl},
		{"C1 NEL", "name", "a\u0085b", FieldControl},
		{"C1 CSI", "name", "a\u009bb", FieldControl},
		{"line break in a one-line field", "name", "Taro\r\nBcc: x@example.com", FieldLineBreak},
		{"tab in a one-line field", "name", "Taro\tYamada", FieldControl},
		{"NUL in a password", "password", "pass\x00word", FieldControl},
	} {
		rec := s.post("/form", raw(map[string]string{tc.field: tc.value, "other": "ok"}), formCT)
		if rec.Code != http.StatusUnprocessableEntity || s.errs[tc.field] != tc.want {
			t.Errorf("%s: status %d, errors %v", tc.name, rec.Code, s.errs)
			continue
		}
		if got := s.seen.Get(tc.field); got != "" {
			t.Errorf("%s: the handler saw %q", tc.name, got)
		}
		if len(s.errs) != 1 || s.seen.Get("other") != "ok" {
			t.Errorf("%s: the good field was touched: %v %v", tc.name, s.errs, s.seen)
		}
	}
}

func TestFormText_NormalisesGoodFields(t *testing.T) {
	t.Parallel()
	s := newFormServer(t)
	nfdGa := "か\u3099" // が, decomposed (as some Macs send it)
	nfdPa := "ﾊ\uff9f" // half-width パ stays for the kana check (jp.Kana) to widen
	rec := s.post("/form", raw(map[string]string{
		"name":     "山田" + nfdGa,
		"note":     "一行目\r\n二行目\rthird\tcol",
		"password": "pa" + nfdGa,       // passwords are checked, not normalised
		"raw":      "\x1b$B\x1b(B\r\n", // the phishing checker's mail source, verbatim
		"kana":     nfdPa,
	}), formCT)
	if rec.Code != 200 || len(s.errs) != 0 {
		t.Fatalf("status %d, errors %v", rec.Code, s.errs)
	}
	for field, want := range map[string]string{
		"name":     "山田が",
		"note":     "一行目\n二行目\rthird\tcol",
		"password": "pa" + nfdGa,
		"raw":      "\x1b$B\x1b(B\r\n",
		"kana":     nfdPa,
	} {
		if got := s.seen.Get(field); got != want {
			t.Errorf("%s: %q, want %q", field, got, want)
		}
	}
}

func TestFormText_OtherHandlersAreRefusedWhole(t *testing.T) {
	t.Parallel()
	s := newFormServer(t)
	rec := s.post("/plain", raw(map[string]string{"title": "ok", "body": "\x82\xa0", "name": "a\x00"}), formCT)
	body := rec.Body.String()
	if rec.Code != http.StatusUnprocessableEntity || s.plainOK || !strings.Contains(body, "body, name") || !strings.Contains(body, "何も保存していません") {
		t.Fatalf("status %d, handler ran %v: %s", rec.Code, s.plainOK, body)
	}
	// Line breaks and tabs are allowed in forms that name no fields (the
	// admin's text areas); the values still arrive normalised.
	if rec := s.post("/plain", raw(map[string]string{"body": "a\r\n\tb"}), formCT); rec.Code != 200 || !s.plainOK {
		t.Fatalf("text area in a plain form: %d", rec.Code)
	}
	// Multipart forms (uploads) alike; the file itself is not a field.
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("name_ja", "商品\x00")
	fw, _ := mw.CreateFormFile("file", "x.csv")
	fw.Write([]byte("\x82\xa0,\x00\n"))
	mw.Close()
	if rec := s.post("/plain", b.String(), mw.FormDataContentType()); rec.Code != http.StatusUnprocessableEntity || s.plainOK || !strings.Contains(rec.Body.String(), "name_ja") {
		t.Fatalf("multipart: %d %v", rec.Code, s.plainOK)
	}
}

func TestText(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][2]string{
		"か\u3099ぎ":   {"がぎ", ""},
		"鍵\u0000":    {"", FieldControl},
		"鍵\n":        {"", FieldLineBreak},
		"鍵\u009b[2J": {"", FieldControl},
		"\xff":       {"", FieldNotText},
	} {
		if v, p := Text(in); v != want[0] || p != want[1] {
			t.Errorf("Text(%q) = %q, %q; want %q", in, v, p, want)
		}
	}
}

// BenchmarkFormCheck compares parsing a checkout-sized form with parsing
// and checking it (docs/PERFORMANCE.md records the ratio).
func BenchmarkFormCheck(b *testing.B) {
	v := url.Values{}
	for _, k := range []string{"family_name", "given_name", "city", "address1", "address2", "s_family_name", "s_given_name", "s_city"} {
		v.Set(k, "千代田区千代田一丁目一番地")
	}
	for _, k := range []string{"family_kana", "given_kana", "email", "email2", "phone", "postal_code", "pref", "method", "date", "slot", "payment", "key"} {
		v.Set(k, "ヤマダ-taro@example.jp-0312345678")
	}
	v.Set("note", strings.Repeat("よろしくお願いします。\r\n", 20))
	body := v.Encode()
	parse := func() *http.Request {
		r := httptest.NewRequest("POST", "/checkout", strings.NewReader(body))
		r.Header.Set("Content-Type", formCT)
		r.ParseForm()
		return r
	}
	b.Run("parse", func(b *testing.B) {
		for b.Loop() {
			parse()
		}
	})
	ml := map[string]bool{"note": true}
	b.Run("parse+check", func(b *testing.B) {
		for b.Loop() {
			checkForm(parse(), ml)
		}
	})
	// The check alone, on values already parsed (and normalised).
	b.Run("check", func(b *testing.B) {
		r := parse()
		for b.Loop() {
			checkForm(r, ml)
		}
	})
}
