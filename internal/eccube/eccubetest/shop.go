package eccubetest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"time"
)

// Size is how big a shop to generate.
type Size struct{ Products, Customers, Orders int }

// Small is the tests' shop: realistic in shape, quick to import.
var Small = Size{Products: 150, Customers: 1000, Orders: 1200}

// AuthMagic is the generated shop's ECCUBE_AUTH_MAGIC.
const AuthMagic = "eccube-test-auth-magic-0123456789"

// The generated shop, kept for the checks. Everything is derived from the
// row numbers, so two runs generate the same shop.
type (
	Class struct {
		ID, Cat1, Cat2   int64 // 0: none
		Code             string
		Price01, Price02 int64
		Stock            int64
		Unlimited        bool
		Limit            int64
		Visible          bool
	}
	Product struct {
		ID         int64
		Status     int64
		Name       string
		Detail     string
		Classes    []Class
		Images     []string
		Categories []int64
		Tags       []int64
		Reduced    bool
	}
	Address struct {
		ID   int64
		Pref int64 // 0: none
	}
	Customer struct {
		ID                   int64
		Status               int64
		Email                string
		Family, Given        string
		Password, Salt, Hash string
		Plain                string // the password the customer types
		Point                int64
		Pref                 int64
		Birth                time.Time
		Note                 []byte
		Addresses            []Address
	}
	Item struct {
		ID, Product, Class int64 // 0: NULL (deleted product)
		Type, TaxType      int64
		Display            int64
		Name, Code         string
		Price, Tax, Qty    int64
		Rate               int64
		Shipping           int64
	}
	Shipping struct {
		ID, Delivery, Time int64
		Pref               int64
		Tracking           string
	}
	Order struct {
		ID, Customer, Status int64 // Customer 0: guest
		No                   string
		Pref                 int64
		Subtotal, Fee        int64
		Charge, Discount     int64
		UsePoint, Total      int64
		Payment              int64
		Date                 time.Time
		Items                []Item
		Shippings            []Shipping
	}
	Shop struct {
		Size       Size
		Products   []Product
		Customers  []Customer
		Orders     []Order
		Images     map[string][]byte // save_image: file name → bytes
		Categories int
	}
)

var (
	families = []string{"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田"}
	familyK  = []string{"サトウ", "スズキ", "タカハシ", "タナカ", "イトウ", "ワタナベ", "ヤマモト", "ナカムラ", "コバヤシ", "カトウ", "ヨシダ", "ヤマダ"}
	givens   = []string{"太郎", "花子", "一郎", "美咲", "翔太", "陽菜", "大輔", "さくら", "健", "結衣"}
	givenK   = []string{"タロウ", "ハナコ", "イチロウ", "ミサキ", "ショウタ", "ヒナ", "ダイスケ", "サクラ", "ケン", "ユイ"}
	cities   = []string{"札幌市中央区", "仙台市青葉区", "千代田区", "横浜市西区", "名古屋市中区", "京都市下京区", "大阪市北区", "神戸市中央区", "広島市中区", "福岡市博多区"}
	adjs     = []string{"有機", "手作り", "国産", "限定", "季節の", "職人の", "天然", "無添加"}
	nouns    = []string{"緑茶", "焙じ茶", "煎餅", "手ぬぐい", "湯呑み", "Tシャツ", "ハンカチ", "味噌", "醤油", "風呂敷"}
)

