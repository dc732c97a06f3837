package main

import (
	"context"
	"net/url"
	"strings"
	"testing"
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
}
