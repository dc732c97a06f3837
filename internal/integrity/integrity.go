// Package integrity answers "is this installation intact?" for `akinai
// verify` and the admin dashboard: the binary's build information and
// checksum, the database's migrations against the binary's, the embedded
// templates and static files against the manifest stamped at release,
// the audit log's hash chain, and the data directory's permissions.
package integrity

import (
	"context"
	"fmt"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
)

// State is a check's verdict.
type State string

const (
	OK   State = "ok"
	Warn State = "warn" // nothing is wrong, but something cannot be vouched for
	Bad  State = "bad"  // tampered, broken or unsafe: act now
)

// Check is one part of the report.
type Check struct {
	Name    string // build, binary, migrations, assets, audit, data
	State   State
	Summary string   // one line, English (the CLI and logs)
	Details []string // what exactly: a tampered file, a wrong mode
}

// Report is the result of Run.
type Report struct{ Checks []Check }

// State is the worst state of the checks.
func (r Report) State() State {
	s := OK
	for _, c := range r.Checks {
		if c.State == Bad {
			return Bad
		}
		if c.State == Warn {
			s = Warn
		}
	}
	return s
}

// Inputs are what Run checks.
type Inputs struct {
	DB      *db.DB
	DataDir string // "" when the shop keeps nothing on disk (PostgreSQL without images)
	// Sources are the embedded templates and static files with their
	// checksums (web.Renderer.Sources and mail.DefaultFiles).
	Sources []Source
	// Manifest is the asset manifest ("sha256  path" lines); nil uses the
	// one embedded at release.
	Manifest []byte
	// Executable is the binary to checksum; "" is the running one.
	Executable string
}

// Source is an embedded file and its hex SHA-256.
type Source struct{ Path, SHA256 string }

// Run performs every check.
func Run(ctx context.Context, in Inputs) Report {
	var r Report
	r.Checks = append(r.Checks, checkBuild(), checkExecutable(in.Executable))
	if in.DB != nil {
		r.Checks = append(r.Checks, checkMigrations(ctx, in.DB), checkAudit(ctx, in.DB))
	}
	r.Checks = append(r.Checks, checkAssets(in.Sources, in.Manifest))
	if in.DataDir != "" {
		r.Checks = append(r.Checks, checkDataDir(in.DataDir))
	}
	return r
}

func checkMigrations(ctx context.Context, d *db.DB) Check {
	c := Check{Name: "migrations"}
	applied, err := d.MigrationStatus(ctx)
	if err != nil {
		c.State, c.Summary = Bad, "the database's migrations do not match this binary"
		c.Details = []string{err.Error()}
		return c
	}
	c.State, c.Summary = OK, fmt.Sprintf("%d migrations applied, each with the checksum of this binary's file", len(applied))
	return c
}

func checkAudit(ctx context.Context, d *db.DB) Check {
	c := Check{Name: "audit"}
	n, broken, err := audit.Verify(ctx, d)
	switch {
	case err != nil:
		c.State, c.Summary = Bad, "the audit log cannot be read: "+err.Error()
	case broken != nil:
		c.State, c.Summary = Bad, "the audit log's hash chain is broken"
		c.Details = []string{broken.Error()}
	default:
		c.State, c.Summary = OK, fmt.Sprintf("audit log intact: %d entries in an unbroken hash chain", n)
	}
	return c
}
