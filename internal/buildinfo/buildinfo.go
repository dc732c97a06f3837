// Package buildinfo says which Akinai this is: the version stamped at
// release (scripts/release.sh), the VCS revision and time the Go
// toolchain records, and the modules linked in with their checksums.
package buildinfo

import (
	"runtime/debug"
	"strings"
)

// Version, Commit and Date are stamped by a release build
// (scripts/release.sh):
//
//	-ldflags "-X github.com/akinai/akinai/internal/buildinfo.Version=v1.2.0
//	          -X github.com/akinai/akinai/internal/buildinfo.Commit=<git commit>
//	          -X github.com/akinai/akinai/internal/buildinfo.Date=2026-12-02T10:00:00Z"
//
// Commit is a fallback for builds without the toolchain's VCS stamp
// (-buildvcs=false, or a checkout the go command cannot read).
var (
	Version = "dev"
	Commit  = ""
	Date    = ""
)

// Module is one dependency linked into the binary.
type Module struct {
	Path, Version, Sum string
	Replaced           bool // a replace directive points it elsewhere
}

// Info describes the running binary.
type Info struct {
	Version   string
	Revision  string // VCS commit, "" when built outside a checkout
	Date      string // the stamped build date, else the VCS commit time
	Modified  bool   // built from a work tree with uncommitted changes
	GoVersion string
	Settings  map[string]string // -trimpath, -ldflags, CGO_ENABLED, GOOS…
	Modules   []Module
}

// Read returns the running binary's build information.
func Read() Info {
	info := Info{Version: Version, Revision: Commit, Date: Date, Settings: map[string]string{}}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return info
	}
	info.GoVersion = bi.GoVersion
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			info.Revision = s.Value
		case "vcs.time":
			if info.Date == "" {
				info.Date = s.Value
			}
		case "vcs.modified":
			info.Modified = s.Value == "true"
		default:
			info.Settings[s.Key] = s.Value
		}
	}
	if info.Version == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		info.Version = bi.Main.Version // go install …@version
	}
	for _, d := range bi.Deps {
		m := Module{Path: d.Path, Version: d.Version, Sum: d.Sum}
		if d.Replace != nil {
			m = Module{Path: d.Path, Version: d.Replace.Version, Sum: d.Replace.Sum, Replaced: true}
		}
		info.Modules = append(info.Modules, m)
	}
	return info
}

// Release reports whether the binary is a stamped, reproducible-path
// release build (a version other than dev, built with -trimpath).
func (i Info) Release() bool {
	return i.Version != "dev" && i.Settings["-trimpath"] == "true"
}

// String is the one line `akinai version` prints first.
func (i Info) String() string {
	var b strings.Builder
	b.WriteString("akinai " + i.Version)
	rev := i.Revision
	if rev == "" {
		rev = "unknown"
	} else if len(rev) > 12 {
		rev = rev[:12]
	}
	b.WriteString(" (revision " + rev)
	if i.Modified {
		b.WriteString(", modified")
	}
	date := i.Date
	if date == "" {
		date = "unknown"
	}
	b.WriteString(", built " + date + ", " + i.GoVersion + ")")
	return b.String()
}
