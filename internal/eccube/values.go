package eccube

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The scanners below read EC-CUBE's columns the same way from both
// drivers: the MySQL driver hands back bytes for text, decimals and
// dates, pgx hands back strings, numbers and time.Time.

// text is a nullable text column. Bad is set when the stored bytes were
// not valid UTF-8 (old shops moved between encodings): the value then
// holds them with U+FFFD in place of each bad sequence.
type text struct {
	S   string
	Bad bool
}

func (t *text) Scan(v any) error {
	t.S, t.Bad = "", false
	switch x := v.(type) {
	case nil:
	case []byte:
		t.S = string(x)
	case string:
		t.S = x
	default:
		t.S = fmt.Sprint(x)
	}
	if !utf8.ValidString(t.S) {
		t.S, t.Bad = strings.ToValidUTF8(t.S, "\uFFFD"), true
	}
	t.S = strings.TrimSpace(strings.ReplaceAll(t.S, "\x00", ""))
	return nil
}

// num is a nullable number (integer or EC-CUBE's decimal(12,2) money).
type num struct {
	V     float64
	Valid bool
}

func (n *num) Scan(v any) error {
	n.V, n.Valid = 0, v != nil
	switch x := v.(type) {
	case nil:
	case int64:
		n.V = float64(x)
	case float64:
		n.V = x
	case bool:
		if x {
			n.V = 1
		}
	case []byte:
		return n.parse(string(x))
	case string:
		return n.parse(x)
	default:
		return n.parse(fmt.Sprint(x))
	}
	return nil
}

func (n *num) parse(s string) error {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return fmt.Errorf("not a number: %q", s)
	}
	n.V = f
	return nil
}

// Int is the value rounded to an integer (yen have no fractions in
// EC-CUBE's Japanese shops; its decimals carry ".00").
func (n num) Int() int64 { return int64(math.Round(n.V)) }

// id is a nullable foreign key.
type id struct {
	V     int64
	Valid bool
}

func (i *id) Scan(v any) error {
	var n num
	if err := n.Scan(v); err != nil {
		return err
	}
	i.V, i.Valid = n.Int(), n.Valid
	return nil
}

// flag is a boolean column (TINYINT(1) on MySQL, BOOLEAN on PostgreSQL).
type flag bool

func (f *flag) Scan(v any) error {
	var n num
	if s, ok := v.(string); ok && (s == "t" || s == "f" || s == "true" || s == "false") {
		*f = flag(s == "t" || s == "true")
		return nil
	}
	if err := n.Scan(v); err != nil {
		return err
	}
	*f = flag(n.V != 0)
	return nil
}

// stamp is a nullable date-time. EC-CUBE 4 stores its datetimetz columns
// in UTC (UTCDateTimeTzType) as DATETIME on MySQL and as TIMESTAMP WITH
// TIME ZONE on PostgreSQL.
type stamp struct {
	T     time.Time
	Valid bool
}

var layouts = []string{"2006-01-02 15:04:05", "2006-01-02 15:04:05.999999", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05.999999Z07:00", "2006-01-02 15:04:05Z07", time.RFC3339Nano, "2006-01-02"}

func (t *stamp) Scan(v any) error {
	t.T, t.Valid = time.Time{}, false
	var s string
	switch x := v.(type) {
	case nil:
		return nil
	case time.Time:
		t.T, t.Valid = x.UTC(), true
		return nil
	case []byte:
		s = string(x)
	case string:
		s = x
	default:
		return fmt.Errorf("not a time: %T", v)
	}
	if s == "" || strings.HasPrefix(s, "0000-00-00") {
		return nil
	}
	for _, l := range layouts {
		if tt, err := time.Parse(l, s); err == nil {
			t.T, t.Valid = tt.UTC(), true
			return nil
		}
	}
	return fmt.Errorf("not a time: %q", s)
}

// jst is Japan's time zone, fixed (no daylight saving since 1951), so the
// import does not depend on the machine's zoneinfo.
var jst = time.FixedZone("JST", 9*3600)

// date is t's calendar day in Japan as YYYY-MM-DD ("" when not set): a
// birthday entered as 1980-05-01 is stored by EC-CUBE as 1980-04-30
// 15:00 UTC.
func (t stamp) date() string {
	if !t.Valid {
		return ""
	}
	return t.T.In(jst).Format("2006-01-02")
}

// or returns t, or def when t is not set.
func (t stamp) or(def time.Time) time.Time {
	if t.Valid {
		return t.T
	}
	return def
}

// digits keeps only the ASCII digits of s (full-width ones too, which
// EC-CUBE 4 accepts in phone numbers typed by the shop in the admin).
func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteRune('0' + r - '０')
		}
	}
	return b.String()
}
