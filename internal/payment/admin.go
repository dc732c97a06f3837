package payment

import (
	"embed"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/delivery"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

//go:embed templates/*.html
var adminTemplates embed.FS

// Shell is what the payment-method screens need from the admin panel; the
// admin's Section for the settings area satisfies it.
type Shell interface {
	ReadSudo(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	WriteSudo(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Page(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any) error
	Audit(r *http.Request, action, target string, details map[string]any) audit.Entry
	Done(w http.ResponseWriter, r *http.Request, flashKey, path string) error
}

// Admin is the operator's payment methods screen (支払方法設定): add,
// edit, disable, delete when unused, reorder; fee rules, limits and the
// delivery methods each combines with. Every change is audited; every
// screen asks for a recent sign-in (sudo), as the card key does.
type Admin struct {
	DB    *db.DB
	Shell Shell
}

// NewAdmin registers the screens' templates in the admin layout.
func NewAdmin(d *db.DB, render *web.Renderer, shell Shell) (*Admin, error) {
	if err := render.AddPages("admin", adminTemplates, "templates/*.html"); err != nil {
		return nil, err
	}
	return &Admin{DB: d, Shell: shell}, nil
}

// AdminPath is the list's path under the admin.
const AdminPath = "/settings/payment-methods"

// Routes mounts the screens.
func (a *Admin) Routes(mux *http.ServeMux) {
	a.Shell.ReadSudo(mux, "GET "+AdminPath, a.list)
	a.Shell.WriteSudo(mux, "POST "+AdminPath, a.create)
	a.Shell.ReadSudo(mux, "GET "+AdminPath+"/{code}", a.edit)
	a.Shell.WriteSudo(mux, "POST "+AdminPath+"/{code}", a.save)
	a.Shell.WriteSudo(mux, "POST "+AdminPath+"/{code}/delete", a.remove)
	a.Shell.WriteSudo(mux, "POST "+AdminPath+"/{code}/move", a.move)
}

type listPage struct {
	Methods []Method
	New     Method
	Fields  map[string]string
	Error   string
}

// list shows the methods in the shop's order. GET /{admin}/settings/payment-methods
func (a *Admin) list(w http.ResponseWriter, r *http.Request) error {
	return a.renderList(w, r, http.StatusOK, &listPage{})
}

func (a *Admin) renderList(w http.ResponseWriter, r *http.Request, status int, p *listPage) error {
	var err error
	if p.Methods, err = Methods(r.Context(), a.DB, false); err != nil {
		return err
	}
	return a.Shell.Page(w, r, status, "admin_payment_methods", "paydeliv.pay.title", p)
}

// create adds an operator's own method (kind manual), disabled until the
// operator has set it up. POST /{admin}/settings/payment-methods
func (a *Admin) create(w http.ResponseWriter, r *http.Request) error {
	m := Method{Code: strings.TrimSpace(r.PostFormValue("code")), Kind: Manual, NameJA: strings.TrimSpace(r.PostFormValue("name_ja")),
		NameEN: strings.TrimSpace(r.PostFormValue("name_en")), FeeType: FeeFlat, ExpiresDays: 3}
	err := a.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := SaveMethod(r.Context(), tx, m, true); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, a.Shell.Audit(r, "payment.method_create", m.Code, map[string]any{"name_ja": m.NameJA}))
		return err
	})
	if fields := shop.FieldsOf(err); fields != nil {
		return a.renderList(w, r, http.StatusUnprocessableEntity, &listPage{New: m, Fields: fields})
	}
	if err != nil {
		return err
	}
	return a.Shell.Done(w, r, "paydeliv.saved", AdminPath+"/"+m.Code)
}

type editPage struct {
	M        Method
	Tiers    string // one "up_to fee" a line
	Prefs    []prefFee
	Delivery []deliveryChoice
	Usage    Usage
	Fields   map[string]string
}

type prefFee struct {
	jp.Prefecture
	Fee string // "" uses the flat fee
}

type deliveryChoice struct {
	ID             int64
	NameJA, NameEN string
	Active         bool
	Checked        bool
}

// edit shows one method's form. GET /{admin}/settings/payment-methods/{code}
func (a *Admin) edit(w http.ResponseWriter, r *http.Request) error {
	m, err := MethodByCode(r.Context(), a.DB, r.PathValue("code"))
	if err != nil {
		return err
	}
	return a.renderEdit(w, r, http.StatusOK, m, tiersText(m.Tiers), nil)
}

func (a *Admin) renderEdit(w http.ResponseWriter, r *http.Request, status int, m Method, tiers string, fields map[string]string) error {
	p := &editPage{M: m, Tiers: tiers, Fields: fields}
	for _, pr := range jp.Prefectures() {
		pf := prefFee{Prefecture: pr}
		if f, ok := m.Prefs[pr.Code]; ok {
			pf.Fee = strconv.FormatInt(int64(f), 10)
		}
		p.Prefs = append(p.Prefs, pf)
	}
	ds, err := delivery.AllMethods(r.Context(), a.DB)
	if err != nil {
		return err
	}
	for _, d := range ds {
		p.Delivery = append(p.Delivery, deliveryChoice{ID: d.ID, NameJA: d.NameJA, NameEN: d.NameEN, Active: d.Active,
			Checked: len(m.Delivery) > 0 && m.Combines(d.ID)})
	}
	if p.Usage, err = MethodUsage(r.Context(), a.DB, m.Code); err != nil {
		return err
	}
	return a.Shell.Page(w, r, status, "admin_payment_method", "paydeliv.pay.edit_title", p)
}

