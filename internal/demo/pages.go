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
		{Slug: "terms", TitleJA: "利用規約", TitleEN: "Terms of use",
			BodyJA: r.Replace(termsJA), BodyEN: r.Replace(termsEN), SortOrder: 4},
	}
}

// The registration form links /pages/terms: the demo has them.
const termsJA = `この利用規約(以下「本規約」)は、{company}(以下「当社」)が運営する「{shop}」(以下「当店」)のご利用条件を定めるものです。会員登録またはご注文の前にお読みください。

# 第1条(適用)
本規約は、当店のご利用に関わる当社とお客様との一切の関係に適用されます。

# 第2条(会員登録)
- 会員登録は、本規約に同意のうえ、当店の定める方法でお申し込みいただき、確認メールのリンクを開いた時点で完了します。
- 登録内容に虚偽があった場合、当社は登録をお断りし、または会員資格を停止することがあります。

# 第3条(アカウントの管理)
- パスワード・パスキーはお客様ご自身で管理し、第三者に利用させないでください。
- 当店がメールでパスワードや合言葉をお尋ねすることはありません。当店からのメールには、お客様が設定した合言葉が記載されます。

# 第4条(ご注文と契約の成立)
ご注文は、当店からの注文確認メールの送信をもって契約成立とします。在庫切れその他の理由でお受けできない場合はご連絡のうえ、受領済みの代金を返金します。

# 第5条(お支払い・お届け・返品)
お支払い方法、お届け時期、返品・交換の条件は「特定商取引法に基づく表記」に定めます。

# 第6条(禁止事項)
- 法令または公序良俗に反する行為
- 当店のサーバーやネットワークに過度の負荷をかける行為、不正アクセス
- 他のお客様や第三者になりすます行為
- 転売を目的とした大量のご注文

# 第7条(退会)
会員はマイページからいつでも退会できます。退会後、法令で保存が義務づけられた注文記録を除き、会員情報を削除します。

# 第8条(個人情報)
お客様の個人情報は「プライバシーポリシー」に従って取り扱います。

# 第9条(免責)
当社の故意または重大な過失による場合を除き、当店のご利用により生じた損害について、当社の責任はご注文の代金を上限とします。

# 第10条(規約の変更)
当社は、必要に応じて本規約を変更できます。変更後の規約は当店に掲載した時点から効力を生じます。

# 第11条(準拠法・管轄)
本規約は日本法に準拠し、本規約に関する紛争は当社所在地を管轄する地方裁判所を第一審の専属的合意管轄裁判所とします。

| 事業者 | {company} |
| 所在地 | {postal} {address} |
| お問い合わせ | {email} / {phone} |
`

const termsEN = `These terms of use ("Terms") govern the use of {shopEN} ("the Shop"), run by {companyEN} ("we"). Please read them before you register or order. The Japanese version prevails.

# 1. Scope
These Terms apply to every dealing between you and us through the Shop.

# 2. Registration
- You register by agreeing to these Terms, applying as the Shop asks and opening the link in the confirmation mail.
- We may refuse or suspend an account registered with false information.

# 3. Your account
- Keep your password and passkeys to yourself; do not let others use them.
- We never ask for your password or code by mail. Our mails show the anti-phishing phrase you chose.

# 4. Orders
A contract is made when we send the order confirmation mail. If we cannot supply an item (out of stock or otherwise), we tell you and refund what you paid.

# 5. Payment, delivery and returns
Payment methods, delivery times and the return policy are set out in the legal notice (Specified Commercial Transactions Act).

# 6. Prohibited acts
- Acts against the law or public order
- Putting excessive load on our servers or network, or unauthorised access
- Impersonating other customers or third parties
- Bulk orders for resale

# 7. Closing your account
You can close your account on My Page at any time. We then delete your account data, except order records the law requires us to keep.

# 8. Personal information
We handle your personal information as our privacy policy says.

# 9. Liability
Except for wilful misconduct or gross negligence on our part, our liability for damage from using the Shop is limited to the price of the order concerned.

# 10. Changes
We may change these Terms when needed; the new Terms apply from their publication in the Shop.

# 11. Governing law and jurisdiction
These Terms are governed by Japanese law. The district court with jurisdiction over our address is the exclusive court of first instance.

| Company | {companyEN} |
| Address | {postal} {addressEN} |
| Contact | {email} / {phone} |
`

const tokushohoJA = `| 販売業者 | {company} |
| 運営統括責任者 | {manager} |
| 所在地 | {postal} {address} |
| 電話番号 | {phone}(受付時間 {hours}) |
| メールアドレス | {email} |
| ホームページ | [/](/) |
| 販売価格 | 各商品ページに税込価格で表示しています。 |
| 商品代金以外の必要料金 | 送料(配送方法・お届け先により異なります。税込 5,500円以上のご注文で無料)、代金引換手数料(ご注文金額に応じて330円〜)、銀行振込手数料(お客様ご負担) |
| お支払い方法 | {payment_methods} |
| お支払い時期 | {payment_timing} |
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
| Other fees | Shipping (by delivery method and destination; free from ¥5,500 incl. tax), cash-on-delivery fee (from ¥330, by order amount), bank transfer fees (paid by the customer) |
| Payment methods | {payment_methods} |
| Payment timing | {payment_timing} |
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
