package integrity

import (
	"fmt"
	"os"
	"path/filepath"
)

// checkDataDir checks that the data directory and the secrets in it are
// not readable or writable by other users.
func checkDataDir(dir string) Check {
	c := Check{Name: "data"}
	st, err := os.Stat(dir)
	if err != nil {
		c.State, c.Summary = Bad, "the data directory cannot be read: "+err.Error()
		return c
	}
	if st.Mode().Perm()&0o007 != 0 {
		c.Details = append(c.Details, fmt.Sprintf("%s is %v: others may enter it (chmod 750 %s)", dir, st.Mode().Perm(), dir))
	}
	if st.Mode().Perm()&0o020 != 0 {
		c.Details = append(c.Details, fmt.Sprintf("%s is group-writable (chmod g-w %s)", dir, dir))
	}
	// The database inside is covered by the directory's mode; the secret
	// key must not be readable even by the group.
	p := filepath.Join(dir, "secret.key")
	if st, err := os.Stat(p); err == nil && st.Mode().Perm()&0o077 != 0 {
		c.Details = append(c.Details, fmt.Sprintf("%s is %v: only the shop's user may read it (chmod 600 %s)", p, st.Mode().Perm(), p))
	}
	if len(c.Details) > 0 {
		c.State, c.Summary = Bad, "the data directory's permissions let other users in"
		return c
	}
	c.State, c.Summary = OK, "the data directory and its secrets are private to the shop's user"
	return c
}
