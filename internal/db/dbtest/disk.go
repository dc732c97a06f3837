package dbtest

import (
	"os"
	"os/exec"
	"testing"
)

// SmallDisk mounts a tmpfs of size ("8m") on a new temporary directory
// and returns it, unmounted when the test ends (after the cleanups the
// test registers later, such as a server's). The test is skipped with a
// clear line where mounting is not allowed (it needs root or
// CAP_SYS_ADMIN).
func SmallDisk(tb testing.TB, size string) string {
	tb.Helper()
	dir := tb.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		tb.Skipf("cannot mount a small tmpfs to fill (needs root or CAP_SYS_ADMIN): %v %s", err, out)
	}
	tb.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// FillDisk writes path until its file system is full.
func FillDisk(tb testing.TB, path string) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			break
		}
	}
	for {
		if _, err := f.Write(buf[:512]); err != nil {
			return
		}
	}
}
