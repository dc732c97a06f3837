package system

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Login is one sign-in attempt of an admin, read from the audit log.
type Login struct {
	ID      int64
	At      time.Time
	Admin   string // the account's address, or what was typed for an unknown one
	Address string // client IP
	Factor  string // password, totp, passkey, recovery; "" when unknown
	OK      bool
	Action  string // the audit action, for the detail column
	Reason  string // failure reason when the entry names one
}

// Sign-in outcomes in the audit log. signin.password_ok (the first of two
// steps) and client-side passkey errors are not attempts of their own.
var (
	successActions = []string{"signin.success", "signin.restricted"}
	failureActions = []string{"signin.failure", "signin.passkey.failure", "signin.throttled", "signin.factor_refused"}
)

// LoginFilter selects login history rows; zero fields do not filter.
// To is exclusive.
type LoginFilter struct {
	Admin   string // substring of the account
	Result  string // "", "success" or "failure"
	Address string // prefix of the IP address
	From    time.Time
	To      time.Time
	Limit   int
	Offset  int
}

// ParseLoginFilter reads the form; dates are JST calendar days
// (YYYY-MM-DD), To inclusive. A bad value is a shop.Invalid with fields.
func ParseLoginFilter(admin, result, address, from, to string) (LoginFilter, error) {
	f := LoginFilter{Admin: strings.TrimSpace(admin), Address: strings.TrimSpace(address)}
	fields := map[string]string{}
	switch result {
	case "", "success", "failure":
		f.Result = result
	default:
		fields["result"] = "system.error.result"
	}
	day := func(s, field string) time.Time {
		if s = strings.TrimSpace(s); s == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation("2006-01-02", s, jst)
		if err != nil {
			fields[field] = "system.error.date"
		}
		return t
	}
	f.From = day(from, "from")
	if t := day(to, "to"); !t.IsZero() {
		f.To = t.AddDate(0, 0, 1)
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
		fields["to"] = "system.error.range"
	}
	if len(f.Admin) > 200 || len(f.Address) > 64 {
		fields["admin"] = "system.error.long"
	}
	if len(fields) > 0 {
		return f, &shop.Error{Kind: shop.Invalid, Key: "system.error.filter", Fields: fields}
	}
	return f, nil
}

var jst = time.FixedZone("JST", 9*60*60)

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// Logins returns the matching sign-in attempts, newest first, and how
// many match in all.
func Logins(ctx context.Context, q db.Queryer, f LoginFilter) ([]Login, int, error) {
	actions := append(append([]string(nil), successActions...), failureActions...)
	switch f.Result {
	case "success":
		actions = successActions
	case "failure":
		actions = failureActions
	}
	where := `WHERE action IN (` + placeholders(len(actions)) + `)`
	args := []any{}
	for _, a := range actions {
		args = append(args, a)
	}
	if f.Admin != "" {
		where += ` AND (LOWER(actor) LIKE ? ESCAPE '\' OR LOWER(target) LIKE ? ESCAPE '\')`
		p := "%" + db.LikeEscape(strings.ToLower(f.Admin)) + "%"
		args = append(args, p, p)
	}
	if f.Address != "" {
		where += ` AND address LIKE ? ESCAPE '\'`
		args = append(args, db.LikeEscape(f.Address)+"%")
	}
	if !f.From.IsZero() {
		where += ` AND at_us >= ?`
		args = append(args, f.From.UnixMicro())
	}
	if !f.To.IsZero() {
		where += ` AND at_us < ?`
		args = append(args, f.To.UnixMicro())
	}
	if f.Limit <= 0 || f.Limit > 10000 {
		f.Limit = 100
	}
	// Counting apart from the page lets the page stop after Limit rows
	// (COUNT(*) OVER() would read every match); see docs/PERFORMANCE.md.
	total := 0
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	args = append(args, f.Limit, f.Offset)
	rows, err := q.Query(ctx, `SELECT id, at_us, actor, target, action, address, details
		FROM audit_log `+where+` ORDER BY id DESC LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []Login
	for rows.Next() {
		var l Login
		var atUS int64
		var actor, target sql.NullString
		var details string
		if err := rows.Scan(&l.ID, &atUS, &actor, &target, &l.Action, &l.Address, &details); err != nil {
			return nil, 0, err
		}
		l.At = time.UnixMicro(atUS).In(jst)
		l.Admin = actor.String
		if l.Admin == "" {
			l.Admin = target.String
		}
		var d map[string]any
		json.Unmarshal([]byte(details), &d)
		l.OK = l.Action == "signin.success" || l.Action == "signin.restricted"
		l.Factor = factorOf(l.Action, d)
		if s, ok := d["reason"].(string); ok {
			l.Reason = s
		}
		out = append(out, l)
	}
	return out, total, rows.Err()
}

// factorOf names the factor of an entry: the details' "factor", the
// failed "step" of older entries, or what the action implies.
func factorOf(action string, d map[string]any) string {
	for _, k := range []string{"factor", "step"} {
		if s, ok := d[k].(string); ok && s != "" {
			return s
		}
	}
	if strings.HasPrefix(action, "signin.passkey.") {
		return "passkey"
	}
	return ""
}

// KnownFactor reports whether the factor has a label of its own.
func (l Login) KnownFactor() bool {
	switch l.Factor {
	case "password", "totp", "passkey", "recovery", "sudo":
		return true
	}
	return false
}