// Generate builds the shop's model (nothing is written).
func Generate(sz Size) *Shop {
	s := &Shop{Size: sz, Images: map[string][]byte{}, Categories: 12}
	var classID int64
	for i := 1; i <= sz.Products; i++ {
		p := Product{ID: int64(i), Status: 1, Name: fmt.Sprintf("%s%s %d号", adjs[i%len(adjs)], nouns[i%len(nouns)], i)}
		switch {
		case i%37 == 0:
			p.Status = 3 // 廃止
		case i%23 == 0:
			p.Status = 2 // 非公開
		}
		p.Detail = fmt.Sprintf(`<p>%sの説明です。<br>産地：静岡県</p><script>alert("x")</script><ul><li>内容量 %dg</li></ul><a href="javascript:alert(1)">危険なリンク</a> <a href="https://example.jp/about">詳しくはこちら</a><img src="x" onerror="alert(1)" alt="写真">`, p.Name, 100+i)
		price := int64(300 + (i*137)%9700)
		next := func(c1, c2 int64, vis bool) Class {
			classID++
			c := Class{ID: classID, Cat1: c1, Cat2: c2, Code: fmt.Sprintf("P%05d-%d", i, classID), Price02: price + c1*10 + c2*5, Visible: vis}
			if i%3 != 0 {
				c.Price01 = c.Price02 * 12 / 10
			}
			if i%5 == 0 {
				c.Unlimited = true
			} else {
				c.Stock = int64((i*7 + int(classID)) % 60)
			}
			if i%7 == 0 {
				c.Limit = 3
			}
			return c
		}
		switch i % 3 {
		case 0: // カラー × サイズ, plus EC-CUBE's hidden default class
			p.Classes = append(p.Classes, next(0, 0, false))
			for _, c1 := range []int64{1, 2} {
				for _, c2 := range []int64{5, 6, 7} {
					p.Classes = append(p.Classes, next(c1, c2, true))
				}
			}
		case 1: // カラー only
			p.Classes = append(p.Classes, next(0, 0, false))
			for _, c1 := range []int64{1, 2, 3} {
				p.Classes = append(p.Classes, next(c1, 0, true))
			}
		default:
			p.Classes = append(p.Classes, next(0, 0, true))
		}
		if i%101 == 50 { // nothing for sale: refused
			for k := range p.Classes {
				p.Classes[k].Visible = false
			}
		}
		if i%50 == 7 && i > 1 { // a code another product uses
			p.Classes[len(p.Classes)-1].Code = s.Products[i-2].Classes[len(s.Products[i-2].Classes)-1].Code
		}
		if i%41 == 0 {
			p.Classes[len(p.Classes)-1].Code = ""
		}
		if i%10 == 4 {
			p.Reduced = true
		}
		p.Categories = []int64{int64(4 + i%9)}
		if i%4 == 0 {
			p.Categories = append(p.Categories, int64(1+i%3))
		}
		if i%5 == 1 {
			p.Tags = []int64{int64(1 + i%3)}
		}
		if i%4 == 0 {
			for k := 1; k <= 2; k++ {
				name := fmt.Sprintf("p%05d_%d.png", i, k)
				p.Images = append(p.Images, name)
				switch {
				case i%13 == 0 && k == 2: // missing from the folder
				case i%17 == 0 && k == 1:
					s.Images[name] = []byte("これは画像ではありません")
				default:
					s.Images[name] = picture(i, k)
				}
			}
		}
		s.Products = append(s.Products, p)
	}
	birth := time.Date(1980, 5, 1, 0, 0, 0, 0, time.FixedZone("JST", 9*3600))
	var addrID int64
	for j := 1; j <= sz.Customers; j++ {
		c := Customer{ID: int64(j), Status: 2, Family: families[j%len(families)], Given: givens[j%len(givens)],
			Email: fmt.Sprintf("user%05d@example.jp", j), Pref: int64(1 + j%47), Birth: birth.AddDate(0, 0, j%3000)}
		switch {
		case j%50 == 0:
			c.Status = 3
			c.Email = fmt.Sprintf("%x@dummy.dummy", sha1.Sum([]byte(fmt.Sprint(j))))
		case j%40 == 1:
			c.Status = 1
		}
		if j%97 == 0 { // the previous customer's address in capitals
			c.Email = strings.ToUpper(fmt.Sprintf("user%05d@example.jp", j-1))
		}
		if j%333 == 0 {
			c.Pref = 0
		}
		c.Plain = fmt.Sprintf("pass%05dword", j)
		if j%200 == 3 { // EC-CUBE 2 era: no salt, SHA-1
			sum := sha1.Sum([]byte(c.Plain + ":" + AuthMagic))
			c.Password = hex.EncodeToString(sum[:])
		} else {
			c.Salt = fmt.Sprintf("%010x", uint64(j)*2654435761%0xffffffffff)
			m := hmac.New(sha256.New, []byte(c.Salt))
			m.Write([]byte(c.Plain + ":" + AuthMagic))
			c.Password = hex.EncodeToString(m.Sum(nil))
		}
		if j%3 == 0 {
			c.Point = int64(j % 500)
		}
		if j%11 == 5 {
			c.Note = []byte("電話連絡を希望")
		}
		if j%4 == 0 {
			addrID++
			c.Addresses = append(c.Addresses, Address{ID: addrID, Pref: int64(1 + (j+5)%47)})
		}
		if j%8 == 0 {
			addrID++
			c.Addresses = append(c.Addresses, Address{ID: addrID}) // no prefecture: refused
		}
		s.Customers = append(s.Customers, c)
	}
	// Customer 5's note holds bytes that are not UTF-8 (a shop moved
	// between encodings); only MariaDB can store them (see Fill).
	if len(s.Customers) >= 5 {
		s.Customers[4].Note = []byte("未\xff\xfe設定")
	}
	statuses := []int64{1, 6, 4, 3, 5, 5, 5, 9, 5, 1}
	var itemID, shipID int64
	base := time.Date(2023, 4, 1, 0, 0, 0, 0, time.UTC)
	for k := 1; k <= sz.Orders; k++ {
		o := Order{ID: int64(k), No: fmt.Sprint(k), Status: statuses[k%len(statuses)], Date: base.Add(time.Duration(k) * 37 * time.Minute),
			Payment: int64(1 + k%4), Pref: int64(1 + k%47)}
		if k%29 == 0 {
			o.Status = 8 // 購入処理中: not an order
		}
		if k%10 != 0 {
			o.Customer = int64(1 + (k*7)%sz.Customers)
		}
		nship := 1
		if k%50 == 0 {
			nship = 2
		}
		for n := 0; n < nship; n++ {
			shipID++
			sh := Shipping{ID: shipID, Delivery: int64(1 + k%2), Pref: int64(1 + (k+n)%47)}
			if sh.Delivery == 1 {
				sh.Time = int64(1 + k%2)
			}
			if o.Status == 5 || o.Status == 9 {
				sh.Tracking = fmt.Sprintf("4000-%04d-%04d", k/10000, (k*10+n)%10000)
			}
			o.Shippings = append(o.Shippings, sh)
		}
		lines := 1 + k%3
		for n := 0; n < lines; n++ {
			p := s.Products[(k*3+n*11)%len(s.Products)]
			var c Class
			for _, cc := range p.Classes {
				if cc.Visible {
					c = cc
					break
				}
			}
			if c.ID == 0 {
				c = p.Classes[0]
			}
			itemID++
			rate := int64(10)
			if p.Reduced {
				rate = 8
			}
			it := Item{ID: itemID, Product: p.ID, Class: c.ID, Type: 1, TaxType: 1, Display: 1, Name: p.Name, Code: c.Code,
				Price: c.Price02, Qty: int64(1 + (k+n)%3), Rate: rate, Shipping: o.Shippings[n%nship].ID}
			it.Tax = it.Price * rate / 100
			if k%31 == 0 && n == 0 { // the product was deleted since
				it.Product, it.Class, it.Name = 0, 0, "販売終了した商品"
			}
			o.Subtotal += (it.Price + it.Tax) * it.Qty
			o.Items = append(o.Items, it)
		}
		o.Fee = 800
		itemID++
		o.Items = append(o.Items, Item{ID: itemID, Type: 2, TaxType: 1, Display: 2, Name: "送料", Price: 800, Tax: 73, Qty: 1, Rate: 10, Shipping: o.Shippings[0].ID})
		if o.Payment == 4 {
			o.Charge = 330
			itemID++
			o.Items = append(o.Items, Item{ID: itemID, Type: 3, TaxType: 1, Display: 2, Name: "手数料", Price: 330, Tax: 30, Qty: 1, Rate: 10})
		}
		if o.Customer != 0 && k%6 == 0 {
			o.UsePoint = 50
			itemID++
			o.Items = append(o.Items, Item{ID: itemID, Type: 6, TaxType: 2, Display: 2, Name: "ポイント", Price: -50, Qty: 1})
		}
		if k%9 == 0 {
			o.Discount = 200
			itemID++
			o.Items = append(o.Items, Item{ID: itemID, Type: 4, TaxType: 1, Display: 2, Name: "値引き", Price: -200, Tax: -18, Qty: 1, Rate: 10})
		}
		o.Total = o.Subtotal + o.Fee + o.Charge - o.Discount - o.UsePoint
		s.Orders = append(s.Orders, o)
	}
	return s
}

// picture is a small PNG, different for every product and position.
func picture(i, k int) []byte {
	m := image.NewRGBA(image.Rect(0, 0, 16, 12))
	for x := 0; x < 16; x++ {
		for y := 0; y < 12; y++ {
			m.Set(x, y, color.RGBA{uint8(i), uint8(k * 60), uint8(x * y), 255})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, m)
	return b.Bytes()
}
