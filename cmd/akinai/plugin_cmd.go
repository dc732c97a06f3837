package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/akinai/akinai/internal/plugin"
)

// runPlugin is `akinai plugin`: the publisher's side of plugins (see
// docs/PLUGINS.md). keygen writes a new Ed25519 key (PEM, PKCS#8-free raw
// seed) and prints the public key the shop owner adds; sign builds the
// signed package of a manifest and a module; sign-index signs a
// catalogue index.
func runPlugin(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: akinai plugin keygen|sign|sign-index -h")
		return 2
	}
	fs := flag.NewFlagSet("plugin "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	key := fs.String("key", "", "the publisher's private key file (from keygen)")
	out := fs.String("o", "", "output file")
	var err error
	switch args[0] {
	case "keygen":
		if fs.Parse(args[1:]) != nil || *out == "" {
			fmt.Fprintln(stderr, "usage: akinai plugin keygen -o publisher.key")
			return 2
		}
		err = keygen(*out, stdout)
	case "sign":
		manifest := fs.String("manifest", "manifest.json", "the plugin's manifest")
		wasm := fs.String("wasm", "", "the module (GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared)")
		if fs.Parse(args[1:]) != nil || *key == "" || *wasm == "" || *out == "" {
			fmt.Fprintln(stderr, "usage: akinai plugin sign -key publisher.key -manifest manifest.json -wasm plugin.wasm -o plugin.akp")
			return 2
		}
		err = signPackage(*key, *manifest, *wasm, *out, stdout)
	case "sign-index":
		in := fs.String("index", "", "the catalogue index (JSON: name, published, plugins)")
		if fs.Parse(args[1:]) != nil || *key == "" || *in == "" || *out == "" {
			fmt.Fprintln(stderr, "usage: akinai plugin sign-index -key publisher.key -index index.json -o catalogue.json")
			return 2
		}
		err = signIndex(*key, *in, *out)
	default:
		fmt.Fprintf(stderr, "akinai plugin: unknown command %q\n", args[0])
		return 2
	}
	if err != nil {
		var p *plugin.Problem
		if errors.As(err, &p) {
			fmt.Fprintf(stderr, "akinai plugin %s: refused: %s %v\n", args[0], p.Key, p.Args)
		} else {
			fmt.Fprintf(stderr, "akinai plugin %s: %v\n", args[0], err)
		}
		return 1
	}
	return 0
}

const keyPEM = "AKINAI PLUGIN SIGNING KEY"

func keygen(path string, stdout io.Writer) error {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	b := pem.EncodeToMemory(&pem.Block{Type: keyPEM, Bytes: priv.Seed()})
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "public key (give it to shop owners): %s\nfingerprint: %s\n", base64.StdEncoding.EncodeToString(pub), plugin.KeyID(pub))
	return nil
}

func readKey(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != keyPEM || len(blk.Bytes) != ed25519.SeedSize {
		return nil, fmt.Errorf("%s is not a key made by akinai plugin keygen", path)
	}
	return ed25519.NewKeyFromSeed(blk.Bytes), nil
}

func signPackage(keyPath, manifestPath, wasmPath, out string, stdout io.Writer) error {
	priv, err := readKey(keyPath)
	if err != nil {
		return err
	}
	mb, err := os.ReadFile(manifestPath)
	if err != nil {
		return err
	}
	var m plugin.Manifest
	dec := json.NewDecoder(strings.NewReader(string(mb)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return fmt.Errorf("%s: %w", manifestPath, err)
	}
	module, err := os.ReadFile(wasmPath)
	if err != nil {
		return err
	}
	pkg, err := plugin.Build(m, module, priv)
	if err != nil {
		return err
	}
	if _, err := plugin.ReadPackage(pkg); err != nil { // what the shop will check
		return err
	}
	if err := os.WriteFile(out, pkg, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s %s signed by key %s: %s (%d bytes)\n", m.Name, m.Version, plugin.KeyID(priv.Public().(ed25519.PublicKey)), out, len(pkg))
	return nil
}

func signIndex(keyPath, in, out string) error {
	priv, err := readKey(keyPath)
	if err != nil {
		return err
	}
	b, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var ix plugin.Index
	if err := json.Unmarshal(b, &ix); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	signed, err := plugin.SignIndex(ix, priv)
	if err != nil {
		return err
	}
	return os.WriteFile(out, signed, 0o644)
}
