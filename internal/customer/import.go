package customer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/csvfile"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/shop"
)

// Limits of a customer CSV import.
const (
	MaxImportRows  = 10000
	MaxImportBytes = 8 << 20
	// ImportBatch is how many customers one transaction writes.
	ImportBatch = 500
)

// importColumns maps the headers a customer CSV may use — the export's
// own (so an export edited in a spreadsheet comes back), EC-CUBE's
// labels and English names — to the field they fill. Columns not listed
// (id, status, 登録日, …) are ignored.
var importColumns = map[string]string{
	"email": "email", "メールアドレス": "email", "e-mail": "email",
	"姓": "family_name", "お名前(姓)": "family_name", "family_name": "family_name",
	"名": "given_name", "お名前(名)": "given_name", "given_name": "given_name",
	"セイ": "family_kana", "お名前(セイ)": "family_kana", "family_kana": "family_kana",
	"メイ": "given_kana", "お名前(メイ)": "given_kana", "given_kana": "given_kana",
	"会社名": "company", "company": "company",
	"電話番号": "phone", "phone": "phone",
	"郵便番号": "postal_code", "postal_code": "postal_code",
	"都道府県": "pref", "pref": "pref",
	"市区町村": "city", "市区町村名": "city", "city": "city",
	"番地": "address1", "番地・ビル名": "address1", "住所1": "address1", "address1": "address1",
	"建物名": "address2", "住所2": "address2", "address2": "address2",
	"生年月日": "birthday", "誕生日": "birthday", "birthday": "birthday",
	"性別": "gender", "gender": "gender",
	"メルマガ": "newsletter", "メールマガジン": "newsletter", "newsletter": "newsletter",
	"会員ランク": "rank", "rank": "rank",
	"言語": "lang", "lang": "lang",
}

// passwordColumns are refused outright: passwords are never imported.
var passwordColumns = []string{"password", "パスワード", "password_hash", "パスワードハッシュ"}

// required are the fields a row must have a column for.
var required = []string{"email", "family_name", "given_name", "family_kana", "given_kana", "phone", "postal_code", "pref", "city", "address1"}

// ImportProblem is one thing wrong with an import: Line is the file's
// line (1 the header; 0 for the file as a whole), Field the field's name
// or "", Key and Args the message.
type ImportProblem struct {
	Line  int
	Field string
	Key   string
	Args  []any
}

// ImportRow is one row as the check read it.
type ImportRow struct {
	Line    int
	Account NewAccount
	Problem bool
}

// ImportCheck is the dry run's result: every row, and every problem.
// Nothing may be written unless Problems is empty.
type ImportCheck struct {
	Encoding string
	Rows     []ImportRow
	Problems []ImportProblem
}

// OK reports whether the file can be imported as it is.
func (c *ImportCheck) OK() bool { return len(c.Problems) == 0 && len(c.Rows) > 0 }

func (c *ImportCheck) problem(line int, field, key string, args ...any) {
	c.Problems = append(c.Problems, ImportProblem{Line: line, Field: field, Key: key, Args: args})
}

// RankLookup finds a rank ID by name (either language) or ID; ok is
// false when there is none.
type RankLookup func(nameOrID string) (int64, bool)

// CheckImport reads a customer CSV (encoding detected by csvfile: UTF-8
// with or without BOM, Shift_JIS, …) and checks every row as the admin's
// 会員登録 form would, plus: an address twice in the file, an address that
// already has an account, an unknown rank, a password column (refused:
// passwords are never imported). It writes nothing. Errors: only those
// of q.
func CheckImport(ctx context.Context, q db.Queryer, r io.Reader, ranks RankLookup) (*ImportCheck, error) {
	c := &ImportCheck{}
	rd, err := csvfile.NewReader(r)
	if err != nil {
		return nil, err
	}
	head, err := rd.Read()
	if err == io.EOF {
		c.problem(0, "", "customers13.import.empty")
		return c, nil
	}
	if err != nil {
		c.problem(1, "", readErrorKey(err))
		return c, nil
	}
	c.Encoding = rd.Encoding.Name()
	cols := map[string]int{}
	for i, h := range head {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		for _, p := range passwordColumns {
			if strings.EqualFold(h, p) {
				c.problem(1, "", "customers13.import.password_column")
			}
		}
		if f, ok := importColumns[strings.ToLower(h)]; ok {
			cols[f] = i
		}
	}
	for _, f := range required {
		if _, ok := cols[f]; !ok {
			c.problem(1, f, "customers13.import.missing_column")
		}
	}
	if len(c.Problems) > 0 {
		return c, nil
	}
	seen := map[string]int{} // email key → line
	now := q.Now()
	for line := 2; ; line++ {
		rec, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			c.problem(line, "", readErrorKey(err))
			return c, nil
		}
		if len(c.Rows) >= MaxImportRows {
			c.problem(0, "", "customers13.import.too_many", MaxImportRows)
			return c, nil
		}
		if blank(rec) {
			continue
		}
		row := c.checkRow(line, rec, cols, ranks, now, seen)
		c.Rows = append(c.Rows, row)
	}
	if len(c.Rows) == 0 {
		c.problem(0, "", "customers13.import.empty")
		return c, nil
	}
	// Addresses that already have an account, in chunks of 200.
	var keys []string
	lineOf := map[string]int{}
	for _, r := range c.Rows {
		if r.Account.Email != "" {
			k := EmailKey(r.Account.Email)
			keys = append(keys, k)
			lineOf[k] = r.Line
		}
	}
	for i := 0; i < len(keys); i += 200 {
		chunk := keys[i:min(i+200, len(keys))]
		args := make([]any, len(chunk))
		for j, k := range chunk {
			args[j] = k
		}
		rows, err := q.Query(ctx, `SELECT email_key FROM customers WHERE email_key IN (?`+strings.Repeat(", ?", len(chunk)-1)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return nil, err
			}
			c.problem(lineOf[k], "email", "customers13.import.exists")
			c.markProblem(lineOf[k])
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	sortProblems(c.Problems)
	return c, nil
}

