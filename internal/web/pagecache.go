package web

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Whole pages that every anonymous visitor sees alike (catalogue listings,
// the top page, shop pages) are kept rendered for a few seconds: layout
// rendering with html/template costs more than the database
// (docs/PERFORMANCE.md). A request is anonymous when it carries no cookie
// but the language and CSRF ones, so a cart, a session or a flash message
// always gets a freshly rendered page. A page with forms is rendered with a
// placeholder where the CSRF token goes, and each visitor's own token is
// put in when the page is served, so no visitor ever sees another's token.

// pageCacheMax bounds the number of cached pages; past it the cache is
// emptied, which is cheap and keeps memory bounded under crawling.
const pageCacheMax = 4096

type cachedPage struct {
	body    []byte
	status  int
	expires time.Time
	lang    string
	noindex bool
}

type pageCache struct {
	hits, misses atomic.Int64 // for the metrics
	mu           sync.Mutex
	pages        map[string]*cachedPage
	once         sync.Once
	placeholder  string
}

// anonymous reports whether the request carries only cookies that do not
// change what a shared page shows.
func anonymous(r *http.Request) bool {
	for _, c := range r.Cookies() {
		name := strings.TrimPrefix(c.Name, "__Host-")
		if name != csrfCookie && name != "lang" {
			return false
		}
	}
	return true
}

// RenderShared renders a page that is identical for every anonymous
// visitor, serving it from memory for up to ttl. key must name everything
// the page depends on besides the language (path, query, data version).
func (r *Renderer) RenderShared(w http.ResponseWriter, req *http.Request, status int, name, key string, ttl time.Duration, p *Page) error {
	if req.Method != http.MethodGet || !anonymous(req) {
		return r.Render(w, req, status, name, p)
	}
	key = string(Lang(req)) + "\x00" + name + "\x00" + key
	now := time.Now()
	r.shared.mu.Lock()
	cp := r.shared.pages[key]
	r.shared.mu.Unlock()
	if cp == nil || now.After(cp.expires) {
		r.shared.misses.Add(1)
		rec := &bufferWriter{header: http.Header{}}
		info := *Info(req)
		info.CSRF = r.csrfPlaceholder()
		if err := r.Render(rec, req.WithContext(WithInfo(req.Context(), &info)), status, name, p); err != nil {
			return err
		}
		cp = &cachedPage{body: rec.body, status: rec.status, expires: now.Add(ttl), lang: rec.header.Get("Content-Language"), noindex: rec.header.Get("X-Robots-Tag") != ""}
		r.shared.mu.Lock()
		if r.shared.pages == nil || len(r.shared.pages) >= pageCacheMax {
			r.shared.pages = map[string]*cachedPage{}
		}
		r.shared.pages[key] = cp
		r.shared.mu.Unlock()
	} else {
		r.shared.hits.Add(1)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", cp.lang)
	if cp.noindex {
		h.Set("X-Robots-Tag", "noindex, nofollow")
	}
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	w.WriteHeader(cp.status)
	body := cp.body
	if ph := r.csrfPlaceholder(); bytes.Contains(body, []byte(ph)) {
		body = bytes.ReplaceAll(body, []byte(ph), []byte(Info(req).CSRF))
	}
	_, err := w.Write(body)
	return err
}

// PageCacheStats returns how many shared pages were served from memory
// and how many were rendered, since the start.
func (r *Renderer) PageCacheStats() (hits, misses int64) {
	return r.shared.hits.Load(), r.shared.misses.Load()
}

// csrfPlaceholder stands for the visitor's CSRF token in a shared page:
// letters and digits only, so no escaping changes it, and random per
// process.
func (r *Renderer) csrfPlaceholder() string {
	r.shared.once.Do(func() {
		b := make([]byte, 16)
		rand.Read(b)
		r.shared.placeholder = "csrfplaceholder" + hex.EncodeToString(b)
	})
	return r.shared.placeholder
}

// bufferWriter captures a rendered page.
type bufferWriter struct {
	header http.Header
	status int
	body   []byte
}

func (b *bufferWriter) Header() http.Header { return b.header }
func (b *bufferWriter) WriteHeader(s int)   { b.status = s }
func (b *bufferWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	b.body = append(b.body, p...)
	return len(p), nil
}
