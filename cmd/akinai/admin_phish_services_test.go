package main

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// classMail reads a mail of the checker's class corpus.
func classMail(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir, "classes", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAdminPhish_Services: the owner sees the built-in companies, adds a
// supplier (validated on the server, audited, no duplicates), and the
// checker then calls a bank change from a look-alike of that supplier
// phishing; removing it is audited too. The corrupted-files lure shows the
// advice to check the integrity status instead. A staff member may read
// the list but not change it.
func TestAdminPhish_Services(t *testing.T) {
	t.Parallel()
	owner, d, _, _, base := mailShop(t)
	admin := owner.admin

	owner.get(admin+"/phish/services?lang=en").want(t, "services page", 200,
		"Built-in companies", "kuronekoyamato.co.jp", "stripe.com", "No suppliers yet.", `id="supplier-form"`)
	owner.post(admin+"/phish/services", url.Values{"name": {""}, "domains": {"kobe-tea.co.jp"}}).want(t, "no name", 422, "The name is one line")
	owner.post(admin+"/phish/services", url.Values{"name": {"神戸紅茶"}, "domains": {"kobe-tea.co.jp, http://evil/x y"}}).
		want(t, "bad domain", 422, "is not a domain name", "神戸紅茶")
	owner.post(admin+"/phish/services", url.Values{"name": {"神戸紅茶"}, "domains": {"   "}}).want(t, "no domain", 422, "Give 1 to 20 domains")
	if n := auditCount(t, d, "phish.supplier_added", ""); n != 0 {
		t.Fatalf("%d suppliers audited after refusals", n)
	}
	owner.post(admin+"/phish/services", url.Values{"name": {"神戸紅茶"}, "domains": {"kobe-tea.co.jp"}}).want(t, "add supplier", 303, "/phish/services")
	owner.post(admin+"/phish/services", url.Values{"name": {"神戸紅茶"}, "domains": {"kobe-tea.jp"}}).want(t, "duplicate", 409, "already listed")
	list := owner.get(admin + "/phish/services?lang=en")
	list.want(t, "list", 200, "神戸紅茶", "kobe-tea.co.jp", "owner@example.jp")
	if n := auditCount(t, d, "phish.supplier_added", "owner@example.jp"); n != 1 {
		t.Fatalf("%d additions audited, want 1", n)
	}

	// The checker uses it.
	owner.get(admin + "/phish?lang=en")
	owner.post(admin+"/phish", url.Values{"raw": {classMail(t, "pc_bec_bank_correspondent.eml")}}).want(t, "bank change from a look-alike", 200,
		`data-verdict="phishing"`, `data-code="bec.lookalike_correspondent"`, "kobe-tae.co.jp ≈ kobe-tea.co.jp", `data-code="advice.bec"`)
	owner.get(admin + "/phish?lang=ja")
	owner.post(admin+"/phish", url.Values{"raw": {classMail(t, "pc_integrity_0_jis.eml")}}).want(t, "corrupted files", 200,
		`data-verdict="phishing"`, `id="phish-advice"`, "akinai verify", "Akinaiがメールでログインやファイルの修復を求めることはありません")
	owner.get(admin + "/phish?lang=en")
	owner.post(admin+"/phish", url.Values{"raw": {classMail(t, "pc_self_mailbox_0_u8qp.eml")}}).want(t, "self-spoof", 200,
		`data-verdict="phishing"`, `data-code="sender.own_domain_links_elsewhere"`, `data-code="link.victim_domain"`)

	// A staff member reads, never writes.
	staffPW := "yokohama-harbour-kite-42"
	owner.get(admin + "/admins")
	owner.post(admin+"/admins", url.Values{"email": {"staff@example.jp"}, "name": {"Suzuki"}, "role": {"staff"}, "password": {staffPW}}).want(t, "create staff", 303)
	staff := newClient(t, base)
	staff.admin = admin
	staff.get(admin + "/login?lang=en")
	staff.post(admin+"/login", url.Values{"email": {"staff@example.jp"}, "password": {staffPW}}).want(t, "staff password", 303, "/enrol")
	enrolTOTP(t, staff, 0)
	r := staff.get(admin + "/phish/services?lang=en")
	r.want(t, "staff list", 200, "神戸紅茶")
	if strings.Contains(r.body, `id="supplier-form"`) || strings.Contains(r.body, "/delete") {
		t.Fatal("staff sees the supplier controls")
	}
	staff.post(admin+"/phish/services", url.Values{"name": {"evil"}, "domains": {"evil.example"}}).want(t, "staff add", 403)

	// Remove it.
	id := between(list.body, admin+"/phish/services/", "/delete")
	staff.post(admin+"/phish/services/"+id+"/delete", url.Values{}).want(t, "staff remove", 403)
	owner.get(admin + "/phish/services")
	owner.post(admin+"/phish/services/"+id+"/delete", url.Values{}).want(t, "remove", 303)
	owner.post(admin+"/phish/services/"+id+"/delete", url.Values{}).want(t, "remove again", 404)
	owner.post(admin+"/phish/services/abc/delete", url.Values{}).want(t, "bad id", 404)
	owner.get(admin+"/phish/services?lang=en").want(t, "emptied", 200, "No suppliers yet.")
	if n := auditCount(t, d, "phish.supplier_removed", "owner@example.jp"); n != 1 {
		t.Fatalf("%d removals audited, want 1", n)
	}
}

// between returns the text of s between the first before and the next after.
func between(s, before, after string) string {
	_, rest, ok := strings.Cut(s, before)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, after)
	return v
}
