package admin

import (
	"fmt"
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

type deliveryMethodView struct {
	ID             int64
	NameJA, NameEN string
	TrackingURL    string
	Active         bool
	Fees           [47]shop.Yen
	Slots          string // one "code|午前中|Morning" a line
}

type settingsDeliveryPage struct {
	Methods []deliveryMethodView
	Prefs   []jp.Prefecture
	Free    string
	Error   string
}

// settingsDelivery shows each delivery method with its fee for all 47
// prefectures, its time slots and the free-shipping threshold.
// GET /{admin}/settings/delivery
func (h *Handlers) settingsDelivery(w http.ResponseWriter, r *http.Request) error {
	return h.renderDelivery(w, r, http.StatusOK, "")
}

func (h *Handlers) renderDelivery(w http.ResponseWriter, r *http.Request, status int, errKey string) error {
	ctx := r.Context()
	p := &settingsDeliveryPage{Prefs: jp.Prefectures()}
	if errKey != "" {
		p.Error = web.T(r, errKey)
	}
	var err error
	if p.Free, err = h.Settings.Get(ctx, settings.FreeShipping); err != nil {
		return err
	}
	rows, err := h.DB.Query(ctx, `SELECT id, name_ja, name_en, tracking_url, active FROM delivery_methods ORDER BY sort_order, id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var m deliveryMethodView
		if err := rows.Scan(&m.ID, &m.NameJA, &m.NameEN, &m.TrackingURL, &m.Active); err != nil {
			rows.Close()
			return err
		}
		p.Methods = append(p.Methods, m)
	}
	rows.Close()
	for i := range p.Methods {
		m := &p.Methods[i]
		frows, err := h.DB.Query(ctx, `SELECT pref, fee FROM delivery_fees WHERE method_id = ?`, m.ID)
		if err != nil {
			return err
		}
		for frows.Next() {
			var pref int
			var fee int64
			if err := frows.Scan(&pref, &fee); err == nil && pref >= 1 && pref <= 47 {
				m.Fees[pref-1] = shop.Yen(fee)
			}
		}
		frows.Close()
		srows, err := h.DB.Query(ctx, `SELECT code, label_ja, label_en FROM delivery_slots WHERE method_id = ? ORDER BY sort_order`, m.ID)
		if err != nil {
			return err
		}
		var lines []string
		for srows.Next() {
			var c, ja, en string
			if err := srows.Scan(&c, &ja, &en); err == nil {
				lines = append(lines, c+"|"+ja+"|"+en)
			}
		}
		srows.Close()
		m.Slots = strings.Join(lines, "\n")
	}
	return h.page(w, r, status, "admin_settings_delivery", "admin.settings.delivery_title", p)
}

// settingsDeliverySave stores one method's fees for all 47 prefectures,
// tracking URL template, time slots, whether it is offered, and the
// shop's free-shipping threshold, all or nothing.
// POST /{admin}/settings/delivery/{id}
func (h *Handlers) settingsDeliverySave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return shop.ErrNotFound
	}
	var fees [47]shop.Yen
	for i := range fees {
		fee, ok := yenField(r.PostFormValue(fmt.Sprintf("fee_%d", i+1)))
		if !ok {
			return h.renderDelivery(w, r, http.StatusBadRequest, "admin.settings.bad_fees")
		}
		fees[i] = fee
	}
	free, ok := yenField(r.PostFormValue("free_threshold"))
	if !ok {
		return h.renderDelivery(w, r, http.StatusBadRequest, "admin.settings.bad_fees")
	}
	tracking := strings.TrimSpace(r.PostFormValue("tracking_url"))
	if tracking != "" && (!strings.HasPrefix(tracking, "https://") || strings.Count(tracking, "%s") != 1 || len(tracking) > 300) {
		return h.renderDelivery(w, r, http.StatusBadRequest, "admin.settings.bad_tracking_url")
	}
	type slot struct{ code, ja, en string }
	var slots []slot
	for line := range strings.SplitSeq(strings.ReplaceAll(r.PostFormValue("slots"), "\r", ""), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.Split(line, "|")
		if len(parts) != 3 || strings.TrimSpace(parts[0]) == "" || strings.TrimSpace(parts[1]) == "" || len(line) > 200 {
			return h.renderDelivery(w, r, http.StatusBadRequest, "admin.settings.bad_slots")
		}
		slots = append(slots, slot{strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1]), strings.TrimSpace(parts[2])})
	}
	active := r.PostFormValue("active") == "1"
	err = h.DB.Tx(ctx, func(tx *db.Tx) error {
		n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE delivery_methods SET tracking_url = ?, active = ? WHERE id = ?`, tracking, active, id))
		if err != nil {
			return err
		}
		if n != 1 {
			return shop.ErrNotFound
		}
		for i, fee := range fees {
			if _, err := tx.Exec(ctx, `INSERT INTO delivery_fees (method_id, pref, fee) VALUES (?, ?, ?)
				ON CONFLICT (method_id, pref) DO UPDATE SET fee = excluded.fee`, id, i+1, int64(fee)); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM delivery_slots WHERE method_id = ?`, id); err != nil {
			return err
		}
		for i, s := range slots {
			if _, err := tx.Exec(ctx, `INSERT INTO delivery_slots (method_id, code, label_ja, label_en, sort_order) VALUES (?, ?, ?, ?, ?)`,
				id, s.code, s.ja, s.en, i+1); err != nil {
				if db.IsUniqueViolation(err) {
					return shop.Errorf(shop.Invalid, "admin.settings.bad_slots")
				}
				return err
			}
		}
		freeValue := ""
		if free > 0 {
			freeValue = strconv.FormatInt(int64(free), 10)
		}
		if err := h.Settings.Set(ctx, tx, map[string]string{settings.FreeShipping: freeValue}); err != nil {
			return err
		}
		_, err = audit.Append(ctx, tx, AuditEntry(r, "settings.delivery", strconv.FormatInt(id, 10), map[string]any{"active": active, "slots": len(slots), "free": int64(free)}))
		return err
	})
	if shop.KindOf(err) == shop.Invalid {
		return h.renderDelivery(w, r, http.StatusBadRequest, "admin.settings.bad_slots")
	}
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.settings.saved", "/settings/delivery")
}
