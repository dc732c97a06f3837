package maillog

import (
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/mail"
)

func TestRedact(t *testing.T) {
	body := "山田 様\n\nあなたの合言葉: 白い茶碗\nAnti-phishing code: sakura-42\n" +
		"https://shop.example.jp/entry/confirm?token=AbC-123_x&lang=ja\nhttps://shop.example.jp/products/tea?page=2\n"
	got, hid := redact(body)
	if !hid {
		t.Fatal("nothing hidden")
	}
	for _, secret := range []string{"白い茶碗", "sakura-42", "AbC-123_x"} {
		if strings.Contains(got, secret) {
			t.Errorf("%q still shown:\n%s", secret, got)
		}
	}
	for _, kept := range []string{"あなたの合言葉: •••", "token=•••&lang=ja", "?page=2", "山田 様"} {
		if !strings.Contains(got, kept) {
			t.Errorf("%q lost:\n%s", kept, got)
		}
	}
	if plain, hid := redact("ご注文ありがとうございます。\n"); hid || plain != "ご注文ありがとうございます。\n" {
		t.Fatalf("a body without secrets changed: %q", plain)
	}
}

func TestHeadersOf_DecodesJIS(t *testing.T) {
	m := &mail.Message{To: "花子 <hanako@example.jp>", Subject: "【茶と道具】ご注文ありがとうございます", Text: "本文です。", Charset: "iso-2022-jp"}
	raw, err := mail.Build(m, mail.Envelope{From: "shop@example.jp", FromName: "茶と道具", MessageID: "<1.x@example.jp>", Date: time.Date(2026, 12, 3, 10, 0, 0, 0, jst)})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), "ISO-2022-JP") {
		t.Fatalf("not JIS:\n%s", raw)
	}
	hs, err := headersOf(raw)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	var order []string
	for _, h := range hs {
		got[h.Name] = h.Value
		order = append(order, h.Name)
	}
	if got["Subject"] != m.Subject || got["From"] != `"茶と道具" <shop@example.jp>` && got["From"] != "茶と道具 <shop@example.jp>" || order[0] != "Date" {
		t.Fatalf("headers %q in order %v", got, order)
	}
}
