// Package eccubetest gives the importer's tests a real EC-CUBE 4.2
// database: a throwaway MariaDB server (Debian's mariadb-server, one per
// test binary, like dbtest's PostgreSQL cluster) or a database in the
// dbtest PostgreSQL cluster, with EC-CUBE's tables (schema_*.sql, written
// from EC-CUBE 4.2.3's Doctrine entities) and a generated shop (shop.go).
package eccubetest

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/akinai/akinai/internal/db/dbtest"
)

// server is the MariaDB server of this test binary.
type server struct {
	dir  string
	port int
	cmd  *exec.Cmd
	err  error
	skip bool
}

var (
	once sync.Once
	srv  *server
)

// Stop stops the MariaDB server if one was started; TestMain calls it
// after the tests.
func Stop() {
	if srv != nil && srv.cmd != nil && srv.cmd.Process != nil {
		srv.cmd.Process.Kill()
		srv.cmd.Wait()
		os.RemoveAll(srv.dir)
	}
}

func mariadbd() string {
	for _, p := range []string{"mariadbd", "/usr/sbin/mariadbd", "mysqld", "/usr/sbin/mysqld"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	return ""
}

func start() *server {
	s := &server{}
	bin := mariadbd()
	install, _ := exec.LookPath("mariadb-install-db")
	if bin == "" || install == "" {
		s.skip = true
		s.err = fmt.Errorf("mariadbd or mariadb-install-db not found (install mariadb-server)")
		return s
	}
	dir, err := os.MkdirTemp("", "akinai-mariadb-")
	if err != nil {
		s.err = err
		return s
	}
	s.dir = dir
	args := []string{"--no-defaults", "--datadir=" + filepath.Join(dir, "data"), "--auth-root-authentication-method=normal", "--skip-test-db"}
	if os.Geteuid() == 0 {
		args = append(args, "--user=root")
	}
	if out, err := exec.Command(install, args...).CombinedOutput(); err != nil {
		s.err = fmt.Errorf("mariadb-install-db: %v: %s", err, out)
		return s
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.err = err
		return s
	}
	s.port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	sargs := []string{"--no-defaults", "--datadir=" + filepath.Join(dir, "data"), "--socket=" + filepath.Join(dir, "sock"),
		"--port=" + strconv.Itoa(s.port), "--bind-address=127.0.0.1", "--skip-log-bin", "--innodb-flush-log-at-trx-commit=0",
		"--innodb-doublewrite=0", "--innodb-buffer-pool-size=128M", "--log-error=" + filepath.Join(dir, "err.log"), "--pid-file=" + filepath.Join(dir, "pid"),
		"--max-connections=200"}
	if os.Geteuid() == 0 {
		sargs = append(sargs, "--user=root")
	}
	s.cmd = exec.Command(bin, sargs...)
	if err := s.cmd.Start(); err != nil {
		s.err = err
		return s
	}
	// Wait generously: CI is a loaded 2-core machine.
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		db, err := sql.Open("mysql", s.dsn("root", "", ""))
		if err == nil {
			err = db.Ping()
			if err == nil {
				_, err = db.Exec("CREATE USER IF NOT EXISTS 'eccube'@'%' IDENTIFIED BY 'eccube-pass'")
			}
			if err == nil {
				_, err = db.Exec("GRANT ALL ON *.* TO 'eccube'@'%'")
			}
			db.Close()
			if err == nil {
				return s
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	log, _ := os.ReadFile(filepath.Join(dir, "err.log"))
	s.err = fmt.Errorf("MariaDB did not accept connections on port %d: %s", s.port, log)
	return s
}

func (s *server) dsn(user, pass, db string) string {
	c := mysql.NewConfig()
	c.User, c.Passwd, c.Net, c.Addr, c.DBName = user, pass, "tcp", "127.0.0.1:"+strconv.Itoa(s.port), db
	c.MultiStatements = true
	c.Apply(mysql.Charset("utf8mb4", ""))
	return c.FormatDSN()
}

// Server returns the port of the shared MariaDB server, starting it on
// first use; without mariadb-server installed the test is skipped.
func Server(tb testing.TB) int {
	tb.Helper()
	once.Do(func() { srv = start() })
	if srv.err != nil {
		if srv.skip {
			tb.Skipf("eccubetest: %v", srv.err)
		}
		tb.Fatalf("eccubetest: %v", srv.err)
	}
	return srv.port
}

var dbSeq struct {
	sync.Mutex
	n int
}

// NewMariaDB creates an empty database with EC-CUBE 4.2's tables and
// returns a root connection to it (for filling) and the mysql:// URL the
// importer is given (user eccube).
func NewMariaDB(tb testing.TB) (*sql.DB, string) {
	tb.Helper()
	port := Server(tb)
	dbSeq.Lock()
	dbSeq.n++
	name := fmt.Sprintf("eccube_%d_%d", os.Getpid(), dbSeq.n)
	dbSeq.Unlock()
	root, err := sql.Open("mysql", srv.dsn("root", "", ""))
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := root.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"); err != nil {
		tb.Fatal(err)
	}
	root.Close()
	conn, err := sql.Open("mysql", srv.dsn("root", "", name))
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), SchemaMySQL); err != nil {
		tb.Fatalf("eccubetest: create EC-CUBE tables: %v", err)
	}
	tb.Cleanup(func() {
		conn.Exec("DROP DATABASE IF EXISTS " + name)
		conn.Close()
	})
	return conn, fmt.Sprintf("mysql://eccube:eccube-pass@127.0.0.1:%d/%s", port, name)
}

// SchemaMySQL and SchemaPostgres create EC-CUBE 4.2's tables.
var (
	//go:embed schema_mysql.sql
	SchemaMySQL string
	//go:embed schema_postgres.sql
	SchemaPostgres string
)

// NewPostgres creates a database with EC-CUBE 4.2's tables in the dbtest
// PostgreSQL cluster and returns a connection (for filling) and its URL.
func NewPostgres(tb testing.TB) (*sql.DB, string) {
	tb.Helper()
	url := dbtest.NewPostgresDatabase(tb)
	conn, err := sql.Open("pgx", url)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { conn.Close() })
	if _, err := conn.Exec(SchemaPostgres); err != nil {
		tb.Fatalf("eccubetest: create EC-CUBE tables: %v", err)
	}
	return conn, url
}
