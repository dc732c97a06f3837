package order

import (
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/jp"
)

// Sender is the shop as the label's ご依頼主, with its carrier account
// codes.
type Sender struct {
	Name, Phone, PostalCode, Address string
	// YamatoBilling is the B2 請求先顧客コード (10–12 digits) and
	// YamatoFreight the 運賃管理番号 (2 digits), from the shop's contract.
	YamatoBilling, YamatoFreight string
}

// B2Header is the header row of Yamato B2 Cloud's 送り状発行データ
// (外部データ取込み, 入出力用レイアウト, items 1–42; docs/CARRIERS.md).
var B2Header = []string{
	"お客様管理番号", "送り状種類", "クール区分", "伝票番号", "出荷予定日", "お届け予定日", "配達時間帯",
	"お届け先コード", "お届け先電話番号", "お届け先電話番号枝番", "お届け先郵便番号", "お届け先住所", "お届け先アパートマンション名",
	"お届け先会社・部門１", "お届け先会社・部門２", "お届け先名", "お届け先名(ｶﾅ)", "敬称",
	"ご依頼主コード", "ご依頼主電話番号", "ご依頼主電話番号枝番", "ご依頼主郵便番号", "ご依頼主住所", "ご依頼主アパートマンション", "ご依頼主名", "ご依頼主名(ｶﾅ)",
	"品名コード１", "品名１", "品名コード２", "品名２", "荷扱い１", "荷扱い２", "記事",
	"ｺﾚｸﾄ代金引換額（税込)", "内消費税額等", "止置き", "営業所コード", "発行枚数", "個数口表示フラグ",
	"請求先顧客コード", "請求先分類コード", "運賃管理番号",
}

// b2Slots maps Akinai's slot codes to B2's 配達時間帯 codes. Yamato's
// current slots are 午前中, 14–16, 16–18, 18–20 and 19–21; a slot B2 does
// not know is left empty (指定なし) rather than guessed.
var b2Slots = map[string]string{"am": "0812", "14_16": "1416", "16_18": "1618", "18_20": "1820", "19_21": "1921"}

// b2Cool maps a delivery method's cool setting to B2's クール区分.
var b2Cool = map[string]string{"": "0", "frozen": "1", "chilled": "2"}

// ParcelRef is the reference a label carries and the tracking import
// reads back: the order number without its hyphen and the parcel's seq
// in two digits ("261202AQ4VE401"), 14 half-width letters and digits,
// which fits every carrier's 管理番号 field (B2: 20).
func ParcelRef(number string, seq int) string {
	ref := make([]byte, 0, 14)
	for i := 0; i < len(number); i++ {
		if number[i] != '-' {
			ref = append(ref, number[i])
		}
	}
	if seq < 10 {
		ref = append(ref, '0')
	}
	return string(strconv.AppendInt(ref, int64(seq), 10))
}

// B2Record fills rec (reused between calls) with p's row of the B2
// layout. shipDate is the 出荷予定日. A cash-on-delivery order's whole
// amount is collected with its first parcel (送り状種類 2, コレクト); its
// other parcels and every other order go prepaid (0, 発払).
func B2Record(rec []string, p *LabelParcel, s Sender, shipDate time.Time) []string {
	rec = append(rec[:0], make([]string, len(B2Header))...)
	rec[0] = ParcelRef(p.Number, p.Seq)
	rec[1] = "0"
	if p.Payment == COD && p.Seq == 1 {
		rec[1] = "2"
		rec[33] = strconv.FormatInt(int64(p.Total), 10)
		rec[34] = strconv.FormatInt(int64(p.Tax), 10)
	}
	rec[2] = b2Cool[p.Cool]
	rec[4] = shipDate.Format("2006/01/02")
	if t, err := time.Parse("2006-01-02", p.Date); err == nil {
		rec[5] = t.Format("2006/01/02")
	}
	rec[6] = b2Slots[p.Slot]
	a := p.Ship
	rec[8] = a.Phone
	rec[10] = jp.FormatPostalCode(a.PostalCode)
	pref, _ := jp.PrefectureByCode(a.Pref)
	rec[11] = clip(pref.Name+a.City+a.Address1, 32)
	rec[12] = clip(a.Address2, 16)
	rec[15] = clip(a.FamilyName+" "+a.GivenName, 16)
	rec[17] = "様"
	rec[19] = s.Phone
	rec[21] = jp.FormatPostalCode(s.PostalCode)
	rec[22] = clip(s.Address, 32)
	rec[24] = clip(s.Name, 16)
	if len(p.Items) > 0 {
		rec[27] = clip(p.Items[0].Name, 25)
	}
	if len(p.Items) == 2 {
		rec[29] = clip(p.Items[1].Name, 25)
	} else if len(p.Items) > 2 {
		rec[29] = clip(p.Items[1].Name, 20) + " 他" + strconv.Itoa(len(p.Items)-2) + "点"
	}
	rec[32] = clip(p.Number, 22)
	rec[39] = s.YamatoBilling
	rec[41] = s.YamatoFreight
	return rec
}

// clip cuts s to at most n characters: the carriers reject an overlong
// field instead of cutting it.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n])
}
