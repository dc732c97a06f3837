package eccubetest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// inserter writes rows with multi-row INSERTs, a few hundred at a time.
type inserter struct {
	f     *filler
	conn  *sql.DB
	pg    bool
	table string
	cols  []string
	rows  [][]any
	err   error
}

func (f *filler) ins(table string, cols ...string) *inserter {
	in := &inserter{f: f, conn: f.conn, pg: f.pg, table: table, cols: cols}
	f.open = append(f.open, in)
	return in
}

func (in *inserter) add(vals ...any) {
	if len(vals) != len(in.cols) {
		panic(fmt.Sprintf("%s: %d values for %d columns", in.table, len(vals), len(in.cols)))
	}
	in.rows = append(in.rows, vals)
	if len(in.rows)*len(in.cols) > 6000 {
		// Parents first: the tables made before this one may hold rows
		// this one's foreign keys point at.
		for _, o := range in.f.open {
			o.flush()
			if o == in {
				break
			}
		}
	}
}

func (in *inserter) flush() error {
	if in.err != nil || len(in.rows) == 0 {
		return in.err
	}
	var b strings.Builder
	b.WriteString("INSERT INTO " + in.table + " (" + strings.Join(in.cols, ", ") + ", discriminator_type) VALUES ")
	args := make([]any, 0, len(in.rows)*len(in.cols))
	n := 0
	disc := strings.ReplaceAll(strings.TrimPrefix(strings.TrimPrefix(in.table, "dtb_"), "mtb_"), "_", "")
	for i, r := range in.rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(")
		for j := range r {
			if j > 0 {
				b.WriteString(", ")
			}
			n++
			if in.pg {
				b.WriteString("$" + strconv.Itoa(n))
			} else {
				b.WriteString("?")
			}
		}
		b.WriteString(", '" + disc + "')")
		args = append(args, r...)
	}
	_, in.err = in.conn.Exec(b.String(), args...)
	if in.err != nil {
		in.err = fmt.Errorf("%s: %w", in.table, in.err)
	}
	in.rows = in.rows[:0]
	return in.err
}

type filler struct {
	conn *sql.DB
	pg   bool
	open []*inserter
}

