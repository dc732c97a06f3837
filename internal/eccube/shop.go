package eccube

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/jp"
)

// importShop brings the shop's basic information (dtb_base_info) into
// the settings and the 特定商取引法 rows (dtb_tradelaw, 4.2+) into the
// legal-notice page (/pages/tokushoho).
func (im *Importer) importShop(ctx context.Context) error {
	var company, shopName, email, phone, postal, addr1, addr2, hours text
	var pref id
	var perProductTax flag
	err := im.Source.each(ctx, `SELECT company_name, shop_name, email01, phone_number, postal_code, pref_id, addr01, addr02, business_hour, option_product_tax_rule
		FROM dtb_base_info ORDER BY id LIMIT 1`, nil, func(sc func(...any) error) error {
		return sc(&company, &shopName, &email, &phone, &postal, &pref, &addr1, &addr2, &hours, &perProductTax)
	})
	if err != nil {
		return err
	}
	im.rep.seen("shop")
	address := addr1.S + addr2.S
	if p, ok := jp.PrefectureByCode(int(pref.V)); ok {
		address = p.Name + address
	}
	kv := map[string]string{
		"shop.name": shopName.S, "shop.company": company.S, "shop.email": email.S, "shop.phone": phone.S,
		"shop.postal_code": digits(postal.S), "shop.address": address, "shop.hours": hours.S,
	}
	var law [][2]string
	if im.Source.has("dtb_tradelaw") {
		err := im.Source.each(ctx, `SELECT name, description FROM dtb_tradelaw ORDER BY sort_no, id`, nil, func(sc func(...any) error) error {
			var n, d text
			if err := sc(&n, &d); err != nil {
				return err
			}
			if n.S != "" && d.S != "" {
				law = append(law, [2]string{n.S, d.S})
			}
			return nil
		})
		if err != nil {
			return err
		}
	} else {
		im.rep.warn("page", "tokushoho", "EC-CUBE %s keeps the 特定商取引法 page in a template, not in the database: write /pages/tokushoho by hand", im.Source.Version)
	}
	if im.DryRun {
		im.rep.imported("shop")
		if len(law) > 0 {
			im.rep.seen("page")
			im.rep.imported("page")
		}
		return nil
	}
	return im.DB.Tx(ctx, func(tx *db.Tx) error {
		for k, v := range kv {
			if v == "" {
				continue
			}
			if _, err := tx.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, k, v, tx.Now()); err != nil {
				return err
			}
		}
		im.rep.imported("shop")
		if len(law) == 0 {
			return nil
		}
		im.rep.seen("page")
		var b strings.Builder
		for _, r := range law {
			fmt.Fprintf(&b, "| %s | %s |\n", cell(r[0]), cell(r[1]))
		}
		existed, err := upsertPage(ctx, tx, "tokushoho", "特定商取引法に基づく表記", b.String(), 1)
		im.rep.done("page", existed)
		return err
	})
}

// cell makes s fit one markup table cell.
func cell(s string) string {
	return strings.NewReplacer("|", "｜", "\r\n", " ", "\n", " ").Replace(HTMLToMarkup(s))
}

