package b2b

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/csvfile"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/shop"
)

// MaxBankRows bounds the credits of one bank file.
const MaxBankRows = 20000

// Credit is one incoming transfer of a bank file.
type Credit struct {
	Date   calendar.Date
	Amount shop.Yen
	Payer  string // as the bank wrote it (often half-width kana)
}

// ParseBank reads a bank file in either of the formats Japanese banks
// export: the 全銀協 fixed-length 振込入金通知 / 入出金取引明細 (200-character
// records: 1 header, 2 data, 8 trailer, 9 end; 勘定日 in 和暦 YYMMDD of
// Reiwa) or an internet-banking CSV with a header row naming the date,
// the deposit amount and the payer or description (振込依頼人名, 摘要,
// お取引内容). The encoding (Shift_JIS, UTF-8, …) is detected by
// internal/csvfile. Withdrawals, zero amounts and cancelled records are
// skipped. Errors: Invalid "b2b.bank.unknown_format" when neither format
// fits; Invalid "b2b.bank.bad_row" (with the line number) for a row
// whose date or amount cannot be read; Invalid "b2b.bank.too_many".
func ParseBank(r io.Reader) ([]Credit, error) {
	rd, err := csvfile.NewReader(r)
	if err != nil {
		return nil, err
	}
	rd.LazyQuotes = true
	recs, err := rd.ReadAll()
	if err != nil {
		var ee *csvfile.EncodingError
		if errors.As(err, &ee) {
			return nil, shop.Errorf(shop.Invalid, "b2b.bank.encoding")
		}
		return nil, shop.Errorf(shop.Invalid, "b2b.bank.unknown_format")
	}
	if zengin(recs) {
		return parseZengin(recs)
	}
	return parseBankCSV(recs)
}

// zengin reports fixed-length records: one field per line, starting with
// a record type, the data records 200 characters long.
func zengin(recs [][]string) bool {
	if len(recs) == 0 || len(recs[0]) != 1 || !strings.HasPrefix(recs[0][0], "1") {
		return false
	}
	n := utf8.RuneCountInString(recs[0][0])
	return n == 200 || n%200 == 0
}

func parseZengin(recs [][]string) ([]Credit, error) {
	var records [][]rune
	for _, rec := range recs {
		if len(rec) != 1 {
			return nil, shop.Errorf(shop.Invalid, "b2b.bank.unknown_format")
		}
		rs := []rune(rec[0])
		for len(rs) >= 200 { // a file without line breaks holds them end to end
			records = append(records, rs[:200])
			rs = rs[200:]
		}
	}
	var out []Credit
	for i, r := range records {
		if r[0] != '2' {
			continue
		}
		field := func(from, n int) string { return strings.TrimSpace(string(r[from : from+n])) }
		if field(127, 1) == "1" { // 取消区分
			continue
		}
		d, err := warekiDate(field(7, 6))
		amt, err2 := strconv.ParseInt(field(19, 10), 10, 64)
		if err != nil || err2 != nil {
			return nil, &shop.Error{Kind: shop.Invalid, Key: "b2b.bank.bad_row", Args: []any{i + 1}}
		}
		if amt <= 0 {
			continue
		}
		out = append(out, Credit{Date: d, Amount: shop.Yen(amt), Payer: field(49, 48)})
		if len(out) > MaxBankRows {
			return nil, shop.Errorf(shop.Invalid, "b2b.bank.too_many")
		}
	}
	return out, nil
}

// warekiDate reads the 全銀 YYMMDD date in the Reiwa era (令和元年 = 2019).
func warekiDate(s string) (calendar.Date, error) {
	if len(s) != 6 {
		return calendar.Date{}, fmt.Errorf("b2b: date %q", s)
	}
	y, err := strconv.Atoi(s[:2])
	if err != nil {
		return calendar.Date{}, err
	}
	return calendar.ParseDate(fmt.Sprintf("%04d-%s-%s", 2018+y, s[2:4], s[4:6]))
}

// Column names banks use, most specific first.
var (
	dateCols   = []string{"勘定日", "取引日", "お取引日", "日付", "年月日", "date"}
	amountCols = []string{"入金金額", "入金額", "お預入金額", "お預り金額", "預入金額", "入金", "お預入", "預入", "amount", "金額"}
	payerCols  = []string{"振込依頼人名", "振込依頼人", "依頼人名", "お取引内容", "取引内容", "摘要", "内容", "備考", "payer", "description"}
)

func findCol(head []string, names []string) int {
	for _, n := range names {
		for i, h := range head {
			if strings.Contains(strings.ToLower(strings.TrimSpace(h)), n) && !strings.Contains(h, "出金") && !strings.Contains(h, "引出") {
				return i
			}
		}
	}
	return -1
}

