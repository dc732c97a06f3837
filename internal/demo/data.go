package demo

import "github.com/akinai/akinai/internal/shop"

type categorySpec struct{ slug, parent, ja, en string }

// categoryTree lists parents before their children; three levels deep.
var categoryTree = []categorySpec{
	{"tea", "", "お茶", "Tea"},
	{"green-tea", "tea", "緑茶", "Green tea"},
	{"sencha", "green-tea", "煎茶", "Sencha"},
	{"gyokuro", "green-tea", "玉露・抹茶", "Gyokuro & matcha"},
	{"hojicha", "green-tea", "ほうじ茶・玄米茶", "Hojicha & genmaicha"},
	{"black-tea", "tea", "紅茶", "Black tea"},
	{"herb-tea", "tea", "ハーブティー", "Herbal tea"},
	{"sweets", "", "和菓子", "Japanese sweets"},
	{"tea-tools", "", "茶道具", "Tea tools"},
	{"kyusu", "tea-tools", "急須・ポット", "Teapots"},
	{"yunomi", "tea-tools", "湯呑み・カップ", "Cups"},
	{"chazutsu", "tea-tools", "茶筒・茶こし", "Caddies & strainers"},
	{"kitchen", "", "キッチン用品", "Kitchen"},
	{"knives", "kitchen", "包丁", "Knives"},
	{"pots", "kitchen", "鍋・やかん", "Pots & kettles"},
	{"tableware", "kitchen", "食器", "Tableware"},
	{"plates", "tableware", "皿・鉢", "Plates & bowls"},
	{"chopsticks", "tableware", "箸・カトラリー", "Chopsticks & cutlery"},
	{"textiles", "", "布もの", "Textiles"},
	{"aprons", "textiles", "エプロン", "Aprons"},
	{"tenugui", "textiles", "手ぬぐい", "Tenugui towels"},
}

type value struct {
	ja, en string
	delta  shop.Yen // added to the base price
}

type axis struct {
	ja, en string
	values []value
}

// Axes the families share.
var (
	leafAxes = []axis{
		{"容量", "Size", []value{{"50g", "50 g", 0}, {"100g", "100 g", 500}, {"200g", "200 g", 1400}}},
		{"パッケージ", "Package", []value{{"袋", "Bag", 0}, {"缶入り", "Tin", 400}}},
	}
	bagAxes   = []axis{{"入数", "Count", []value{{"10包", "10 bags", 0}, {"30包", "30 bags", 900}}}}
	colorAxis = []axis{{"色", "Colour", []value{{"黒", "Black", 0}, {"朱", "Vermilion", 300}, {"白", "White", 0}}}}
	sizeAxis  = []axis{{"サイズ", "Size", []value{{"小", "Small", 0}, {"中", "Medium", 800}, {"大", "Large", 1800}}}}
	apronAxes = []axis{
		{"色", "Colour", []value{{"藍", "Indigo", 0}, {"生成り", "Natural", 0}, {"墨", "Charcoal", 200}}},
		{"サイズ", "Size", []value{{"S", "S", 0}, {"M", "M", 0}, {"L", "L", 300}}},
	}
	plateAxes = []axis{
		{"色", "Colour", []value{{"白磁", "White porcelain", 0}, {"藍染付", "Indigo blue", 400}}},
		{"サイズ", "Size", []value{{"4寸", "12 cm", 0}, {"6寸", "18 cm", 700}, {"8寸", "24 cm", 1500}}},
	}
	patternAxis = []axis{{"柄", "Pattern", []value{{"麻の葉", "Hemp leaf", 0}, {"青海波", "Waves", 0}, {"豆絞り", "Dots", 0}, {"市松", "Checks", 0}}}}
	countAxis   = []axis{{"入数", "Count", []value{{"5個入", "5 pieces", 0}, {"10個入", "10 pieces", 1100}}}}
)

type family struct {
	category string
	class    shop.TaxClass
	axes     []axis
	words    string // search words
	descJA   string
	descEN   string
	items    []item
}

type item struct {
	slug, ja, en string
	price        shop.Yen // excluding tax
}

