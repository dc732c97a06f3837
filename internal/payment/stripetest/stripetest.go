// Package stripetest runs stripe-mock, Stripe's official API mock, for
// tests of any package: the real stripe-go client and request validation
// against a local server.
package stripetest

import (
	"context"
	_ "embed"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Konbini is a fixture whose PaymentIntent waits in requires_action with
// konbini_display_details (instructions for four chains, expiring
// 2026-12-31 23:59:59 JST), as Stripe answers a confirmed konbini intent.
//
//go:embed konbini.json
var Konbini []byte

// Fixture writes a fixture to a file of the test's and returns its path.
func Fixture(t testing.TB, body []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "fixture.json")
	if err := os.WriteFile(p, body, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Start runs stripe-mock on 127.0.0.1 until the test ends and returns its
// URL; fixtures, when not "", replaces stripe-mock's bundled responses.
// The test is skipped when stripe-mock is not installed (.ci/tools
// installs it).
func Start(t testing.TB, fixtures string) string {
	t.Helper()
	bin, err := exec.LookPath("stripe-mock")
	if err != nil {
		if gp, e := exec.Command("go", "env", "GOPATH").Output(); e == nil {
			p := filepath.Join(string(gp[:len(gp)-1]), "bin", "stripe-mock")
			if _, e := exec.LookPath(p); e == nil {
				bin, err = p, nil
			}
		}
	}
	if err != nil {
		t.Skip("stripe-mock not installed (.ci/tools installs it)")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	// An HTTPS port of its own too: by default every stripe-mock takes
	// :12112, and parallel tests would collide.
	args := []string{"-http-addr", addr, "-https-addr", "127.0.0.1:"}
	if fixtures != "" {
		args = append(args, "-fixtures", fixtures)
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); cmd.Wait() })
	// A generous deadline: CI runs on a loaded 2-core machine.
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
		if resp, err := http.Get("http://" + addr + "/v1/charges"); err == nil {
			resp.Body.Close()
			return "http://" + addr
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("stripe-mock did not start")
	return ""
}
