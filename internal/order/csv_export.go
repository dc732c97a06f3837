package order

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/csvcols"
	"github.com/akinai/akinai/internal/csvfile"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/shop"
)

// csvEnv is what column values need besides their row: the reader's
// language.
type csvEnv struct {
	En bool
	T  func(key string) string
}

func (e *csvEnv) pref(code int) string {
	p, ok := jp.PrefectureByCode(code)
	switch {
	case !ok:
		return ""
	case e.En:
		return p.NameEn
	}
	return p.Name
}

// col is a column of an export: its key and how a row gives its value.
type col[T any] struct {
	key string
	val func(*T, *csvEnv) string
}

func columnKeys[T any](cols []col[T]) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.key
	}
	return out
}

func yenStr(y shop.Yen) string { return strconv.FormatInt(int64(y), 10) }

func jstTime(t time.Time) string { return t.In(jst).Format("2006-01-02 15:04:05") }

// orderRow is an order of the per-order export with its per-rate sums.
type orderRow struct {
	*Summary
	t10, x10, t8, x8 shop.Yen
}

var orderCols = []col[orderRow]{
	{"number", func(r *orderRow, _ *csvEnv) string { return r.Number }},
	{"date", func(r *orderRow, _ *csvEnv) string { return jstTime(r.CreatedAt) }},
	{"status", func(r *orderRow, e *csvEnv) string { return e.T("admin.orders.status." + string(r.Status)) }},
	{"payment", func(r *orderRow, e *csvEnv) string { return e.T("admin.orders.pay." + r.PaymentMethod) }},
	{"family_name", func(r *orderRow, _ *csvEnv) string { return r.Buyer.FamilyName }},
	{"given_name", func(r *orderRow, _ *csvEnv) string { return r.Buyer.GivenName }},
	{"family_kana", func(r *orderRow, _ *csvEnv) string { return r.Buyer.FamilyKana }},
	{"given_kana", func(r *orderRow, _ *csvEnv) string { return r.Buyer.GivenKana }},
	{"email", func(r *orderRow, _ *csvEnv) string { return r.Email }},
	{"phone", func(r *orderRow, _ *csvEnv) string { return r.Buyer.Phone }},
	{"postal_code", func(r *orderRow, _ *csvEnv) string { return r.Buyer.PostalCode }},
	{"pref", func(r *orderRow, e *csvEnv) string { return e.pref(r.Buyer.Pref) }},
	{"address", func(r *orderRow, _ *csvEnv) string { return r.Buyer.City + r.Buyer.Address1 + " " + r.Buyer.Address2 }},
	{"subtotal", func(r *orderRow, _ *csvEnv) string { return yenStr(r.Subtotal) }},
	{"delivery_fee", func(r *orderRow, _ *csvEnv) string { return yenStr(r.DeliveryFee) }},
	{"cod_fee", func(r *orderRow, _ *csvEnv) string { return yenStr(r.CODFee) }},
	{"total", func(r *orderRow, _ *csvEnv) string { return yenStr(r.Total) }},
	{"total_10", func(r *orderRow, _ *csvEnv) string { return yenStr(r.t10) }},
	{"tax_10", func(r *orderRow, _ *csvEnv) string { return yenStr(r.x10) }},
	{"total_8", func(r *orderRow, _ *csvEnv) string { return yenStr(r.t8) }},
	{"tax_8", func(r *orderRow, _ *csvEnv) string { return yenStr(r.x8) }},
	{"delivery_date", func(r *orderRow, _ *csvEnv) string { return r.DeliveryDate }},
}

// LineRow is an order line with its order, for the per-line export.
type LineRow struct {
	Number             string
	CreatedAt          time.Time
	Status             Status
	Payment            string
	FamilyName         string
	GivenName          string
	Name, Variant, SKU string
	UnitPrice          shop.Yen
	Qty                int
	Rate               shop.TaxRate
	Reduced            bool
}

var lineCols = []col[LineRow]{
	{"number", func(r *LineRow, _ *csvEnv) string { return r.Number }},
	{"date", func(r *LineRow, _ *csvEnv) string { return jstTime(r.CreatedAt) }},
	{"status", func(r *LineRow, e *csvEnv) string { return e.T("admin.orders.status." + string(r.Status)) }},
	{"payment", func(r *LineRow, e *csvEnv) string { return e.T("admin.orders.pay." + r.Payment) }},
	{"buyer", func(r *LineRow, _ *csvEnv) string { return r.FamilyName + " " + r.GivenName }},
	{"product", func(r *LineRow, _ *csvEnv) string { return r.Name }},
	{"variant", func(r *LineRow, _ *csvEnv) string { return r.Variant }},
	{"sku", func(r *LineRow, _ *csvEnv) string { return r.SKU }},
	{"unit_price", func(r *LineRow, _ *csvEnv) string { return yenStr(r.UnitPrice) }},
	{"qty", func(r *LineRow, _ *csvEnv) string { return strconv.Itoa(r.Qty) }},
	{"line_total", func(r *LineRow, _ *csvEnv) string { return yenStr(r.UnitPrice * shop.Yen(r.Qty)) }},
	{"tax_rate", func(r *LineRow, _ *csvEnv) string { return strconv.Itoa(int(r.Rate)/100) + "%" }},
	{"reduced", func(r *LineRow, _ *csvEnv) string {
		if r.Reduced {
			return "※"
		}
		return ""
	}},
}

