package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// carrier is a delivery method as the shipment form and the shipping
// notice name it.
type carrier struct {
	ID             int64
	Code           string
	NameJA, NameEN string
	TrackingURL    string // with %s for the number
}

// Name is the carrier's name in lang.
func (c carrier) Name(en bool) string {
	if en && c.NameEN != "" {
		return c.NameEN
	}
	return c.NameJA
}

// URL is the tracking page of a number, or "" without a template.
func (c carrier) URL(tracking string) string {
	if !strings.Contains(c.TrackingURL, "%s") {
		return ""
	}
	return strings.Replace(c.TrackingURL, "%s", url.QueryEscape(tracking), 1)
}

// carriers returns every delivery method, active or not (an old order
// may name a retired one).
func carriers(ctx context.Context, q db.Queryer) ([]carrier, error) {
	rows, err := q.Query(ctx, `SELECT id, code, name_ja, name_en, tracking_url FROM delivery_methods ORDER BY sort_order, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []carrier
	for rows.Next() {
		var c carrier
		if err := rows.Scan(&c.ID, &c.Code, &c.NameJA, &c.NameEN, &c.TrackingURL); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

type shipmentView struct {
	order.Shipment
	Carrier string
	URL     string
}

type orderDetailPage struct {
	O          *order.Order
	Version    int
	Lines      []order.AdminLine
	HasReduced bool
	BuyerPref  string
	ShipPref   string
	Method     string
	Slot       string
	Payments   []order.Payment
	Capture    *order.CaptureJob // the card capture at shipment, nil for none
	Shipments  []shipmentView
	Parcels    []parcelView // planned parcels; forms per parcel when there are several
	Sent       int          // parcels that have left
	Events     []order.Event
	Notes      []order.Note
	Next       []order.Status
	Carriers   []carrier
	Prefs      []jp.Prefecture
	Editable   bool
	CanWrite   bool
	Form       url.Values        // the input of a refused form, kept
	Fields     map[string]string // field → i18n key
	Error      string            // a refused form's message
	Loc        *time.Location
}

type shipField struct{ Name, Value string }

// ShipFields lists the recipient's fields in form order.
func (p *orderDetailPage) ShipFields() []shipField {
	a := p.O.Ship
	return []shipField{{"family_name", a.FamilyName}, {"given_name", a.GivenName}, {"family_kana", a.FamilyKana}, {"given_kana", a.GivenKana},
		{"phone", a.Phone}, {"postal_code", a.PostalCode}, {"city", a.City}, {"address1", a.Address1}, {"address2", a.Address2}}
}

// Val returns the kept input of a refused form, or def.
func (p *orderDetailPage) Val(name string, def any) string {
	if p.Form != nil {
		if v, ok := p.Form[name]; ok {
			return v[0]
		}
	}
	return fmt.Sprint(def)
}

// loadOrderPage reads everything the detail page shows.
func (h *Handlers) loadOrderPage(r *http.Request, number string) (*orderDetailPage, error) {
	ctx := r.Context()
	o, err := order.ByNumber(ctx, h.DB, number)
	if err != nil {
		return nil, err
	}
	en := web.Info(r).Lang == "en"
	p := &orderDetailPage{O: o, Prefs: jp.Prefectures(), Editable: order.Editable(o.Status), Loc: jst}
	if a := Current(r); a != nil {
		p.CanWrite = a.Can(AreaOrders, Write)
	}
	if _, p.Version, err = order.Version(ctx, h.DB, number); err != nil {
		return nil, err
	}
	if p.Lines, err = order.AdminLines(ctx, h.DB, o.ID); err != nil {
		return nil, err
	}
	for _, l := range p.Lines {
		p.HasReduced = p.HasReduced || l.Reduced
	}
	p.BuyerPref, p.ShipPref = prefName(o.Buyer.Pref, en), prefName(o.Ship.Pref, en)
	if p.Carriers, err = carriers(ctx, h.DB); err != nil {
		return nil, err
	}
	byCode := map[string]carrier{}
	for _, c := range p.Carriers {
		byCode[c.Code] = c
		if c.ID == o.DeliveryMethod {
			p.Method = c.Name(en)
		}
	}
	if o.DeliverySlot != "" {
		var ja, e string
		if err := h.DB.QueryRow(ctx, `SELECT label_ja, label_en FROM delivery_slots WHERE method_id = ? AND code = ?`, o.DeliveryMethod, o.DeliverySlot).Scan(&ja, &e); err == nil {
			p.Slot = ja
			if en {
				p.Slot = e
			}
		}
	}
	if p.Parcels, err = parcelViews(ctx, h.DB, o, p.Carriers, en); err != nil {
		return nil, err
	}
	p.Sent, _ = order.ParcelCounts(o)
	if job, ok, err := order.Capture(ctx, h.DB, o.ID); err != nil {
		return nil, err
	} else if ok {
		p.Capture = &job
	}
	if p.Payments, err = order.Payments(ctx, h.DB, o.ID); err != nil {
		return nil, err
	}
	ships, err := order.Shipments(ctx, h.DB, o.ID)
	if err != nil {
		return nil, err
	}
	for _, s := range ships {
		c := byCode[s.Carrier]
		p.Shipments = append(p.Shipments, shipmentView{Shipment: s, Carrier: c.Name(en), URL: c.URL(s.Tracking)})
	}
	if p.Events, err = order.Events(ctx, h.DB, o.ID); err != nil {
		return nil, err
	}
	if p.Notes, err = order.Notes(ctx, h.DB, o.ID); err != nil {
		return nil, err
	}
	for _, s := range orderStatuses {
		if order.CanMove(o.Status, s) && s != order.Shipped {
			p.Next = append(p.Next, s)
		}
	}
	return p, nil
}

func prefName(code int, en bool) string {
	p, ok := jp.PrefectureByCode(code)
	if !ok {
		return ""
	}
	if en {
		return p.NameEn
	}
	return p.Name
}

// orderDetail shows an order. GET /{admin}/orders/{number}
func (h *Handlers) orderDetail(w http.ResponseWriter, r *http.Request) error {
	p, err := h.loadOrderPage(r, r.PathValue("number"))
	if err != nil {
		return err
	}
	return h.page(w, r, http.StatusOK, "admin_order", "admin.orders.detail_title", p)
}

// refuseOrderForm shows the order again with a refused form's input and
// its messages, with the error's status (400, 409).
func (h *Handlers) refuseOrderForm(w http.ResponseWriter, r *http.Request, cause error) error {
	var se *shop.Error
	if !errors.As(cause, &se) || se.Kind == shop.Internal || se.Kind == shop.NotFound {
		return cause
	}
	p, err := h.loadOrderPage(r, r.PathValue("number"))
	if err != nil {
		return err
	}
	p.Form = r.PostForm
	p.Error = web.Message(r, cause)
	p.Fields = se.Fields
	return h.page(w, r, web.Status(cause), "admin_order", "admin.orders.detail_title", p)
}
