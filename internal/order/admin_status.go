package order

import (
	"net/http"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// StatusAdmin is the settings screen of the status names and colours
// (設定 › 受注対応状況設定). It is mounted under the settings area's
// permission, so its Shell is the admin's settings section.
type StatusAdmin struct {
	DB     *db.DB
	Labels *StatusLabels
	Shell  Shell
}

// StatusLabelsPath is the screen's path under the admin.
const StatusLabelsPath = "/settings/order-statuses"

// Routes mounts the screen.
func (a *StatusAdmin) Routes(mux *http.ServeMux) {
	a.Shell.Read(mux, "GET "+StatusLabelsPath, a.form)
	a.Shell.Write(mux, "POST "+StatusLabelsPath, a.save)
	a.Shell.Write(mux, "POST "+StatusLabelsPath+"/reset", a.reset)
}

type statusPage struct {
	Labels  []StatusLabel
	Palette []string
	Max     int
	Error   string
	Fields  map[string]string
}

func (a *StatusAdmin) render(w http.ResponseWriter, r *http.Request, status int, pg *statusPage) error {
	pg.Palette, pg.Max = StatusPalette, MaxStatusName
	return a.Shell.Page(w, r, status, "admin_order_statuses", "order.status_labels.title", pg)
}

// form shows every status with its names and colour.
// GET /{admin}/settings/order-statuses
func (a *StatusAdmin) form(w http.ResponseWriter, r *http.Request) error {
	return a.render(w, r, http.StatusOK, &statusPage{Labels: a.Labels.Labels(r.Context())})
}

// save stores the names and colours of every status (name_ja_<status>,
// name_en_<status>, colour_<status>); a refused form comes back with a
// message by each wrong field and nothing saved. POST same path.
func (a *StatusAdmin) save(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return shop.Errorf(shop.Invalid, "error.bad_request")
	}
	var ls []StatusLabel
	for _, s := range ListStatuses {
		ls = append(ls, StatusLabel{Status: s, NameJA: r.PostFormValue("name_ja_" + string(s)),
			NameEN: r.PostFormValue("name_en_" + string(s)), Colour: r.PostFormValue("colour_" + string(s))})
	}
	_, actor := a.Shell.Actor(r)
	err := a.DB.Tx(ctx, func(tx *db.Tx) error {
		changed, err := SaveStatusLabels(ctx, tx, ls, actor)
		if err != nil || len(changed) == 0 {
			return err
		}
		details := map[string]any{}
		for s, ba := range changed {
			details[string(s)] = map[string]any{
				"before": map[string]string{"ja": ba[0].NameJA, "en": ba[0].NameEN, "colour": ba[0].Colour},
				"after":  map[string]string{"ja": ba[1].NameJA, "en": ba[1].NameEN, "colour": ba[1].Colour},
			}
		}
		_, err = audit.Append(ctx, tx, a.Shell.Audit(r, "order.status_labels", "", details))
		return err
	})
	if se, ok := err.(*shop.Error); ok && se.Kind == shop.Invalid {
		return a.render(w, r, web.Status(err), &statusPage{Labels: ls, Error: web.Message(r, err), Fields: se.Fields})
	}
	if err != nil {
		return err
	}
	a.Labels.Invalidate()
	return a.Shell.Done(w, r, "admin.saved", StatusLabelsPath)
}

// reset puts every status back to its built-in name and colour.
// POST /{admin}/settings/order-statuses/reset
func (a *StatusAdmin) reset(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	err := a.DB.Tx(ctx, func(tx *db.Tx) error {
		had, err := ResetStatusLabels(ctx, tx)
		if err != nil || !had {
			return err
		}
		_, err = audit.Append(ctx, tx, a.Shell.Audit(r, "order.status_labels_reset", "", nil))
		return err
	})
	if err != nil {
		return err
	}
	a.Labels.Invalidate()
	return a.Shell.Done(w, r, "order.status_labels.reset_done", StatusLabelsPath)
}
