package eccube

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/media"
)

// Options configure a run.
type Options struct {
	Source *Source
	DB     *db.DB
	// Images holds EC-CUBE's html/upload/save_image (a folder or a tar);
	// nil imports products without their pictures (each one reported).
	Images Images
	Media  media.Store
	// AuthMagic is ECCUBE_AUTH_MAGIC from the old shop's .env or
	// eccube.yaml; without it imported customers cannot keep their
	// passwords (they are reported and must use "forgot password").
	AuthMagic string
	// Secret is Akinai's master secret: the auth magic is kept sealed
	// under a key derived from it.
	Secret []byte
	// Templates is EC-CUBE's app/template/<theme> folder, for the
	// content of the shop's own pages (user_data); "" lists them instead.
	Templates string
	DryRun    bool
	// Progress receives a line per hundred products, thousand customers
	// or thousand orders; nil for none.
	Progress io.Writer
	// Batch is how many source rows are read at once (default 500).
	Batch int
}

// Importer runs one import (or dry run).
type Importer struct {
	Options
	rep     *Report
	maps    map[string]map[string]int64 // kind → old id → new id, loaded at start
	now     time.Time
	classes *classes
	// fallbackDelivery is the delivery method for orders whose own is
	// unknown; payments maps dtb_payment ids to Akinai payment codes.
	fallbackDelivery int64
	payments         map[int64]string
	slots            map[int64]string // dtb_delivery_time id → slot code
}

// Run reads the whole shop, imports it (unless DryRun) and returns the
// report. An error is returned only when the run cannot go on (the source
// or the target database fails); rows that cannot be imported are in the
// report.
func Run(ctx context.Context, o Options) (*Report, error) {
	if o.Source == nil || o.DB == nil {
		return nil, errors.New("eccube: Source and DB are required")
	}
	if o.Batch <= 0 {
		o.Batch = 500
	}
	im := &Importer{Options: o, rep: newReport(o.Source.Version, o.DryRun), maps: map[string]map[string]int64{}, now: time.Now().UTC()}
	if err := im.loadMaps(ctx); err != nil {
		return im.rep, err
	}
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"shop", im.importShop},
		{"tax rules", im.importTaxRules},
		{"deliveries", im.importDeliveries},
		{"payments", im.importPayments},
		{"categories", im.importCategories},
		{"tags", im.importTags},
		{"classes", im.importClasses},
		{"products", im.importProducts},
		{"customers", im.importCustomers},
		{"orders", im.importOrders},
		{"news", im.importNews},
		{"pages", im.importPages},
		{"admins", im.listAdmins},
		{"mail templates", im.listMailTemplates},
	}
	for _, s := range steps {
		im.progress("%s…", s.name)
		if err := s.fn(ctx); err != nil {
			return im.rep, fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return im.rep, nil
}

func (im *Importer) progress(format string, a ...any) {
	if im.Progress != nil {
		fmt.Fprintf(im.Progress, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, a...)...)
	}
}

// loadMaps reads eccube_map into memory: a few bytes per row, so even a
// shop with a million rows fits comfortably.
func (im *Importer) loadMaps(ctx context.Context) error {
	rows, err := im.DB.Query(ctx, `SELECT kind, old_id, new_id FROM eccube_map`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k, old string
		var n int64
		if err := rows.Scan(&k, &old, &n); err != nil {
			return err
		}
		im.m(k)[old] = n
	}
	return rows.Err()
}

func (im *Importer) m(kind string) map[string]int64 {
	m := im.maps[kind]
	if m == nil {
		m = map[string]int64{}
		im.maps[kind] = m
	}
	return m
}

// mapped returns the Akinai id an EC-CUBE row of kind became.
func (im *Importer) mapped(kind string, old int64) (int64, bool) {
	n, ok := im.m(kind)[strconv.FormatInt(old, 10)]
	return n, ok
}

// remember records old → new in tx, and in memory once tx commits (the
// caller calls the returned func after the commit).
func (im *Importer) remember(ctx context.Context, tx *db.Tx, kind string, old any, newID int64) (func(), error) {
	key := fmt.Sprint(old)
	_, err := tx.Exec(ctx, `INSERT INTO eccube_map (kind, old_id, new_id, imported_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (kind, old_id) DO UPDATE SET new_id = excluded.new_id, imported_at = excluded.imported_at`, kind, key, newID, tx.Now())
	return func() { im.m(kind)[key] = newID }, err
}

// unit runs fn in its own transaction (one product, one customer, one
// order); after a commit the mappings it recorded become visible. A
// failing unit is refused in the report with the database's reason and
// the run goes on.
func (im *Importer) unit(ctx context.Context, kind string, old any, fn func(tx *db.Tx) ([]func(), error)) bool {
	var after []func()
	err := im.DB.Tx(ctx, func(tx *db.Tx) error {
		var err error
		after, err = fn(tx)
		return err
	})
	if err != nil {
		if ctx.Err() != nil {
			return false
		}
		im.rep.refuse(kind, old, "not imported: %v", err)
		return false
	}
	for _, f := range after {
		f()
	}
	return true
}

// batches pages through table by id: fn gets up to Batch ids at a time,
// in order, so memory stays flat whatever the shop's size.
func (im *Importer) batches(ctx context.Context, table, where string, fn func(ids []int64) error) error {
	last := int64(-1)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var ids []int64
		q := "SELECT id FROM " + table + " WHERE id > ?"
		if where != "" {
			q += " AND " + where
		}
		q += " ORDER BY id LIMIT " + strconv.Itoa(im.Batch)
		err := im.Source.each(ctx, q, []any{last}, func(sc func(...any) error) error {
			var n int64
			if err := sc(&n); err != nil {
				return err
			}
			ids = append(ids, n)
			return nil
		})
		if err != nil || len(ids) == 0 {
			return err
		}
		if err := fn(ids); err != nil {
			return err
		}
		last = ids[len(ids)-1]
	}
}

// checkText reports a replaced invalid UTF-8 sequence in field of a row.
func (im *Importer) checkText(kind string, old any, field string, t text) {
	if t.Bad {
		im.rep.warn(kind, old, "%s is not valid UTF-8; the bad bytes were replaced by U+FFFD", field)
	}
}
