package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/magazine"
)

// TestMagazine_BadInputHTTP: the compose and schedule forms refuse bad
// input with the field named in Japanese, the right status and nothing
// written; a segment that matches nobody cannot be scheduled; an unknown
// ID is a 404; a scheduled magazine cannot be edited; without the CSRF
// token nothing happens; the schedule is audited.
func TestMagazine_BadInputHTTP(t *testing.T) {
	t.Parallel()
	cfg := Config{DataDir: t.TempDir()}
	base, logs := startLoggedShop(t, cfg, nil)
	setup := setupPath(t, logs)
	owner, _ := setupOwner(t, base, setup)
	admin := owner.admin
	d := openShopDB(t, cfg)
	seedSubscribers(t, d, 2)

	good := url.Values{"subject": {"冬のセール"}, "text": {"本文"}, "rate": {"600"}}
	with := func(k, v string) url.Values {
		f := url.Values{}
		for kk, vv := range good {
			f[kk] = vv
		}
		f.Set(k, v)
		return f
	}
	owner.get(admin+"/magazine/new").want(t, "compose page", 200, "magazine-form")
	for _, tc := range []struct {
		name, field, value, message string
	}{
		{"amount not a number", "min_total", "abc", "0以上の整数で入力してください"},
		{"full-width digits are fine, reversed bounds are not", "max_total", "１００", "下限が上限を超えています"},
		{"no subject", "subject", "", "入力してください"},
		{"a rate of zero", "rate", "0", "配信速度は 1〜100000"},
		{"a bad date", "last_from", "2026-02-30", "日付・日時の形式が正しくありません"},
		{"an age of 200", "min_age", "200", "年齢は 0〜130"},
	} {
		f := with(tc.field, tc.value)
		if tc.field == "max_total" {
			f.Set("min_total", "5000")
		}
		owner.post(admin+"/magazine/new", f).want(t, tc.name, 422, tc.message)
		owner.get(admin + "/magazine/new")
	}
	var n int
	d.QueryRow(context.Background(), `SELECT COUNT(*) FROM magazines`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d magazines written from bad input", n)
	}

	owner.post(admin+"/magazine/new", good).want(t, "save", 303, "/magazine/1")
	owner.get(admin+"/magazine/1").want(t, "the draft", 200, "現在の条件に当てはまる会員: 2 名")
	owner.post(admin+"/magazine/1/test", url.Values{"test_to": {"not an address"}}).want(t, "bad test address", 422, "メールアドレスの形式が正しくありません")
	owner.get(admin + "/magazine/1")
	owner.post(admin+"/magazine/1/schedule", url.Values{"when": {"later"}, "at": {"tomorrow"}}).want(t, "bad time", 422, "日付・日時の形式が正しくありません")
	owner.get(admin + "/magazine/1")
	owner.post(admin+"/magazine/1", with("pref", "47")).want(t, "save Okinawa", 303)
	owner.get(admin+"/magazine/1").want(t, "nobody", 200, "この条件に当てはまる会員（配信に同意済み）はいません")
	owner.post(admin+"/magazine/1/schedule", url.Values{"when": {"now"}}).want(t, "schedule nobody", 422, "予約はできません")
	owner.get(admin + "/magazine/1")
	owner.post(admin+"/magazine/1", good).want(t, "save everyone", 303)
	owner.get(admin + "/magazine/1")
	owner.post(admin+"/magazine/1/schedule", url.Values{"when": {"now"}}).want(t, "schedule", 303)
	owner.get(admin + "/magazine/1")
	owner.post(admin+"/magazine/1", good).want(t, "edit a scheduled one", 409, "予約済み・配信済みのメルマガは変更できません")
	owner.get(admin+"/magazine/99").want(t, "unknown ID", 404)
	owner.get(admin+"/magazine/x").want(t, "bad ID", 404)
	owner.get(admin + "/magazine/1")
	owner.post(admin+"/magazine/1/cancel", url.Values{"csrf": {"forged"}}).want(t, "no CSRF token", 403)
	var status string
	d.QueryRow(context.Background(), `SELECT status FROM magazines WHERE id = 1`).Scan(&status)
	if status != "pending" {
		t.Fatalf("status %q after a forged cancel", status)
	}
	if !strings.Contains(owner.get(admin+"/audit").body, "magazine.scheduled") {
		t.Error("the schedule is not in the audit log")
	}
	// Every screen in both languages, without a raw message key.
	for _, lang := range []string{"en", "ja"} {
		for _, p := range []string{"/magazine", "/magazine/new", "/magazine/1", "/mail/dkim"} {
			r := owner.get(admin + p + "?lang=" + lang)
			r.want(t, p, 200)
			noRawKeys(t, p+" "+lang, r.body)
		}
		r := owner.get("/mail/unsubscribe/1.forged?lang=" + lang)
		r.want(t, "forged unsubscribe "+lang, 400)
		noRawKeys(t, "unsubscribe "+lang, r.body)
	}
}