// save writes one method's settings; a bad field re-shows the form with
// the message by the field and nothing written.
// POST /{admin}/settings/payment-methods/{code}
func (a *Admin) save(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	old, err := MethodByCode(ctx, a.DB, r.PathValue("code"))
	if err != nil {
		return err
	}
	m, tiers, fields := parseMethod(r, old)
	if len(fields) == 0 {
		err = a.DB.Tx(ctx, func(tx *db.Tx) error {
			if err := SaveMethod(ctx, tx, m, false); err != nil {
				return err
			}
			_, err := audit.Append(ctx, tx, a.Shell.Audit(r, "payment.method_save", m.Code, map[string]any{
				"active": m.Active, "fee_type": m.FeeType, "fee": int64(m.Fee), "free_over": int64(m.FreeOver),
				"min": int64(m.Min), "max": int64(m.Max), "tiers": tiersText(m.Tiers), "prefs": len(m.Prefs), "delivery": m.Delivery,
				"before": map[string]any{"active": old.Active, "fee_type": old.FeeType, "fee": int64(old.Fee), "min": int64(old.Min), "max": int64(old.Max)},
			}))
			return err
		})
		fields = shop.FieldsOf(err)
		if fields == nil && err != nil {
			return err
		}
	}
	if len(fields) > 0 {
		return a.renderEdit(w, r, http.StatusUnprocessableEntity, m, tiers, fields)
	}
	return a.Shell.Done(w, r, "paydeliv.saved", AdminPath)
}

// parseMethod reads the edit form over old (code and kind stay).
func parseMethod(r *http.Request, old Method) (Method, string, map[string]string) {
	fields := map[string]string{}
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	m := Method{Code: old.Code, Kind: old.Kind, NameJA: v("name_ja"), NameEN: v("name_en"), DescJA: v("description_ja"), DescEN: v("description_en"),
		FeeType: v("fee_type"), Active: r.PostFormValue("active") == "1", ExpiresDays: old.ExpiresDays}
	yen := func(k string) shop.Yen {
		y, ok := shop.ParseYen(v(k))
		if !ok {
			fields[k] = "paydeliv.bad_amount"
		}
		return y
	}
	m.Fee, m.FreeOver, m.Min, m.Max = yen("fee"), yen("free_over"), yen("min_amount"), yen("max_amount")
	if m.Kind == Konbini {
		n, err := strconv.Atoi(v("expires_days"))
		if err != nil {
			fields["expires_days"] = "paydeliv.bad_expiry"
		}
		m.ExpiresDays = n
	}
	tiers := r.PostFormValue("tiers")
	for _, line := range strings.Split(tiers, "\n") {
		f := strings.Fields(strings.ReplaceAll(line, ",", ""))
		if len(f) == 0 {
			continue
		}
		up, ok1 := shop.ParseYen(f[0])
		fee, ok2 := shop.Yen(0), len(f) == 2
		if ok2 {
			fee, ok2 = shop.ParseYen(f[1])
		}
		if !ok1 || !ok2 {
			fields["tiers"] = "paydeliv.bad_tiers"
			continue
		}
		m.Tiers = append(m.Tiers, Tier{UpTo: up, Fee: fee})
	}
	for _, p := range jp.Prefectures() {
		s := v("pref_" + strconv.Itoa(p.Code))
		if s == "" {
			continue
		}
		fee, ok := shop.ParseYen(s)
		if !ok {
			fields["prefs"] = "paydeliv.bad_prefs"
			continue
		}
		if m.Prefs == nil {
			m.Prefs = map[int]shop.Yen{}
		}
		m.Prefs[p.Code] = fee
	}
	for _, s := range r.PostForm["delivery"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			fields["delivery"] = "paydeliv.bad_delivery"
			continue
		}
		m.Delivery = append(m.Delivery, id)
	}
	if err := m.Validate(); err != nil {
		for k, key := range shop.FieldsOf(err) {
			if _, seen := fields[k]; !seen {
				fields[k] = key
			}
		}
	}
	return m, tiers, fields
}

// remove deletes an unused method of the operator's own; in use, the
// list says by how many orders (and which). POST …/{code}/delete
func (a *Admin) remove(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	err := a.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := DeleteMethod(r.Context(), tx, code); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, a.Shell.Audit(r, "payment.method_delete", code, nil))
		return err
	})
	var se *shop.Error
	if errors.As(err, &se) && se.Kind == shop.Conflict {
		return a.renderList(w, r, http.StatusConflict, &listPage{Error: web.T(r, se.Key, se.Args...)})
	}
	if err != nil {
		return err
	}
	return a.Shell.Done(w, r, "paydeliv.deleted", AdminPath)
}

// move moves a method up or down the list. POST …/{code}/move
func (a *Admin) move(w http.ResponseWriter, r *http.Request) error {
	dir := 1
	if r.PostFormValue("dir") == "up" {
		dir = -1
	}
	code := r.PathValue("code")
	err := a.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := MoveMethod(r.Context(), tx, code, dir); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, a.Shell.Audit(r, "payment.method_move", code, map[string]any{"dir": dir}))
		return err
	})
	if err != nil {
		return err
	}
	return a.Shell.Done(w, r, "paydeliv.saved", AdminPath)
}

func tiersText(ts []Tier) string {
	var b strings.Builder
	for _, t := range ts {
		b.WriteString(strconv.FormatInt(int64(t.UpTo), 10) + " " + strconv.FormatInt(int64(t.Fee), 10) + "\n")
	}
	return b.String()
}
