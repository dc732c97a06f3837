package delivery

import (
	"embed"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

//go:embed templates/*.html
var adminTemplates embed.FS

// Shell is what the delivery-method screens need from the admin panel;
// the admin's Section for the settings area satisfies it.
type Shell interface {
	Read(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Write(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Page(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any) error
	Audit(r *http.Request, action, target string, details map[string]any) audit.Entry
	Done(w http.ResponseWriter, r *http.Request, flashKey, path string) error
}

// Admin is the operator's delivery methods screen (配送方法設定): add,
// edit, disable, delete when unused, reorder; carrier, fees per
// prefecture, time slots, lead and transit days, cool delivery; and the
// shop's free-shipping threshold. Every change is audited.
type Admin struct {
	DB       *db.DB
	Settings *settings.Store
	Shell    Shell
}

// NewAdmin registers the screens' templates in the admin layout.
func NewAdmin(d *db.DB, st *settings.Store, render *web.Renderer, shell Shell) (*Admin, error) {
	if err := render.AddPages("admin", adminTemplates, "templates/*.html"); err != nil {
		return nil, err
	}
	return &Admin{DB: d, Settings: st, Shell: shell}, nil
}

// AdminPath is the list's path under the admin.
const AdminPath = "/settings/delivery"

// Routes mounts the screens.
func (a *Admin) Routes(mux *http.ServeMux) {
	a.Shell.Read(mux, "GET "+AdminPath, a.list)
	a.Shell.Write(mux, "POST "+AdminPath, a.create)
	a.Shell.Write(mux, "POST "+AdminPath+"/free-shipping", a.saveFree)
	a.Shell.Read(mux, "GET "+AdminPath+"/{id}", a.edit)
	a.Shell.Write(mux, "POST "+AdminPath+"/{id}", a.save)
	a.Shell.Write(mux, "POST "+AdminPath+"/{id}/delete", a.remove)
	a.Shell.Write(mux, "POST "+AdminPath+"/{id}/move", a.move)
	a.Shell.Read(mux, "GET "+AdminPath+"/{id}/sizes", a.sizes)
	a.Shell.Write(mux, "POST "+AdminPath+"/{id}/sizes", a.saveSizes)
}

type listPage struct {
	Methods  []Method
	Carriers []string
	New      Setup
	Free     string
	Fields   map[string]string
	Error    string
}

func (a *Admin) list(w http.ResponseWriter, r *http.Request) error {
	return a.renderList(w, r, http.StatusOK, &listPage{})
}

func (a *Admin) renderList(w http.ResponseWriter, r *http.Request, status int, p *listPage) error {
	var err error
	if p.Methods, err = AllMethods(r.Context(), a.DB); err != nil {
		return err
	}
	if p.Free == "" {
		if p.Free, err = a.Settings.Get(r.Context(), settings.FreeShipping); err != nil {
			return err
		}
	}
	p.Carriers = Carriers
	return a.Shell.Page(w, r, status, "admin_delivery_methods", "paydeliv.deliv.title", p)
}

// create adds a method, disabled and without fees until set up.
// POST /{admin}/settings/delivery
func (a *Admin) create(w http.ResponseWriter, r *http.Request) error {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	s := Setup{Method: Method{Code: v("code"), NameJA: v("name_ja"), NameEN: v("name_en"), Carrier: v("carrier"), TransitDays: 1}}
	var id int64
	err := a.DB.Tx(r.Context(), func(tx *db.Tx) error {
		var err error
		if id, err = SaveSetup(r.Context(), tx, s); err != nil {
			return err
		}
		_, err = audit.Append(r.Context(), tx, a.Shell.Audit(r, "delivery.method_create", s.Code, map[string]any{"name_ja": s.NameJA, "carrier": s.Carrier}))
		return err
	})
	if f := shop.FieldsOf(err); f != nil {
		return a.renderList(w, r, http.StatusUnprocessableEntity, &listPage{New: s, Fields: f})
	}
	if err != nil {
		return err
	}
	return a.Shell.Done(w, r, "paydeliv.saved", AdminPath+"/"+strconv.FormatInt(id, 10))
}

// saveFree sets the shop's free-shipping threshold (0: none).
// POST /{admin}/settings/delivery/free-shipping
func (a *Admin) saveFree(w http.ResponseWriter, r *http.Request) error {
	raw := strings.TrimSpace(r.PostFormValue("free_threshold"))
	free, ok := shop.ParseYen(raw)
	if !ok {
		return a.renderList(w, r, http.StatusUnprocessableEntity, &listPage{Free: raw, Fields: map[string]string{"free_threshold": "paydeliv.bad_amount"}})
	}
	value := ""
	if free > 0 {
		value = strconv.FormatInt(int64(free), 10)
	}
	err := a.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := a.Settings.Set(r.Context(), tx, map[string]string{settings.FreeShipping: value}); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, a.Shell.Audit(r, "delivery.free_shipping", "", map[string]any{"free": int64(free)}))
		return err
	})
	if err != nil {
		return err
	}
	return a.Shell.Done(w, r, "paydeliv.saved", AdminPath)
}

type editPage struct {
	S        Setup
	Slots    string // one "code|午前中|Morning" a line
	Prefs    []prefFee
	Carriers []string
	Cools    []string
	Orders   int
	Fields   map[string]string
}

type prefFee struct {
	jp.Prefecture
	Fee string
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, shop.ErrNotFound
	}
	return id, nil
}

