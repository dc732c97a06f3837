// Package backup takes consistent online backups of a shop — the
// database (SQLite's VACUUM INTO, or pg_dump on PostgreSQL), the images
// kept on disk, and the secret key sealed with a passphrase or left out —
// as one .tar.gz with a manifest, and restores one into a new data
// directory after checking it.
package backup

import (
	"encoding/json"
	"fmt"
)

// Format names the archive layout; a restore refuses any other.
const Format = "akinai-backup/1"

// Manifest is manifest.json, the first entry of every backup.
type Manifest struct {
	Format    string `json:"format"`
	CreatedAt string `json:"created_at"` // RFC 3339, UTC
	Version   string `json:"version"`    // the akinai that took it
	Revision  string `json:"revision,omitempty"`
	Engine    string `json:"engine"` // sqlite or postgres
	// Schema is the migration record of the database in the backup.
	Schema []Migration `json:"schema"`
	// Counts are the rows of every table in the backup.
	Counts map[string]int64 `json:"counts"`
	// Files are the archive's other entries with their SHA-256 and size.
	Files []File `json:"files"`
	// Secret says whether secret.key.sealed is in the backup: "sealed"
	// (with a passphrase) or "omitted".
	Secret string `json:"secret"`
}

// Migration is one applied migration as recorded.
type Migration struct {
	Version  int    `json:"version"`
	Name     string `json:"name"`
	Checksum string `json:"checksum"`
}

// File is one archived file.
type File struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Archive entry names.
const (
	manifestName = "manifest.json"
	sqliteName   = "akinai.db"
	pgDumpName   = "database.pgdump"
	secretName   = "secret.key.sealed"
	imagesPrefix = "images/"
)

func parseManifest(b []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("its manifest is not valid JSON: %w", err)
	}
	if m.Format != Format {
		return nil, fmt.Errorf("its format is %q, this akinai reads %q", m.Format, Format)
	}
	if m.Engine != "sqlite" && m.Engine != "postgres" {
		return nil, fmt.Errorf("its engine %q is unknown", m.Engine)
	}
	return &m, nil
}
