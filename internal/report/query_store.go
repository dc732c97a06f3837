package report

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/shop"
)

// maxRows bounds a breakdown; the CSV has the same rows as the page.
const maxRows = 500

// Period returns the buckets of a period report with the previous
// period's figures beside them, and the totals of both periods.
func (s *Store) Period(ctx context.Context, q Query) (buckets []Bucket, total, prev Figures, err error) {
	cur, err := s.days(ctx, q)
	if err != nil {
		return nil, total, prev, err
	}
	before, err := s.days(ctx, q.Previous())
	if err != nil {
		return nil, total, prev, err
	}
	index := map[time.Time]int{}
	for d := q.From; !d.After(q.To); d = d.AddDate(0, 0, 1) {
		start := bucketStart(d, q.Unit)
		if _, ok := index[start]; !ok {
			index[start] = len(buckets)
			buckets = append(buckets, Bucket{Start: start, Label: bucketLabel(start, q.Unit)})
		}
		b := &buckets[index[start]]
		f := cur[d]
		b.Figures.add(f)
		total.add(f)
		// The same day of the previous period: the same offset from its start.
		pf := before[d.AddDate(0, 0, -q.Days())]
		b.Previous.add(pf)
		prev.add(pf)
	}
	return buckets, total, prev, nil
}

func (f *Figures) add(g Figures) {
	f.Orders += g.Orders
	f.Qty += g.Qty
	f.Amount += g.Amount
}

// days reads the day totals of q's period.
func (s *Store) days(ctx context.Context, q Query) (map[time.Time]Figures, error) {
	rows, err := s.DB.Query(ctx, `SELECT day, orders, qty, amount FROM report_daily WHERE dim = 'period' AND day >= ? AND day <= ?`,
		q.From.Format("2006-01-02"), q.To.Format("2006-01-02"))
	if err != nil {
		return nil, fmt.Errorf("report: days: %w", err)
	}
	defer rows.Close()
	out := map[time.Time]Figures{}
	for rows.Next() {
		var day string
		var f Figures
		var amount int64
		if err := rows.Scan(&day, &f.Orders, &f.Qty, &amount); err != nil {
			return nil, err
		}
		t, err := time.ParseInLocation("2006-01-02", day, jst)
		if err != nil {
			return nil, fmt.Errorf("report: day %q: %w", day, err)
		}
		f.Amount = shop.Yen(amount)
		out[t] = f
	}
	return out, rows.Err()
}

// Breakdown returns the rows of a breakdown report, largest amount first,
// labelled in lang, with the period's total.
func (s *Store) Breakdown(ctx context.Context, q Query, lang i18n.Lang) ([]Row, Figures, error) {
	var total Figures
	sp := splitMonths(q.From, q.To)
	rows, err := s.DB.Query(ctx, `
		SELECT r.key, MAX(r.label_ja), MAX(r.label_en), SUM(r.orders), SUM(r.qty), SUM(r.amount)
		FROM (
			SELECT key, label_ja, label_en, orders, qty, amount FROM report_daily
			WHERE dim = ? AND ((day >= ? AND day < ?) OR (day >= ? AND day <= ?))
			UNION ALL
			SELECT key, label_ja, label_en, orders, qty, amount FROM report_monthly
			WHERE dim = ? AND month >= ? AND month < ?
		) r
		GROUP BY r.key
		ORDER BY SUM(r.amount) DESC, r.key
		LIMIT ?`, string(q.Kind), sp.headFrom, sp.headTo, sp.tailFrom, sp.tailTo,
		string(q.Kind), sp.monthFrom, sp.monthTo, maxRows)
	if err != nil {
		return nil, total, fmt.Errorf("report: %s: %w", q.Kind, err)
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		var r Row
		var ja, en string
		var amount int64
		if err := rows.Scan(&r.Key, &ja, &en, &r.Figures.Orders, &r.Figures.Qty, &amount); err != nil {
			return nil, total, err
		}
		r.Figures.Amount = shop.Yen(amount)
		r.Label = ja
		if lang == i18n.English && en != "" {
			r.Label = en
		}
		total.add(r.Figures)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, total, err
	}
	rows.Close()
	if err := s.label(ctx, q.Kind, out, lang); err != nil {
		return nil, total, err
	}
	for i := range out {
		if total.Amount > 0 {
			out[i].Share = float64(out[i].Figures.Amount) / float64(total.Amount)
		}
	}
	return out, total, nil
}

