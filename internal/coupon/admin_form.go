package coupon

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// ReadForm reads and checks the coupon form (bulk: the generation form,
// with a prefix and a count in place of the code). It returns the coupon,
// the form as typed, the chosen categories and field → message key for
// every field that is wrong.
func ReadForm(ctx context.Context, q db.Queryer, r *http.Request, bulk bool) (*Coupon, map[string]string, map[int64]bool, map[string]string) {
	_ = r.ParseForm()
	f := map[string]string{}
	for _, k := range []string{"code", "prefix", "count", "name", "kind", "amount", "scope", "products", "min_amount", "starts", "ends", "max_uses", "per_customer", "rank", "members_only", "no_points"} {
		f[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	errs := map[string]string{}
	c := &Coupon{Name: f["name"], Kind: f["kind"], Scope: f["scope"], Active: true,
		MembersOnly: f["members_only"] == "1", NoPoints: f["no_points"] == "1"}
	if bulk {
		f["prefix"] = NormalizeCode(f["prefix"])
		if n, err := strconv.Atoi(f["count"]); err != nil || n < 1 || n > MaxBatch {
			errs["count"] = "coupon.bad_count"
		}
		if f["prefix"] != "" && !ValidCode(f["prefix"]+"XXX") || len(f["prefix"]) > 12 {
			errs["prefix"] = "coupon.bad_prefix"
		}
		c.Batch = f["prefix"] + time.Now().In(jst).Format("20060102-150405")
	} else {
		c.Code = NormalizeCode(f["code"])
		f["code"] = c.Code
		if !ValidCode(c.Code) {
			errs["code"] = "coupon.bad_code"
		}
	}
	if utf8.RuneCountInString(c.Name) > 100 {
		errs["name"] = "coupon.too_long"
	}
	if c.Kind != Fixed && c.Kind != Percent {
		errs["kind"] = "coupon.bad_kind"
	}
	amount, err := strconv.ParseInt(f["amount"], 10, 64)
	switch {
	case err != nil || amount < 1 || amount > 10_000_000:
		errs["amount"] = "coupon.bad_amount"
	case c.Kind == Percent && amount > 100:
		errs["amount"] = "coupon.bad_percent"
	}
	c.Amount = amount
	if c.Scope != ScopeOrder && c.Scope != ScopeItems {
		errs["scope"] = "coupon.bad_scope"
	}
	cats := map[int64]bool{}
	for _, v := range r.PostForm["categories"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			cats[id] = true
			c.Categories = append(c.Categories, id)
		}
	}
	for _, slug := range strings.FieldsFunc(f["products"], func(r rune) bool { return r == ',' || r == '、' || r == ' ' || r == '\n' }) {
		var id int64
		if err := q.QueryRow(ctx, `SELECT id FROM products WHERE slug = ?`, slug).Scan(&id); err != nil {
			errs["products"] = "coupon.bad_product"
			break
		}
		c.Products = append(c.Products, id)
	}
	if c.Scope == ScopeItems && len(c.Products)+len(c.Categories) == 0 && errs["products"] == "" {
		errs["products"] = "coupon.no_targets"
	}
	if c.Scope == ScopeOrder {
		c.Products, c.Categories = nil, nil
	}
	if f["min_amount"] != "" {
		n, err := strconv.ParseInt(f["min_amount"], 10, 64)
		if err != nil || n < 0 || n > 10_000_000_000 {
			errs["min_amount"] = "coupon.bad_amount"
		}
		c.MinAmount = shop.Yen(n)
	}
	c.StartsAt = readTime(f["starts"], "starts", errs)
	c.EndsAt = readTime(f["ends"], "ends", errs)
	if c.StartsAt != nil && c.EndsAt != nil && !c.EndsAt.After(*c.StartsAt) {
		errs["ends"] = "coupon.bad_period"
	}
	c.MaxUses = readCount(f["max_uses"], "max_uses", errs)
	c.PerCustomer = readCount(f["per_customer"], "per_customer", errs)
	if f["rank"] != "" {
		id, err := strconv.ParseInt(f["rank"], 10, 64)
		var n int
		if err == nil {
			err = q.QueryRow(ctx, `SELECT COUNT(*) FROM customer_ranks WHERE id = ?`, id).Scan(&n)
		}
		if err != nil || n != 1 {
			errs["rank"] = "coupon.bad_rank"
		}
		c.RankID = &id
	}
	return c, f, cats, errs
}

// readTime parses a datetime-local value typed in Japan time.
func readTime(s, field string, errs map[string]string) *time.Time {
	if s == "" {
		return nil
	}
	t, err := time.ParseInLocation("2006-01-02T15:04", s, jst)
	if err != nil {
		errs[field] = "coupon.bad_time"
		return nil
	}
	t = t.UTC()
	return &t
}

// readCount parses an optional limit: empty for none, else 1 or more.
func readCount(s, field string, errs map[string]string) *int64 {
	if s == "" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 || n > 100_000_000 {
		errs[field] = "coupon.bad_count"
		return nil
	}
	return &n
}

// Label is the coupon's value as the admin's list shows it: "¥500" or
// "10%".
func (c Coupon) Label() string {
	if c.Kind == Percent {
		return strconv.FormatInt(c.Amount, 10) + "%"
	}
	return "¥" + shop.Yen(c.Amount).String()
}

// InJST formats t in Japan time for the admin ("" for nil).
func InJST(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(jst).Format("2006-01-02 15:04")
}

// InputJST formats t for a datetime-local input.
func InputJST(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(jst).Format("2006-01-02T15:04")
}

// Period is the coupon's period in Japan time for the admin ("" for
// none): "2026-12-01 00:00 – 2026-12-31 23:59".
func (c Coupon) Period() string {
	if c.StartsAt == nil && c.EndsAt == nil {
		return ""
	}
	return InJST(c.StartsAt) + " – " + InJST(c.EndsAt)
}

// UsesLabel is "12 / 100" (or "12 / ∞").
func (c Coupon) UsesLabel() string {
	m := "∞"
	if c.MaxUses != nil {
		m = strconv.FormatInt(*c.MaxUses, 10)
	}
	return strconv.FormatInt(c.Uses, 10) + " / " + m
}
