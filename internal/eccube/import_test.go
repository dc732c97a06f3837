package eccube_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/eccube"
	"github.com/akinai/akinai/internal/eccube/eccubetest"
	"github.com/akinai/akinai/internal/media"
)

func TestMain(m *testing.M) {
	dbtest.Main(m, eccubetest.Stop, func() {
		if tempDir != "" {
			os.RemoveAll(tempDir)
		}
	})
}

var secret = []byte("0123456789abcdef0123456789abcdef")

// source is one generated EC-CUBE shop shared by the tests of a source
// engine (they only read it).
type source struct {
	url    string
	images string
	shop   *eccubetest.Shop
}

var (
	mariaOnce sync.Once
	maria     source
	mariaErr  error
)

func mariaShop(t *testing.T) source {
	t.Helper()
	eccubetest.Server(t) // skips without mariadb-server
	mariaOnce.Do(func() {
		// The database outlives this test: it is shared by the package's
		// tests and dropped with the server.
		conn, url := eccubetest.NewMariaDB(&keep{T: t})
		maria = source{url: url, images: filepath.Join(mustTemp(), "save_image"), shop: eccubetest.Generate(eccubetest.Small)}
		mariaErr = eccubetest.Fill(context.Background(), conn, false, maria.shop, maria.images)
	})
	if mariaErr != nil {
		t.Fatal(mariaErr)
	}
	return maria
}

func run(t *testing.T, src source, d *db.DB, dry bool) *eccube.Report {
	t.Helper()
	ctx := context.Background()
	s, err := eccube.Open(ctx, src.url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	imgs, err := eccube.OpenImages(src.images)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	defer func() { t.Logf("run (dry %v): %v", dry, time.Since(start)) }()
	rep, err := eccube.Run(ctx, eccube.Options{Source: s, DB: d, Images: imgs, Media: media.DBStore{DB: d}, AuthMagic: eccubetest.AuthMagic, Secret: secret, DryRun: dry, Progress: progressOut})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestImport_FromMariaDB(t *testing.T) {
	src := mariaShop(t)
	for _, e := range []dbtest.Engine{dbtest.SQLite, dbtest.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			d := dbtest.MustOpen(t, e)
			importAndCheck(t, src, d, true)
		})
	}
}

// importAndCheck runs the dry run, the import and a second import, and
// checks every row against the generated shop.
func importAndCheck(t *testing.T, src source, d *db.DB, mariadb bool) {
	ctx := context.Background()
	want := expect(src.shop)

	dry := run(t, src, d, true)
	var n int
	d.QueryRow(ctx, `SELECT COUNT(*) FROM customers`).Scan(&n)
	if n != 0 {
		t.Fatalf("the dry run wrote %d customers", n)
	}
	rep := run(t, src, d, false)
	var out strings.Builder
	rep.Write(&out)
	t.Log(out.String()[:min(out.Len(), 3000)])
	for kind, w := range want.counts {
		got := rep.Counts[kind]
		if got.Imported != w[0] || got.Refused != w[1] || got.Skipped != w[2] {
			t.Errorf("%s: imported %d refused %d skipped %d, want %v", kind, got.Imported, got.Refused, got.Skipped, w)
		}
		if dc := dry.Counts[kind]; dc.Imported != got.Imported || dc.Refused != got.Refused {
			t.Errorf("%s: the dry run said %d new, %d refused; the import did %d, %d", kind, dc.Imported, dc.Refused, got.Imported, got.Refused)
		}
	}
	checkRefusals(t, rep, want, mariadb)
	checkProducts(t, d, src.shop, want)
	checkCustomers(t, d, src.shop, want, mariadb)
	checkOrders(t, d, src.shop, want)
	checkShop(t, d)

	// A second run changes nothing and adds nothing.
	before := tableCounts(t, d)
	again := run(t, src, d, false)
	for _, k := range []string{"product", "variant", "customer", "order", "category", "news"} {
		if c := again.Counts[k]; c.Imported != 0 || c.Updated != rep.Counts[k].Imported {
			t.Errorf("second run, %s: %d new and %d updated; want 0 and %d", k, c.Imported, c.Updated, rep.Counts[k].Imported)
		}
	}
	if after := tableCounts(t, d); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("the second run changed the row counts:\n%v\n%v", before, after)
	}
	checkSignIn(t, d, src.shop, want)
}

func tableCounts(t *testing.T, d *db.DB) map[string]int {
	out := map[string]int{}
	for _, tb := range []string{"products", "variants", "axis_values", "product_images", "product_categories", "customers", "customer_addresses", "point_ledger",
		"orders", "order_lines", "shipments", "shipment_items", "news", "pages", "categories", "tags", "delivery_methods", "payment_methods", "eccube_map"} {
		var n int
		if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM `+tb).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[tb] = n
	}
	return out
}

// keep is a testing.TB whose cleanups never run: the shared source
// database lives as long as the MariaDB server.
type keep struct{ *testing.T }

func (keep) Cleanup(func()) {}

var tempOnce sync.Once
var tempDir string

func mustTemp() string {
	tempOnce.Do(func() {
		var err error
		tempDir, err = makeTemp()
		if err != nil {
			panic(err)
		}
	})
	return tempDir
}

// progressOut shows the import's progress lines with -v and ECCUBE_PROGRESS=1.
var progressOut = func() *os.File {
	if os.Getenv("ECCUBE_PROGRESS") != "" {
		return os.Stderr
	}
	return nil
}()