func null(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

func nullS(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Fill writes the shop into an EC-CUBE database made by NewMariaDB or
// NewPostgres, and its save_image folder into imageDir ("" for none).
func Fill(ctx context.Context, conn *sql.DB, pg bool, s *Shop, imageDir string) error {
	f := &filler{conn: conn, pg: pg}
	created := time.Date(2022, 1, 10, 1, 2, 3, 0, time.UTC)
	if !pg {
		// A column once converted to binary holds what it was given; it
		// is how bytes that are not UTF-8 end up in a real shop.
		if _, err := conn.ExecContext(ctx, "ALTER TABLE dtb_customer MODIFY note VARBINARY(4000) NULL"); err != nil {
			return err
		}
	}
	exec := func(q string, args ...any) error {
		if pg {
			n := 0
			q2 := strings.Builder{}
			for _, r := range q {
				if r == '?' {
					n++
					q2.WriteString("$" + strconv.Itoa(n))
					continue
				}
				q2.WriteRune(r)
			}
			q = q2.String()
		}
		_, err := conn.ExecContext(ctx, q, args...)
		return err
	}
	steps := []func() error{
		func() error {
			m := f.ins("dtb_member", "id", "name", "department", "login_id", "password", "salt", "sort_no", "work_id", "authority_id", "two_factor_auth_enabled", "create_date", "update_date")
			m.add(1, "管理者", "本店", "admin", "x", "y", 1, 1, 0, false, created, created)
			m.add(2, "山田 店長", "本店", "tencho", "x", "y", 2, 1, 1, false, created, created)
			m.add(3, "退職した人", "", "retired", "x", "y", 3, 0, 1, false, created, created)
			return m.flush()
		},
		func() error {
			return exec(`INSERT INTO dtb_base_info (id, company_name, shop_name, email01, email02, email03, email04, phone_number, postal_code, pref_id, addr01, addr02, business_hour,
				option_mypage_order_status_display, option_nostock_hidden, option_favorite_product, option_product_delivery_fee, option_product_tax_rule, option_customer_activate,
				option_remember_me, option_mail_notifier, option_point, basic_point_rate, point_conversion_rate, update_date, discriminator_type)
				VALUES (1, '株式会社あきない商店', 'あきない商店', 'shop@example.jp', 'shop@example.jp', 'shop@example.jp', 'shop@example.jp', '03-1234-5678', '100-0001', 13, '千代田区千代田', '1-1', '平日 10:00〜18:00',
				?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1, ?, 'baseinfo')`, true, false, true, false, true, true, true, false, true, created)
		},
		func() error {
			t := f.ins("dtb_tradelaw", "id", "name", "description", "sort_no", "display_order_screen")
			for i, r := range [][2]string{{"販売業者", "株式会社あきない商店"}, {"代表責任者", "山田 太郎"}, {"所在地", "東京都千代田区千代田1-1"}, {"電話番号", "03-1234-5678"}, {"商品代金以外の必要料金", "送料（全国一律800円）| 代引手数料330円"}, {"返品・交換について", "<p>商品到着後7日以内にご連絡ください。</p>"}, {"空欄", ""}} {
				t.add(i+1, r[0], nullS(r[1]), i, i < 3)
			}
			return t.flush()
		},
		func() error {
			c := f.ins("dtb_category", "id", "parent_category_id", "category_name", "hierarchy", "sort_no", "create_date", "update_date")
			names := []string{"食品", "雑貨", "衣類", "お茶", "お菓子", "調味料", "食器", "布製品", "文具", "シャツ", "小物", "季節限定"}
			for i := 1; i <= 12; i++ {
				parent, level := int64(0), 1
				if i > 3 {
					parent, level = int64(1+(i-4)/3), 2
				}
				if i == 12 {
					parent, level = 4, 3
				}
				c.add(i, null(parent), names[i-1], level, 100-i, created, created)
			}
			return c.flush()
		},
		func() error {
			t := f.ins("dtb_tag", "id", "name", "sort_no")
			t.add(1, "新商品", 3)
			t.add(2, "おすすめ商品", 2)
			t.add(3, "限定品", 1)
			return t.flush()
		},
		func() error {
			n := f.ins("dtb_class_name", "id", "backend_name", "name", "sort_no", "create_date", "update_date")
			n.add(1, "カラー", "カラー", 3, created, created)
			n.add(2, "サイズ", "サイズ", 2, created, created)
			n.add(3, "靴サイズ", "サイズ", 1, created, created)
			if err := n.flush(); err != nil {
				return err
			}
			c := f.ins("dtb_class_category", "id", "backend_name", "name", "sort_no", "visible", "class_name_id", "create_date", "update_date")
			for i, v := range []struct {
				cls  int64
				name string
			}{{1, "赤"}, {1, "青"}, {1, "緑"}, {1, "黒"}, {2, "S"}, {2, "M"}, {2, "L"}, {3, "24cm"}, {3, "25cm"}} {
				c.add(i+1, v.name, v.name, 10-i, i != 3, v.cls, created, created)
			}
			return c.flush()
		},
		func() error {
			d := f.ins("dtb_delivery", "id", "name", "service_name", "description", "confirm_url", "sort_no", "visible", "sale_type_id", "create_date", "update_date")
			d.add(1, "サンプル業者", "サンプル宅配便", "", "https://track.example.jp/?no=", 1, true, 1, created, created)
			d.add(2, "メール便", "ネコポス", "", "", 2, true, 1, created, created)
			if err := d.flush(); err != nil {
				return err
			}
			fee := f.ins("dtb_delivery_fee", "id", "delivery_id", "pref_id", "fee")
			id := 0
			for _, dl := range []int{1, 2} {
				for p := 1; p <= 47; p++ {
					if dl == 2 && p > 40 {
						continue
					}
					id++
					fee.add(id, dl, p, 500+p*10*dl)
				}
			}
			if err := fee.flush(); err != nil {
				return err
			}
			t := f.ins("dtb_delivery_time", "id", "delivery_id", "delivery_time", "sort_no", "visible", "create_date", "update_date")
			t.add(1, 1, "午前中", 1, true, created, created)
			t.add(2, 1, "14時〜16時", 2, true, created, created)
			return t.flush()
		},
		func() error {
			p := f.ins("dtb_payment", "id", "payment_method", "charge", "rule_max", "sort_no", "fixed", "rule_min", "method_class", "visible", "create_date", "update_date")
			cash := `Eccube\Service\Payment\Method\Cash`
			p.add(1, "郵便振替", 0, nil, 4, true, 0, cash, true, created, created)
			p.add(2, "現金書留", 0, nil, 3, true, 0, cash, true, created, created)
			p.add(3, "銀行振込", 0, nil, 2, true, 0, cash, true, created, created)
			p.add(4, "代金引換", 330, 300000, 1, true, 0, cash, true, created, created)
			p.add(5, "クレジットカード決済", 0, nil, 5, true, 0, `Plugin\Example\Service\Method\CreditCard`, true, created, created)
			return p.flush()
		},
		func() error {
			return exec(`INSERT INTO dtb_tax_rule (id, tax_rate, tax_adjust, apply_date, rounding_type_id, create_date, update_date, discriminator_type) VALUES (1, 10, 0, ?, 1, ?, ?, 'taxrule')`,
				time.Date(2019, 9, 30, 15, 0, 0, 0, time.UTC), created, created)
		},
		func() error { return f.products(s, created) },
		func() error { return f.customers(s, created) },
		func() error { return f.orders(s) },
		func() error {
			n := f.ins("dtb_news", "id", "publish_date", "title", "description", "url", "link_method", "visible", "create_date", "update_date")
			n.add(1, created, "年末年始の営業について", "<p>12月29日から1月3日までお休みします。</p>", nil, false, true, created, created)
			n.add(2, created.AddDate(0, 1, 0), "新商品のお知らせ", "春の<strong>新茶</strong>が入荷しました。", "https://example.jp/news/2", false, true, created, created)
			n.add(3, created.AddDate(0, 2, 0), "非公開のお知らせ", "", "javascript:alert(1)", false, false, created, created)
			if err := n.flush(); err != nil {
				return err
			}
			pg := f.ins("dtb_page", "id", "page_name", "url", "file_name", "edit_type", "create_date", "update_date")
			pg.add(1, "TOPページ", "homepage", "index", 2, created, created)
			pg.add(2, "ご利用ガイド", "guide", "guide", 0, created, created)
			if err := pg.flush(); err != nil {
				return err
			}
			m := f.ins("dtb_mail_template", "id", "name", "file_name", "mail_subject", "create_date", "update_date")
			m.add(1, "注文受付メール", "Mail/order.twig", "ご注文ありがとうございます", created, created)
			m.add(8, "出荷通知メール", "Mail/shipping_notify.twig", "商品出荷のお知らせ", created, created)
			m.add(20, "独自メール", "Mail/original.twig", "特別なご案内", created, created)
			return m.flush()
		},
	}
	for _, st := range steps {
		if err := st(); err != nil {
			return err
		}
	}
	if imageDir != "" {
		if err := os.MkdirAll(imageDir, 0o755); err != nil {
			return err
		}
		for name, b := range s.Images {
			if err := os.WriteFile(filepath.Join(imageDir, name), b, 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

func (f *filler) products(s *Shop, created time.Time) error {
	p := f.ins("dtb_product", "id", "product_status_id", "name", "note", "description_list", "description_detail", "search_word", "free_area", "create_date", "update_date")
	pc := f.ins("dtb_product_class", "id", "product_id", "sale_type_id", "class_category_id1", "class_category_id2", "product_code", "stock", "stock_unlimited", "sale_limit", "price01", "price02", "visible", "create_date", "update_date")
	ps := f.ins("dtb_product_stock", "id", "product_class_id", "stock", "create_date", "update_date")
	pi := f.ins("dtb_product_image", "id", "product_id", "file_name", "sort_no", "create_date")
	pcat := f.ins("dtb_product_category", "product_id", "category_id")
	ptag := f.ins("dtb_product_tag", "id", "product_id", "tag_id", "create_date")
	tax := f.ins("dtb_tax_rule", "id", "product_id", "tax_rate", "tax_adjust", "apply_date", "rounding_type_id", "create_date", "update_date")
	var imgID, tagID, taxID int64 = 0, 0, 1
	for _, pr := range s.Products {
		p.add(pr.ID, pr.Status, pr.Name, nil, "一覧用の説明", pr.Detail, "検索語 "+pr.Name, "<p>フリーエリア</p>", created, created)
		for _, c := range pr.Classes {
			var stock any = c.Stock
			if c.Unlimited {
				stock = nil
			}
			pc.add(c.ID, pr.ID, 1, null(c.Cat1), null(c.Cat2), nullS(c.Code), stock, c.Unlimited, null(c.Limit), null(c.Price01), c.Price02, c.Visible, created, created)
			ps.add(c.ID, c.ID, stock, created, created)
		}
		for k, name := range pr.Images {
			imgID++
			pi.add(imgID, pr.ID, name, k+1, created)
		}
		for _, c := range pr.Categories {
			pcat.add(pr.ID, c)
		}
		for _, t := range pr.Tags {
			tagID++
			ptag.add(tagID, pr.ID, t, created)
		}
		if pr.Reduced {
			taxID++
			tax.add(taxID, pr.ID, 8, 0, created, 1, created, created)
		}
	}
	for _, in := range []*inserter{p, pc, ps, pi, pcat, ptag, tax} {
		if err := in.flush(); err != nil {
			return err
		}
	}
	return nil
}

func (f *filler) customers(s *Shop, created time.Time) error {
	c := f.ins("dtb_customer", "id", "customer_status_id", "sex_id", "pref_id", "name01", "name02", "kana01", "kana02", "company_name", "postal_code", "addr01", "addr02",
		"email", "phone_number", "birth", "password", "salt", "secret_key", "point", "note", "create_date", "update_date")
	a := f.ins("dtb_customer_address", "id", "customer_id", "pref_id", "name01", "name02", "kana01", "kana02", "postal_code", "addr01", "addr02", "phone_number", "create_date", "update_date")
	for i, cu := range s.Customers {
		var note any
		if cu.Note != nil {
			note = cu.Note
			if f.pg {
				note = strings.ToValidUTF8(string(cu.Note), "?")
			}
		}
		c.add(cu.ID, cu.Status, 1+cu.ID%2, null(cu.Pref), cu.Family, cu.Given, familyK[i%len(familyK)], givenK[i%len(givenK)], nullS(map[bool]string{true: "株式会社サンプル"}[i%25 == 0]),
			fmt.Sprintf("%03d-%04d", 100+i%800, i%10000), cities[i%len(cities)], fmt.Sprintf("%d-%d-%d", 1+i%9, 1+i%20, 1+i%30),
			cu.Email, fmt.Sprintf("090%08d", i), cu.Birth.UTC(), cu.Password, nullS(cu.Salt), fmt.Sprintf("secret%08d", cu.ID), cu.Point, note, created, created)
		for _, ad := range cu.Addresses {
			a.add(ad.ID, cu.ID, null(ad.Pref), cu.Family, "お届け先", "オトドケ", "サキ", "530-0001", "大阪市北区", "梅田1-1", "0661234567", created, created)
		}
	}
	if err := c.flush(); err != nil {
		return err
	}
	return a.flush()
}

func (f *filler) orders(s *Shop) error {
	o := f.ins("dtb_order", "id", "customer_id", "order_status_id", "payment_id", "pref_id", "pre_order_id", "order_no", "name01", "name02", "kana01", "kana02", "email", "phone_number",
		"postal_code", "addr01", "addr02", "subtotal", "discount", "delivery_fee_total", "charge", "tax", "total", "payment_total", "payment_method", "note", "add_point", "use_point",
		"order_date", "create_date", "update_date", "device_type_id")
	sh := f.ins("dtb_shipping", "id", "order_id", "delivery_id", "pref_id", "name01", "name02", "kana01", "kana02", "phone_number", "postal_code", "addr01", "addr02",
		"delivery_name", "time_id", "delivery_time", "tracking_number", "shipping_date", "sort_no", "create_date", "update_date")
	it := f.ins("dtb_order_item", "id", "order_id", "product_id", "product_class_id", "shipping_id", "order_item_type_id", "tax_type_id", "tax_display_type_id", "rounding_type_id",
		"product_name", "product_code", "class_category_name1", "price", "quantity", "tax", "tax_rate", "tax_adjust")
	payNames := map[int64]string{1: "郵便振替", 2: "現金書留", 3: "銀行振込", 4: "代金引換"}
	for _, or := range s.Orders {
		name := "購入者"
		if or.Customer != 0 {
			name = s.Customers[or.Customer-1].Family
		}
		o.add(or.ID, null(or.Customer), or.Status, or.Payment, or.Pref, fmt.Sprintf("pre%08d", or.ID), or.No, name, "様", "コウニュウ", "シャ",
			fmt.Sprintf("buyer%05d@example.jp", or.ID), "0312345678", "1000001", "千代田区千代田", "1-1",
			or.Subtotal, or.Discount, or.Fee, or.Charge, 0, or.Total, or.Total, payNames[or.Payment], "置き配希望", 0, or.UsePoint,
			or.Date, or.Date, or.Date, 10)
		for n, s := range or.Shippings {
			var shipped any
			if s.Tracking != "" {
				shipped = or.Date.Add(48 * time.Hour)
			}
			times := map[int64]string{1: "午前中", 2: "14時〜16時"}
			sh.add(s.ID, or.ID, s.Delivery, s.Pref, "受取", "太郎", "ウケトリ", "タロウ", "0311112222", "1500001", "渋谷区神宮前", "1-2-3",
				map[int64]string{1: "サンプル業者", 2: "メール便"}[s.Delivery], null(s.Time), nullS(times[s.Time]), nullS(s.Tracking), shipped, n+1, or.Date, or.Date)
		}
		for _, i := range or.Items {
			it.add(i.ID, or.ID, null(i.Product), null(i.Class), null(i.Shipping), i.Type, i.TaxType, i.Display, 1, i.Name, nullS(i.Code), nil, i.Price, i.Qty, i.Tax, i.Rate, 0)
		}
	}
	for _, in := range []*inserter{o, sh, it} {
		if err := in.flush(); err != nil {
			return err
		}
	}
	return nil
}