// TestMagazineBounce_Command pipes a hard bounce to a recipient's VERP
// return path into `akinai magazine-bounce`, as the mail server would:
// the address is suppressed; a bounce to a forged return path exits 1
// and changes nothing.
func TestMagazineBounce_Command(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	secret := bytes.Repeat([]byte{9}, 32)
	if err := os.WriteFile(filepath.Join(dir, "secret.key"), []byte(hex.EncodeToString(secret)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var out, errs bytes.Buffer
	if code := run(ctx, []string{"migrate", "--data", dir}, nil, &out, &errs); code != 0 {
		t.Fatalf("migrate: %d %s", code, errs.String())
	}
	d := openShopDB(t, Config{DataDir: dir})
	seedSubscribers(t, d, 1)
	var rid int64
	err := d.Tx(ctx, func(tx *db.Tx) error {
		var mid int64
		if err := tx.QueryRow(ctx, `INSERT INTO magazines (subject, body_text, status, next_attempt_at, created_at, updated_at)
			VALUES ('s', 't', 'sent', ?, ?, ?) RETURNING id`, tx.Now(), tx.Now(), tx.Now()).Scan(&mid); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `INSERT INTO magazine_recipients (magazine_id, customer_id, email, status)
			SELECT ?, id, email, 'sent' FROM customers WHERE email = 'member0@example.jp' RETURNING id`, mid).Scan(&rid)
	})
	if err != nil {
		t.Fatal(err)
	}
	verp := magazine.Tokens{Secret: secret}.ReturnPath(rid, "example.co.jp")
	dsn := "From: MAILER-DAEMON@mx.example.net\r\nTo: " + verp + "\r\nSubject: Undelivered\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nfailed\r\n" +
		"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\n" +
		"Final-Recipient: rfc822; member0@example.jp\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--b--\r\n"

	forged := strings.Replace(dsn, verp, "bounces+"+strconv.FormatInt(rid, 10)+".AAAAAAAAAAAAAAAAAAAAAA@example.co.jp", 1)
	out.Reset()
	errs.Reset()
	if code := run(ctx, []string{"magazine-bounce", "--data", dir}, strings.NewReader(forged), &out, &errs); code != 1 {
		t.Fatalf("forged bounce: exit %d, %s %s", code, out.String(), errs.String())
	}
	out.Reset()
	if code := run(ctx, []string{"magazine-bounce", "--data", dir, "--to", verp}, strings.NewReader(dsn), &out, &errs); code != 0 || !strings.Contains(out.String(), "member0@example.jp suppressed") {
		t.Fatalf("hard bounce: exit %d, %s %s", code, out.String(), errs.String())
	}
	var n int
	d.QueryRow(ctx, `SELECT COUNT(*) FROM mail_suppressions WHERE email_key = 'member0@example.jp' AND reason = 'bounce'`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d suppressions", n)
	}
}
