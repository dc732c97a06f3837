package eccube_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/eccube"
	"github.com/akinai/akinai/internal/eccube/eccubetest"
	"github.com/akinai/akinai/internal/media"
)

// TestOpen_BadSource: every way the old database can be wrong gives one
// clear line, before anything is read or written.
func TestOpen_BadSource(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	port := eccubetest.Server(t)
	closed := func() int {
		l, _ := net.Listen("tcp", "127.0.0.1:0")
		defer l.Close()
		return l.Addr().(*net.TCPAddr).Port
	}()
	tamper := func(stmts ...string) string {
		conn, url := eccubetest.NewMariaDB(t)
		for _, s := range stmts {
			if _, err := conn.Exec(s); err != nil {
				t.Fatal(err)
			}
		}
		return url
	}
	good := tamper()
	for _, c := range []struct{ name, url, want string }{
		{"not a URL", "eccube", "must look like"},
		{"unknown scheme", "sqlserver://u:p@127.0.0.1/x", "unsupported scheme"},
		{"unreachable", fmt.Sprintf("mysql://eccube:eccube-pass@127.0.0.1:%d/x", closed), "not reachable"},
		{"wrong password", strings.Replace(good, "eccube-pass", "wrong", 1), "wrong user name or password"},
		{"no such database", fmt.Sprintf("mysql://eccube:eccube-pass@127.0.0.1:%d/nothere", port), "no such database"},
		{"not EC-CUBE", tamper("DROP TABLE dtb_order_item, dtb_shipping, dtb_order, dtb_tax_rule, dtb_product_tag, dtb_product_category, dtb_product_image, dtb_product_stock, dtb_product_class, dtb_product"), "no EC-CUBE tables"},
		{"EC-CUBE 3", tamper("ALTER TABLE dtb_product_class ADD product_type_id INT"), "EC-CUBE 3"},
		{"unknown version", tamper("ALTER TABLE dtb_product_class DROP FOREIGN KEY dtb_product_class_ibfk_2", "ALTER TABLE dtb_product_class DROP COLUMN sale_type_id"), "unknown EC-CUBE version"},
		{"missing column", tamper("ALTER TABLE dtb_customer DROP COLUMN salt", "DROP TABLE dtb_news"), "missing dtb_customer.salt, dtb_news"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := eccube.Open(ctx, c.url)
			if err == nil {
				s.Close()
				t.Fatal("opened")
			}
			if !errors.Is(err, eccube.ErrSource) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %q, want it to say %q", err, c.want)
			}
			if strings.Contains(err.Error(), "eccube-pass") {
				t.Errorf("the password is in the message: %q", err)
			}
		})
	}
	s, err := eccube.Open(ctx, good)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Version != "4.2+" {
		t.Errorf("version %q", s.Version)
	}
	// An empty EC-CUBE shop imports to nothing, without error.
	d := dbtest.MustOpen(t, dbtest.SQLite)
	rep, err := eccube.Run(ctx, eccube.Options{Source: s, DB: d, Media: media.DBStore{DB: d}})
	if err != nil || rep.Counts["product"].Source != 0 {
		t.Fatalf("empty shop: %v %+v", err, rep.Counts["product"])
	}
}

// TestImport_FromPostgres reads the same kind of shop from PostgreSQL
// (EC-CUBE's other database), into SQLite.
func TestImport_FromPostgres(t *testing.T) {
	t.Parallel()
	conn, url := eccubetest.NewPostgres(t)
	shop := eccubetest.Generate(eccubetest.Size{Products: 60, Customers: 300, Orders: 400})
	dir := t.TempDir()
	if err := eccubetest.Fill(context.Background(), conn, true, shop, dir); err != nil {
		t.Fatal(err)
	}
	d := dbtest.MustOpen(t, dbtest.SQLite)
	importAndCheck(t, source{url: url, images: dir, shop: shop}, d, false)
}
