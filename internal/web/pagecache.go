package web

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Whole pages that every visitor sees alike (catalogue listings, product
// pages, the top page, shop pages) are kept rendered for a few seconds:
// layout rendering with html/template costs more than the database
// (docs/PERFORMANCE.md). The parts that differ per visitor are not in the
// stored page: it holds markers where the CSRF token and the layout's
// slots (the cart badge, see Renderer.AddSlot) go, and each request's own
// values are spliced in as the page is served, so no visitor ever sees
// another's token or cart. A visitor with a flash message, or with a
// cookie nobody declared (ShareWith), gets a freshly rendered page.

// pageCacheMax bounds the number of cached pages; past it the cache is
// emptied, which is cheap and keeps memory bounded under crawling.
const pageCacheMax = 4096

type cachedPage struct {
	parts   []pagePart
	status  int
	expires time.Time
	lang    string
	noindex bool
}

// pagePart is a run of stored bytes followed by what goes after it: the
// visitor's CSRF token, one of their slots, or nothing (the last part).
type pagePart struct {
	text []byte
	csrf bool
	slot string
}

type slotValue struct {
	name string
	html template.HTML
}

type pageCache struct {
	hits, misses atomic.Int64 // for the metrics
	mu           sync.Mutex
	pages        map[string]*cachedPage
	once         sync.Once
	placeholder  string
	cookies      map[string]bool // cookies a shared page accounts for
}

// ShareWith declares cookies that do not change a shared page beyond its
// slots (the cart's, the customer session's): a visitor carrying them
// still gets the shared page. Call it while wiring the server.
func (r *Renderer) ShareWith(cookies ...string) {
	if r.shared.cookies == nil {
		r.shared.cookies = map[string]bool{}
	}
	for _, c := range cookies {
		r.shared.cookies[c] = true
	}
}

// shareable reports whether req may get the shared page: it carries no
// flash message (shown once, to one visitor) and only cookies the shared
// page accounts for.
func (r *Renderer) shareable(req *http.Request) bool {
	for _, c := range req.Cookies() {
		name := strings.TrimPrefix(c.Name, "__Host-")
		if name != csrfCookie && name != "lang" && !r.shared.cookies[name] {
			return false
		}
	}
	return true
}

// RenderShared renders a page that is identical for every visitor but
// for the CSRF token and the layout's slots, serving it from memory for
// up to ttl. key must name everything the page depends on besides the
// language (path, query, data version).
func (r *Renderer) RenderShared(w http.ResponseWriter, req *http.Request, status int, name, key string, ttl time.Duration, p *Page) error {
	return r.RenderSharedFunc(w, req, status, name, key, ttl, func() (*Page, error) { return p, nil })
}

// RenderSharedFunc is RenderShared for pages whose data costs something
// to prepare: build runs only when the page is rendered, not when it is
// served from memory.
func (r *Renderer) RenderSharedFunc(w http.ResponseWriter, req *http.Request, status int, name, key string, ttl time.Duration, build func() (*Page, error)) error {
	if req.Method != http.MethodGet || !r.shareable(req) {
		p, err := build()
		if err != nil {
			return err
		}
		return r.Render(w, req, status, name, p)
	}
	key = string(Lang(req)) + "\x00" + name + "\x00" + key
	now := time.Now()
	r.shared.mu.Lock()
	cp := r.shared.pages[key]
	r.shared.mu.Unlock()
	if cp == nil || now.After(cp.expires) {
		r.shared.misses.Add(1)
		p, err := build()
		if err != nil {
			return err
		}
		if cp, err = r.fillShared(req, status, name, p, now.Add(ttl)); err != nil {
			return err
		}
		r.shared.mu.Lock()
		if r.shared.pages == nil || len(r.shared.pages) >= pageCacheMax {
			r.shared.pages = map[string]*cachedPage{}
		}
		r.shared.pages[key] = cp
		r.shared.mu.Unlock()
	} else {
		r.shared.hits.Add(1)
	}
	// The visitor's parts, then the page in one write with its length.
	token := Info(req).CSRF
	var slots []slotValue // few: computed once each per request
	value := func(name string) (template.HTML, error) {
		for _, s := range slots {
			if s.name == name {
				return s.html, nil
			}
		}
		var v template.HTML
		if fn := r.slots[name]; fn != nil {
			var err error
			if v, err = fn(req); err != nil {
				return "", err
			}
		}
		slots = append(slots, slotValue{name, v})
		return v, nil
	}
	n := 0
	for _, part := range cp.parts {
		n += len(part.text)
		if part.csrf {
			n += len(token)
		}
		if part.slot != "" {
			v, err := value(part.slot)
			if err != nil {
				return err
			}
			n += len(v)
		}
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", cp.lang)
	h.Set("Content-Length", strconv.Itoa(n))
	if cp.noindex {
		h.Set("X-Robots-Tag", "noindex, nofollow")
	}
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	w.WriteHeader(cp.status)
	// The stored runs are written as they are (no copy of the page per
	// request: at 1,000 connections those copies were tens of MB).
	for _, part := range cp.parts {
		if _, err := w.Write(part.text); err != nil {
			return err
		}
		var v string
		if part.csrf {
			v = token
		} else if part.slot != "" {
			h, _ := value(part.slot)
			v = string(h)
		}
		if _, err := io.WriteString(w, v); err != nil {
			return err
		}
	}
	return nil
}

// fillShared renders the page with markers for the visitor's parts and
// splits it at them.
func (r *Renderer) fillShared(req *http.Request, status int, name string, p *Page, expires time.Time) (*cachedPage, error) {
	ph := r.csrfPlaceholder()
	rec := &bufferWriter{header: http.Header{}}
	info := *Info(req)
	info.CSRF = ph
	p.marker = func(slot string) string { return ph + ":" + slot + ";" }
	if err := r.Render(rec, req.WithContext(WithInfo(req.Context(), &info)), status, name, p); err != nil {
		return nil, err
	}
	cp := &cachedPage{status: rec.status, expires: expires, lang: rec.header.Get("Content-Language"), noindex: rec.header.Get("X-Robots-Tag") != ""}
	body := rec.body
	for {
		i := bytes.Index(body, []byte(ph))
		if i < 0 {
			cp.parts = append(cp.parts, pagePart{text: body})
			return cp, nil
		}
		part := pagePart{text: body[:i], csrf: true}
		body = body[i+len(ph):]
		if len(body) > 0 && body[0] == ':' {
			if j := bytes.IndexByte(body, ';'); j > 0 {
				part.csrf, part.slot = false, string(body[1:j])
				body = body[j+1:]
			}
		}
		cp.parts = append(cp.parts, part)
	}
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
