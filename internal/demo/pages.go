package demo

import (
	"strings"

	"github.com/akinai/akinai/internal/catalog"
)

// pages returns the shop pages in catalog.Markup.
func pages() []catalog.Page {
	r := strings.NewReplacer("{shop}", shopName, "{shopEN}", shopNameEN, "{company}", company, "{companyEN}", companyEN,
		"{manager}", manager, "{postal}", "〒"+postalCode[:3]+"-"+postalCode[3:], "{address}", address, "{addressEN}", addressEN,
		"{phone}", phone, "{email}", email, "{hours}", hours, "{invoice}", InvoiceNumber())
	return []catalog.Page{
		{Slug: "tokushoho", TitleJA: "特定商取引法に基づく表記", TitleEN: "Legal notice (Specified Commercial Transactions Act)",
			BodyJA: r.Replace(tokushohoJA), BodyEN: r.Replace(tokushohoEN), SortOrder: 1},
		{Slug: "privacy", TitleJA: "プライバシーポリシー", TitleEN: "Privacy policy",
			BodyJA: r.Replace(privacyJA), BodyEN: r.Replace(privacyEN), SortOrder: 2},
		{Slug: "company", TitleJA: "会社概要", TitleEN: "About us",
			BodyJA: r.Replace(companyJA), BodyEN: r.Replace(companyEN_), SortOrder: 3},
	}
}

const tokushohoJA = `| 販売業者 | {company} |
| 運営統括責任者 | {manager} |
| 所在地 | {postal} {address} |
| 電話番号 | {phone}(受付時間 {hours}) |
| メールアドレス | {email} |
| ホームページ | [/](/) |
| 販売価格 | 各商品ページに税込価格で表示しています。 |
| 商品代金以外の必要料金 | 送料(全国一律 660円、税込 5,500円以上のご注文で無料)、代金引換手数料 330円、銀行振込手数料(お客様ご負担) |
| お支払い方法 | クレジットカード、コンビニ払い、銀行振込、代金引換 |
| お支払い時期 | クレジットカード: ご注文時 / コンビニ払い・銀行振込: ご注文から7日以内(前払い) / 代金引換: 商品お受け取り時 |
| 商品の引渡し時期 | ご注文(前払いの場合はご入金確認)から3営業日以内に発送します。 |
| 返品・交換 | 商品到着後8日以内にご連絡ください。不良品・誤配送は当店負担で交換または返金します。お客様都合の返品は未開封・未使用品に限り、送料はお客様のご負担となります。食品は衛生上、お客様都合の返品をお受けできません。 |
| 販売数量の制限 | 一部の商品にお一人様あたりの購入数の上限があります(各商品ページに表示)。 |
| 適格請求書発行事業者登録番号 | {invoice} |
`

const tokushohoEN = `| Seller | {companyEN} |
| Responsible person | {manager} |
| Address | {postal} {addressEN} |
| Phone | {phone} (hours: weekdays 10:00–17:00 JST) |
| Email | {email} |
| Website | [/](/) |
| Prices | Shown including tax on each product page. |
| Other fees | Shipping (¥660 anywhere in Japan, free from ¥5,500 incl. tax), cash-on-delivery fee ¥330, bank transfer fees (paid by the customer) |
| Payment methods | Credit card, convenience store, bank transfer, cash on delivery |
| Payment timing | Card: at order / convenience store and bank transfer: within 7 days of the order (in advance) / cash on delivery: on receipt |
| Delivery | Shipped within 3 business days of the order (of payment, for advance payment). |
| Returns and exchanges | Please contact us within 8 days of receipt. Defective or wrong items are exchanged or refunded at our cost. Returns for other reasons are accepted for unopened, unused items only, shipping at the customer's cost. Food cannot be returned for hygiene reasons unless defective. |
| Quantity limits | Some products are limited per order (shown on the product page). |
| Qualified invoice registration number | {invoice} |
`

const privacyJA = `{company}(以下「当社」)は、お客様の個人情報を次のとおり取り扱います。

# 利用目的
- ご注文商品の発送、代金のご請求、お問い合わせへの回答
- ご同意いただいたお客様への新商品・キャンペーンのご案内(メールの配信はいつでも停止できます)
- サービス改善のための統計(個人を識別しない形に加工します)

# 第三者提供
法令に基づく場合を除き、ご本人の同意なく第三者に提供しません。配送業者・決済代行会社には、業務に必要な範囲で委託します。

# 安全管理措置
通信の暗号化、管理画面へのフィッシング耐性のある認証、アクセス権限の限定、従業者への教育により個人情報を保護します。

# 開示等のご請求
保有個人データの開示・訂正・利用停止・削除のご請求は、下記の窓口までご連絡ください。ご本人確認の上、遅滞なく対応します。

# 外部サービス
当店は広告・解析用の第三者タグを使用していません。言語設定とフォームの保護のため、必要最小限の Cookie を使用します。

# 事業者・お問い合わせ窓口
| 事業者 | {company} |
| 代表者 | {manager} |
| 所在地 | {postal} {address} |
| 窓口 | {email} / {phone} |
`

const privacyEN = `{companyEN} ("we") handles your personal information as follows.

# Purposes of use
- Shipping your orders, billing and answering your enquiries
- News about products and campaigns, only if you opted in (you can unsubscribe at any time)
- Statistics to improve our service (processed so that no one can be identified)

# Disclosure to third parties
We never disclose your information without your consent except where the law requires it. Carriers and payment providers receive only what their work needs.

# Security measures
Encrypted connections, phishing-resistant sign-in for our staff, limited access rights and staff training.

# Requests for disclosure
To see, correct, stop the use of or delete your data, contact us below; we verify your identity and answer without delay.

# Third-party services
We use no third-party advertising or analytics tags, and only the cookies needed for your language choice and form protection.

# Contact
| Company | {companyEN} |
| Representative | {manager} |
| Address | {postal} {addressEN} |
| Contact | {email} / {phone} |
`

const companyJA = `# {shop} について
日本各地の茶園から取り寄せたお茶と、毎日の台所で使える道具をお届けしています。

| 会社名 | {company} |
| 代表者 | {manager} |
| 所在地 | {postal} {address} |
| 電話番号 | {phone} |
| メールアドレス | {email} |
| 営業時間 | {hours} |
| 事業内容 | 茶葉・和菓子・茶道具・台所用品の通信販売 |
`

const companyEN_ = `# About {shopEN}
Teas from farms all over Japan, and tools for the everyday kitchen.

| Company | {companyEN} |
| Representative | {manager} |
| Address | {postal} {addressEN} |
| Phone | {phone} |
| Email | {email} |
| Hours | Weekdays 10:00–17:00 JST |
| Business | Mail order of tea, Japanese sweets, tea tools and kitchen goods |
`