var shipmentCols = []col[LabelParcel]{
	{"number", func(p *LabelParcel, _ *csvEnv) string { return p.Number }},
	{"parcel", func(p *LabelParcel, _ *csvEnv) string { return strconv.Itoa(p.Seq) }},
	{"ref", func(p *LabelParcel, _ *csvEnv) string { return ParcelRef(p.Number, p.Seq) }},
	{"recipient", func(p *LabelParcel, _ *csvEnv) string { return p.Ship.FamilyName + " " + p.Ship.GivenName }},
	{"recipient_kana", func(p *LabelParcel, _ *csvEnv) string { return p.Ship.FamilyKana + " " + p.Ship.GivenKana }},
	{"phone", func(p *LabelParcel, _ *csvEnv) string { return p.Ship.Phone }},
	{"postal_code", func(p *LabelParcel, _ *csvEnv) string { return p.Ship.PostalCode }},
	{"pref", func(p *LabelParcel, e *csvEnv) string { return e.pref(p.Ship.Pref) }},
	{"address", func(p *LabelParcel, _ *csvEnv) string { return p.Ship.City + p.Ship.Address1 + " " + p.Ship.Address2 }},
	{"delivery_date", func(p *LabelParcel, _ *csvEnv) string { return p.Date }},
	{"delivery_slot", func(p *LabelParcel, _ *csvEnv) string { return p.Slot }},
	{"method", func(p *LabelParcel, _ *csvEnv) string { return p.Method }},
	{"carrier", func(p *LabelParcel, _ *csvEnv) string { return p.Carrier }},
	{"tracking", func(p *LabelParcel, _ *csvEnv) string { return p.Tracking }},
	{"shipped_at", func(p *LabelParcel, _ *csvEnv) string {
		if !p.ShippedAt.Valid {
			return ""
		}
		return jstTime(p.ShippedAt.Time)
	}},
	{"items", func(p *LabelParcel, _ *csvEnv) string {
		parts := make([]string, len(p.Items))
		for i, it := range p.Items {
			parts[i] = it.Name + "×" + strconv.Itoa(it.Qty)
		}
		return strings.Join(parts, " / ")
	}},
}

// writeExport writes the header and the rows of one export type with the
// operator's columns (csvcols); each(fn) feeds the rows, and only the
// chosen columns are computed.
func writeExport[T any](cw *csvfile.Writer, e csvcols.Export, cols []col[T], chosen []csvcols.Chosen, env *csvEnv, each func(func(*T) error) error) error {
	w, err := csvcols.Start(cw, e, chosen, env.T)
	if err != nil {
		return err
	}
	use := make([]col[T], len(w.Picks()))
	for i, p := range w.Picks() {
		use[i] = cols[p]
	}
	rec := make([]string, len(use))
	return each(func(row *T) error {
		for i, c := range use {
			rec[i] = c.val(row, env)
		}
		return w.WriteChosen(rec)
	})
}

// WriteExport writes the export of type exportType for the orders f
// selects into cw, with the chosen columns and headings in the language
// of t. Rows are read in pages, so memory stays flat. Errors: NotFound
// for an unknown type; database and write errors as they come.
func WriteExport(ctx context.Context, q db.Queryer, cw *csvfile.Writer, exportType string, f Filter, chosen []csvcols.Chosen, en bool, t func(string) string) error {
	env := &csvEnv{En: en, T: t}
	e, ok := ExportOf(exportType)
	if !ok {
		return shop.ErrNotFound
	}
	switch exportType {
	case ExportOrders:
		return writeExport(cw, e, orderCols, chosen, env, func(fn func(*orderRow) error) error {
			return Each(ctx, q, f, func(s *Summary) error {
				r := orderRow{Summary: s}
				var rates []RateTotal
				_ = json.Unmarshal([]byte(s.Rates), &rates)
				for _, rt := range rates {
					if rt.Reduced {
						r.t8, r.x8 = r.t8+rt.Total, r.x8+rt.Tax
					} else {
						r.t10, r.x10 = r.t10+rt.Total, r.x10+rt.Tax
					}
				}
				return fn(&r)
			})
		})
	case ExportLines:
		return writeExport(cw, e, lineCols, chosen, env, func(fn func(*LineRow) error) error {
			return EachLine(ctx, q, f, fn)
		})
	case ExportShipments:
		return writeExport(cw, e, shipmentCols, chosen, env, func(fn func(*LabelParcel) error) error {
			return EachParcel(ctx, q, f, true, fn)
		})
	}
	return shop.ErrNotFound
}

// EachLine calls fn for every line of the orders f selects, in line
// order, reading pages of 1,000 lines.
func EachLine(ctx context.Context, q db.Queryer, f Filter, fn func(*LineRow) error) error {
	where, args := f.where()
	where = strings.Replace(where, " WHERE ", " AND ", 1)
	const page = 1000
	var last int64
	for {
		rows, err := q.Query(ctx, `SELECT l.id, o.number, o.created_at, o.status, o.payment_method, o.family_name, o.given_name,
			l.name_ja, l.variant_ja, l.sku, l.unit_price, l.qty, l.tax_rate_bp, l.reduced
			FROM order_lines l JOIN orders o ON o.id = l.order_id
			WHERE l.id > ? AND EXISTS (SELECT 1 FROM orders f WHERE f.id = l.order_id`+where+`)
			ORDER BY l.id LIMIT ?`, append(append([]any{last}, args...), page)...)
		if err != nil {
			return err
		}
		n := 0
		for rows.Next() {
			var r LineRow
			var status string
			var price int64
			var rate int
			if err := rows.Scan(&last, &r.Number, &r.CreatedAt, &status, &r.Payment, &r.FamilyName, &r.GivenName,
				&r.Name, &r.Variant, &r.SKU, &price, &r.Qty, &rate, &r.Reduced); err != nil {
				rows.Close()
				return err
			}
			r.Status, r.UnitPrice, r.Rate = Status(status), shop.Yen(price), shop.TaxRate(rate)
			n++
			if err := fn(&r); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if n < page {
			return nil
		}
	}
}
