package plugin

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
)

// MaxIndexBytes caps a catalogue index file.
const MaxIndexBytes = 1 << 20

// Entry is one plugin offered by a catalogue.
type Entry struct {
	Name         string   `json:"name"`
	Version      string   `json:"version"`
	Title        Text     `json:"title"`
	Description  Text     `json:"description,omitzero"`
	Publisher    string   `json:"publisher"`
	Hooks        []string `json:"hooks"`
	Capabilities []string `json:"capabilities,omitempty"`
	URL          string   `json:"url"` // where to download the package (.akp)
	SHA256       string   `json:"sha256"`
}

// Index is a catalogue: the plugins a publisher offers.
type Index struct {
	Name      string  `json:"name"`
	Published string  `json:"published"`
	Plugins   []Entry `json:"plugins"`
}

// indexFile is the signed file: the index as its exact bytes, the key
// and the signature over those bytes.
type indexFile struct {
	Index     json.RawMessage `json:"index"`
	Key       string          `json:"key"`
	Signature string          `json:"signature"`
}

// SignIndex makes a signed index file of ix (`akinai plugin sign-index`).
func SignIndex(ix Index, priv ed25519.PrivateKey) ([]byte, error) {
	raw, err := json.Marshal(ix)
	if err != nil {
		return nil, err
	}
	return json.MarshalIndent(indexFile{Index: raw, Key: base64.StdEncoding.EncodeToString(priv.Public().(ed25519.PublicKey)),
		Signature: base64.StdEncoding.EncodeToString(ed25519.Sign(priv, raw))}, "", "  ")
}

// ReadIndex checks a signed index file: its signature, and that its key
// is one the owner trusts. Errors: *Problem.
func ReadIndex(ctx context.Context, q db.Queryer, b []byte) (*Index, string, error) {
	if len(b) > MaxIndexBytes {
		return nil, "", problem("plugins.catalogue.too_large")
	}
	var f indexFile
	if err := json.Unmarshal(b, &f); err != nil || len(f.Index) == 0 {
		return nil, "", problem("plugins.catalogue.not_index")
	}
	pub, err := base64.StdEncoding.DecodeString(f.Key)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return nil, "", problem("plugins.bad.key")
	}
	sig, err := base64.StdEncoding.DecodeString(f.Signature)
	if err != nil || !ed25519.Verify(pub, f.Index, sig) {
		return nil, "", problem("plugins.bad.signature")
	}
	if ok, err := Trusted(ctx, q, pub); err != nil {
		return nil, "", err
	} else if !ok {
		return nil, "", problem("plugins.catalogue.untrusted", KeyID(pub))
	}
	var ix Index
	if err := json.Unmarshal(f.Index, &ix); err != nil {
		return nil, "", problem("plugins.catalogue.not_index")
	}
	return &ix, KeyID(pub), nil
}

// FetchIndex downloads an index file from a URL the owner typed (http or
// https, 10 seconds, MaxIndexBytes). Errors: *Problem.
func FetchIndex(ctx context.Context, client *http.Client, raw string) ([]byte, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, problem("plugins.catalogue.bad_url")
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, problem("plugins.catalogue.bad_url")
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, problem("plugins.catalogue.unreachable", u.Host)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, problem("plugins.catalogue.unreachable", fmt.Sprintf("%s (%d)", u.Host, res.StatusCode))
	}
	b, err := io.ReadAll(io.LimitReader(res.Body, MaxIndexBytes+1))
	if err != nil {
		return nil, problem("plugins.catalogue.unreachable", u.Host)
	}
	return b, nil
}

// SaveCatalogue keeps a checked index file as the shop's catalogue.
func SaveCatalogue(ctx context.Context, d *db.DB, source string, data []byte, e audit.Entry) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO plugin_catalogue (id, source, data, loaded_at) VALUES (1, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET source = excluded.source, data = excluded.data, loaded_at = excluded.loaded_at`, source, data, tx.Now())
		if err != nil {
			return err
		}
		e.Action, e.Target, e.Details = "plugin.catalogue", "plugins", map[string]any{"source": source}
		_, err = audit.Append(ctx, tx, e)
		return err
	})
}

// Catalogue is the loaded catalogue as the page shows it.
type Catalogue struct {
	Index    *Index
	KeyID    string
	Source   string
	LoadedAt time.Time
	Problem  *Problem // the stored file no longer verifies (its key was removed)
}

// LoadCatalogue reads the stored catalogue; nil when none was loaded.
func LoadCatalogue(ctx context.Context, q db.Queryer) (*Catalogue, error) {
	var c Catalogue
	var data []byte
	err := q.QueryRow(ctx, `SELECT source, data, loaded_at FROM plugin_catalogue WHERE id = 1`).Scan(&c.Source, &data, &c.LoadedAt)
	if err != nil {
		return nil, ignoreNoRows(err)
	}
	c.Index, c.KeyID, err = ReadIndex(ctx, q, bytes.TrimSpace(data))
	if p := (*Problem)(nil); errors.As(err, &p) {
		c.Problem = p
		return &c, nil
	}
	return &c, err
}
