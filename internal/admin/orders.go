package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/order"
)

// ordersRoutes mounts the orders area: list, CSV export, detail, edits,
// status, shipments, notes, messages, delivery slip and invoice PDF.
func (h *Handlers) ordersRoutes(mux *http.ServeMux) {
	h.Mount(mux, "GET /orders", AreaOrders, Read, false, h.ordersList)
	h.Mount(mux, "GET /orders.csv", AreaOrders, Read, false, h.ordersCSV)
	h.Mount(mux, "GET /orders/{number}", AreaOrders, Read, false, h.orderDetail)
	h.Mount(mux, "POST /orders/{number}/edit", AreaOrders, Write, false, h.orderEdit)
	h.Mount(mux, "POST /orders/{number}/status", AreaOrders, Write, false, h.orderStatus)
	h.Mount(mux, "POST /orders/{number}/ship", AreaOrders, Write, false, h.orderShip)
	h.Mount(mux, "POST /orders/{number}/parcels/{parcel}/ship", AreaOrders, Write, false, h.orderShipParcel)
	h.Mount(mux, "POST /orders/{number}/note", AreaOrders, Write, false, h.orderNote)
	h.Mount(mux, "POST /orders/{number}/message", AreaOrders, Write, false, h.orderMessage)
	h.Mount(mux, "GET /orders/{number}/slip", AreaOrders, Read, false, h.orderSlip)
	h.Mount(mux, "GET /orders/{number}/invoice.pdf", AreaOrders, Read, false, h.orderInvoicePDF)
}

// orderStatuses lists the statuses in the order the filter offers them.
var orderStatuses = []order.Status{order.New, order.AwaitingPayment, order.Paid, order.Preparing, order.Shipped, order.Cancelled, order.Returned}

var paymentCodes = []string{order.Card, order.BankTransfer, order.COD}

type ordersPage struct {
	Form       url.Values
	Orders     []order.Summary
	Total      int
	Page       int
	Pages      int
	Prev, Next string // pager links ("" at an end)
	CSV, SJIS  string // export links with the same filter
	Statuses   []order.Status
	Payments   []string
	Loc        *time.Location // JST, for dates
}

const ordersPerPage = 50

// orderFilter reads the list's search form; dates are days in JST, both
// ends included.
func orderFilter(q url.Values) order.Filter {
	f := order.Filter{
		Number: strings.TrimSpace(q.Get("number")), Name: strings.TrimSpace(q.Get("name")),
		Kana: strings.TrimSpace(q.Get("kana")), Email: strings.TrimSpace(q.Get("email")),
		Status: order.Status(q.Get("status")), Payment: q.Get("payment"),
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
	if f.Payment != order.Card && f.Payment != order.BankTransfer && f.Payment != order.COD {
		f.Payment = ""
	}
	if t, err := time.ParseInLocation("2006-01-02", q.Get("from"), jst); err == nil {
		f.From = t
	}
	if t, err := time.ParseInLocation("2006-01-02", q.Get("to"), jst); err == nil {
		f.To = t.AddDate(0, 0, 1)
	}
	return f
}

// ordersList shows the orders matching the search, newest first, 50 a
// page. GET /{admin}/orders
func (h *Handlers) ordersList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := orderFilter(q)
	p := &ordersPage{Form: q, Statuses: orderStatuses, Payments: paymentCodes, Loc: jst}
	p.Page, _ = strconv.Atoi(q.Get("page"))
	p.Page = max(p.Page, 1)
	f.Limit, f.Offset = ordersPerPage, (p.Page-1)*ordersPerPage
	var err error
	if p.Orders, p.Total, err = order.Search(r.Context(), h.DB, f); err != nil {
		return err
	}
	p.Pages = max((p.Total+ordersPerPage-1)/ordersPerPage, 1)
	keep := url.Values{}
	for _, k := range []string{"number", "name", "kana", "email", "phone", "from", "to", "status", "payment"} {
		if v := q.Get(k); v != "" {
			keep.Set(k, v)
		}
	}
	link := func(page int) string {
		v := url.Values{}
		for k, vs := range keep {
			v[k] = vs
		}
		v.Set("page", strconv.Itoa(page))
		return "?" + v.Encode()
	}
	if p.Page > 1 {
		p.Prev = link(p.Page - 1)
	}
	if p.Page < p.Pages {
		p.Next = link(p.Page + 1)
	}
	keep.Set("encoding", "utf8")
	p.CSV = h.base + "/orders.csv?" + keep.Encode()
	keep.Set("encoding", "sjis")
	p.SJIS = h.base + "/orders.csv?" + keep.Encode()
	return h.page(w, r, http.StatusOK, "admin_orders", "admin.orders.title", p)
}