// families hold the demo products: 72 in all.
var families = []family{
	{"sencha", shop.TaxReduced, leafAxes, "緑茶 日本茶 リーフ", "一番茶だけを使い、丁寧に仕上げた煎茶です。70〜80℃のお湯で1分ほど蒸らしてお召し上がりください。", "First-flush leaves, carefully finished. Steep for about a minute at 70–80 °C.", []item{
		{"shizuoka-fukamushi-sencha", "静岡 深蒸し煎茶", "Shizuoka fukamushi sencha", 1000},
		{"uji-sencha", "宇治 煎茶", "Uji sencha", 1200},
		{"sayama-sencha", "狭山 煎茶", "Sayama sencha", 900},
		{"chiran-sencha", "知覧 煎茶", "Chiran sencha", 950},
		{"yame-sencha", "八女 煎茶", "Yame sencha", 1100},
		{"kawane-sencha", "川根 煎茶", "Kawane sencha", 1050},
		{"ureshino-tamaryokucha", "嬉野 玉緑茶", "Ureshino tamaryokucha", 1150},
		{"sencha-daily", "毎日の煎茶", "Everyday sencha", 700},
	}},
	{"gyokuro", shop.TaxReduced, leafAxes, "緑茶 日本茶 高級", "覆いをかけて育てた茶葉の、旨みの深いお茶です。", "Shade-grown leaves with a deep, savoury taste.", []item{
		{"yame-gyokuro", "八女 玉露", "Yame gyokuro", 2500},
		{"uji-gyokuro", "宇治 玉露", "Uji gyokuro", 2800},
		{"kabusecha", "かぶせ茶", "Kabusecha", 1400},
		{"matcha-usucha", "抹茶 薄茶用", "Matcha for usucha", 1800},
		{"matcha-koicha", "抹茶 濃茶用", "Matcha for koicha", 3200},
	}},
	{"hojicha", shop.TaxReduced, leafAxes, "緑茶 ほうじ茶 玄米茶 日本茶", "香ばしく焙じた、食事にも合う軽やかなお茶です。", "Roasted for a toasty aroma; light enough for every meal.", []item{
		{"kaga-bocha", "加賀棒茶", "Kaga bocha", 900},
		{"kyoto-hojicha", "京ほうじ茶", "Kyoto hojicha", 800},
		{"genmaicha", "玄米茶", "Genmaicha", 600},
		{"matcha-genmaicha", "抹茶入り玄米茶", "Genmaicha with matcha", 750},
		{"kukicha", "くき茶", "Kukicha", 650},
	}},
	{"black-tea", shop.TaxReduced, bagAxes, "紅茶 ティー ティーバッグ", "香り高い紅茶のティーバッグです。", "Fragrant black tea in tea bags.", []item{
		{"wakocha-benifuki", "和紅茶 べにふうき", "Japanese black tea Benifuki", 800},
		{"darjeeling", "ダージリン ティー", "Darjeeling tea", 1000},
		{"assam", "アッサム ティー", "Assam tea", 850},
		{"earl-grey", "アールグレイ ティー", "Earl Grey tea", 900},
		{"milk-tea-blend", "ミルクティー ブレンド", "Milk tea blend", 880},
	}},
	{"herb-tea", shop.TaxReduced, bagAxes, "ハーブ ティー ノンカフェイン", "ノンカフェインで、夜にも安心のハーブティーです。", "Caffeine-free herbal tea, fine in the evening.", []item{
		{"chamomile-herb-tea", "カモミール ハーブティー", "Chamomile herbal tea", 700},
		{"peppermint-herb-tea", "ペパーミント ハーブティー", "Peppermint herbal tea", 700},
		{"rooibos-tea", "ルイボスティー", "Rooibos tea", 650},
		{"yuzu-ginger-herb-tea", "ゆず生姜 ハーブティー", "Yuzu ginger herbal tea", 780},
		{"lemongrass-herb-tea", "レモングラス ハーブティー", "Lemongrass herbal tea", 720},
		{"jasmine-tea", "ジャスミン ティー", "Jasmine tea", 700},
	}},
	{"sweets", shop.TaxReduced, countAxis, "お菓子 和菓子 茶菓子 スイーツ", "お茶請けにぴったりの和菓子です。賞味期限は発送日より14日以上のものをお届けします。", "Japanese sweets made for tea time; at least 14 days of shelf life on shipping.", []item{
		{"dorayaki", "どら焼き", "Dorayaki", 1200},
		{"yokan", "煉り羊羹", "Neri yokan", 1500},
		{"monaka", "最中", "Monaka", 1300},
		{"karinto", "黒糖かりんとう", "Brown sugar karinto", 600},
		{"senbei", "手焼き煎餅", "Hand-baked senbei", 800},
		{"kintsuba", "きんつば", "Kintsuba", 1100},
		{"warabimochi", "わらび餅", "Warabimochi", 900},
		{"kuzumochi", "くず餅", "Kuzumochi", 950},
	}},
	{"kyusu", shop.TaxStandard, colorAxis, "急須 ティーポット 常滑焼 茶器", "茶こし付きで扱いやすい急須です。", "An easy teapot with a built-in strainer.", []item{
		{"tokoname-kyusu", "常滑焼 急須", "Tokoname kyusu", 4500},
		{"banko-kyusu", "萬古焼 急須", "Banko kyusu", 3800},
		{"glass-tea-pot", "耐熱ガラス ティーポット", "Heatproof glass teapot", 2800},
		{"houhin", "宝瓶", "Houhin teapot", 5200},
		{"tetsubin", "南部鉄器 鉄瓶", "Nambu cast-iron kettle", 16000},
	}},
	{"yunomi", shop.TaxStandard, colorAxis, "湯呑み 湯のみ カップ 茶器", "手になじむ、普段使いの器です。", "Everyday cups that sit well in the hand.", []item{
		{"hagi-yunomi", "萩焼 湯呑み", "Hagi yunomi", 2200},
		{"mino-yunomi", "美濃焼 湯呑み", "Mino yunomi", 1600},
		{"kutani-yunomi", "九谷焼 湯呑み", "Kutani yunomi", 3500},
		{"glass-tea-cup", "ガラス ティーカップ", "Glass tea cup", 1400},
		{"tea-bowl", "抹茶碗", "Matcha bowl", 4800},
		{"soba-choko", "そば猪口", "Soba choko cup", 1500},
	}},
	{"chazutsu", shop.TaxStandard, sizeAxis, "茶筒 茶こし 保存", "茶葉を湿気と光から守る道具です。", "Keeps tea leaves safe from damp and light.", []item{
		{"copper-chazutsu", "銅製 茶筒", "Copper tea caddy", 7800},
		{"tin-chazutsu", "ブリキ 茶筒", "Tin tea caddy", 2400},
		{"cherry-bark-chazutsu", "樺細工 茶筒", "Cherry-bark tea caddy", 9800},
		{"tea-strainer", "ステンレス 茶こし", "Stainless tea strainer", 900},
	}},
	{"knives", shop.TaxStandard, sizeAxis, "包丁 ナイフ 刃物 堺", "職人が研ぎ上げた、切れ味の長持ちする包丁です。", "Sharpened by hand; keeps its edge.", []item{
		{"santoku-knife", "三徳包丁", "Santoku knife", 9800},
		{"gyuto-knife", "牛刀", "Gyuto knife", 12800},
		{"petty-knife", "ペティナイフ", "Petty knife", 6800},
		{"nakiri-knife", "菜切り包丁", "Nakiri knife", 8800},
	}},
	{"pots", shop.TaxStandard, sizeAxis, "鍋 やかん 調理器具", "火の通りがよく、長く使える調理道具です。", "Even heat, and made to last.", []item{
		{"yukihira-pan", "雪平鍋", "Yukihira pan", 3800},
		{"donabe", "伊賀焼 土鍋", "Iga donabe", 8800},
		{"copper-kettle", "銅製 やかん", "Copper kettle", 14800},
		{"cast-iron-pan", "鉄フライパン", "Cast-iron pan", 5500},
	}},
	{"plates", shop.TaxStandard, plateAxes, "皿 鉢 食器 器", "料理を引き立てる、シンプルな器です。", "Simple dishes that flatter the food.", []item{
		{"arita-plate", "有田焼 平皿", "Arita plate", 1800},
		{"hasami-bowl", "波佐見焼 鉢", "Hasami bowl", 1600},
		{"mashiko-plate", "益子焼 皿", "Mashiko plate", 2100},
	}},
	{"chopsticks", shop.TaxStandard, colorAxis, "箸 はし カトラリー 漆", "口当たりのやさしい漆塗りの箸です。", "Lacquered chopsticks, gentle to the lips.", []item{
		{"wajima-chopsticks", "輪島塗 箸", "Wajima lacquer chopsticks", 3200},
		{"wakasa-chopsticks", "若狭塗 箸", "Wakasa lacquer chopsticks", 2400},
		{"chopstick-rest", "箸置き", "Chopstick rest", 600},
	}},
	{"aprons", shop.TaxStandard, apronAxes, "エプロン 前掛け 帆布", "丈夫な帆布で仕立てた、ポケット付きのエプロンです。", "Sturdy canvas apron with pockets.", []item{
		{"canvas-apron", "帆布 エプロン", "Canvas apron", 4200},
		{"maekake-apron", "前掛け エプロン", "Maekake apron", 3800},
		{"linen-apron", "リネン エプロン", "Linen apron", 5200},
	}},
	{"tenugui", shop.TaxStandard, patternAxis, "手ぬぐい てぬぐい タオル 布", "注染で染めた、使うほど柔らかくなる手ぬぐいです。", "Dyed by hand; softer with every wash.", []item{
		{"chusen-tenugui", "注染 手ぬぐい", "Chusen-dyed tenugui", 1100},
		{"kaya-fukin", "蚊帳生地 ふきん", "Kaya-cloth dish towel", 500},
		{"furoshiki", "風呂敷", "Furoshiki wrapping cloth", 2400},
	}},
}

// curated returns the families' items in order with their family.
func curated() []struct {
	f *family
	i item
} {
	var out []struct {
		f *family
		i item
	}
	for fi := range families {
		for _, it := range families[fi].items {
			out = append(out, struct {
				f *family
				i item
			}{&families[fi], it})
		}
	}
	return out
}
