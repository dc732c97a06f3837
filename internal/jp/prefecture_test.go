package jp

import "testing"

func TestPrefectures(t *testing.T) {
	t.Parallel()
	ps := Prefectures()
	if len(ps) != 47 {
		t.Fatalf("len = %d, want 47", len(ps))
	}
	names := map[string]bool{}
	for i, p := range ps {
		if p.Code != i+1 {
			t.Errorf("prefecture %d has code %d", i+1, p.Code)
		}
		if p.Name == "" || p.NameEn == "" || p.Region.String() == "" || p.Region.English() == "" {
			t.Errorf("prefecture %d is incomplete: %+v", p.Code, p)
		}
		if names[p.Name] {
			t.Errorf("duplicate name %s", p.Name)
		}
		names[p.Name] = true
	}
	// Changing the returned slice must not change the table.
	ps[0].Name = "changed"
	if p, _ := PrefectureByCode(1); p.Name != "北海道" {
		t.Fatalf("Prefectures returned the table itself")
	}
}

func TestPrefectureByCode(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		code   int
		name   string
		en     string
		region Region
		ok     bool
	}{
		{1, "北海道", "Hokkaido", Hokkaido, true},
		{13, "東京都", "Tokyo", Kanto, true},
		{15, "新潟県", "Niigata", Chubu, true},
		{24, "三重県", "Mie", Kinki, true},
		{26, "京都府", "Kyoto", Kinki, true},
		{27, "大阪府", "Osaka", Kinki, true},
		{36, "徳島県", "Tokushima", Shikoku, true},
		{40, "福岡県", "Fukuoka", Kyushu, true},
		{47, "沖縄県", "Okinawa", Kyushu, true},
		{0, "", "", 0, false},
		{48, "", "", 0, false},
		{-1, "", "", 0, false},
	} {
		p, ok := PrefectureByCode(tc.code)
		if ok != tc.ok || p.Name != tc.name || p.NameEn != tc.en || p.Region != tc.region {
			t.Errorf("PrefectureByCode(%d) = %+v, %v; want %s %s %v, %v", tc.code, p, ok, tc.name, tc.en, tc.region, tc.ok)
		}
	}
}

func TestPrefectureByName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		code int // 0: not found
	}{
		{"東京都", 13},
		{"東京", 13},
		{" 東京都 ", 13},
		{"Tokyo", 13},
		{"TOKYO", 13},
		{"ｔｏｋｙｏ", 13},
		{"京都府", 26},
		{"京都", 26},
		{"北海道", 1},
		{"hokkaido", 1},
		{"神奈川", 14},
		{"鹿児島県", 46},
		{"沖縄", 47},
		{"北海", 0},
		{"東京府", 0},
		{"", 0},
		{"Edo", 0},
	} {
		p, ok := PrefectureByName(tc.in)
		if ok != (tc.code != 0) || p.Code != tc.code {
			t.Errorf("PrefectureByName(%q) = %d, %v; want %d", tc.in, p.Code, ok, tc.code)
		}
	}
}

func TestRegion(t *testing.T) {
	t.Parallel()
	if Kyushu.String() != "九州・沖縄" || Kanto.English() != "Kanto" {
		t.Errorf("region names: %q %q", Kyushu.String(), Kanto.English())
	}
	if Region(0).String() != "" || Region(9).English() != "" {
		t.Errorf("unknown region should have no name")
	}
	count := map[Region]int{}
	for _, p := range Prefectures() {
		count[p.Region]++
	}
	// 北海道 1, 東北 6, 関東 7, 中部 9, 近畿 7, 中国 5, 四国 4, 九州・沖縄 8.
	want := map[Region]int{Hokkaido: 1, Tohoku: 6, Kanto: 7, Chubu: 9, Kinki: 7, Chugoku: 5, Shikoku: 4, Kyushu: 8}
	for r, n := range want {
		if count[r] != n {
			t.Errorf("%s has %d prefectures, want %d", r, count[r], n)
		}
	}
}
