package integrity

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
)

// manifest is the asset manifest stamped by scripts/release.sh; a
// development build has only comments in it.
//
//go:embed assets.sha256
var manifest []byte

// parseManifest reads "sha256  path" lines into path → sums (a path may
// appear once; comments start with #).
func parseManifest(b []byte) map[string]string {
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		sum, p, ok := strings.Cut(line, "  ")
		if ok {
			out[strings.TrimSpace(p)] = sum
		}
	}
	return out
}

// checkAssets compares every embedded template and static file with the
// manifest. An embedded file is matched to the manifest entries whose
// path ends with its embedded path (internal/admin/templates/x.html for
// templates/x.html); it is intact when one of them has its checksum.
func checkAssets(sources []Source, m []byte) Check {
	c := Check{Name: "assets"}
	if m == nil {
		m = manifest
	}
	want := parseManifest(m)
	if len(want) == 0 {
		c.State, c.Summary = Warn, fmt.Sprintf("no asset manifest (a development build): %d templates and static files not checked", len(sources))
		return c
	}
	bySuffix := map[string][]string{} // embedded path → manifest sums
	for p, sum := range want {
		for i := 0; i < len(p); i++ {
			if p[i] == '/' {
				bySuffix[p[i+1:]] = append(bySuffix[p[i+1:]], sum)
			}
		}
	}
	var changed []string
	seen := map[string]bool{}
	for _, s := range sources {
		key := s.Path + " " + s.SHA256
		if seen[key] {
			continue
		}
		seen[key] = true
		sums := bySuffix[s.Path]
		ok := false
		for _, sum := range sums {
			ok = ok || sum == s.SHA256
		}
		if !ok {
			if len(sums) == 0 {
				changed = append(changed, s.Path+" (not in the manifest)")
			} else {
				changed = append(changed, s.Path+" (changed)")
			}
		}
	}
	sort.Strings(changed)
	if len(changed) > 0 {
		c.State, c.Summary = Bad, fmt.Sprintf("%d embedded files differ from the release manifest", len(changed))
		c.Details = changed
		return c
	}
	c.State, c.Summary = OK, fmt.Sprintf("%d templates and static files match the release manifest", len(seen))
	return c
}

// ManifestFromTree writes the asset manifest of a source tree: every file
// under a templates, fragments or static directory below root/internal.
func ManifestFromTree(root string) ([]byte, error) {
	var lines []string
	err := filepath.WalkDir(filepath.Join(root, "internal"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if !strings.Contains(rel, "/templates/") && !strings.Contains(rel, "/fragments/") && !strings.Contains(rel, "/static/") {
			return nil
		}
		sum, err := fileSHA256(p)
		if err != nil {
			return err
		}
		lines = append(lines, sum+"  "+rel)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(lines)
	return []byte("# akinai asset manifest\n" + strings.Join(lines, "\n") + "\n"), nil
}
