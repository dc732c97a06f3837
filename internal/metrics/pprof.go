package metrics

import (
	"fmt"
	"html"
	"net/http"
	"net/http/pprof"
	runtimepprof "runtime/pprof"

	"github.com/akinai/akinai/internal/web"
)

// Profiles serves the Go profiler under a route with a {name} wildcard
// (GET /debug/pprof/{name...}): the index, the named profiles (heap,
// goroutine, block, mutex, allocs…), CPU profile, trace, cmdline and
// symbol. It does no access check: mount it behind LoopbackOnly or the
// admin's owner-only guard.
func Profiles() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		switch name := r.PathValue("name"); name {
		case "":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "<!doctype html><title>pprof</title><ul>")
			for _, p := range runtimepprof.Profiles() {
				n := html.EscapeString(p.Name())
				fmt.Fprintf(w, `<li><a href="%s?debug=1">%s</a> (%d)</li>`, n, n, p.Count())
			}
			fmt.Fprint(w, `<li><a href="profile?seconds=10">profile</a> (10 s of CPU)</li><li><a href="trace?seconds=2">trace</a></li></ul>`)
		case "profile":
			pprof.Profile(w, r)
		case "trace":
			pprof.Trace(w, r)
		case "symbol":
			pprof.Symbol(w, r)
		case "cmdline":
			pprof.Cmdline(w, r)
		default:
			if runtimepprof.Lookup(name) == nil {
				http.NotFound(w, r)
				return
			}
			pprof.Handler(name).ServeHTTP(w, r)
		}
	})
}

// LoopbackOnly serves h to requests made on this machine — a loopback
// socket with no forwarding header, so a reverse proxy on the same host
// does not make every visitor local — and notFound to anyone else.
func LoopbackOnly(h, notFound http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		forwarded := r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != "" || r.Header.Get("X-Real-Ip") != ""
		if !web.SocketIP(r).IsLoopback() || forwarded {
			notFound.ServeHTTP(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}
