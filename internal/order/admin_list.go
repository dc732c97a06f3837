package order

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/jp"
)

// jst is the shop's day: list dates and relative delivery dates.
var jst = time.FixedZone("JST", 9*3600)

// ListStatuses lists the statuses in the order the list offers them.
var ListStatuses = []Status{New, AwaitingPayment, Paid, Preparing, Shipped, Cancelled, Returned}

// listPayments are the payment codes the filter offers.
var listPayments = []string{Card, BankTransfer, COD}

// FilterKeys are the list's search fields, kept in pager, sort and export
// links and in saved filters.
var FilterKeys = []string{"number", "name", "kana", "email", "phone", "from", "to", "status", "payment", "delivery"}

// ParseFilter reads the order list's search form (also the CSV export's
// and a saved filter's query). Dates are days in JST, both ends
// included; delivery is a date or "today"/"tomorrow", resolved against
// now; ids (comma-separated, at most MaxBulkIDs) limits to those orders.
func ParseFilter(q url.Values, now time.Time) Filter {
	f := Filter{
		Number: strings.TrimSpace(q.Get("number")), Name: strings.TrimSpace(q.Get("name")),
		Kana: strings.TrimSpace(q.Get("kana")), Email: strings.TrimSpace(q.Get("email")),
		Status: Status(q.Get("status")), Payment: q.Get("payment"), Sort: q.Get("sort"),
	}
	if k := f.Kana; k != "" {
		if kk, err := jp.Kana(strings.ReplaceAll(k, " ", "")); err == nil {
			f.Kana = kk
		}
	}
	if p := strings.TrimSpace(q.Get("phone")); p != "" {
		f.Phone = strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			if r >= '０' && r <= '９' {
				return '0' + (r - '０')
			}
			return -1
		}, p)
	}
	if !f.Status.Valid() {
		f.Status = ""
	}
	if f.Payment != Card && f.Payment != BankTransfer && f.Payment != COD {
		f.Payment = ""
	}
	if t, err := time.ParseInLocation("2006-01-02", q.Get("from"), jst); err == nil {
		f.From = t
	}
	if t, err := time.ParseInLocation("2006-01-02", q.Get("to"), jst); err == nil {
		f.To = t.AddDate(0, 0, 1)
	}
	today := now.In(jst)
	switch d := q.Get("delivery"); d {
	case "today":
		f.Delivery = today.Format("2006-01-02")
	case "tomorrow":
		f.Delivery = today.AddDate(0, 0, 1).Format("2006-01-02")
	default:
		if _, err := time.Parse("2006-01-02", d); err == nil {
			f.Delivery = d
		}
	}
	if ids := q.Get("ids"); ids != "" {
		for _, s := range strings.Split(ids, ",") {
			if id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil && id > 0 && len(f.IDs) < MaxBulkIDs {
				f.IDs = append(f.IDs, id)
			}
		}
		if len(f.IDs) == 0 {
			f.IDs = []int64{0} // ids given but none valid: select nothing
		}
	}
	return f
}

// FilterQuery keeps the search fields of q (no page, sort or ids).
func FilterQuery(q url.Values) url.Values {
	keep := url.Values{}
	for _, k := range FilterKeys {
		if v := strings.TrimSpace(q.Get(k)); v != "" {
			keep.Set(k, v)
		}
	}
	return keep
}

type sortLink struct {
	Key, URL string
	Dir      string // "asc", "desc" or "" when the list is not sorted by this column
}

type listPage struct {
	Form       url.Values
	Query      string // the search as a query string, for bulk "all matching" and saving
	Orders     []Summary
	Total      int
	Page       int
	Pages      int
	Prev, Next string
	CheckPage  string // this page with every row ticked
	CSV, SJIS  string
	Columns    []sortLink // the table's columns in order, each a sort link
	Statuses   []Status
	Payments   []string
	Saved      []SavedFilter
	Bulks      []BulkJob
	MaxIDs     int
	Error      string            // a refused form's message
	Fields     map[string]string // its field messages (i18n keys)
	Loc        *time.Location
}

const perPage = 50

// list shows the orders matching the search, 50 a page, sorted by the
// column chosen (newest first by default), with the saved filters and the
// bulk action form. GET /{admin}/orders
func (p *AdminPages) list(w http.ResponseWriter, r *http.Request) error {
	return p.renderList(w, r, r.URL.Query(), http.StatusOK, "", nil)
}

// renderList renders the list for the search q, with a refused form's
// message and field messages when there are any.
func (p *AdminPages) renderList(w http.ResponseWriter, r *http.Request, q url.Values, status int, msg string, fields map[string]string) error {
	ctx := r.Context()
	f := ParseFilter(q, p.DB.Now())
	f.IDs = nil
	pg := &listPage{Form: q, Error: msg, Fields: fields, Statuses: ListStatuses, Payments: listPayments, Loc: jst, MaxIDs: MaxBulkIDs}
	pg.Page, _ = strconv.Atoi(q.Get("page"))
	pg.Page = max(pg.Page, 1)
	f.Limit, f.Offset = perPage, (pg.Page-1)*perPage
	var err error
	if pg.Orders, pg.Total, err = Search(ctx, p.DB, f); err != nil {
		return err
	}
	if pg.Saved, err = SavedFilters(ctx, p.DB); err != nil {
		return err
	}
	if pg.Bulks, err = RecentBulks(ctx, p.DB, 5); err != nil {
		return err
	}
	pg.Pages = max((pg.Total+perPage-1)/perPage, 1)
	keep := FilterQuery(q)
	pg.Query = keep.Encode()
	link := func(page int, sort string) string {
		v := FilterQuery(q)
		if sort != "" {
			v.Set("sort", sort)
		}
		if page > 1 {
			v.Set("page", strconv.Itoa(page))
		}
		return "?" + v.Encode()
	}
	pg.CheckPage = link(pg.Page, f.Sort) + "&check=page"
	if pg.Page > 1 {
		pg.Prev = link(pg.Page-1, f.Sort)
	}
	if pg.Page < pg.Pages {
		pg.Next = link(pg.Page+1, f.Sort)
	}
	for _, key := range []string{"number", "date", "buyer", "payment", "total", "status", "delivery"} {
		s := sortLink{Key: key, URL: link(1, key)}
		switch f.Sort {
		case key:
			s.Dir, s.URL = "asc", link(1, "-"+key)
		case "-" + key:
			s.Dir = "desc"
		}
		if key == "date" && f.Sort == "" {
			s.Dir = "desc"
		}
		pg.Columns = append(pg.Columns, s)
	}
	keep.Set("encoding", "utf8")
	pg.CSV = p.Shell.Base() + "/orders.csv?" + keep.Encode()
	keep.Set("encoding", "sjis")
	pg.SJIS = p.Shell.Base() + "/orders.csv?" + keep.Encode()
	return p.Shell.Page(w, r, status, "admin_orders", "admin.orders.title", pg)
}
