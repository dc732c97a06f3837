package order

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/shop"
)

// Every colour offered, and every default, is legible under white text;
// the ratio follows WCAG 2.2's definition (black on white is 21:1).
func TestStatusPalette(t *testing.T) {
	t.Parallel()
	if got := Contrast("#000000", "#ffffff"); got < 20.99 || got > 21.01 {
		t.Fatalf("black on white: %.2f", got)
	}
	if got := Contrast("#777777", "#ffffff"); got < 4.47 || got > 4.49 {
		t.Fatalf("#777 on white: %.3f, want 4.48", got)
	}
	for _, c := range append(StatusPalette, "#1d4ed8", "#b45309", "#15803d", "#7e22ce", "#0f766e", "#4b5563", "#b91c1c") {
		if Contrast(c, "#ffffff") < MinStatusContrast {
			t.Errorf("%s: %.2f", c, Contrast(c, "#ffffff"))
		}
	}
	for _, s := range ListStatuses {
		if l := DefaultStatusLabel(s); l.Colour == "" || l.NameJA == "" || strings.HasPrefix(l.NameEN, "order.") {
			t.Errorf("default of %s: %+v", s, l)
		}
	}
}

func TestStatusLabels(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		labels := &StatusLabels{DB: d, TTL: time.Hour}
		save := func(ls ...StatusLabel) (map[Status][2]StatusLabel, error) {
			var changed map[Status][2]StatusLabel
			err := d.Tx(ctx, func(tx *db.Tx) error {
				var err error
				changed, err = SaveStatusLabels(ctx, tx, ls, "owner@example.jp")
				return err
			})
			return changed, err
		}
		if got := labels.StatusName(i18n.English, "paid"); got != "Paid" {
			t.Fatalf("default name %q", got)
		}
		v0 := labels.StatusCSS()

		t.Run("refused, nothing written", func(t *testing.T) {
			for name, tc := range map[string]struct {
				l     StatusLabel
				field string
			}{
				"empty ja":       {StatusLabel{Status: Paid, NameJA: "  ", NameEN: "Paid", Colour: "#15803d"}, "name_ja_paid"},
				"empty en":       {StatusLabel{Status: Paid, NameJA: "入金済", NameEN: "", Colour: "#15803d"}, "name_en_paid"},
				"too long":       {StatusLabel{Status: Paid, NameJA: strings.Repeat("あ", MaxStatusName+1), NameEN: "Paid", Colour: "#15803d"}, "name_ja_paid"},
				"control":        {StatusLabel{Status: Paid, NameJA: "入金\n済", NameEN: "Paid", Colour: "#15803d"}, "name_ja_paid"},
				"not a colour":   {StatusLabel{Status: Paid, NameJA: "入金済", NameEN: "Paid", Colour: "green"}, "colour_paid"},
				"light colour":   {StatusLabel{Status: Paid, NameJA: "入金済", NameEN: "Paid", Colour: "#ffeb3b"}, "colour_paid"},
				"nearly enough":  {StatusLabel{Status: Paid, NameJA: "入金済", NameEN: "Paid", Colour: "#777777"}, "colour_paid"},
				"unknown status": {StatusLabel{Status: "lost", NameJA: "紛失", NameEN: "Lost", Colour: "#15803d"}, "form"},
			} {
				_, err := save(StatusLabel{Status: New, NameJA: "受付", NameEN: "Received", Colour: "#1d4ed8"}, tc.l)
				var se *shop.Error
				if !errors.As(err, &se) || se.Kind != shop.Invalid || se.Fields[tc.field] == "" {
					t.Errorf("%s: %v", name, err)
				}
			}
			var n int
			d.QueryRow(ctx, `SELECT COUNT(*) FROM order_status_labels`).Scan(&n)
			if n != 0 {
				t.Fatalf("%d rows written by refused saves", n)
			}
		})

		t.Run("saved and shown", func(t *testing.T) {
			changed, err := save(StatusLabel{Status: Paid, NameJA: " 入金確認済 ", NameEN: "Payment OK", Colour: "#7E22CE"},
				DefaultStatusLabel(New))
			if err != nil {
				t.Fatal(err)
			}
			if len(changed) != 1 || changed[Paid][0].NameJA != "入金済み" || changed[Paid][1].Colour != "#7e22ce" {
				t.Fatalf("changed: %+v", changed)
			}
			if got := labels.StatusName(i18n.Japanese, "paid"); got != "入金済み" {
				t.Fatalf("cached name before Invalidate: %q", got)
			}
			labels.Invalidate()
			if got := labels.StatusName(i18n.Japanese, "paid"); got != "入金確認済" {
				t.Fatalf("ja %q", got)
			}
			if got := labels.StatusName(i18n.English, "paid"); got != "Payment OK" {
				t.Fatalf("en %q", got)
			}
			if got := labels.StatusName(i18n.English, "new"); got != "New" {
				t.Fatalf("untouched status %q", got)
			}
			if v1 := labels.StatusCSS(); v1 == v0 || !strings.HasPrefix(v1, StatusCSSPath+"?v=") {
				t.Fatalf("stylesheet URL %q (was %q)", v1, v0)
			}
			if css := string(labels.set(ctx).css); !strings.Contains(css, "span.status.status-paid{background:#7e22ce}") {
				t.Fatalf("css: %s", css)
			}
			again, err := save(StatusLabel{Status: Paid, NameJA: "入金確認済", NameEN: "Payment OK", Colour: "#7e22ce"})
			if err != nil || len(again) != 0 {
				t.Fatalf("saving the same again: %v %+v", err, again)
			}
		})

		t.Run("reset", func(t *testing.T) {
			var had bool
			if err := d.Tx(ctx, func(tx *db.Tx) (err error) { had, err = ResetStatusLabels(ctx, tx); return }); err != nil || !had {
				t.Fatalf("reset: %v %v", had, err)
			}
			labels.Invalidate()
			if got := labels.StatusName(i18n.Japanese, "paid"); got != "入金済み" {
				t.Fatalf("after reset %q", got)
			}
		})
	})
}