// upsertPage writes a shop page by slug.
func upsertPage(ctx context.Context, tx *db.Tx, slug, title, body string, sort int) (bool, error) {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM pages WHERE slug = ?`, slug).Scan(&n); err != nil {
		return false, err
	}
	_, err := tx.Exec(ctx, `INSERT INTO pages (slug, title_ja, body_ja, published, sort_order, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (slug) DO UPDATE SET title_ja = excluded.title_ja, body_ja = excluded.body_ja, updated_at = excluded.updated_at`,
		slug, title, body, true, sort, tx.Now(), tx.Now())
	return n > 0, err
}

// importTaxRules brings the shop-wide tax rules over as Akinai's standard
// rate schedule; per-product rules made the product's tax class (8 % →
// reduced) when the products were read.
func (im *Importer) importTaxRules(ctx context.Context) error {
	type rule struct {
		ID   int64
		Rate num
		From stamp
	}
	var rules []rule
	err := im.Source.each(ctx, `SELECT id, tax_rate, apply_date FROM dtb_tax_rule WHERE product_id IS NULL AND product_class_id IS NULL ORDER BY apply_date, id`, nil, func(sc func(...any) error) error {
		var r rule
		if err := sc(&r.ID, &r.Rate, &r.From); err != nil {
			return err
		}
		rules = append(rules, r)
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range rules {
		im.rep.seen("tax_rule")
		if !r.From.Valid {
			im.rep.refuse("tax_rule", r.ID, "no apply date")
			continue
		}
		if im.DryRun {
			im.rep.imported("tax_rule")
			continue
		}
		im.unit(ctx, "tax_rule", r.ID, func(tx *db.Tx) ([]func(), error) {
			var have int64
			err := tx.QueryRow(ctx, `SELECT rate_bp FROM tax_rules WHERE tax_class = 'standard' AND effective_from = ?`, r.From.T).Scan(&have)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				_, err = tx.Exec(ctx, `INSERT INTO tax_rules (tax_class, rate_bp, effective_from) VALUES ('standard', ?, ?)`, r.Rate.Int()*100, r.From.T)
				im.rep.imported("tax_rule")
			case err == nil && have != r.Rate.Int()*100:
				im.rep.warn("tax_rule", r.ID, "Akinai already has %d.%02d%% from %s; EC-CUBE says %d%%: check 設定 > 税率", have/100, have%100, r.From.T.In(jst).Format("2006-01-02"), r.Rate.Int())
				im.rep.updated("tax_rule")
			case err == nil:
				im.rep.updated("tax_rule")
			}
			return nil, err
		})
	}
	return nil
}

// importDeliveries brings the delivery methods over with their fee per
// prefecture and their time slots.
func (im *Importer) importDeliveries(ctx context.Context) error {
	type delivery struct {
		ID                 int64
		Name, Service, URL text
		Sort               num
		Visible            flag
		fees               map[int64]int64
		times              [][2]string
	}
	var ds []*delivery
	byID := map[int64]*delivery{}
	err := im.Source.each(ctx, `SELECT id, name, service_name, confirm_url, sort_no, visible FROM dtb_delivery ORDER BY sort_no, id`, nil, func(sc func(...any) error) error {
		d := &delivery{fees: map[int64]int64{}}
		if err := sc(&d.ID, &d.Name, &d.Service, &d.URL, &d.Sort, &d.Visible); err != nil {
			return err
		}
		ds = append(ds, d)
		byID[d.ID] = d
		return nil
	})
	if err != nil {
		return err
	}
	if err := im.Source.each(ctx, `SELECT delivery_id, pref_id, fee FROM dtb_delivery_fee`, nil, func(sc func(...any) error) error {
		var did int64
		var pref id
		var fee num
		if err := sc(&did, &pref, &fee); err != nil {
			return err
		}
		if d := byID[did]; d != nil && validPref(pref) && fee.Valid && fee.V >= 0 {
			d.fees[pref.V] = fee.Int()
		}
		return nil
	}); err != nil {
		return err
	}
	im.slots = map[int64]string{}
	if err := im.Source.each(ctx, `SELECT id, delivery_id, delivery_time FROM dtb_delivery_time ORDER BY delivery_id, sort_no, id`, nil, func(sc func(...any) error) error {
		var tid, did int64
		var label text
		if err := sc(&tid, &did, &label); err != nil {
			return err
		}
		code := "t" + strconv.FormatInt(tid, 10)
		im.slots[tid] = code
		if d := byID[did]; d != nil && label.S != "" {
			d.times = append(d.times, [2]string{code, label.S})
		}
		return nil
	}); err != nil {
		return err
	}
	for _, d := range ds {
		im.rep.seen("delivery")
		if len(d.fees) < 47 {
			im.rep.warn("delivery", d.ID, "%s has a fee for %d of the 47 prefectures; the others are 0 yen: check 設定 > 配送方法", d.Name.S, len(d.fees))
		}
		if im.DryRun {
			im.m("delivery")[strconv.FormatInt(d.ID, 10)] = -1
			im.rep.imported("delivery")
			continue
		}
		existing, had := im.mapped("delivery", d.ID)
		im.unit(ctx, "delivery", d.ID, func(tx *db.Tx) ([]func(), error) {
			var after []func()
			carrier := trimJoin(" ", d.Service.S)
			if carrier == "" {
				carrier = d.Name.S
			}
			url := ""
			if strings.HasPrefix(d.URL.S, "http") {
				url = d.URL.S
			}
			mid := existing
			if had {
				if _, err := tx.Exec(ctx, `UPDATE delivery_methods SET name_ja = ?, carrier = ?, tracking_url = ?, active = ? WHERE id = ?`, d.Name.S, carrier, url, bool(d.Visible), mid); err != nil {
					return nil, err
				}
			} else {
				if err := tx.QueryRow(ctx, `INSERT INTO delivery_methods (code, name_ja, carrier, tracking_url, sort_order, active) VALUES (?, ?, ?, ?, ?, ?)
					ON CONFLICT (code) DO UPDATE SET name_ja = excluded.name_ja RETURNING id`,
					"eccube_"+strconv.FormatInt(d.ID, 10), d.Name.S, carrier, url, 100+d.Sort.Int(), bool(d.Visible)).Scan(&mid); err != nil {
					return nil, err
				}
				f, err := im.remember(ctx, tx, "delivery", d.ID, mid)
				if err != nil {
					return nil, err
				}
				after = append(after, f)
			}
			for pref := int64(1); pref <= 47; pref++ {
				if _, err := tx.Exec(ctx, `INSERT INTO delivery_fees (method_id, pref, fee) VALUES (?, ?, ?)
					ON CONFLICT (method_id, pref) DO UPDATE SET fee = excluded.fee`, mid, pref, d.fees[pref]); err != nil {
					return nil, err
				}
			}
			for i, t := range d.times {
				if _, err := tx.Exec(ctx, `INSERT INTO delivery_slots (method_id, code, label_ja, label_en, sort_order) VALUES (?, ?, ?, ?, ?)
					ON CONFLICT (method_id, code) DO UPDATE SET label_ja = excluded.label_ja, sort_order = excluded.sort_order`, mid, t[0], t[1], t[1], i); err != nil {
					return nil, err
				}
			}
			im.rep.done("delivery", had)
			return after, nil
		})
	}
	if im.DryRun {
		return nil
	}
	// Orders whose delivery method is unknown (deleted in EC-CUBE) go to
	// the first imported one, or the shop's first.
	return im.DB.QueryRow(ctx, `SELECT id FROM delivery_methods ORDER BY CASE WHEN code LIKE 'eccube_%' THEN 0 ELSE 1 END, sort_order, id LIMIT 1`).Scan(&im.fallbackDelivery)
}
