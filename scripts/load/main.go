// Command load is Akinai's small HTTP load generator for scripts/load/run.sh:
// a fixed number of connections request one URL for a bounded time, and it
// prints requests/s and latency percentiles. It only talks to 127.0.0.1.
// With -hello it instead serves the bare net/http reference handler.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sync"
	"time"
)

func main() {
	target := flag.String("url", "", "URL to load (must be on 127.0.0.1)")
	conns := flag.Int("c", 64, "concurrent connections")
	dur := flag.Duration("d", 10*time.Second, "duration (at most 60s)")
	hello := flag.String("hello", "", "serve a bare hello handler on this 127.0.0.1 address instead")
	flag.Parse()
	if *hello != "" {
		serveHello(*hello)
		return
	}
	u, err := url.Parse(*target)
	if err != nil || u.Hostname() != "127.0.0.1" {
		fmt.Fprintln(os.Stderr, "load: -url must be an http://127.0.0.1:PORT/… URL")
		os.Exit(2)
	}
	if *dur > time.Minute {
		*dur = time.Minute
	}
	tr := &http.Transport{MaxIdleConnsPerHost: *conns, MaxConnsPerHost: *conns, DisableCompression: true}
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	var mu sync.Mutex
	var lat []time.Duration
	errs := 0
	deadline := time.Now().Add(*dur)
	var wg sync.WaitGroup
	for i := 0; i < *conns; i++ {
		wg.Go(func() {
			var mine []time.Duration
			bad := 0
			for time.Now().Before(deadline) {
				t := time.Now()
				resp, err := client.Get(*target)
				if err != nil {
					bad++
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					bad++
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			lat = append(lat, mine...)
			errs += bad
			mu.Unlock()
		})
	}
	wg.Wait()
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(float64(len(lat))*p))]
	}
	fmt.Printf("%.0f req/s  p50 %.1f ms  p99 %.1f ms  errors %d  requests %d\n",
		float64(len(lat))/dur.Seconds(), ms(pct(0.50)), ms(pct(0.99)), errs, len(lat))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func serveHello(addr string) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host != "127.0.0.1" {
		fmt.Fprintln(os.Stderr, "load: -hello must be 127.0.0.1:PORT")
		os.Exit(2)
	}
	http.ListenAndServe(addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("hello\n"))
	}))
}
