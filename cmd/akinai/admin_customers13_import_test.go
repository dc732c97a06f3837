package main

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/csvfile"
	"github.com/akinai/akinai/internal/db/dbtest"
)

// uploadCSV posts a customer CSV as the import form does.
func (c *client) uploadCSV(path string, data []byte, sendLinks string) result {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.csrf)
	mw.WriteField("send_links", sendLinks)
	fw, _ := mw.CreateFormFile("file", "customers.csv")
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// sjisCSV writes rows as a Shift_JIS CSV, as Excel saves it.
func sjisCSV(t *testing.T, rows [][]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := csvfile.NewWriter(&buf, csvfile.ShiftJIS)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var importIDRE = regexp.MustCompile(`/customer-imports/(\d+)$`)

// The customer import: a file with problems is reported line by line and
// writes nothing; a password column is refused; a clean Shift_JIS file
// is imported with password links; another admin cannot open the upload;
// staff may not import — on both engines.
func TestAdminCustomers13_Import(t *testing.T) {
	t.Parallel()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			cfg := Config{DataDir: t.TempDir()}
			if engine == "postgres" {
				cfg.DatabaseURL = dbtest.NewPostgresDatabase(t)
			}
			testCustomerImport(t, cfg)
		})
	}
}

func testCustomerImport(t *testing.T, cfg Config) {
	ctx := context.Background()
	base, logs := startLoggedShop(t, cfg, nil)
	setup := setupPath(t, logs)
	a := adminPathOf(setup)
	d := openShopDB(t, cfg)
	owner, _ := setupOwner(t, base, setup)
	owner.post(a+"/customer-ranks", url.Values{"name_ja": {"ゴールド会員"}, "name_en": {"Gold"}, "percent": {"5"}}).want(t, "create rank", 303)
	owner.post(a+"/customers/new", newCustomerForm("taken@example.jp", "0", "0")).want(t, "existing customer", 303)
	count := func() int {
		var n int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM customers`).Scan(&n)
		return n
	}

	head := []string{"email", "姓", "名", "セイ", "メイ", "電話番号", "郵便番号", "都道府県", "市区町村", "番地", "会員ランク", "性別"}
	good := func(email string) []string {
		return []string{email, "山本", "花子", "ヤマモト", "はなこ", "090-1111-2222", "150-0001", "東京都", "渋谷区", "神宮前1-1", "ゴールド会員", "女性"}
	}
	// Problems on several lines: nothing is written.
	bad := [][]string{head, good("a@example.jp"), good("A@example.jp"), good("taken@example.jp"), good("not-an-address"),
		{"b@example.jp", "", "花子", "ヤマモト", "ハナコ", "0901", "1", "火星", "渋谷区", "1-1", "プラチナ", "?"}}
	owner.get(a+"/customers/import").want(t, "import form", 200, "import-form")
	r := owner.uploadCSV(a+"/customers/import", sjisCSV(t, bad), "1")
	r.want(t, "upload with problems", 303)
	report := r.location
	owner.get(report).want(t, "dry run report", 200, "import-problems", "Shift_JIS",
		"2 行目と同じメールアドレス", "すでに会員登録", "会員ランク「プラチナ」はありません", "import-rows")
	if body := owner.get(report).body; strings.Contains(body, `id="import-run"`) {
		t.Error("a file with problems offers the import")
	}
	owner.post(report, nil).want(t, "forced import of a bad file", 422)
	if n := count(); n != 1 {
		t.Fatalf("%d customers after a refused import", n)
	}

	// A password column is refused.
	withPW := [][]string{append(append([]string{}, head...), "password"), append(good("c@example.jp"), "secret")}
	r = owner.uploadCSV(a+"/customers/import", sjisCSV(t, withPW), "0")
	owner.get(r.location).want(t, "password column", 200, "パスワードの列があります")

	// A clean file: imported, each with a password link, in the rank.
	clean := [][]string{head, good("d@example.jp"), good("e@example.jp"), {}, good("f@example.jp")}
	r = owner.uploadCSV(a+"/customers/import", sjisCSV(t, clean), "1")
	owner.get(r.location).want(t, "clean report", 200, "import-run", "3 名を登録する")
	id := importIDRE.FindStringSubmatch(r.location)[1]
	owner.post(r.location, nil).want(t, "import", 303)
	owner.get(r.location).want(t, "import done", 200, "import-done", "3 名")
	owner.post(r.location, nil).want(t, "import twice", 409)
	if n := count(); n != 4 {
		t.Fatalf("%d customers after the import", n)
	}
	var inRank, links int
	d.QueryRow(ctx, `SELECT COUNT(*) FROM customers c JOIN customer_ranks r ON r.id = c.rank_id WHERE c.email IN ('d@example.jp', 'e@example.jp', 'f@example.jp') AND c.status = 'active' AND c.password_hash = '' AND c.gender = 'female'`).Scan(&inRank)
	d.QueryRow(ctx, `SELECT COUNT(*) FROM outbox WHERE event = 'customer_invite'`).Scan(&links)
	if inRank != 3 || links != 3 {
		t.Fatalf("imported: %d in the rank, %d links", inRank, links)
	}
	var left int
	d.QueryRow(ctx, `SELECT LENGTH(data) FROM customer_imports WHERE CAST(id AS TEXT) = ?`, id).Scan(&left)
	if left != 0 || auditCount(t, d, "customer.import", "") != 1 {
		t.Fatalf("after the import: %d bytes kept, %d audit entries", left, auditCount(t, d, "customer.import", ""))
	}

	// Another owner-level admin cannot open this upload; staff cannot import.
	staffPW := "yokohama-harbour-kite-42"
	owner.get(a + "/admins")
	owner.post(a+"/admins", url.Values{"email": {"manager@example.jp"}, "name": {"Sato"}, "role": {"manager"}, "password": {staffPW}}).want(t, "create manager", 303)
	owner.post(a+"/admins", url.Values{"email": {"staff@example.jp"}, "name": {"Suzuki"}, "role": {"staff"}, "password": {staffPW}}).want(t, "create staff", 303)
	signIn := func(email string) *client {
		c := newClient(t, base)
		c.admin = a
		c.get(a + "/login")
		c.post(a+"/login", url.Values{"email": {email}, "password": {staffPW}}).want(t, email+" password", 303, "/enrol")
		enrolTOTP(t, c, 0)
		return c
	}
	manager := signIn("manager@example.jp")
	manager.get(a+"/customer-imports/"+id).want(t, "someone else's upload", 404)
	manager.post(a+"/customer-imports/"+id, nil).want(t, "someone else's import", 404)
	staff := signIn("staff@example.jp")
	staff.get(a+"/customers/import").want(t, "staff import form", 403)
	staff.uploadCSV(a+"/customers/import", sjisCSV(t, clean), "0").want(t, "staff upload", 403)
	staff.get(a+"/customer-imports/"+id).want(t, "staff report", 403)
}
