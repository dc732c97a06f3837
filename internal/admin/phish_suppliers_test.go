package admin

import (
	"context"
	"errors"
	"testing"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/phishcheck"
)

func TestSuppliers_AddListAudit(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, err := phishcheck.NewSupplier("丸山商事", "maruyama-shoji.co.jp, maruyama.jp")
		if err != nil {
			t.Fatal(err)
		}
		add := func(s phishcheck.Service) error {
			return d.Tx(ctx, func(tx *db.Tx) error {
				_, err := AddSupplier(ctx, tx, s, audit.Entry{Actor: "owner@shop.co.jp"})
				return err
			})
		}
		if err := add(s); err != nil {
			t.Fatal(err)
		}
		if err := add(s); !errors.Is(err, ErrSupplierExists) {
			t.Fatalf("second add: %v", err)
		}
		list, err := SupplierServices(ctx, d)
		if err != nil || len(list) != 1 || list[0].Name != "丸山商事" || len(list[0].Domains) != 2 || list[0].Kind != phishcheck.KindSupplier {
			t.Fatalf("list %+v, %v", list, err)
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'phish.supplier_added' AND target = ?`, "丸山商事").Scan(&n); err != nil || n != 1 {
			t.Fatalf("audit entries %d, %v", n, err)
		}
		if _, _, err := audit.Verify(ctx, d); err != nil {
			t.Fatal(err)
		}
	})
}

func TestNewSupplier_Validation(t *testing.T) {
	t.Parallel()
	var bad *phishcheck.BadDomainError
	for _, tc := range []struct{ name, domains string }{
		{"", "a.co.jp"}, {"x\ny", "a.co.jp"}, {"<b>", "a.co.jp"}, {"ok", ""}, {"ok", "not a domain!"}, {"ok", "localhost"},
	} {
		if _, err := phishcheck.NewSupplier(tc.name, tc.domains); err == nil {
			t.Errorf("%q %q accepted", tc.name, tc.domains)
		}
	}
	if _, err := phishcheck.NewSupplier("ok", "good.co.jp bad_domain!"); !errors.As(err, &bad) || bad.Domain != "bad_domain!" {
		t.Errorf("bad domain error %v", err)
	}
	s, err := phishcheck.NewSupplier(" 神戸紅茶 ", "https://www.Kobe-Tea.co.jp/、kobe-tea.jp")
	if err != nil || s.Name != "神戸紅茶" || len(s.Domains) != 2 || s.Domains[0] != "www.kobe-tea.co.jp" {
		t.Errorf("%+v, %v", s, err)
	}
}
