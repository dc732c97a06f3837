package eccube_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/customer"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/eccube"
	"github.com/akinai/akinai/internal/eccube/eccubetest"
)

func makeTemp() (string, error) { return os.MkdirTemp("", "akinai-eccube-") }

// expected is what the import must make of a generated shop, worked out
// from the shop's rules independently of the importer's code.
type expected struct {
	counts          map[string][3]int // kind → imported, refused, skipped
	productOK       map[int64]bool
	customerOK      map[int64]bool
	refusedProducts []int64
	dupCustomers    []int64
	sku             map[int64]string // class id → SKU
	orderTotal      int64
	orders          int
}

func expect(s *eccubetest.Shop) expected {
	e := expected{counts: map[string][3]int{}, productOK: map[int64]bool{}, customerOK: map[int64]bool{}, sku: map[int64]string{}}
	add := func(kind string, i, r, sk int) {
		c := e.counts[kind]
		e.counts[kind] = [3]int{c[0] + i, c[1] + r, c[2] + sk}
	}
	used := map[string]bool{}
	for _, p := range s.Products {
		withCats := false
		for _, c := range p.Classes {
			withCats = withCats || c.Visible && c.Cat1 != 0
		}
		var sale []eccubetest.Class
		hidden := 0
		for _, c := range p.Classes {
			if c.Visible && (!withCats || c.Cat1 != 0) {
				sale = append(sale, c)
			} else {
				hidden++
			}
		}
		add("variant", 0, 0, hidden)
		if len(sale) == 0 {
			add("product", 0, 1, 0)
			e.refusedProducts = append(e.refusedProducts, p.ID)
			continue
		}
		add("product", 1, 0, 0)
		e.productOK[p.ID] = true
		for _, c := range sale {
			add("variant", 1, 0, 0)
			sku := c.Code
			if sku == "" {
				sku = fmt.Sprintf("EC%d", c.ID)
			} else if used[sku] {
				sku = fmt.Sprintf("%s-%d", c.Code, c.ID)
			}
			used[sku] = true
			e.sku[c.ID] = sku
		}
		for _, name := range p.Images {
			b, ok := s.Images[name]
			if ok && !strings.HasPrefix(string(b), "これは") {
				add("image", 1, 0, 0)
			} else {
				add("image", 0, 1, 0)
			}
		}
	}
	emails := map[string]bool{}
	for _, c := range s.Customers {
		if c.Status != 3 {
			k := strings.ToLower(c.Email)
			if emails[k] {
				add("customer", 0, 1, 0)
				e.dupCustomers = append(e.dupCustomers, c.ID)
				continue
			}
			emails[k] = true
		}
		add("customer", 1, 0, 0)
		e.customerOK[c.ID] = true
		if c.Status == 3 {
			continue
		}
		if c.Point > 0 {
			add("points", 1, 0, 0)
		}
		for _, a := range c.Addresses {
			if a.Pref == 0 {
				add("address", 0, 1, 0)
			} else {
				add("address", 1, 0, 0)
			}
		}
	}
	for _, o := range s.Orders {
		if o.Status == 8 {
			add("order", 0, 0, 1)
			continue
		}
		add("order", 1, 0, 0)
		add("shipment", len(o.Shippings), 0, 0)
		for _, it := range o.Items {
			if it.Type == 1 {
				add("order_line", 1, 0, 0)
			}
		}
		e.orderTotal += o.Total
		e.orders++
	}
	return e
}

func checkRefusals(t *testing.T, rep *eccube.Report, want expected, mariadb bool) {
	t.Helper()
	got := map[string]string{}
	for _, p := range rep.Refusals("product") {
		got[p.OldID] = p.Reason
	}
	for _, id := range want.refusedProducts {
		if !strings.Contains(got[fmt.Sprint(id)], "no class of this product is for sale") {
			t.Errorf("product %d: refusal %q", id, got[fmt.Sprint(id)])
		}
	}
	got = map[string]string{}
	for _, p := range rep.Refusals("customer") {
		got[p.OldID] = p.Reason
	}
	for _, id := range want.dupCustomers {
		if !strings.Contains(got[fmt.Sprint(id)], "is used by another customer") {
			t.Errorf("customer %d: refusal %q", id, got[fmt.Sprint(id)])
		}
	}
	var bad, collide bool
	for _, p := range rep.Problems {
		bad = bad || p.Kind == "customer" && p.OldID == "5" && strings.Contains(p.Reason, "not valid UTF-8")
		collide = collide || p.Kind == "variant" && strings.Contains(p.Reason, "is used by another class")
	}
	if !collide {
		t.Error("no warning about a colliding product code")
	}
	if !bad && mariadb {
		t.Error("no warning about customer 5's invalid UTF-8")
	}
}

