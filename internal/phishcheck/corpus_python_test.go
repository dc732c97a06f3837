package phishcheck

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const pyVerify = `
import sys, json, dkim
txt = json.load(open(sys.argv[1]))
def dnsfunc(name, timeout=5):
    n = name.decode().rstrip('.').lower()
    return ''.join(txt.get(n, [''])[:1]).encode()
bad = []
for path in sys.argv[2:]:
    if not dkim.verify(open(path, 'rb').read(), dnsfunc=dnsfunc):
        bad.append(path)
print(json.dumps(bad))
`

// TestCorpusClasses_PythonVerifies has dkimpy, an independent DKIM
// implementation, verify every mail Akinai's signer signed for the class
// corpus with the keys of testdata/dns.zone: the genuine verdicts rest on
// signatures another verifier accepts too.
func TestCorpusClasses_PythonVerifies(t *testing.T) {
	t.Parallel()
	py := "/usr/bin/python3"
	if exec.Command(py, "-c", "import dkim, nacl").Run() != nil {
		t.Skip("python3-dkim not installed (.ci/run installs it)")
	}
	zone := fixtureResolver(t)
	dir := t.TempDir()
	var files []string
	for _, c := range loadClassCorpus(t) {
		if c.Sign == nil {
			continue
		}
		p := filepath.Join(dir, c.File)
		if err := os.WriteFile(p, classMail(t, c), 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	if len(files) < 40 {
		t.Fatalf("only %d signed mails", len(files))
	}
	dns, _ := json.Marshal(zone.TXT)
	for name, data := range map[string][]byte{"dns.json": dns, "verify.py": []byte(pyVerify)} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var stderr bytes.Buffer
	cmd := exec.Command(py, append([]string{filepath.Join(dir, "verify.py"), filepath.Join(dir, "dns.json")}, files...)...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("dkimpy: %v\n%s", err, stderr.String())
	}
	var bad []string
	if err := json.Unmarshal(out, &bad); err != nil {
		t.Fatalf("dkimpy output %q: %v", out, err)
	}
	if len(bad) > 0 {
		t.Errorf("dkimpy rejects %d of %d signed mails: %s", len(bad), len(files), strings.Join(bad, ", "))
	}
	t.Logf("dkimpy verified %d mails signed by Akinai", len(files))
}
