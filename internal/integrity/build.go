package integrity

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/akinai/akinai/internal/buildinfo"
)

func checkBuild() Check {
	info := buildinfo.Read()
	c := Check{Name: "build", State: OK}
	c.Summary = info.String()
	var noSum []string
	for _, m := range info.Modules {
		if m.Sum == "" || m.Replaced {
			noSum = append(noSum, m.Path+" "+m.Version)
		}
	}
	c.Details = append(c.Details, fmt.Sprintf("%d modules linked, %d with a go.sum checksum", len(info.Modules), len(info.Modules)-len(noSum)))
	switch {
	case len(noSum) > 0:
		c.State = Warn
		c.Details = append(c.Details, "modules without a checksum or replaced: "+strings.Join(noSum, ", "))
	case info.Modified:
		c.State = Warn
		c.Details = append(c.Details, "built from a work tree with uncommitted changes")
	case !info.Release():
		c.State = Warn
		c.Details = append(c.Details, "not a stamped release build (scripts/release.sh)")
	}
	return c
}

// checkExecutable hashes the binary and compares it with the checksum
// file the release put beside it (akinai.sha256), when there is one.
func checkExecutable(path string) Check {
	c := Check{Name: "binary"}
	if path == "" {
		var err error
		if path, err = os.Executable(); err != nil {
			c.State, c.Summary = Warn, "cannot find the running binary: "+err.Error()
			return c
		}
	}
	sum, err := fileSHA256(path)
	if err != nil {
		c.State, c.Summary = Warn, "cannot read the binary: "+err.Error()
		return c
	}
	c.Details = []string{"sha256 " + sum + "  " + path}
	want, err := os.ReadFile(path + ".sha256")
	if err != nil {
		c.State, c.Summary = Warn, "no "+path+".sha256 beside the binary: compare the sha256 above with the release's published checksum"
		return c
	}
	fields := strings.Fields(string(want))
	if len(fields) == 0 || fields[0] != sum {
		c.State, c.Summary = Bad, "the binary "+path+" does not match its release checksum: it was replaced or changed"
		return c
	}
	c.State, c.Summary = OK, "the binary matches its release checksum"
	return c
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
