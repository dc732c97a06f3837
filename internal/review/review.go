// Package review is product reviews (商品レビュー): a customer who bought
// a product writes one review of it (stars, title, text, a nickname);
// the shop publishes or rejects it and may reply; the product page shows
// the average and the published reviews, each marked 購入者レビュー
// (verified purchase). Posting is limited per customer and per address
// (internal/throttle). The package owns its storefront form, the
// reviews section of the product page (through catalog.Handlers.Reviews)
// and its admin screens.
package review

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/shop"
)

// Status of a review.
const (
	Pending   = "pending"
	Published = "published"
	Rejected  = "rejected"
)

// Statuses in the order the admin's tabs show them.
var Statuses = []string{Pending, Published, Rejected}

// Limits of a review's fields, in characters. EC-CUBE's review plugin
// takes 3,000 characters of text; a title is a line.
const (
	MaxNickname = 20
	MaxTitle    = 50
	MaxBody     = 3000
	MaxReply    = 3000
)

// Review is one customer's review of one product.
type Review struct {
	ID          int64
	ProductID   int64
	ProductSlug string
	ProductName string
	CustomerID  int64
	OrderID     *int64 // the purchase; set = verified
	Nickname    string
	Stars       int
	Title, Body string
	Lang        string
	Status      string
	Address     string
	Reply       string
	RepliedAt   *time.Time
	ModeratedBy string
	ModeratedAt *time.Time
	CreatedAt   time.Time
}

// Verified reports whether the review comes with a purchase.
func (r *Review) Verified() bool { return r.OrderID != nil }

// Form is the review form as typed.
type Form struct {
	Nickname, Stars, Title, Body string
}

// Validate checks the form and returns the review's fields, or the
// field errors (field → message key) when any is wrong. The text is kept
// as typed: pages escape it when they show it, so markup in a review is
// shown as the characters it is, never run.
func (f Form) Validate() (nickname string, stars int, title, body string, errs map[string]string) {
	errs = map[string]string{}
	nickname, title, body = strings.TrimSpace(f.Nickname), strings.TrimSpace(f.Title), strings.TrimSpace(f.Body)
	check := func(field, v string, max int) {
		switch n := utf8.RuneCountInString(v); {
		case n == 0:
			errs[field] = "review.err." + field + "_required"
		case n > max:
			errs[field] = "review.err." + field + "_too_long"
		}
	}
	check("nickname", nickname, MaxNickname)
	check("title", title, MaxTitle)
	check("body", body, MaxBody)
	stars, err := strconv.Atoi(f.Stars)
	if err != nil || stars < 1 || stars > 5 {
		errs["stars"] = "review.err.stars"
	}
	return nickname, stars, title, body, errs
}

// invalid is the error of a form with field errors.
func invalid(errs map[string]string) error {
	return &shop.Error{Kind: shop.Invalid, Key: "error.invalid", Fields: errs}
}

var jst = time.FixedZone("JST", 9*3600)

// Day is the date the review was written, as the pages show it.
func (r Review) Day(l i18n.Lang) string { return day(l, r) }

func day(l i18n.Lang, r Review) string {
	if l == i18n.English {
		return r.CreatedAt.In(jst).Format("Jan 2, 2006")
	}
	return r.CreatedAt.In(jst).Format("2006年1月2日")
}
