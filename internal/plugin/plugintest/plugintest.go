// Package plugintest builds the example plugins (pluginsdk/examples) and
// the host's misbehaving test plugin with the standard Go toolchain and
// signs them, for tests that run them through the real host. A module is
// built once per test binary and cached in the temporary directory by a
// digest of its sources, so the packages' test binaries of one run share
// the builds.
package plugintest

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"testing"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/plugin"
)

// Plugins the helpers know, by the folder of their sources.
var dirs = map[string]string{
	"volumediscount": "pluginsdk/examples/volumediscount",
	"freeshipping":   "pluginsdk/examples/freeshipping",
	"pobox":          "pluginsdk/examples/pobox",
	"misbehave":      "internal/plugin/testdata/misbehave",
}

// Root is the repository's root directory.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

var (
	mu    sync.Mutex
	built = map[string][]byte{}
)

// Module returns the WebAssembly module of the plugin name, building it
// when no build of the same sources is cached.
func Module(tb testing.TB, name string) []byte {
	tb.Helper()
	mu.Lock()
	defer mu.Unlock()
	if b := built[name]; b != nil {
		return b
	}
	root := Root()
	dir := filepath.Join(root, dirs[name])
	sum := digest(tb, dir, filepath.Join(root, "pluginsdk"))
	cache := filepath.Join(os.TempDir(), "akinai-plugin-wasm")
	if err := os.MkdirAll(cache, 0o755); err != nil {
		tb.Fatal(err)
	}
	out := filepath.Join(cache, name+"-"+sum+".wasm")
	if b, err := os.ReadFile(out); err == nil {
		built[name] = b
		return b
	}
	tmp, err := os.CreateTemp(cache, name+"-*.tmp")
	if err != nil {
		tb.Fatal(err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	cmd := exec.Command("go", "build", "-buildmode=c-shared", "-trimpath", "-o", tmp.Name(), ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("building plugin %s: %v\n%s", name, err, b)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		tb.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		tb.Fatal(err)
	}
	built[name] = b
	return b
}

// digest is a SHA-256 over the Go files of dirs and the toolchain version.
func digest(tb testing.TB, dirs ...string) string {
	h := sha256.New()
	h.Write([]byte(runtime.Version()))
	for _, d := range dirs {
		fs, err := filepath.Glob(filepath.Join(d, "*.go"))
		if err != nil {
			tb.Fatal(err)
		}
		sort.Strings(fs)
		for _, f := range fs {
			b, err := os.ReadFile(f)
			if err != nil {
				tb.Fatal(err)
			}
			h.Write([]byte(f))
			h.Write(b)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Key is the test publisher's key (fixed, so packages are reproducible).
func Key() ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed([]byte("akinai-plugin-test-publisher-key"))
}

// OtherKey is a second publisher's key, never trusted by the helpers.
func OtherKey() ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed([]byte("akinai-plugin-other-publisher-ky"))
}

// Manifest returns the manifest of the plugin name: the example's
// manifest.json, or the misbehaving plugin's.
func Manifest(tb testing.TB, name string) plugin.Manifest {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(Root(), dirs[name], "manifest.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var m plugin.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		tb.Fatal(err)
	}
	return m
}

// Package returns the signed package of the plugin name with manifest m
// (Manifest(name) when m is nil), signed with key (Key() when nil).
func Package(tb testing.TB, name string, m *plugin.Manifest, key ed25519.PrivateKey) []byte {
	tb.Helper()
	if m == nil {
		mm := Manifest(tb, name)
		m = &mm
	}
	if key == nil {
		key = Key()
	}
	b, err := plugin.Build(*m, Module(tb, name), key)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// Owner is the audit entry of the tests' changes.
var Owner = audit.Entry{ActorID: 1, Actor: "owner@example.jp"}

// Install trusts Key, uploads and installs pkg, stores settings (when not
// nil) and enables the plugin, as an owner would in the admin.
func Install(tb testing.TB, d *db.DB, h *plugin.Host, pkg []byte, settings map[string]string) *plugin.Installed {
	tb.Helper()
	ctx := context.Background()
	if err := plugin.TrustKey(ctx, d, Key().Public().(ed25519.PublicKey), "Akinai tests", Owner); err != nil {
		tb.Fatal(err)
	}
	id, p, err := plugin.Upload(ctx, d, Owner.ActorID, pkg)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := plugin.Install(ctx, d, h, id, Owner); err != nil {
		tb.Fatal(err)
	}
	if settings != nil {
		if err := plugin.Configure(ctx, d, p.Manifest.Name, settings, Owner); err != nil {
			tb.Fatal(err)
		}
	}
	if err := plugin.SetEnabled(ctx, d, p.Manifest.Name, true, Owner); err != nil {
		tb.Fatal(err)
	}
	got, err := plugin.Get(ctx, d, p.Manifest.Name)
	if err != nil {
		tb.Fatal(err)
	}
	return got
}
