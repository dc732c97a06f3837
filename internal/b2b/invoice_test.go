package b2b

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/shop"
)

// pdfText extracts a PDF's text with pdftotext (poppler-utils).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// monthEnd is the last day of the month (Japan time) of t.
func monthEnd(t time.Time) calendar.Date {
	d := calendar.DateOf(t)
	return calendar.NewDate(d.Year, d.Month+1, 1).AddDays(-1)
}

// runAll starts a run for the day and works it to the end.
func runAll(t *testing.T, w *world, day calendar.Date) *Run {
	t.Helper()
	ctx := context.Background()
	err := w.d.Tx(ctx, func(tx *db.Tx) error { _, err := StartRun(ctx, tx, day, "test"); return err })
	if err != nil {
		t.Fatal(err)
	}
	wk := &RunWorker{Service: w.s, Instance: "t1", Slice: 2}
	for i := 0; i < 10000; i++ {
		n, err := wk.Once(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	runs, err := Runs(ctx, w.d, 1)
	if err != nil {
		t.Fatal(err)
	}
	return runs[0]
}

func TestInvoiceRun_PDFAndBank(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		mustTerms(t, d, Terms{CompanyID: w.a, Approval: ApproveNone, OnAccount: true, PayMonths: 1, CreditLimit: 1000000, GraceDays: 7})
		mustTerms(t, d, Terms{CompanyID: w.b, Approval: ApproveNone, OnAccount: true, PayMonths: 1, CreditLimit: 1000000, GraceDays: 7, PayerKana: "ｻﾄｳｼｮｸﾋﾝ ｼﾃﾝ"})
		var sumA shop.Yen
		var numbers []string
		for _, lines := range []map[int64]int{{w.std: 2, w.red: 5}, {w.red: 3}} {
			o, err := w.s.Checkout.Place(ctx, w.input(t, w.buyerA, onAccount, lines))
			if err != nil {
				t.Fatal(err)
			}
			sumA += o.Total
			numbers = append(numbers, o.Number)
		}
		ob, err := w.s.Checkout.Place(ctx, w.input(t, w.buyerB, onAccount, map[int64]int{w.std: 1}))
		if err != nil {
			t.Fatal(err)
		}
		// Neither cancelled orders nor other payment methods are invoiced.
		cancelled, err := w.s.Checkout.Place(ctx, w.input(t, w.buyerA, onAccount, map[int64]int{w.std: 1}))
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Tx(ctx, func(tx *db.Tx) error { return order.Cancel(ctx, tx, cancelled.Number, "test") }); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.Checkout.Place(ctx, w.input(t, w.buyerA, order.BankTransfer, map[int64]int{w.std: 1})); err != nil {
			t.Fatal(err)
		}

		closing := monthEnd(time.Now())
		if err := d.Tx(ctx, func(tx *db.Tx) error { _, err := StartRun(ctx, tx, closing.AddDays(1), "test"); return err }); shop.KindOf(err) != shop.Invalid {
			t.Fatalf("a run for a day to come: %v", err)
		}
		d.Clock = func() time.Time { return closing.AddDays(1).Time().Add(10 * time.Hour) }
		run := runAll(t, w, closing)
		if run.Status != "done" || run.Companies != 2 || run.Done != 2 || run.Invoices != 2 {
			t.Fatalf("run %+v", run)
		}
		invs, err := Invoices(ctx, d, InvoiceFilter{CompanyID: w.a})
		if err != nil || len(invs) != 1 {
			t.Fatalf("invoices of A: %v %v", invs, err)
		}
		inv := invs[0]
		if inv.Total != sumA || len(inv.Rates) != 2 || inv.Due != (Terms{PayMonths: 1}).Due(closing).String() {
			t.Fatalf("invoice %+v, orders %d", inv, sumA)
		}
		var rs, tax shop.Yen
		for _, r := range inv.Rates {
			rs, tax = rs+r.Total, tax+r.Tax
		}
		if rs != inv.Total || tax != inv.Tax {
			t.Fatalf("rates %+v", inv.Rates)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM outbox WHERE event = 'b2b_invoice_issued'`); n != 4 {
			t.Fatalf("invoice mails %d (every member of companies without an admin)", n)
		}
		// A second run for the same day makes nothing twice.
		if again := runAll(t, w, closing); again.Invoices != 0 {
			t.Fatalf("second run made %d", again.Invoices)
		}

		var pdf bytes.Buffer
		if err := w.s.InvoicePDF(ctx, &pdf, inv, i18n.Japanese); err != nil {
			t.Fatal(err)
		}
		text := pdfText(t, pdf.Bytes())
		for _, want := range []string{"株式会社山田商店", "T1234567890123", "10%対象", "8%対象", "※", numbers[0], numbers[1], "¥" + sumA.String()} {
			if !strings.Contains(text, want) {
				t.Errorf("invoice PDF lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, cancelled.Number) {
			t.Error("the cancelled order is on the invoice")
		}

		// The bank file: A pays in full under カ)ﾔﾏﾀﾞｼﾖｳﾃﾝ, B under its
		// payer name, one credit nobody owes.
		invB, _ := Invoices(ctx, d, InvoiceFilter{CompanyID: w.b})
		csv := "取引日,摘要,お支払金額,お預り金額,残高\r\n" +
			"2027/01/20,ﾌﾘｺﾐ ｶ)ﾔﾏﾀﾞｼﾖｳﾃﾝ,," + itoa(int64(sumA)) + ",999999\r\n" +
			"2027/01/21,ｻﾄｳｼｮｸﾋﾝ ｼﾃﾝ,," + itoa(int64(invB[0].Total)) + ",999999\r\n" +
			"2027/01/22,ﾃﾞﾝｷﾀﾞｲ,12000,,999999\r\n" +
			"2027/01/22,ﾅｿﾞﾉ ｶｲｼﾔ,,7777,999999\r\n"
		sj, err := japanese.ShiftJIS.NewEncoder().String(csv)
		if err != nil {
			t.Fatal(err)
		}
		credits, err := ParseBank(strings.NewReader(sj))
		if err != nil || len(credits) != 3 {
			t.Fatalf("credits %+v %v", credits, err)
		}
		res, err := ImportBank(ctx, d, credits, "bank.csv", "test")
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Matched) != 2 || len(res.Unmatched) != 1 || res.Unmatched[0].Amount != 7777 {
			t.Fatalf("result %+v", res)
		}
		paid, _ := invoiceByID(ctx, d, inv.ID)
		if paid.Status != "paid" || paid.Paid != sumA || paid.PaidOn != "2027-01-20" {
			t.Fatalf("invoice after the bank file %+v", paid)
		}
		// The same file again pays nothing twice.
		res, err = ImportBank(ctx, d, credits, "bank.csv", "test")
		if err != nil || res.Skipped != 3 || len(res.Matched) != 0 {
			t.Fatalf("second import %+v %v", res, err)
		}
		un, _ := UnmatchedRows(ctx, d, 10)
		if len(un) != 1 {
			t.Fatalf("unmatched %+v", un)
		}
		_ = ob
	})
}
