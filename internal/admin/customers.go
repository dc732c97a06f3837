package admin

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/csvcols"
	"github.com/akinai/akinai/internal/csvfile"
	"github.com/akinai/akinai/internal/customer"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/rank"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

const customersPerPage = 50

// customerRoutes mounts the customer pages: list and search, detail with
// order history, status and note changes, and the export (sudo only:
// it is the whole customer base).
func (h *Handlers) customerRoutes(mux *http.ServeMux) {
	h.Mount(mux, "GET /customers", AreaCustomers, Read, false, h.customers)
	h.Mount(mux, "GET /customers/{id}", AreaCustomers, Read, false, h.customerDetail)
	h.Mount(mux, "POST /customers/{id}/status", AreaCustomers, Write, false, h.customerStatus)
	h.Mount(mux, "POST /customers/{id}/note", AreaCustomers, Write, false, h.customerNote)
	h.Mount(mux, "POST /customers/{id}/rank", AreaCustomers, Write, false, h.customerRank)
	h.Mount(mux, "GET /customers.csv", AreaCustomers, Read, true, h.customersCSV)
	h.customerEditRoutes(mux)
	h.customerNewRoutes(mux)
	h.customerImportRoutes(mux)
}

type customersData struct {
	Q, Status string
	CanWrite  bool // may register and import customers
	List      []*customer.Customer
	Page      int
	Pages     int
	Total     int
}

func (h *Handlers) customers(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	d := &customersData{Q: q.Get("q"), Status: q.Get("status"), Page: page}
	if a := Current(r); a != nil {
		d.CanWrite = Allowed(a.Role, AreaCustomers, Write)
	}
	list, total, err := customer.Search(r.Context(), h.DB, customer.Filter{Q: d.Q, Status: d.Status, Limit: customersPerPage, Offset: (page - 1) * customersPerPage})
	if err != nil {
		return err
	}
	d.List, d.Total, d.Pages = list, total, (total+customersPerPage-1)/customersPerPage
	return h.Page(w, r, http.StatusOK, "admin_customers", "admin.customers.title", d)
}

type customerDetailData struct {
	C      *customer.Customer
	Orders []customer.OrderSummary
	Error  string
	Ranks  []rank.Rank // the choices of the rank form
	Rank   rank.Rank   // the customer's rank; ID 0 for none
	// OrderLinks: the admin may open the orders (a role may read
	// customers but not orders).
	OrderLinks bool
}

func (h *Handlers) customerDetail(w http.ResponseWriter, r *http.Request) error {
	return h.renderCustomer(w, r, http.StatusOK, "")
}

func (h *Handlers) renderCustomer(w http.ResponseWriter, r *http.Request, status int, msg string) error {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	c, err := customer.ByID(r.Context(), h.DB, id)
	if err != nil {
		return err
	}
	orders, _, err := customer.Orders(r.Context(), h.DB, id, 100, 0)
	if err != nil {
		return err
	}
	d := &customerDetailData{C: c, Orders: orders, Error: msg}
	if d.Ranks, err = rank.List(r.Context(), h.DB); err != nil {
		return err
	}
	if d.Rank, _, err = rank.OfCustomer(r.Context(), h.DB, id); err != nil {
		return err
	}
	if a := Current(r); a != nil {
		d.OrderLinks = Allowed(a.Role, AreaOrders, Read)
	}
	return h.Page(w, r, status, "admin_customer", "admin.customers.detail", d)
}

// customerStatus suspends, reactivates or withdraws (scrubs) an account.
func (h *Handlers) customerStatus(w http.ResponseWriter, r *http.Request) error {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	status := r.PostFormValue("status")
	err := h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := customer.SetStatus(r.Context(), tx, id, status); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, AuditEntry(r, "customer.status", strconv.FormatInt(id, 10), map[string]any{"status": status}))
		return err
	})
	if k := shop.KindOf(err); k == shop.Invalid || k == shop.Conflict {
		return h.renderCustomer(w, r, web.Status(err), web.Message(r, err))
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, r, "admin.saved")
	http.Redirect(w, r, fmt.Sprintf("%s/customers/%d", h.base, id), http.StatusSeeOther)
	return nil
}

func (h *Handlers) customerNote(w http.ResponseWriter, r *http.Request) error {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	note := r.PostFormValue("note")
	if len([]rune(note)) > 2000 {
		return h.renderCustomer(w, r, http.StatusUnprocessableEntity, web.T(r, "admin.customers.note_too_long"))
	}
	err := h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := customer.SetNote(r.Context(), tx, id, note); err != nil {
			return err
		}
		// The note itself may be personal data: the audit says only that it changed.
		_, err := audit.Append(r.Context(), tx, AuditEntry(r, "customer.note", strconv.FormatInt(id, 10), nil))
		return err
	})
	if err != nil {
		return err
	}
	web.SetFlash(w, r, "admin.saved")
	http.Redirect(w, r, fmt.Sprintf("%s/customers/%d", h.base, id), http.StatusSeeOther)
	return nil
}

