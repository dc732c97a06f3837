package dbtest

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// cluster is one PostgreSQL server per test binary, started on first use
// and stopped by Main. Each test gets its own database in it.
type cluster struct {
	dir    string
	port   int
	bin    string
	asUser string // run the server as this user when we are root
	err    error
}

var (
	pgOnce sync.Once
	pg     *cluster
)

// Main runs the tests and then stops the PostgreSQL cluster if one was
// started, and runs after (other throwaway servers to stop). Packages that
// use Postgres call it from TestMain.
func Main(m *testing.M, after ...func()) {
	code := m.Run()
	if pg != nil && pg.err == nil {
		pg.stop()
	}
	for _, f := range after {
		f()
	}
	os.Exit(code)
}

// PostgresBinDir finds initdb: on PATH, or in Debian's versioned folder.
func PostgresBinDir() string {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Dir(real)
		}
		return filepath.Dir(p)
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(matches) > 0 {
		return filepath.Dir(matches[len(matches)-1])
	}
	return ""
}

// NewPostgresDatabase creates an empty database in the shared test
// cluster and returns its URL; the database is dropped after the test.
func NewPostgresDatabase(tb testing.TB) string {
	tb.Helper()
	c := startCluster(tb)
	name := "t_" + randomName()
	admin := c.url("postgres")
	conn, err := sql.Open("pgx", admin)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Exec("CREATE DATABASE " + name); err != nil {
		tb.Fatalf("dbtest: create database: %v", err)
	}
	tb.Cleanup(func() {
		conn, err := sql.Open("pgx", admin)
		if err == nil {
			conn.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			conn.Close()
		}
	})
	return c.url(name)
}

func (c *cluster) url(dbname string) string {
	return fmt.Sprintf("postgres://akinai@127.0.0.1:%d/%s?sslmode=disable", c.port, dbname)
}

func startCluster(tb testing.TB) *cluster {
	tb.Helper()
	pgOnce.Do(func() { pg = newCluster() })
	if pg.err != nil {
		if pg.bin == "" {
			tb.Skipf("dbtest: PostgreSQL binaries not found (install the postgresql package); skipping PostgreSQL test")
		}
		tb.Fatalf("dbtest: start PostgreSQL: %v", pg.err)
	}
	return pg
}

func newCluster() *cluster {
	c := &cluster{bin: PostgresBinDir()}
	if c.bin == "" {
		c.err = fmt.Errorf("initdb not found")
		return c
	}
	dir, err := os.MkdirTemp("", "akinai-pg-")
	if err != nil {
		c.err = err
		return c
	}
	c.dir = dir
	if os.Geteuid() == 0 {
		// initdb refuses to run as root; run the cluster as postgres.
		if _, err := user.Lookup("postgres"); err != nil {
			c.err = fmt.Errorf("running as root and no postgres user to run the server as")
			return c
		}
		c.asUser = "postgres"
		if out, err := exec.Command("chown", "-R", "postgres:", dir).CombinedOutput(); err != nil {
			c.err = fmt.Errorf("chown %s: %v: %s", dir, err, out)
			return c
		}
	}
	c.port, c.err = freePort()
	if c.err != nil {
		return c
	}
	data := filepath.Join(dir, "data")
	if out, err := c.run("initdb", "-D", data, "-U", "akinai", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		c.err = fmt.Errorf("initdb: %v: %s", err, out)
		return c
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", c.port, dir)
	if out, err := c.run("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		c.err = fmt.Errorf("pg_ctl start: %v: %s %s", err, out, log)
		return c
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		conn, err := sql.Open("pgx", c.url("postgres"))
		if err == nil {
			err = conn.PingContext(ctx)
			conn.Close()
			if err == nil {
				return c
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	c.err = fmt.Errorf("PostgreSQL did not accept connections on port %d", c.port)
	return c
}

func (c *cluster) run(name string, args ...string) ([]byte, error) {
	bin := filepath.Join(c.bin, name)
	var cmd *exec.Cmd
	if c.asUser != "" {
		cmd = exec.Command("runuser", append([]string{"-u", c.asUser, "--", bin}, args...)...)
	} else {
		cmd = exec.Command(bin, args...)
	}
	cmd.Dir = c.dir
	return cmd.CombinedOutput()
}

func (c *cluster) stop() {
	c.run("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-m", "immediate", "-w", "stop")
	os.RemoveAll(c.dir)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return strconv.Atoi(fmt.Sprint(l.Addr().(*net.TCPAddr).Port))
}
