// Package stripetest runs stripe-mock, Stripe's own API simulator, for
// tests that call the payment provider for real over HTTP.
package stripetest

import (
	"context"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Start runs stripe-mock on a free loopback port until the test ends and
// returns its URL. The test is skipped when stripe-mock is not installed
// (.ci/tools installs it).
func Start(tb testing.TB) string {
	tb.Helper()
	bin, err := exec.LookPath("stripe-mock")
	if err != nil {
		if gp, e := exec.Command("go", "env", "GOPATH").Output(); e == nil {
			p := filepath.Join(strings.TrimSpace(string(gp)), "bin", "stripe-mock")
			if _, e := exec.LookPath(p); e == nil {
				bin, err = p, nil
			}
		}
	}
	if err != nil {
		tb.Skip("stripe-mock not installed (.ci/tools installs it)")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	// An HTTPS port of its own too: every stripe-mock takes :12112 by
	// default, and parallel tests would collide.
	cmd := exec.CommandContext(ctx, bin, "-http-addr", addr, "-https-addr", "127.0.0.1:")
	if err := cmd.Start(); err != nil {
		cancel()
		tb.Fatal(err)
	}
	tb.Cleanup(func() { cancel(); cmd.Wait() })
	// A generous deadline: CI runs on a loaded 2-core machine.
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/v1/charges"); err == nil {
			resp.Body.Close()
			return "http://" + addr
		}
	}
	tb.Fatal("stripe-mock did not start")
	return ""
}
