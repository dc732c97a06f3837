package plugin

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
)

// Limits on what a package may hold. The module limit is far above
// Shopify's 256 KB because the standard Go toolchain's smallest module
// with encoding/json is about 2.5 MB; the sandbox's memory and time limits
// are what protect the shop.
const (
	MaxModuleBytes   = 8 << 20
	MaxManifestBytes = 64 << 10
	MaxPackageBytes  = MaxModuleBytes + MaxManifestBytes + 4<<10
)

// Files of a package (a zip archive, extension .akp).
const (
	fileManifest  = "manifest.json"
	fileSignature = "manifest.sig"
	fileModule    = "plugin.wasm"
)

// wasmMagic starts every WebAssembly binary: "\0asm" and version 1.
var wasmMagic = []byte{0, 'a', 's', 'm', 1, 0, 0, 0}

// Package is a plugin as uploaded: its manifest (as signed, and decoded),
// the signature over the manifest's bytes, and the module.
type Package struct {
	Manifest     Manifest
	ManifestJSON []byte
	Signature    []byte
	Module       []byte
}

// KeyID is a short fingerprint of a publisher key for people to compare:
// the first 16 hex digits of its SHA-256.
func KeyID(pub []byte) string {
	s := sha256.Sum256(pub)
	return hex.EncodeToString(s[:8])
}

// ReadPackage opens a package and checks everything that does not need
// the shop: its size, the files in it, the manifest, that the module is
// WebAssembly matching the manifest's digest, and that the signature
// verifies under the key the manifest names. Whether that key is trusted
// is the store's question (Store.Trusted). Errors: *Problem.
func ReadPackage(b []byte) (*Package, error) {
	if len(b) > MaxPackageBytes {
		return nil, problem("plugins.bad.too_large", MaxModuleBytes>>20)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, problem("plugins.bad.not_package")
	}
	p := &Package{}
	for _, f := range zr.File {
		var dst *[]byte
		limit := int64(MaxManifestBytes)
		switch f.Name {
		case fileManifest:
			dst = &p.ManifestJSON
		case fileSignature:
			dst = &p.Signature
		case fileModule:
			dst, limit = &p.Module, MaxModuleBytes
		default:
			return nil, problem("plugins.bad.extra_file", f.Name)
		}
		if *dst != nil {
			return nil, problem("plugins.bad.not_package")
		}
		rc, err := f.Open()
		if err != nil {
			return nil, problem("plugins.bad.not_package")
		}
		// The sizes in the archive's directory may lie (a zip bomb):
		// read at most one byte past the limit.
		data, err := io.ReadAll(io.LimitReader(rc, limit+1))
		rc.Close()
		if err != nil {
			return nil, problem("plugins.bad.not_package")
		}
		if int64(len(data)) > limit {
			return nil, problem("plugins.bad.too_large", MaxModuleBytes>>20)
		}
		*dst = data
	}
	switch {
	case p.ManifestJSON == nil || p.Module == nil:
		return nil, problem("plugins.bad.not_package")
	case p.Signature == nil:
		return nil, problem("plugins.bad.unsigned")
	}
	if !bytes.HasPrefix(p.Module, wasmMagic) {
		return nil, problem("plugins.bad.not_wasm")
	}
	dec := json.NewDecoder(bytes.NewReader(p.ManifestJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p.Manifest); err != nil {
		return nil, problem("plugins.bad.manifest", err.Error())
	}
	if err := p.Manifest.Check(); err != nil {
		return nil, err
	}
	if sum := sha256.Sum256(p.Module); hex.EncodeToString(sum[:]) != p.Manifest.WasmSHA256 {
		return nil, problem("plugins.bad.digest")
	}
	pub, err := base64.StdEncoding.DecodeString(p.Manifest.Publisher.Key)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return nil, problem("plugins.bad.key")
	}
	sig, err := base64.StdEncoding.DecodeString(string(bytes.TrimSpace(p.Signature)))
	if err != nil || !ed25519.Verify(pub, p.ManifestJSON, sig) {
		return nil, problem("plugins.bad.signature")
	}
	return p, nil
}

// PublisherKey returns the publisher's public key of p.
func (p *Package) PublisherKey() []byte {
	k, _ := base64.StdEncoding.DecodeString(p.Manifest.Publisher.Key)
	return k
}

// Build makes a signed package of module and m: it fills in the module's
// digest and the publisher's key from priv, and signs the manifest. It is
// what `akinai plugin sign` runs.
func Build(m Manifest, module []byte, priv ed25519.PrivateKey) ([]byte, error) {
	sum := sha256.Sum256(module)
	m.WasmSHA256 = hex.EncodeToString(sum[:])
	m.Publisher.Key = base64.StdEncoding.EncodeToString(priv.Public().(ed25519.PublicKey))
	if err := m.Check(); err != nil {
		return nil, err
	}
	mj, err := json.MarshalIndent(&m, "", "  ")
	if err != nil {
		return nil, err
	}
	sig := base64.StdEncoding.EncodeToString(ed25519.Sign(priv, mj))
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range []struct {
		name string
		data []byte
	}{{fileManifest, mj}, {fileSignature, []byte(sig + "\n")}, {fileModule, module}} {
		w, err := zw.Create(f.name)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
