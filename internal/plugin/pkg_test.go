package plugin_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"testing"

	"github.com/akinai/akinai/internal/plugin"
	"github.com/akinai/akinai/internal/plugin/plugintest"
)

// fakeModule starts like WebAssembly; ReadPackage does not run it.
var fakeModule = append([]byte{0, 'a', 's', 'm', 1, 0, 0, 0}, make([]byte, 100)...)

func manifest() plugin.Manifest {
	return plugin.Manifest{Name: "sample", Version: "1.0.0", Title: plugin.Text{JA: "見本"}, Publisher: plugin.Publisher{Name: "Tests"},
		Hooks: []string{plugin.HookDiscount}, Capabilities: []string{"kv"}}
}

func rezip(t *testing.T, files map[string][]byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for n, b := range files {
		w, _ := zw.Create(n)
		w.Write(b)
	}
	zw.Close()
	return buf.Bytes()
}

func unzip(t *testing.T, b []byte) map[string][]byte {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		var buf bytes.Buffer
		buf.ReadFrom(rc)
		rc.Close()
		out[f.Name] = buf.Bytes()
	}
	return out
}

// Every way a package can be wrong is refused with its own message key.
func TestReadPackage_BadInput(t *testing.T) {
	t.Parallel()
	good, err := plugin.Build(manifest(), fakeModule, plugintest.Key())
	if err != nil {
		t.Fatal(err)
	}
	if p, err := plugin.ReadPackage(good); err != nil || p.Manifest.Name != "sample" {
		t.Fatalf("good package: %v", err)
	}
	files := unzip(t, good)
	with := func(name string, b []byte) []byte {
		m := map[string][]byte{}
		for k, v := range files {
			m[k] = v
		}
		if b == nil {
			delete(m, name)
		} else {
			m[name] = b
		}
		return rezip(t, m)
	}
	unknownCap := manifest()
	unknownCap.Capabilities = []string{"network"}
	_, capErr := plugin.Build(unknownCap, fakeModule, plugintest.Key())
	// A manifest asking for an unknown capability, signed by hand.
	signedBad := func() []byte {
		m := bytes.Replace(files["manifest.json"], []byte(`"kv"`), []byte(`"network"`), 1)
		return rezip(t, map[string][]byte{"manifest.json": m, "manifest.sig": files["manifest.sig"], "plugin.wasm": fakeModule})
	}()
	otherSig, _ := plugin.Build(manifest(), fakeModule, plugintest.OtherKey())
	for _, tc := range []struct {
		name string
		pkg  []byte
		key  string
	}{
		{"not a zip", []byte("hello"), "plugins.bad.not_package"},
		{"not WebAssembly", with("plugin.wasm", []byte("#!/bin/sh\nrm -rf /\n")), "plugins.bad.not_wasm"},
		{"over the size limit", make([]byte, plugin.MaxPackageBytes+1), "plugins.bad.too_large"},
		{"module over the limit", with("plugin.wasm", append(fakeModule, make([]byte, plugin.MaxModuleBytes)...)), "plugins.bad.too_large"},
		{"unsigned", with("manifest.sig", nil), "plugins.bad.unsigned"},
		{"bad signature", with("manifest.sig", unzip(t, otherSig)["manifest.sig"]), "plugins.bad.signature"},
		{"module swapped", with("plugin.wasm", append(fakeModule, 1)), "plugins.bad.digest"},
		{"unknown capability", signedBad, "plugins.bad.capability"},
		{"extra file", with("run.sh", []byte("x")), "plugins.bad.extra_file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := plugin.ReadPackage(tc.pkg)
			var p *plugin.Problem
			if !errors.As(err, &p) || p.Key != tc.key {
				t.Fatalf("got %v, want %s", err, tc.key)
			}
		})
	}
	var p *plugin.Problem
	if !errors.As(capErr, &p) || p.Key != "plugins.bad.capability" {
		t.Fatalf("Build with an unknown capability: %v", capErr)
	}
}

func TestManifest_Settings(t *testing.T) {
	t.Parallel()
	lo, hi := int64(1), int64(50)
	m := manifest()
	m.Settings = []plugin.Setting{{Name: "percent", Type: "int", Label: plugin.Text{JA: "率"}, Default: "10", Min: &lo, Max: &hi, Required: true}}
	if v, f := m.CheckSettings(map[string]string{"percent": "60"}); f["percent"] != "plugins.setting.range" {
		t.Fatalf("60%%: %v %v", v, f)
	}
	if v, f := m.CheckSettings(map[string]string{"percent": " 20 ", "other": "x"}); len(f) > 0 || v["percent"] != "20" || len(v) != 1 {
		t.Fatalf("20%%: %v %v", v, f)
	}
	// An update whose setting became required without a default, and the
	// old value does not fit: refused.
	next := m
	next.Settings = []plugin.Setting{{Name: "percent", Type: "int", Label: plugin.Text{JA: "率"}, Min: &lo, Max: &hi, Required: true},
		{Name: "code", Type: "text", Label: plugin.Text{JA: "コード"}, Required: true}}
	if _, f := next.MigrateSettings(map[string]string{"percent": "20"}); f["code"] != "plugins.setting.required" || f["percent"] != "" {
		t.Fatalf("migration: %v", f)
	}
}

func TestSanitize(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`<p onclick="x()">Sale <strong>today</strong></p><script>alert(1)</script><img src=x onerror=alert(2)>`: `<p>Sale <strong>today</strong></p>`,
		`<a href="javascript:alert(1)">click</a> & <b>bold`:                                                     `click &amp; <b>bold</b>`,
		`<ul><li>one<li>two</ul></p>`:                                                                           `<ul><li>one<li>two</li></li></ul>`,
		`<style>body{display:none}</style>text`:                                                                 `text`,
	} {
		if got := string(plugin.Sanitize(in)); got != want {
			t.Errorf("%s\n got %s\nwant %s", in, got, want)
		}
	}
}