// label names the rows whose summary carries only a key: categories by
// their current name, prefectures, and the fixed keys through the
// message catalogue.
func (s *Store) label(ctx context.Context, k Kind, rows []Row, lang i18n.Lang) error {
	var names map[string][2]string
	if k == ByCategory {
		var err error
		if names, err = s.categoryNames(ctx); err != nil {
			return err
		}
	}
	for i := range rows {
		r := &rows[i]
		switch k {
		case ByCategory:
			n, ok := names[r.Key]
			if !ok {
				r.Label = i18n.T(lang, "report.deleted_category", r.Key)
				continue
			}
			r.Label = n[0]
			if lang == i18n.English && n[1] != "" {
				r.Label = n[1]
			}
		case ByPref:
			code, _ := strconv.Atoi(r.Key)
			if p, ok := jp.PrefectureByCode(code); ok {
				r.Label = p.Name
				if lang == i18n.English {
					r.Label = p.NameEn
				}
			}
		case ByAge, ByGender, ByMember:
			r.Label = i18n.T(lang, "report."+string(k)+"."+r.Key)
		case ByPayment:
			r.Label = i18n.T(lang, "admin.orders.pay."+r.Key)
		}
		if r.Label == "" {
			r.Label = r.Key
		}
	}
	return nil
}

// categoryNames maps category IDs to their Japanese and English names.
func (s *Store) categoryNames(ctx context.Context) (map[string][2]string, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, name_ja, name_en FROM categories`)
	if err != nil {
		return nil, fmt.Errorf("report: categories: %w", err)
	}
	defer rows.Close()
	out := map[string][2]string{}
	for rows.Next() {
		var id int64
		var ja, en string
		if err := rows.Scan(&id, &ja, &en); err != nil {
			return nil, err
		}
		out[strconv.FormatInt(id, 10)] = [2]string{ja, en}
	}
	return out, rows.Err()
}

// monthSplit cuts a range of days into the days before the first whole
// month [headFrom, headTo), the whole months [monthFrom, monthTo) and
// the days after the last whole month [tailFrom, tailTo] (dates as the
// summary writes them; an empty part has from ≥ to).
type monthSplit struct {
	headFrom, headTo, monthFrom, monthTo, tailFrom, tailTo string
}

func splitMonths(from, to time.Time) monthSplit {
	const d, m = "2006-01-02", "2006-01"
	first := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, jst)
	if !first.Equal(from) {
		first = first.AddDate(0, 1, 0) // the first whole month starts after from
	}
	// The month of to is whole only when to is its last day.
	end := time.Date(to.Year(), to.Month(), 1, 0, 0, 0, 0, jst)
	if to.AddDate(0, 0, 1).Equal(end.AddDate(0, 1, 0)) {
		end = end.AddDate(0, 1, 0)
	}
	if !end.After(first) {
		// No whole month: every day is in the head.
		return monthSplit{headFrom: from.Format(d), headTo: to.AddDate(0, 0, 1).Format(d),
			monthFrom: "9999-99", monthTo: "0000-00", tailFrom: "9999-99-99", tailTo: "0000-00-00"}
	}
	return monthSplit{headFrom: from.Format(d), headTo: first.Format(d),
		monthFrom: first.Format(m), monthTo: end.Format(m),
		tailFrom: end.Format(d), tailTo: to.Format(d)}
}
