package b2b

import (
	"fmt"
	"strings"
	"testing"
	gotime "time"

	"golang.org/x/text/encoding/japanese"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/shop"
)

// zenginData is one 振込入金通知 data record: 200 single-byte characters.
func zenginData(date string, amount int64, payer, cancel string) string {
	pad := func(s string, n int) string {
		for len([]rune(s)) < n {
			s += " "
		}
		return s
	}
	r := "2" + "000001" + date + date + fmt.Sprintf("%010d", amount) + fmt.Sprintf("%010d", 0) + pad("", 10) + pad(payer, 48) +
		pad("ﾐｽﾞﾎ", 15) + pad("ﾎﾝﾃﾝ", 15) + pad(cancel, 1) + pad("", 20) + pad("", 52)
	return r
}

func TestParseBank_Zengin(t *testing.T) {
	head := "1" + "01" + "0" + "081202" + "081201" + "081202" + strings.Repeat(" ", 200-22)
	recs := []string{head,
		zenginData("081202", 123456, "ｶ)ﾔﾏﾀﾞｼﾖｳﾃﾝ", " "),
		zenginData("081203", 5000, "ｻﾄｳ ﾀﾛｳ", "1"), // cancelled
		"8" + strings.Repeat(" ", 199), "9" + strings.Repeat(" ", 199)}
	for _, sep := range []string{"\r\n", ""} { // with line breaks, and records end to end
		sj, err := japanese.ShiftJIS.NewEncoder().String(strings.Join(recs, sep) + sep)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseBank(strings.NewReader(sj))
		if err != nil {
			t.Fatal(err)
		}
		want := []Credit{{Date: calendar.NewDate(2026, 12, 2), Amount: 123456, Payer: "ｶ)ﾔﾏﾀﾞｼﾖｳﾃﾝ"}}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("sep %q: %+v", sep, got)
		}
	}
}

func TestParseBank_CSV(t *testing.T) {
	cases := []struct {
		name, file string
		want       []Credit
	}{
		{"internet banking with a preamble", "口座番号,1234567\r\n期間,2026/12/01-2026/12/31\r\n日付,お取引内容,お引出金額,お預入金額,残高\r\n2026/12/05,振込 ｶ)ﾔﾏﾀﾞｼﾖｳﾃﾝ,,\"12,340\",50000\r\n2026/12/06,ATM,3000,,47000\r\n",
			[]Credit{{calendar.NewDate(2026, 12, 5), 12340, "振込 ｶ)ﾔﾏﾀﾞｼﾖｳﾃﾝ"}}},
		{"UTF-8 with BOM, 年月日 and a payer column", "\uFEFF勘定日,入金金額,振込依頼人名\n2026年12月7日,800円,ｻﾄｳｼﾖｸﾋﾝ\n20261208,900,ﾀﾅｶ\n",
			[]Credit{{calendar.NewDate(2026, 12, 7), 800, "ｻﾄｳｼﾖｸﾋﾝ"}, {calendar.NewDate(2026, 12, 8), 900, "ﾀﾅｶ"}}},
	}
	for _, c := range cases {
		sj, _ := japanese.ShiftJIS.NewEncoder().String(strings.TrimPrefix(c.file, "\uFEFF"))
		if strings.HasPrefix(c.file, "\uFEFF") {
			sj = c.file
		}
		got, err := ParseBank(strings.NewReader(sj))
		if err != nil || fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: %+v %v", c.name, got, err)
		}
	}
}

func TestParseBank_Refusals(t *testing.T) {
	cases := map[string]string{
		"no header":    "a,b,c\n1,2,3\n",
		"empty":        "",
		"bad date":     "日付,入金額,摘要\n2026/13/45,100,ﾔﾏﾀﾞ\n",
		"bad amount":   "日付,入金額,摘要\n2026/12/01,百円,ﾔﾏﾀﾞ\n",
		"binary":       "\x00\x01\x02\xff\xfe",
		"short zengin": "1" + strings.Repeat(" ", 199) + "\n2" + strings.Repeat(" ", 50) + "\n",
	}
	for name, file := range cases {
		got, err := ParseBank(strings.NewReader(file))
		if name == "short zengin" && err == nil && len(got) == 0 {
			continue // a truncated record is no credit
		}
		if shop.KindOf(err) != shop.Invalid {
			t.Errorf("%s: %+v %v", name, got, err)
		}
	}
}