// edit shows one method's form. GET /{admin}/settings/delivery/{id}
func (a *Admin) edit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	m, err := MethodByID(r.Context(), a.DB, id)
	if err != nil {
		return err
	}
	fees, err := Fees(r.Context(), a.DB, id)
	if err != nil {
		return err
	}
	return a.renderEdit(w, r, http.StatusOK, Setup{Method: m, Fees: fees}, slotsText(m.Slots), nil)
}

func (a *Admin) renderEdit(w http.ResponseWriter, r *http.Request, status int, s Setup, slots string, fields map[string]string) error {
	p := &editPage{S: s, Slots: slots, Carriers: Carriers, Cools: CoolKinds, Fields: fields}
	for _, pr := range jp.Prefectures() {
		pf := prefFee{Prefecture: pr}
		if f, ok := s.Fees[pr.Code]; ok {
			pf.Fee = strconv.FormatInt(int64(f), 10)
		}
		p.Prefs = append(p.Prefs, pf)
	}
	var err error
	if p.Orders, _, err = Usage(r.Context(), a.DB, s.ID); err != nil {
		return err
	}
	return a.Shell.Page(w, r, status, "admin_delivery_method", "paydeliv.deliv.edit_title", p)
}

// save writes one method; a bad field re-shows the form with the message
// by the field and nothing written. POST /{admin}/settings/delivery/{id}
func (a *Admin) save(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	old, err := MethodByID(ctx, a.DB, id)
	if err != nil {
		return err
	}
	s, slots, fields := parseSetup(r, old)
	if len(fields) == 0 {
		err = a.DB.Tx(ctx, func(tx *db.Tx) error {
			if _, err := SaveSetup(ctx, tx, s); err != nil {
				return err
			}
			_, err := audit.Append(ctx, tx, a.Shell.Audit(r, "delivery.method_save", s.Code, map[string]any{
				"active": s.Active, "carrier": s.Carrier, "cool": s.Cool, "lead_days": s.LeadDays, "transit_days": s.TransitDays,
				"slots": len(s.Slots), "prefs": len(s.Fees),
				"before": map[string]any{"active": old.Active, "carrier": old.Carrier, "cool": old.Cool, "lead_days": old.LeadDays, "transit_days": old.TransitDays},
			}))
			return err
		})
		fields = shop.FieldsOf(err)
		if fields == nil && err != nil {
			return err
		}
	}
	if len(fields) > 0 {
		return a.renderEdit(w, r, http.StatusUnprocessableEntity, s, slots, fields)
	}
	return a.Shell.Done(w, r, "paydeliv.saved", AdminPath)
}

func parseSetup(r *http.Request, old Method) (Setup, string, map[string]string) {
	fields := map[string]string{}
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	s := Setup{Method: Method{ID: old.ID, Code: old.Code, NameJA: v("name_ja"), NameEN: v("name_en"), Carrier: v("carrier"),
		TrackingURL: v("tracking_url"), Cool: v("cool"), Active: r.PostFormValue("active") == "1"}, Fees: map[int]shop.Yen{}}
	days := func(k string) int {
		n, err := strconv.Atoi(v(k))
		if err != nil {
			fields[k] = "paydeliv.bad_days"
		}
		return n
	}
	s.TransitDays, s.LeadDays = days("transit_days"), days("lead_days")
	slots := strings.ReplaceAll(r.PostFormValue("slots"), "\r", "")
	for line := range strings.SplitSeq(slots, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.Split(line, "|")
		if len(parts) != 3 {
			fields["slots"] = "admin.settings.bad_slots"
			continue
		}
		s.Slots = append(s.Slots, Slot{Code: strings.TrimSpace(parts[0]), LabelJA: strings.TrimSpace(parts[1]), LabelEN: strings.TrimSpace(parts[2])})
	}
	for _, p := range jp.Prefectures() {
		raw := v("fee_" + strconv.Itoa(p.Code))
		if raw == "" {
			continue
		}
		fee, ok := shop.ParseYen(raw)
		if !ok {
			fields["fees"] = "paydeliv.bad_prefs"
			continue
		}
		s.Fees[p.Code] = fee
	}
	if err := s.Validate(); err != nil {
		for k, key := range shop.FieldsOf(err) {
			if _, seen := fields[k]; !seen {
				fields[k] = key
			}
		}
	}
	return s, slots, fields
}

// remove deletes an unused method; in use, the list says by how many
// orders. POST /{admin}/settings/delivery/{id}/delete
func (a *Admin) remove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	err = a.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := DeleteMethod(r.Context(), tx, id); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, a.Shell.Audit(r, "delivery.method_delete", strconv.FormatInt(id, 10), nil))
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

// move moves a method up or down. POST /{admin}/settings/delivery/{id}/move
func (a *Admin) move(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	dir := 1
	if r.PostFormValue("dir") == "up" {
		dir = -1
	}
	err = a.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := MoveMethod(r.Context(), tx, id, dir); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, a.Shell.Audit(r, "delivery.method_move", strconv.FormatInt(id, 10), map[string]any{"dir": dir}))
		return err
	})
	if err != nil {
		return err
	}
	return a.Shell.Done(w, r, "paydeliv.saved", AdminPath)
}

func slotsText(ss []Slot) string {
	var b strings.Builder
	for _, s := range ss {
		b.WriteString(s.Code + "|" + s.LabelJA + "|" + s.LabelEN + "\n")
	}
	return b.String()
}
