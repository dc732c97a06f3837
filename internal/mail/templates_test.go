package mail_test

import (
	"context"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/shop"
)

func TestCompose_AntiPhishingCode(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ lang, line, explain string }{
		{"ja", "あなたの合言葉: 白い茶碗", "この合言葉がないメールは当店からのものではありません。"},
		{"en", "Your anti-phishing code: 白い茶碗", "A mail without it is not from us."},
	} {
		m, err := mail.Compose(context.Background(), nil, "test", c.lang, "owner@example.jp", map[string]any{"ShopName": "Akinai Tea"}, mail.WithCode("白い茶碗"))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(m.Text, "\n")
		// greeting, blank, rule, code, explanation, rule: fixed place.
		if len(lines) < 6 || lines[2] != strings.Repeat("-", 40) || lines[3] != c.line || lines[4] != c.explain || lines[5] != strings.Repeat("-", 40) {
			t.Fatalf("%s: body\n%s", c.lang, m.Text)
		}
		plain, _ := mail.Compose(context.Background(), nil, "test", c.lang, "owner@example.jp", map[string]any{"ShopName": "Akinai Tea"})
		if strings.Contains(plain.Text, "----") || lines[0] != strings.Split(plain.Text, "\n")[0] {
			t.Fatalf("%s: without a code:\n%s", c.lang, plain.Text)
		}
	}
	if _, err := mail.Compose(context.Background(), nil, "test", "en", "o@example.jp", map[string]any{"ShopName": "Shop\nBcc: x@example.com"}); err == nil {
		t.Error("a line break in a subject value was accepted")
	}
	for _, bad := range []string{"a\nb", "x\r", strings.Repeat("あ", 41), " padded", "tab\there"} {
		if _, err := mail.Compose(context.Background(), nil, "test", "ja", "o@example.jp", map[string]any{"ShopName": "x"}, mail.WithCode(bad)); shop.KindOf(err) != shop.Invalid {
			t.Errorf("code %q: %v", bad, err)
		}
	}
}

func TestTemplates(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ts := &mail.Templates{DB: d}
		sample := map[string]any{"ShopName": "商い茶舗"}
		if !strings.Contains(strings.Join(mail.Events(), ","), "test") {
			t.Fatalf("events %v", mail.Events())
		}
		tpl, err := ts.Template(ctx, "test", "ja")
		if err != nil || tpl.Overridden || tpl.Version != 0 {
			t.Fatalf("default: %+v, %v", tpl, err)
		}
		src := "Subject: {{.ShopName}} より\n\nこんにちは。\n{{.ShopName}} の新しい本文です。\n"
		m, err := ts.Preview(ctx, "test", "ja", src, sample, mail.WithCode("合言葉"))
		if err != nil || m.Subject != "商い茶舗 より" || !strings.Contains(m.Text, "あなたの合言葉: 合言葉") {
			t.Fatalf("preview %+v, %v", m, err)
		}
		v, err := ts.Save(ctx, "test", "ja", src, sample, "admin:1", 0)
		if err != nil || v != 1 {
			t.Fatalf("save = %d, %v", v, err)
		}
		if _, err := ts.Save(ctx, "test", "ja", src+"x", sample, "admin:2", 0); shop.KindOf(err) != shop.Conflict {
			t.Fatalf("stale save: %v", err)
		}
		if v, err := ts.Save(ctx, "test", "ja", src+"2", sample, "admin:2", 1); err != nil || v != 2 {
			t.Fatalf("second save = %d, %v", v, err)
		}
		m, err = ts.Compose(ctx, "test", "ja", "o@example.jp", sample)
		if err != nil || !strings.HasSuffix(m.Text, "新しい本文です。\n2") {
			t.Fatalf("compose uses override: %+v, %v", m, err)
		}
		for name, bad := range map[string]string{
			"parse error":   "Subject: {{.ShopName\n\nx",
			"missing key":   "Subject: {{.Nope}}\n\nx",
			"no subject":    "Hello\n\nx",
			"subject break": "Subject: {{\"a\\nBcc: x@example.com\"}}\n\nx",
			"too large":     "Subject: x\n\n" + strings.Repeat("x", mail.MaxTemplateSize),
		} {
			_, err := ts.Save(ctx, "test", "ja", bad, sample, "admin:1", 2)
			var se *shop.Error
			if shop.KindOf(err) != shop.Invalid || !asShop(err, &se) || se.Fields["source"] == "" {
				t.Errorf("%s: Save = %v", name, err)
			}
		}
		if _, err := ts.Save(ctx, "nope", "ja", src, sample, "admin:1", 0); shop.KindOf(err) != shop.NotFound {
			t.Errorf("unknown event: %v", err)
		}
		if tpl, _ := ts.Template(ctx, "test", "ja"); !strings.HasSuffix(tpl.Source, "2") || tpl.Version != 2 || tpl.UpdatedBy != "admin:2" {
			t.Fatalf("after refused saves: %+v", tpl)
		}
		if err := ts.Reset(ctx, "test", "ja"); err != nil {
			t.Fatal(err)
		}
		if tpl, _ := ts.Template(ctx, "test", "ja"); tpl.Overridden || tpl.Source != tpl.Default {
			t.Fatalf("after reset: %+v", tpl)
		}
		id, err := ts.TestSend(ctx, "owner@example.jp", "en", "Akinai Tea", "blue kettle")
		if err != nil || id == 0 {
			t.Fatalf("TestSend = %d, %v", id, err)
		}
		var body string
		d.QueryRow(ctx, "SELECT body_text FROM outbox WHERE id = ?", id).Scan(&body)
		if !strings.Contains(body, "Your anti-phishing code: blue kettle") {
			t.Fatalf("test mail body %q", body)
		}
		if _, err := ts.TestSend(ctx, "owner@example.jp\nBcc: x@example.com", "en", "Akinai Tea", ""); shop.KindOf(err) != shop.Invalid {
			t.Fatalf("injected TestSend: %v", err)
		}
	})
}

func asShop(err error, se **shop.Error) bool {
	e, ok := err.(*shop.Error)
	*se = e
	return ok
}