func parseBankCSV(recs [][]string) ([]Credit, error) {
	// The header is the first row naming a date and an amount (some
	// banks put the account and period above it).
	hi, dc, ac, pc := -1, -1, -1, -1
	for i := 0; i < len(recs) && i < 10; i++ {
		dc, ac, pc = findCol(recs[i], dateCols), findCol(recs[i], amountCols), findCol(recs[i], payerCols)
		if dc >= 0 && ac >= 0 && pc >= 0 {
			hi = i
			break
		}
	}
	if hi < 0 {
		return nil, shop.Errorf(shop.Invalid, "b2b.bank.unknown_format")
	}
	var out []Credit
	for i := hi + 1; i < len(recs); i++ {
		rec := recs[i]
		if len(rec) <= max(dc, ac, pc) || strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue
		}
		amt := strings.NewReplacer(",", "", "¥", "", "￥", "", "円", "", " ", "", "\"", "").Replace(rec[ac])
		if amt == "" || amt == "0" {
			continue // a withdrawal row
		}
		n, err := strconv.ParseInt(amt, 10, 64)
		d, derr := bankDate(rec[dc])
		if err != nil || derr != nil {
			return nil, &shop.Error{Kind: shop.Invalid, Key: "b2b.bank.bad_row", Args: []any{i + 1}}
		}
		if n <= 0 {
			continue
		}
		out = append(out, Credit{Date: d, Amount: shop.Yen(n), Payer: strings.TrimSpace(rec[pc])})
		if len(out) > MaxBankRows {
			return nil, shop.Errorf(shop.Invalid, "b2b.bank.too_many")
		}
	}
	return out, nil
}

// bankDate reads 2026/12/02, 2026-12-02, 2026年12月2日 or 20261202.
func bankDate(s string) (calendar.Date, error) {
	s = strings.TrimSpace(s)
	if len(s) == 8 && strings.Trim(s, "0123456789") == "" {
		s = s[:4] + "-" + s[4:6] + "-" + s[6:]
	}
	s = strings.NewReplacer("/", "-", ".", "-", "年", "-", "月", "-", "日", "").Replace(s)
	parts := strings.Split(s, "-")
	if len(parts) != 3 {
		return calendar.Date{}, fmt.Errorf("b2b: date %q", s)
	}
	y, e1 := strconv.Atoi(parts[0])
	m, e2 := strconv.Atoi(parts[1])
	d, e3 := strconv.Atoi(parts[2])
	if e1 != nil || e2 != nil || e3 != nil {
		return calendar.Date{}, fmt.Errorf("b2b: date %q", s)
	}
	return calendar.ParseDate(fmt.Sprintf("%04d-%02d-%02d", y, m, d))
}

// legalForms are the abbreviations banks put around a company's name
// (カ) for 株式会社, ユ) for 有限会社, …) and the words in full.
var legalForms = []string{"カブシキガイシャ", "カブシキカイシャ", "ユウゲンガイシャ", "ユウゲンカイシャ", "ゴウドウガイシャ", "ゴウドウカイシャ",
	"(カ)", "(ユ)", "(ド)", "(シヤ)", "(ザイ)", "カ)", "(カ", "ユ)", "(ユ", "ド)", "(ド", "シヤ)", "(シヤ", "ザイ)", "(ザイ"}

var smallKana = strings.NewReplacer("ァ", "ア", "ィ", "イ", "ゥ", "ウ", "ェ", "エ", "ォ", "オ", "ッ", "ツ", "ャ", "ヤ", "ュ", "ユ", "ョ", "ヨ", "ヮ", "ワ", "ヵ", "カ", "ヶ", "ケ")

// PayerKey is the form a payer's name is matched in: half-width kana
// widened, hiragana as katakana, small kana as large (banks have none),
// the legal form (カ) and every space, dot and long-vowel mark dropped,
// and the 振込 prefix some statements put before it.
func PayerKey(s string) string {
	s = jp.Fold(s)
	s = strings.ReplaceAll(strings.ReplaceAll(s, "（", "("), "）", ")")
	s = smallKana.Replace(strings.ToUpper(s))
	for _, p := range []string{"振込入金", "振込", "フリコミ"} {
		s = strings.TrimPrefix(strings.TrimSpace(s), p)
	}
	for _, f := range legalForms {
		s = strings.ReplaceAll(s, smallKana.Replace(f), "")
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '.', '・', 'ー', '-', ',', '、', '(', ')':
			return -1
		}
		return r
	}, s)
}