func FuzzParseBank(f *testing.F) {
	f.Add("日付,入金額,摘要\n2026/12/01,100,ﾔﾏﾀﾞ\n")
	f.Add(zenginData("081202", 1, "ﾔﾏﾀﾞ", " "))
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseBank(strings.NewReader(s))
		if err != nil && shop.KindOf(err) != shop.Invalid {
			t.Fatalf("not a refusal: %v", err)
		}
		for _, c := range got {
			if c.Amount <= 0 {
				t.Fatalf("credit %+v", c)
			}
		}
	})
}

func TestPayerKey(t *testing.T) {
	same := [][]string{
		{"ｶ)ﾔﾏﾀﾞｼﾖｳﾃﾝ", "ヤマダショウテン", "振込 ヤマダ ショウテン", "（カ）ヤマダシヨウテン", "カブシキガイシャ ヤマダショウテン", "ﾌﾘｺﾐ ﾔﾏﾀﾞｼｮｳﾃﾝ(ｶ"},
		{"ﾕ)ｻﾄｳｼｮｸﾋﾝ", "サトウショクヒン", "ユウゲンガイシャサトウショクヒン"},
	}
	for _, group := range same {
		for _, s := range group[1:] {
			if PayerKey(s) != PayerKey(group[0]) {
				t.Errorf("%q → %q, %q → %q", s, PayerKey(s), group[0], PayerKey(group[0]))
			}
		}
	}
	if PayerKey("ﾔﾏﾀﾞｼﾖｳﾃﾝ") == PayerKey("ﾔﾏﾀﾞｼﾖｳｼﾞ") {
		t.Error("different names match")
	}
}

func TestTerms(t *testing.T) {
	d := func(y, m, day int) calendar.Date { return calendar.NewDate(y, gotime.Month(m), day) }
	cases := []struct {
		t             Terms
		closing       calendar.Date
		from, due, ja string
	}{
		{Terms{PayMonths: 1}, d(2026, 1, 31), "2026-01-01", "2026-02-28", "月末締め翌月末払い"},
		{Terms{PayMonths: 1}, d(2026, 12, 31), "2026-12-01", "2027-01-31", "月末締め翌月末払い"},
		{Terms{ClosingDay: 20, PayMonths: 1, PayDay: 10}, d(2026, 3, 20), "2026-02-21", "2026-04-10", "20日締め翌月10日払い"},
		{Terms{PayMonths: 2}, d(2026, 11, 30), "2026-11-01", "2027-01-31", "月末締め翌々月末払い"},
	}
	for _, c := range cases {
		if !c.t.Closes(c.closing) || c.t.PeriodFrom(c.closing).String() != c.from || c.t.Due(c.closing).String() != c.due || c.t.Text(i18n.Japanese) != c.ja {
			t.Errorf("%+v on %s: closes %v from %s due %s %s", c.t, c.closing, c.t.Closes(c.closing), c.t.PeriodFrom(c.closing), c.t.Due(c.closing), c.t.Text(i18n.Japanese))
		}
	}
	if (Terms{}).Closes(d(2026, 1, 30)) || (Terms{ClosingDay: 20}).Closes(d(2026, 1, 31)) {
		t.Error("closes on the wrong day")
	}
	tm := Terms{Approval: ApproveOver, ApprovalOver: 5000}
	if tm.NeedsApproval(RoleBuyer, 5000) || !tm.NeedsApproval(RoleBuyer, 5001) || tm.NeedsApproval(RoleApprover, 99999) {
		t.Error("over 5000")
	}
	if !(Terms{Approval: ApproveAll}).NeedsApproval(RoleBuyer, 1) || (Terms{Approval: ApproveNone}).NeedsApproval(RoleBuyer, 1e9) {
		t.Error("all / none")
	}
	if f := (Terms{Approval: "x", OnAccount: true, ClosingDay: 31, PayMonths: 4, GraceDays: 100}).Check(); len(f) != 5 {
		t.Errorf("check %v", f)
	}
}