func mapped(t *testing.T, d *db.DB, kind string, old int64) (int64, bool) {
	t.Helper()
	var n int64
	err := d.QueryRow(context.Background(), `SELECT new_id FROM eccube_map WHERE kind = ? AND old_id = ?`, kind, fmt.Sprint(old)).Scan(&n)
	if err == sql.ErrNoRows {
		return 0, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return n, true
}

func checkProducts(t *testing.T, d *db.DB, s *eccubetest.Shop, want expected) {
	t.Helper()
	ctx := context.Background()
	status := map[int64]string{1: "public", 2: "private", 3: "archived"}
	for _, p := range s.Products {
		pid, ok := mapped(t, d, "product", p.ID)
		if ok != want.productOK[p.ID] {
			t.Fatalf("product %d imported: %v", p.ID, ok)
		}
		if !ok {
			continue
		}
		var name, st, desc, tax, slug string
		if err := d.QueryRow(ctx, `SELECT name_ja, status, description_ja, tax_class, slug FROM products WHERE id = ?`, pid).Scan(&name, &st, &desc, &tax, &slug); err != nil {
			t.Fatal(err)
		}
		if name != p.Name || st != status[p.Status] || slug != fmt.Sprint(p.ID) {
			t.Errorf("product %d: %q %s /%s", p.ID, name, st, slug)
		}
		if (tax == "reduced") != p.Reduced {
			t.Errorf("product %d: tax class %s", p.ID, tax)
		}
		if strings.Contains(desc, "<") || strings.Contains(desc, "javascript") || !strings.Contains(desc, "[詳しくはこちら](https://example.jp/about)") {
			t.Errorf("product %d: description not sanitised as expected:\n%s", p.ID, desc)
		}
		for _, c := range p.Classes {
			vid, ok := mapped(t, d, "product_class", c.ID)
			if _, sale := want.sku[c.ID]; ok != sale {
				t.Fatalf("class %d imported: %v", c.ID, ok)
			}
			if !ok {
				continue
			}
			var sku string
			var price int64
			var stock, limit, list sql.NullInt64
			if err := d.QueryRow(ctx, `SELECT sku, price, stock, sale_limit, list_price FROM variants WHERE id = ?`, vid).Scan(&sku, &price, &stock, &limit, &list); err != nil {
				t.Fatal(err)
			}
			if sku != want.sku[c.ID] || price != c.Price02 || stock.Valid == c.Unlimited || !c.Unlimited && stock.Int64 != c.Stock ||
				limit.Int64 != c.Limit || list.Int64 != c.Price01 {
				t.Errorf("class %d: %s %d stock %v limit %v list %v; want %s %d %d/%v %d %d", c.ID, sku, price, stock, limit, list, want.sku[c.ID], c.Price02, c.Stock, c.Unlimited, c.Limit, c.Price01)
			}
		}
	}
	// 規格: a product with two axes has them in EC-CUBE's order.
	pid, _ := mapped(t, d, "product", 3)
	rows, err := d.Query(ctx, `SELECT a.position, a.name_ja, v.name_ja FROM variant_axes a JOIN axis_values v ON v.axis_id = a.id WHERE a.product_id = ? ORDER BY a.position, v.sort_order`, pid)
	if err != nil {
		t.Fatal(err)
	}
	var axes []string
	for rows.Next() {
		var pos int
		var a, v string
		rows.Scan(&pos, &a, &v)
		axes = append(axes, fmt.Sprintf("%d%s:%s", pos, a, v))
	}
	rows.Close()
	if got := strings.Join(axes, " "); got != "1カラー:赤 1カラー:青 2サイズ:S 2サイズ:M 2サイズ:L" {
		t.Errorf("product 3 axes: %s", got)
	}
}

func checkCustomers(t *testing.T, d *db.DB, s *eccubetest.Shop, want expected, mariadb bool) {
	t.Helper()
	ctx := context.Background()
	status := map[int64]string{1: "pending", 2: "active", 3: "withdrawn"}
	for _, c := range s.Customers {
		cid, ok := mapped(t, d, "customer", c.ID)
		if ok != want.customerOK[c.ID] {
			t.Fatalf("customer %d imported: %v", c.ID, ok)
		}
		if !ok {
			continue
		}
		var email, st, hash, family, birthday, note string
		var bal sql.NullInt64
		if err := d.QueryRow(ctx, `SELECT c.email, c.status, c.password_hash, c.family_name, c.birthday, c.note, a.balance FROM customers c
			LEFT JOIN point_accounts a ON a.customer_id = c.id WHERE c.id = ?`, cid).Scan(&email, &st, &hash, &family, &birthday, &note, &bal); err != nil {
			t.Fatal(err)
		}
		if st != status[c.Status] {
			t.Errorf("customer %d: status %s", c.ID, st)
		}
		if c.Status == 3 {
			if email != "" || hash != "" || family != "" {
				t.Errorf("withdrawn customer %d keeps personal data: %q %q %q", c.ID, email, hash, family)
			}
			continue
		}
		wantHash := "$eccube$hmac$" + c.Salt + "$"
		if c.Salt == "" {
			wantHash = "$eccube$sha1$$"
		}
		if email != c.Email || family != c.Family || !strings.HasPrefix(hash, wantHash) || birthday != c.Birth.Format("2006-01-02") {
			t.Errorf("customer %d: %s %s %s %s", c.ID, email, family, hash, birthday)
		}
		if bal.Int64 != c.Point {
			t.Errorf("customer %d: %d points, want %d", c.ID, bal.Int64, c.Point)
		}
		if c.ID == 5 && mariadb && note != "未\uFFFD設定" {
			t.Errorf("customer 5's note: %q", note)
		}
	}
}

func checkOrders(t *testing.T, d *db.DB, s *eccubetest.Shop, want expected) {
	t.Helper()
	ctx := context.Background()
	status := map[int64]string{1: "new", 6: "paid", 4: "preparing", 3: "cancelled", 5: "shipped", 9: "returned"}
	var sum int64
	var n int
	if err := d.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(total), 0) FROM orders`).Scan(&n, &sum); err != nil {
		t.Fatal(err)
	}
	if n != want.orders || sum != want.orderTotal {
		t.Errorf("%d orders totalling %d yen; want %d and %d", n, sum, want.orders, want.orderTotal)
	}
	for _, o := range s.Orders {
		oid, ok := mapped(t, d, "order", o.ID)
		if ok == (o.Status == 8) {
			t.Fatalf("order %d (status %d) imported: %v", o.ID, o.Status, ok)
		}
		if !ok {
			continue
		}
		var number, st string
		var cust sql.NullInt64
		var subtotal, fee, cod, discount, total, lines, qty, lineSum, ships int64
		if err := d.QueryRow(ctx, `SELECT number, status, customer_id, subtotal, delivery_fee, cod_fee, discount, total,
			(SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id), (SELECT COALESCE(SUM(qty), 0) FROM order_lines l WHERE l.order_id = o.id),
			(SELECT COALESCE(SUM(line_total), 0) FROM order_lines l WHERE l.order_id = o.id), (SELECT COUNT(*) FROM shipments s WHERE s.order_id = o.id)
			FROM orders o WHERE id = ?`, oid).Scan(&number, &st, &cust, &subtotal, &fee, &cod, &discount, &total, &lines, &qty, &lineSum, &ships); err != nil {
			t.Fatal(err)
		}
		var wantLines, wantQty int64
		for _, it := range o.Items {
			if it.Type == 1 {
				wantLines++
				wantQty += it.Qty
			}
		}
		wantCust := int64(0)
		if o.Customer != 0 && want.customerOK[o.Customer] {
			wantCust, _ = mapped(t, d, "customer", o.Customer)
		}
		if number != o.No || st != status[o.Status] || cust.Int64 != wantCust || subtotal != o.Subtotal || fee != o.Fee || cod != o.Charge ||
			discount != o.Discount+o.UsePoint || total != o.Total || lines != wantLines || qty != wantQty || lineSum != o.Subtotal || ships != int64(len(o.Shippings)) {
			t.Errorf("order %d: %s %s cust %v sub %d fee %d cod %d disc %d total %d lines %d qty %d sum %d ships %d", o.ID, number, st, cust, subtotal, fee, cod, discount, total, lines, qty, lineSum, ships)
		}
		for i, sh := range o.Shippings {
			var tr string
			if err := d.QueryRow(ctx, `SELECT tracking_number FROM shipments WHERE order_id = ? AND seq = ?`, oid, i+1).Scan(&tr); err != nil || tr != sh.Tracking {
				t.Errorf("order %d shipment %d: tracking %q (%v), want %q", o.ID, i+1, tr, err, sh.Tracking)
			}
		}
	}
}

func checkShop(t *testing.T, d *db.DB) {
	t.Helper()
	ctx := context.Background()
	var name, law string
	d.QueryRow(ctx, `SELECT value FROM settings WHERE key = 'shop.name'`).Scan(&name)
	d.QueryRow(ctx, `SELECT body_ja FROM pages WHERE slug = 'tokushoho'`).Scan(&law)
	if name != "あきない商店" || !strings.Contains(law, "| 販売業者 | 株式会社あきない商店 |") || strings.Contains(law, "<p>") || strings.Contains(law, "空欄") {
		t.Errorf("shop %q, legal notice:\n%s", name, law)
	}
	var fees, slots, bank, off int
	d.QueryRow(ctx, `SELECT COUNT(*) FROM delivery_fees f JOIN delivery_methods m ON m.id = f.method_id WHERE m.code = 'eccube_1'`).Scan(&fees)
	d.QueryRow(ctx, `SELECT COUNT(*) FROM delivery_slots s JOIN delivery_methods m ON m.id = s.method_id WHERE m.code = 'eccube_1'`).Scan(&slots)
	d.QueryRow(ctx, `SELECT COUNT(*) FROM payment_methods WHERE code = 'cod' AND fee = 330 AND max_amount = 300000`).Scan(&bank)
	d.QueryRow(ctx, `SELECT COUNT(*) FROM payment_methods WHERE code IN ('eccube_1', 'eccube_2') AND active = ?`, false).Scan(&off)
	if fees != 47 || slots != 2 || bank != 1 || off != 2 {
		t.Errorf("deliveries and payments: %d fees, %d slots, cod %d, switched-off %d", fees, slots, bank, off)
	}
	var news int
	d.QueryRow(ctx, `SELECT COUNT(*) FROM news WHERE url NOT LIKE 'javascript%'`).Scan(&news)
	if news != 3 {
		t.Errorf("%d news", news)
	}
}

// checkSignIn: an imported customer signs in with the EC-CUBE password
// once; the legacy hash is then replaced with argon2id.
func checkSignIn(t *testing.T, d *db.DB, s *eccubetest.Shop, want expected) {
	t.Helper()
	ctx := context.Background()
	store := customer.NewStore(d, "http://shop.test")
	store.Legacy = &eccube.Legacy{DB: d, Secret: secret}
	for _, id := range []int64{2, 203} { // salted HMAC; unsalted SHA-1
		c := s.Customers[id-1]
		if _, err := store.Authenticate(ctx, c.Email, c.Plain+"x"); err == nil {
			t.Errorf("customer %d: a wrong password was accepted", id)
		}
		got, err := store.Authenticate(ctx, c.Email, c.Plain)
		if err != nil {
			t.Fatalf("customer %d: sign-in with the EC-CUBE password: %v", id, err)
		}
		var hash string
		d.QueryRow(ctx, `SELECT password_hash FROM customers WHERE id = ?`, got.ID).Scan(&hash)
		if !strings.HasPrefix(hash, "$argon2id$") {
			t.Errorf("customer %d: hash after sign-in %q", id, hash)
		}
		if _, err := store.Authenticate(ctx, c.Email, c.Plain); err != nil {
			t.Errorf("customer %d: second sign-in: %v", id, err)
		}
	}
	// Without the magic (another master secret) nobody gets in.
	other := customer.NewStore(d, "http://shop.test")
	other.Legacy = &eccube.Legacy{DB: d, Secret: []byte("another-secret-another-secret-xx")}
	c := s.Customers[3]
	if _, err := other.Authenticate(ctx, c.Email, c.Plain); err == nil {
		t.Error("signed in with a legacy hash without the auth magic")
	}
}