// CustomerExport is the customers' export for the operator's column
// settings. Its default headings are the Japanese ones the customer import
// reads (internal/customer), whatever the admin's language.
var CustomerExport = func() csvcols.Export {
	e := csvcols.Export{Type: "customer", Title: "admin13.csv.type.customer", Area: string(AreaCustomers), Import: true}
	for _, c := range [][2]string{{"id", "id"}, {"status", "status"}, {"email", "email"}, {"family_name", "姓"}, {"given_name", "名"},
		{"family_kana", "セイ"}, {"given_kana", "メイ"}, {"company", "会社名"}, {"phone", "電話番号"}, {"postal_code", "郵便番号"},
		{"pref", "都道府県"}, {"city", "市区町村"}, {"address1", "番地"}, {"address2", "建物名"}, {"birthday", "生年月日"},
		{"gender", "性別"}, {"newsletter", "メルマガ"}, {"registered", "登録日"}} {
		e.Columns = append(e.Columns, csvcols.Column{Key: c[0], Label: "admin13.csv.customer." + c[0], Name: c[1]})
	}
	return e
}()

// customersCSV exports the customers matching the list's filter, in
// UTF-8 with BOM or Shift_JIS (?enc=sjis), page by page so memory stays
// flat. The export is audit-logged with its filter.
func (h *Handlers) customersCSV(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	enc := csvfile.UTF8BOM
	if e, ok := csvfile.ParseEncoding(q.Get("enc")); ok {
		enc = e
	}
	f := customer.Filter{Q: q.Get("q"), Status: q.Get("status"), Limit: 500}
	// Recorded before the first byte leaves: an export that fails half-way
	// has still disclosed data.
	if err := audit.Record(r.Context(), h.DB, AuditEntry(r, "customer.export", "customers", map[string]any{"filtered": f.Q != "", "status": f.Status, "encoding": q.Get("enc")})); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="customers-%s.csv"`, time.Now().Format("20060102")))
	w.Header().Set("Cache-Control", "no-store")
	cw, err := csvfile.NewWriter(w, enc)
	if err != nil {
		return err
	}
	sel, err := csvcols.NewWriter(r.Context(), h.DB, cw, CustomerExport, func(k string) string { return web.T(r, k) })
	if err != nil {
		return err
	}
	for {
		list, _, err := customer.Search(r.Context(), h.DB, f)
		if err != nil {
			return err
		}
		for _, c := range list {
			nl := "0"
			if c.Newsletter {
				nl = "1"
			}
			if err := sel.Write([]string{strconv.FormatInt(c.ID, 10), c.Status, c.Email, c.FamilyName, c.GivenName, c.FamilyKana, c.GivenKana,
				c.Company, c.Phone, c.PostalCode, strconv.Itoa(c.Pref), c.City, c.Address1, c.Address2, c.Birthday, c.Gender, nl,
				c.CreatedAt.Format("2006-01-02")}); err != nil {
				return err
			}
		}
		if len(list) < f.Limit {
			break
		}
		f.Offset += f.Limit
	}
	return cw.Flush()
}

// customerRank puts the customer in a rank (rank=0 or empty: in none);
// the audit keeps the old and the new rank.
func (h *Handlers) customerRank(w http.ResponseWriter, r *http.Request) error {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	v := r.PostFormValue("rank")
	rid, err := strconv.ParseInt(v, 10, 64)
	if v == "" {
		rid, err = 0, nil
	}
	if err != nil || rid < 0 {
		return h.renderCustomer(w, r, http.StatusUnprocessableEntity, web.T(r, "customers13.bad_rank"))
	}
	old, _, err := rank.OfCustomer(r.Context(), h.DB, id)
	if err != nil {
		return err
	}
	err = h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		c, err := customer.ByID(r.Context(), tx, id)
		if err != nil {
			return err
		}
		if c.Status == customer.Withdrawn {
			return shop.Errorf(shop.Conflict, "customer.already_withdrawn")
		}
		if err := rank.SetCustomer(r.Context(), tx, id, rid); err != nil {
			return err
		}
		_, err = audit.Append(r.Context(), tx, AuditEntry(r, "customer.rank", strconv.FormatInt(id, 10), map[string]any{"from": old.ID, "to": rid}))
		return err
	})
	if shop.KindOf(err) == shop.NotFound && rid != 0 {
		if _, cerr := customer.ByID(r.Context(), h.DB, id); cerr == nil {
			return h.renderCustomer(w, r, http.StatusUnprocessableEntity, web.T(r, "customers13.bad_rank"))
		}
	}
	if shop.KindOf(err) == shop.Conflict {
		return h.renderCustomer(w, r, http.StatusConflict, web.Message(r, err))
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, r, "admin.saved")
	http.Redirect(w, r, fmt.Sprintf("%s/customers/%d", h.base, id), http.StatusSeeOther)
	return nil
}
