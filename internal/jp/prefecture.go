// Package jp holds the Japanese building blocks every other package needs:
// the prefectures, search-text folding, and the normalisation and
// validation of フリガナ, postal codes, phone numbers and e-mail addresses.
// It is pure: no I/O, no global state beyond read-only tables.
package jp

import (
	"strings"
)

// Region is one of the eight traditional regions (八地方区分) used to group
// prefectures, for example in a delivery-fee table.
type Region int

// The regions in the customary north-to-south order.
const (
	Hokkaido Region = iota + 1 // 北海道
	Tohoku                     // 東北
	Kanto                      // 関東
	Chubu                      // 中部
	Kinki                      // 近畿
	Chugoku                    // 中国
	Shikoku                    // 四国
	Kyushu                     // 九州・沖縄
)

var regionNames = [...][2]string{
	Hokkaido: {"北海道", "Hokkaido"},
	Tohoku:   {"東北", "Tohoku"},
	Kanto:    {"関東", "Kanto"},
	Chubu:    {"中部", "Chubu"},
	Kinki:    {"近畿", "Kinki"},
	Chugoku:  {"中国", "Chugoku"},
	Shikoku:  {"四国", "Shikoku"},
	Kyushu:   {"九州・沖縄", "Kyushu-Okinawa"},
}

// String returns the Japanese name of the region, or "" for an unknown one.
func (r Region) String() string {
	if r < Hokkaido || r > Kyushu {
		return ""
	}
	return regionNames[r][0]
}

// English returns the English name of the region, or "" for an unknown one.
func (r Region) English() string {
	if r < Hokkaido || r > Kyushu {
		return ""
	}
	return regionNames[r][1]
}

// Prefecture is one of the 47 prefectures, numbered as in JIS X 0401.
type Prefecture struct {
	Code   int    // 1 (北海道) … 47 (沖縄県)
	Name   string // 東京都
	NameEn string // Tokyo
	Region Region
}

// prefectures is indexed by code - 1.
var prefectures = [47]Prefecture{
	{1, "北海道", "Hokkaido", Hokkaido},
	{2, "青森県", "Aomori", Tohoku},
	{3, "岩手県", "Iwate", Tohoku},
	{4, "宮城県", "Miyagi", Tohoku},
	{5, "秋田県", "Akita", Tohoku},
	{6, "山形県", "Yamagata", Tohoku},
	{7, "福島県", "Fukushima", Tohoku},
	{8, "茨城県", "Ibaraki", Kanto},
	{9, "栃木県", "Tochigi", Kanto},
	{10, "群馬県", "Gunma", Kanto},
	{11, "埼玉県", "Saitama", Kanto},
	{12, "千葉県", "Chiba", Kanto},
	{13, "東京都", "Tokyo", Kanto},
	{14, "神奈川県", "Kanagawa", Kanto},
	{15, "新潟県", "Niigata", Chubu},
	{16, "富山県", "Toyama", Chubu},
	{17, "石川県", "Ishikawa", Chubu},
	{18, "福井県", "Fukui", Chubu},
	{19, "山梨県", "Yamanashi", Chubu},
	{20, "長野県", "Nagano", Chubu},
	{21, "岐阜県", "Gifu", Chubu},
	{22, "静岡県", "Shizuoka", Chubu},
	{23, "愛知県", "Aichi", Chubu},
	{24, "三重県", "Mie", Kinki},
	{25, "滋賀県", "Shiga", Kinki},
	{26, "京都府", "Kyoto", Kinki},
	{27, "大阪府", "Osaka", Kinki},
	{28, "兵庫県", "Hyogo", Kinki},
	{29, "奈良県", "Nara", Kinki},
	{30, "和歌山県", "Wakayama", Kinki},
	{31, "鳥取県", "Tottori", Chugoku},
	{32, "島根県", "Shimane", Chugoku},
	{33, "岡山県", "Okayama", Chugoku},
	{34, "広島県", "Hiroshima", Chugoku},
	{35, "山口県", "Yamaguchi", Chugoku},
	{36, "徳島県", "Tokushima", Shikoku},
	{37, "香川県", "Kagawa", Shikoku},
	{38, "愛媛県", "Ehime", Shikoku},
	{39, "高知県", "Kochi", Shikoku},
	{40, "福岡県", "Fukuoka", Kyushu},
	{41, "佐賀県", "Saga", Kyushu},
	{42, "長崎県", "Nagasaki", Kyushu},
	{43, "熊本県", "Kumamoto", Kyushu},
	{44, "大分県", "Oita", Kyushu},
	{45, "宮崎県", "Miyazaki", Kyushu},
	{46, "鹿児島県", "Kagoshima", Kyushu},
	{47, "沖縄県", "Okinawa", Kyushu},
}

// prefectureIndex maps every accepted spelling of a prefecture, folded,
// to its code. It is built once from the table above and never written.
var prefectureIndex = func() map[string]int {
	m := make(map[string]int, len(prefectures)*3)
	for _, p := range prefectures {
		m[Fold(p.Name)] = p.Code
		m[Fold(p.NameEn)] = p.Code
		if short := shortName(p.Name); short != p.Name {
			m[Fold(short)] = p.Code
		}
	}
	return m
}()

// shortName drops the 都/府/県 suffix (東京都 → 東京); 北海道 keeps its name
// because 道 is part of what people write.
func shortName(name string) string {
	for _, suffix := range []string{"都", "府", "県"} {
		if s, ok := strings.CutSuffix(name, suffix); ok {
			return s
		}
	}
	return name
}

// Prefectures returns all 47 prefectures in JIS X 0401 order. The slice is
// a fresh copy the caller may keep or change.
func Prefectures() []Prefecture {
	out := make([]Prefecture, len(prefectures))
	copy(out, prefectures[:])
	return out
}

// PrefectureByCode returns the prefecture with the JIS X 0401 code (1–47);
// ok is false for any other code.
func PrefectureByCode(code int) (p Prefecture, ok bool) {
	if code < 1 || code > len(prefectures) {
		return Prefecture{}, false
	}
	return prefectures[code-1], true
}

// PrefectureByName finds a prefecture by its Japanese name with or without
// the suffix (東京都, 東京), or its English name in any case (Tokyo, TOKYO).
// Width and surrounding spaces are ignored. ok is false when nothing matches.
func PrefectureByName(name string) (p Prefecture, ok bool) {
	code, ok := prefectureIndex[Fold(name)]
	if !ok {
		return Prefecture{}, false
	}
	return prefectures[code-1], true
}
