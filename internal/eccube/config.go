package eccube

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"
)

// AuthMagic reads ECCUBE_AUTH_MAGIC from EC-CUBE's .env (the installer
// writes it there) or from app/config/eccube/packages/eccube.yaml
// (env(ECCUBE_AUTH_MAGIC): '…' or eccube_auth_magic: '…'). A placeholder
// (<change.me>) or a %env()% reference is not a value and is refused.
func AuthMagic(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("auth magic: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		var v string
		var ok bool
		for _, k := range []string{"ECCUBE_AUTH_MAGIC=", "env(ECCUBE_AUTH_MAGIC):", "eccube_auth_magic:"} {
			if strings.HasPrefix(line, k) {
				v, ok = strings.TrimSpace(line[len(k):]), true
			}
		}
		if !ok {
			continue
		}
		if i := strings.Index(v, " #"); i >= 0 && !strings.HasPrefix(v, "'") && !strings.HasPrefix(v, `"`) {
			v = strings.TrimSpace(v[:i])
		}
		v = strings.Trim(v, `'"`)
		if v == "" || v == "<change.me>" || strings.Contains(v, "%env(") {
			continue
		}
		return v, nil
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	return "", errors.New("auth magic: no ECCUBE_AUTH_MAGIC value in " + path + " (look in the shop's .env)")
}