func (c *ImportCheck) markProblem(line int) {
	for i := range c.Rows {
		if c.Rows[i].Line == line {
			c.Rows[i].Problem = true
		}
	}
}

func (c *ImportCheck) checkRow(line int, rec []string, cols map[string]int, ranks RankLookup, now time.Time, seen map[string]int) ImportRow {
	get := func(f string) string {
		i, ok := cols[f]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	before := len(c.Problems)
	pref := get("pref")
	if _, err := strconv.Atoi(pref); err != nil && pref != "" {
		if p, ok := jp.PrefectureByName(pref); ok {
			pref = strconv.Itoa(p.Code)
		}
	}
	f := ProfileForm{FamilyName: get("family_name"), GivenName: get("given_name"), FamilyKana: get("family_kana"), GivenKana: get("given_kana"),
		Company: get("company"), Phone: get("phone"), PostalCode: get("postal_code"), Pref: pref, City: get("city"),
		Address1: get("address1"), Address2: get("address2"), Birthday: get("birthday"), Gender: gender(get("gender"))}
	switch get("newsletter") {
	case "", "0", "いいえ", "no", "false":
	case "1", "はい", "yes", "true":
		f.Newsletter = true
	default:
		c.problem(line, "newsletter", "customers13.import.bad_flag")
	}
	errs := map[string]string{}
	a := NewAccount{Profile: f.Validate(now, errs), Lang: "ja"}
	for _, k := range []string{"family_name", "given_name", "family_kana", "given_kana", "company", "phone", "postal_code", "pref", "city", "address1", "address2", "birthday", "gender"} {
		if e, ok := errs[k]; ok {
			c.problem(line, k, e)
		}
	}
	email, err := jp.Email(get("email"))
	switch {
	case err != nil:
		c.problem(line, "email", "customer.bad_email")
	case seen[EmailKey(email)] != 0:
		c.problem(line, "email", "customers13.import.duplicate", seen[EmailKey(email)])
	default:
		seen[EmailKey(email)] = line
		a.Email = email
	}
	switch l := strings.ToLower(get("lang")); l {
	case "", "ja", "日本語":
	case "en", "english", "英語":
		a.Lang = "en"
	default:
		c.problem(line, "lang", "customers13.import.bad_lang")
	}
	if v := get("rank"); v != "" {
		if id, ok := ranks(v); ok {
			a.RankID = id
		} else {
			c.problem(line, "rank", "customers13.import.bad_rank", v)
		}
	}
	return ImportRow{Line: line, Account: a, Problem: len(c.Problems) > before}
}

// gender accepts the export's codes and the Japanese words.
func gender(s string) string {
	switch s {
	case "女性", "女", "2":
		return "female"
	case "男性", "男", "1":
		return "male"
	case "その他", "3":
		return "other"
	}
	return strings.ToLower(s)
}

func blank(rec []string) bool {
	for _, s := range rec {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

func readErrorKey(err error) string {
	var enc *csvfile.EncodingError
	var long *csvfile.RecordTooLongError
	switch {
	case errors.As(err, &enc):
		return "customers13.import.encoding"
	case errors.As(err, &long):
		return "customers13.import.too_long"
	}
	return "customers13.import.bad_csv"
}

func sortProblems(ps []ImportProblem) {
	// Insertion sort: the list is short and almost sorted (only the
	// "already registered" ones come at the end).
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].Line < ps[j-1].Line; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

// ImportResult says how far an import got: Created accounts in the
// batches that committed; Failed is the first line of the batch that
// did not (0 when all did) and Err why.
type ImportResult struct {
	Created int
	Failed  int
	Err     error
}

// Import writes a checked file's rows, ImportBatch per transaction, each
// batch with its audit entry (written by audit, given the batch's lines
// and IDs). A batch that fails (an address registered meanwhile) rolls
// back alone and stops the import: the batches before it stay, and the
// result says where it stopped. sendLinks mails each new customer a
// password-set link in the same transaction; without it, customers set
// a password through "forgot password". Passwords are never imported.
func (s *Store) Import(ctx context.Context, c *ImportCheck, sendLinks bool, audit func(tx *db.Tx, first, last int, ids []int64) error) ImportResult {
	var res ImportResult
	if !c.OK() {
		res.Err = shop.Errorf(shop.Invalid, "customers13.import.not_clean")
		return res
	}
	for i := 0; i < len(c.Rows); i += ImportBatch {
		batch := c.Rows[i:min(i+ImportBatch, len(c.Rows))]
		var ids []int64
		err := s.DB.Tx(ctx, func(tx *db.Tx) error {
			ids = ids[:0]
			for _, r := range batch {
				id, err := s.CreateByShop(ctx, tx, r.Account, sendLinks)
				if err != nil {
					return fmt.Errorf("line %d: %w", r.Line, err)
				}
				ids = append(ids, id)
			}
			return audit(tx, batch[0].Line, batch[len(batch)-1].Line, ids)
		})
		if err != nil {
			res.Failed, res.Err = batch[0].Line, err
			return res
		}
		res.Created += len(batch)
	}
	return res
}
