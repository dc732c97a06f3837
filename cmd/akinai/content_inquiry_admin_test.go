package main

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db/dbtest"
)

// TestContent_AdminInquiries works the inquiry list over HTTP: search,
// status and assignee, internal notes (never mailed), replies (mailed,
// kept, injection refused), all audited.
func TestContent_AdminInquiries(t *testing.T) {
	t.Parallel()
	pg := dbtest.NewPostgresDatabase(t)
	base, logs := startLoggedShop(t, Config{DatabaseURL: pg}, nil)
	customer := newClient(t, base)
	sendInquiry(t, customer, inquiryForm("山田 太郎"), nil).want(t, "first inquiry", 303)
	second := inquiryForm("佐藤 花子")
	second.Set("email", "hanako@example.jp")
	second.Set("message", "<script>alert('x')</script> ギフト包装はできますか")
	sendInquiry(t, customer, second, nil).want(t, "second inquiry", 303)

	c, _ := setupOwner(t, base, setupPath(t, logs))
	a := c.admin
	d := openAdminDB(t, pg)
	ctx := context.Background()

	c.get(a+"/inquiries").want(t, "list", 200, "山田 太郎", "佐藤 花子", "2 件")
	r := c.get(a + "/inquiries?q=" + url.QueryEscape("ギフト"))
	r.want(t, "search", 200, "佐藤 花子")
	if strings.Contains(r.body, "山田 太郎") {
		t.Fatal("search matched the other inquiry")
	}
	var id string
	d.QueryRow(ctx, `SELECT CAST(id AS TEXT) FROM inquiries WHERE email = 'hanako@example.jp'`).Scan(&id)
	r = c.get(a + "/inquiries/" + id)
	r.want(t, "detail", 200, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
	inert(t, "inquiry detail", r.body)
	m := regexp.MustCompile(`<option value="(\d+)">Tanaka Hanako</option>`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatal("owner not offered as assignee")
	}
	c.post(a+"/inquiries/"+id, url.Values{"status": {"closed"}, "assignee": {m[1]}}).want(t, "close and assign", 303)
	c.post(a+"/inquiries/"+id, url.Values{"status": {"bogus"}}).want(t, "bad status", 422)
	c.post(a+"/inquiries/"+id, url.Values{"status": {"open"}, "assignee": {"999999"}}).want(t, "unknown assignee", 422)
	c.get(a+"/inquiries?status=closed").want(t, "closed filter", 200, "佐藤 花子", "Tanaka Hanako", "1 件")

	c.get(a + "/inquiries/" + id)
	c.post(a+"/inquiries/"+id+"/notes", url.Values{"note": {"包装可。在庫を確認する"}}).want(t, "note", 303)
	c.get(a + "/inquiries/" + id)
	c.post(a+"/inquiries/"+id+"/reply", url.Values{"subject": {"Re: ご質問\r\nBcc: victim@example.com"}, "body": {"可能です"}}).
		want(t, "injected subject", 422, "使用できない文字", "可能です")
	c.post(a+"/inquiries/"+id+"/reply", url.Values{"subject": {"Re: ご質問"}, "body": {"ギフト包装は無料で承ります。<b>ぜひ</b>"}}).want(t, "reply", 303)
	r = c.get(a + "/inquiries/" + id)
	r.want(t, "thread", 200, "包装可。在庫を確認する", "ギフト包装は無料で承ります。&lt;b&gt;ぜひ&lt;/b&gt;", "社内メモ")

	var replies, notesMailed, stored int
	d.QueryRow(ctx, `SELECT COUNT(*) FROM outbox WHERE event = 'inquiry_reply' AND to_addr = 'hanako@example.jp'`).Scan(&replies)
	d.QueryRow(ctx, `SELECT COUNT(*) FROM outbox WHERE body_text LIKE '%在庫を確認する%'`).Scan(&notesMailed)
	d.QueryRow(ctx, `SELECT COUNT(*) FROM inquiry_messages WHERE inquiry_id = CAST(? AS BIGINT)`, id).Scan(&stored)
	if replies != 1 || notesMailed != 0 || stored != 2 {
		t.Fatalf("replies mailed %d, notes mailed %d, thread %d", replies, notesMailed, stored)
	}
	for _, action := range []string{"inquiry.updated", "inquiry.noted", "inquiry.replied"} {
		if auditCount(t, d, action, "owner@example.jp") != 1 {
			t.Errorf("audit %s", action)
		}
	}
}
