# Genuine mail (part of build.py). Every mail here is what a real sender
# sends; with --dns (the zone) each must come out genuine, never phishing.

# ---- the shop's own order mails -------------------------------------------
orders = [
    ("注文", "山田 太郎 様\n\nこのたびは さくら雑貨 をご利用いただき、誠にありがとうございます。\n下記の内容でご注文を承りました。\n\nご注文番号: 2025031200{n}\nご注文日時: 2025年3月12日 9:12\nお支払い方法: クレジットカード\n合計: 4,980円(税込)\n\n商品: 美濃焼 小皿 5枚組 × 1\n\nご注文の状況はマイページからご確認いただけます。\nhttps://shop.co.jp/mypage/history/2025031200{n}\n\nお問い合わせ: https://shop.co.jp/contact\n{code}\n\nさくら雑貨\n〒600-8001 京都府京都市下京区四条通 1-2-3\n"),
    ("発送", "佐藤 花子 様\n\nご注文の商品を本日発送いたしました。\n配送業者: ヤマト運輸\nお問い合わせ伝票番号: 4567-8901-23{n}\n\n配送状況は下記からご確認いただけます。\nhttps://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number01=456789012{n}\n\nご注文履歴: https://shop.co.jp/mypage/history/2025031100{n}\n{code}\n\nさくら雑貨\n"),
    ("入金", "鈴木 一郎 様\n\n銀行振込のご入金を確認いたしました。ありがとうございます。\n商品の準備ができ次第、発送いたします。\n\nご注文番号: 2025030900{n}\nご入金額: 12,100円\n\nマイページにログインすると、ご注文の状況を確認できます。\nhttps://shop.co.jp/mypage/login\n{code}\n"),
    ("会員登録", "高橋 様\n\nさくら雑貨の会員登録が完了しました。\nログインID: takahashi{n}@example.jp\n\nマイページ: https://shop.co.jp/mypage\nパスワードを忘れた場合: https://shop.co.jp/forgot\n{code}\n"),
]
for i, (kind, text) in enumerate(orders):
    for j, style in enumerate(["u8b64", "jis", "sjis", "u8qp"]):
        if (i + j) % 2 and style == "u8qp":
            continue
        t = text.format(n=i * 10 + j, code=CODE)
        mail(f"gc_shop_{kind}_{style}.eml", "genuine", ["dkim.pass", "dmarc.pass", "code.present"],
             f"{ew('さくら雑貨', hcs(style), split=7 if j == 1 else 0)} <order@shop.co.jp>",
             ew(f"【さくら雑貨】{kind}のお知らせ(ご注文番号 2025031200{i})", hcs(style), split=11 if j else 0),
             body_part(t, style), f"Shop {kind} mail, {style}", **sender("shop.co.jp"))

# ---- the shop's newsletters: click tracking on its own subdomain -----------
track = "https://click.shop.co.jp/c/{id}?u=https%3A%2F%2Fshop.co.jp%2F{path}%3Futm_source%3Dmail%26utm_medium%3Demail%26utm_campaign%3Dspring2025_{id}&sig=9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a&rcpt=8c1f0e"
news = [
    ("春の新作", "新作の春色うつわが入荷しました", ["products/new", "category/spring", "mypage/favorite"],
     "ログインするとお気に入りに追加できます。Amazon Pay・楽天ペイもご利用いただけます。"),
    ("送料無料", "3,000円以上で送料無料キャンペーン", ["campaign/free-shipping", "category/sale"],
     "ヤマト運輸の宅急便でお届けします。お届け日時の指定も可能です。"),
    ("ポイント", "ポイント2倍デー開催中", ["mypage/point", "category/all"],
     "ポイントの確認はマイページにログインしてご覧ください。PayPayでのお支払いもポイント対象です。"),
    ("ギフト", "母の日ギフト特集 ラッピング無料", ["feature/mothers-day", "guide/gift"],
     "Amazonギフト券が当たるキャンペーンも実施中です。ご購入いただいた方から抽選で10名様にプレゼント。"),
]
for i, (tag, head, paths, extra) in enumerate(news):
    links = "".join(f'<p><a href="{track.format(id=f"{i}{k}x7Q", path=p)}"><img src="https://img.shop.co.jp/mail/{p.replace("/", "_")}.jpg" alt="{head}" width="600"></a></p>' for k, p in enumerate(paths))
    html = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{head}</title></head><body>'
            f'<table width="600" align="center"><tr><td><h1>{head}</h1>{links}<p>{extra}</p>'
            f'<p><a href="{track.format(id=f"{i}m", path="mypage/login")}">マイページにログイン</a></p>'
            f'<p style="font-size:11px">{CODE}<br>配信停止は<a href="https://shop.co.jp/mail/unsubscribe?t=ab12cd34ef{i}">こちら</a></p>'
            f'</td></tr></table></body></html>')
    for style in ["u8qp", "sjisb64", "jis"]:
        mail(f"gc_news_{i}_{style}.eml", "genuine", ["dkim.pass", "dmarc.pass"],
             f"{ew('さくら雑貨', hcs(style))} <news@shop.co.jp>", ew(f"【さくら雑貨】{head}", hcs(style), split=9),
             body_part(html, style, html=True), f"Shop newsletter, HTML only, click tracking on click.shop.co.jp ({style})",
             extra=[("List-Unsubscribe", "<https://shop.co.jp/mail/unsubscribe?t=ab12cd34ef>"),
                    ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")], **sender("shop.co.jp"))

# ---- payment processors' receipts ------------------------------------------
stripe = ('<html><body><p>さくら雑貨 様</p><p>お支払いを受け付けました。</p>'
          '<table><tr><td>金額</td><td>¥4,980</td></tr><tr><td>領収書番号</td><td>#1840-{n}</td></tr></table>'
          '<p><a href="https://pay.stripe.com/receipts/payment/CAcaFwoVYWNjdF8xTnM4{n}Qk9wRHlGT3FlKLbC0b4GMgY">領収書を表示</a></p>'
          '<p><a href="https://dashboard.stripe.com/login">Stripe ダッシュボードにログイン</a></p>'
          '<p>ご不明な点は <a href="https://support.stripe.com/">Stripe サポート</a> までお問い合わせください。</p></body></html>')
for n, style in enumerate(["u8qp", "u8b64", "u8"]):
    mail(f"gc_stripe_receipt_{style}.eml", "genuine", ["dkim.pass", "dmarc.pass"],
         "Stripe <receipts@stripe.com>", ew(f"さくら雑貨 からの領収書 [#1840-{n}]", "UTF-8", "Q" if n else "B"),
         body_part(stripe.format(n=n), style, html=True), "Stripe receipt linking only to stripe.com", **sender("stripe.com"))

paypal = ("さくら雑貨 様\n\nPayPalで ¥12,100 JPY の支払いを受け取りました。\n取引ID: 7XK{n}2345AB678901C\n\n"
          "取引の詳細はPayPalアカウントにログインしてご確認ください。\nhttps://www.paypal.com/myaccount/transactions/details/7XK{n}2345AB678901C\n\n"
          "PayPal(ペイパル)\nhttps://www.paypal.com/jp/webapps/mpp/ua/useragreement-full\n")
for n, style in enumerate(["jis", "u8b64"]):
    mail(f"gc_paypal_payment_{style}.eml", "genuine", ["dkim.pass", "dmarc.pass"],
         f"{ew('PayPal', hcs(style))} <service@paypal.com>", ew("支払いを受け取りました", hcs(style)),
         body_part(paypal.format(n=n), style), "PayPal payment received, links only to paypal.com", **sender("paypal.com"))

kessai = ("さくら雑貨 御中\n\n2025年2月分の売上の入金予定をお知らせします。\n入金予定日: 2025年3月25日\n入金予定額: 1,234,560円\n\n"
          "明細は加盟店管理画面にログインしてご確認ください。\nhttps://merchant.kessai-pay.jp/login\n\n決済ペイ株式会社 加盟店サポート\n")
for style in ["sjis", "u8qp"]:
    mail(f"gc_kessai_settlement_{style}.eml", "genuine", ["dkim.pass", "dmarc.pass", "sender.protected"],
         f"{ew('決済ペイ 加盟店サポート', hcs(style))} <support@kessai-pay.jp>", ew("【決済ペイ】入金予定のお知らせ", hcs(style)),
         body_part(kessai, style), "The shop's payment provider (protected) linking to its own merchant login", **sender("kessai-pay.jp"))

# ---- carriers' real notices -------------------------------------------------
yamato = ("さくら雑貨 様\n\nクロネコメンバーズにご登録のお客様へ\nお荷物のお届け予定をお知らせします。\n\n"
          "伝票番号: 4321-0987-65{n}\nお届け予定日時: 3月13日 14時～16時\nご依頼主: 神戸紅茶 様\n\n"
          "お届け日時の変更はこちら\nhttps://member.kuronekoyamato.co.jp/member/login?redirect=/delivery/change/43210987{n}\n\n"
          "ヤマト運輸株式会社\nhttps://www.kuronekoyamato.co.jp/\n")
for n, style in enumerate(["jis", "sjis", "u8b64"]):
    mail(f"gc_yamato_notice_{style}.eml", "genuine", ["dkim.pass", "dmarc.pass"],
         f"{ew('ヤマト運輸', hcs(style), split=5 if n == 1 else 0)} <mail@kuronekoyamato.co.jp>",
         ew("お荷物お届けのお知らせ", hcs(style)), body_part(yamato.format(n=n), style),
         "Yamato delivery notice with its member sign-in link on its own domain", **sender("kuronekoyamato.co.jp"))

sagawa = ('<html><body><p>佐川急便をご利用いただきありがとうございます。</p><p>お荷物を集荷いたしました。</p>'
          '<p>お問い合せ送り状No: 3601-2345-67{n}</p>'
          '<p><a href="https://k2k.sagawa-exp.co.jp/p/web/okurijosearch.do?okurijoNo=36012345670{n}">配達状況を確認する</a></p>'
          '<p><a href="https://www.sagawa-exp.co.jp/">佐川急便株式会社</a></p></body></html>')
for n, style in enumerate(["sjisb64", "u8qp"]):
    mail(f"gc_sagawa_pickup_{style}.eml", "genuine", ["dkim.pass"],
         f"{ew('佐川急便', hcs(style))} <info@sagawa-exp.co.jp>", ew("【佐川急便】集荷完了のお知らせ", hcs(style)),
         body_part(sagawa.format(n=n), style, html=True), "Sagawa pickup notice, HTML only", **sender("sagawa-exp.co.jp"))

post = ("さくら雑貨 様\n\nゆうパックの配達予定をお知らせします。\nお問い合わせ番号: 1234-5678-90{n}\n配達予定日: 3月14日\n\n"
        "配達状況: https://trackings.post.japanpost.jp/services/srv/search/direct?reqCodeNo1=12345678900{n}\n"
        "再配達のお申し込みは郵便局のサイトから: https://trackings.post.japanpost.jp/delivery/deli/\n\n日本郵便株式会社\n")
for n, style in enumerate(["euc", "jis"]):
    mail(f"gc_japanpost_{style}.eml", "genuine", ["dkim.pass", "dmarc.pass"],
         f"{ew('日本郵便', hcs(style))} <yubin@japanpost.jp>", ew("ゆうパック配達予定のお知らせ", hcs(style)),
         body_part(post.format(n=n), style), "Japan Post notice with redelivery link on its own domain", **sender("japanpost.jp"))

# ---- the platform vendor's advisories ----------------------------------------
adv = ("EC-CUBEをご利用の皆様\n\nEC-CUBE 4.2系に脆弱性が見つかりました。悪用されると、サイトが改ざんされる恐れがあります。\n"
       "至急、管理画面にログインしてバージョンを確認し、修正版(4.2.{n})へ更新してください。\n\n"
       "詳細: https://www.ec-cube.net/info/weakness/20250312/\n更新手順: https://doc4.ec-cube.net/quickstart/update\n\n"
       "株式会社イーシーキューブ\n")
for n, style in enumerate(["jis", "u8b64", "sjis"]):
    mail(f"gc_vendor_advisory_{style}.eml", "genuine", ["dkim.pass", "dmarc.pass", "sender.protected"],
         f"{ew('EC-CUBE', hcs(style))} <info@ec-cube.net>", ew("【重要】EC-CUBE 脆弱性のお知らせ", hcs(style), split=13),
         body_part(adv.format(n=4 + n), style), "Vendor advisory that speaks of tampering and asks to log in to the admin, links only to ec-cube.net",
         **sender("ec-cube.net"))
html = ('<html><body><h2>EC-CUBE 4.3.1 をリリースしました</h2><p>新機能と不具合修正を含むアップデートです。</p>'
        '<p><a href="https://www.ec-cube.net/news/detail.php?news_id=412&amp;utm_source=newsletter&amp;utm_medium=email">リリースノート</a></p>'
        '<p><a href="https://www.ec-cube.net/download/">ダウンロード</a> | <a href="https://www.ec-cube.net/mypage/login.php">オーナーズストアにログイン</a></p></body></html>')
mail("gc_vendor_release_html.eml", "genuine", ["dkim.pass", "dmarc.pass"], "EC-CUBE <info@ec-cube.net>",
     ew("EC-CUBE 4.3.1 リリースのお知らせ"), body_part(html, "u8qp", html=True), "Vendor release mail, HTML only", **sender("ec-cube.net"))

# ---- marketplace --------------------------------------------------------------
amazon = ("さくら雑貨 様\n\nセラーセントラルからのお知らせです。\n新しい注文があります。注文番号: 503-1234567-89{n}\n\n"
          "注文を確認するにはセラーセントラルにログインしてください。\nhttps://sellercentral.amazon.co.jp/orders-v3/order/503-1234567-89{n}\n\n"
          "Amazon.co.jp\n")
for n, style in enumerate(["u8b64", "jis"]):
    mail(f"gc_amazon_seller_{style}.eml", "genuine", ["dkim.pass", "dmarc.pass"],
         f"{ew('Amazon セラーセントラル', hcs(style))} <seller-notification@amazon.co.jp>", ew("売れました!出荷してください", hcs(style)),
         body_part(amazon.format(n=n), style), "Amazon Seller Central order notice", **sender("amazon.co.jp"))

# ---- suppliers ------------------------------------------------------------------
inv = ("さくら雑貨\n仕入れご担当 様\n\nいつもお世話になっております。丸山商事の丸山です。\n"
       "3月分の請求書を添付にてお送りいたします。\nお支払い期日: 2025年4月30日\nお振込先: いつもの口座(三井住友銀行 四条支店)\n\n"
       "ご不明点がございましたらご連絡ください。\n\n丸山商事株式会社 営業部 丸山 健\nTEL 075-000-1234\nhttps://www.maruyama-shoji.co.jp/\n")
for n, style in enumerate(["jis", "u8b64"]):
    c, e, b = body_part(inv, style)
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    mail(f"gc_supplier_invoice_{style}.eml", "genuine", ["dkim.pass", "dmarc.pass"],
         f"{ew('丸山商事 丸山', hcs(style))} <k.maruyama@maruyama-shoji.co.jp>", ew("3月分 御請求書送付のご案内", hcs(style)),
         ("mixed", [part(c, e, b), part('application/pdf; name="seikyu_202503.pdf"', "base64", b64(pdf), 'attachment; filename="seikyu_202503.pdf"')]),
         "Supplier invoice with a PDF, the usual bank account", **sender("maruyama-shoji.co.jp"))

tea = ("さくら雑貨 ご担当者様\n\n神戸紅茶の田中です。新茶の入荷予定をご案内いたします。\n"
       "ご注文は専用サイトにログインしてお手続きください。\nhttps://b2b.kobe-tea.co.jp/login\n\n"
       "> 先日はお問い合わせありがとうございました。\n> さくら雑貨 仕入れ担当 <owner@shop.co.jp>\n\n神戸紅茶株式会社 田中\n")
mail("gc_supplier_b2b_login_sjis.eml", "genuine", ["dkim.pass", "auth.aligned"],
     f"{ew('神戸紅茶 田中', 'Shift_JIS')} <tanaka@kobe-tea.co.jp>", ew("新茶入荷のご案内", "Shift_JIS"),
     body_part(tea, "sjis"), "Supplier asking to log in to its own B2B site", **sender("kobe-tea.co.jp"))

# ---- the shop's admin notices --------------------------------------------------
adm = ('<html><body><p>新しい注文が入りました(注文番号 202503120{n})。</p>'
       '<p><a href="https://admin.shop.co.jp/admin/order/202503120{n}/edit">管理画面で注文を確認する</a></p>'
       '<p>在庫が少なくなっている商品があります: <a href="https://admin.shop.co.jp/admin/product?stock=low">在庫一覧</a></p>'
       f'<p>{CODE}</p></body></html>')
for n, style in enumerate(["u8qp", "jis"]):
    mail(f"gc_shop_admin_notice_{style}.eml", "genuine", ["dkim.pass", "dmarc.pass", "code.present"],
         "Akinai <system@shop.co.jp>", ew("【さくら雑貨】新しい注文", hcs(style)),
         alt(f"新しい注文が入りました。\nhttps://admin.shop.co.jp/admin/order/202503120{n}/edit\n{CODE}\n", adm.format(n=n), style),
         "Akinai's admin notice linking to the admin origin", **sender("shop.co.jp"))

# ---- genuine but not verifiable offline: at most suspicious ---------------------
for n, style in enumerate(["jis", "u8b64"]):
    t = orders[0][1].format(n=90 + n, code=CODE)
    mail(f"gc_offline_shop_order_{style}.eml", "suspicious", ["dkim.offline"],
         f"{ew('さくら雑貨', hcs(style))} <order@shop.co.jp>", ew("【さくら雑貨】ご注文ありがとうございます", hcs(style)),
         body_part(t, style), "A genuine shop mail checked offline without --dns: it cannot be vouched for",
         offline=True, **sender("shop.co.jp"))

# ---- genuine requests for money: flagged, never phishing ------------------------
chg = ("さくら雑貨 仕入れご担当 様\n\nいつもお世話になっております。丸山商事 経理部の山本です。\n"
       "このたび、弊社の取引銀行の統合に伴い、4月1日より振込先口座を変更させていただくことになりました。\n"
       "振込先口座変更のお願い: 新しい口座の情報は、別途郵送にてお送りする書面をご確認ください。\n"
       "ご不明な点は、お手数ですが代表電話(075-000-1234)までお問い合わせください。\n\n丸山商事株式会社 経理部 山本\n")
for style in ["jis", "u8qp"]:
    mail(f"gc_supplier_bank_change_{style}.eml", "suspicious", ["bec.bank_change", "dkim.pass"],
         f"{ew('丸山商事 経理部', hcs(style))} <keiri@maruyama-shoji.co.jp>", ew("振込先口座変更のお知らせ", hcs(style)),
         body_part(chg, style), "A real supplier announcing a bank change, authenticated: flagged for a phone check, not phishing",
         advice=["advice.bec"], **sender("maruyama-shoji.co.jp"))

# ---- added after the held-out run: other shops' newsletters naming services --------
part_news = ('<html><body><p>パートナー商事オンラインストアより</p><p>Amazon Pay と PayPay でのお支払いに対応しました。'
             'お支払い情報の入力が不要になり、より簡単にお買い物いただけます。</p>'
             '<p><a href="https://www.partner.example.com/mypage/login">マイページにログイン</a></p></body></html>')
mail("gc_partner_news_amazonpay.eml", "genuine", ["dkim.pass", "auth.aligned"],
     f"{ew('パートナー商事')} <news@partner.example.com>", ew("Amazon Pay・PayPay 対応のお知らせ"),
     body_part(part_news, "u8qp", html=True), "Another shop's newsletter naming payment services and linking to its own sign-in",
     helo="out.partner.example.com", ip="192.0.2.30", rp="bounce@partner.example.com",
     sign="partner.example.com")
mail("gc_partner_news_amazonpay_offline.eml", "suspicious", ["dkim.offline"],
     f"{ew('パートナー商事')} <news@partner.example.com>", ew("Amazon Pay・PayPay 対応のお知らせ"),
     body_part(part_news, "u8qp", html=True), "The same, offline: not phishing",
     helo="out.partner.example.com", ip="192.0.2.30", rp="bounce@partner.example.com", offline=True)

# A QR code for store pick-up and, further down, "log in to My Page": not a QR sign-in lure.
pick = ("小林 様\n\nご注文の商品が店頭に届きました。\n店頭受取用のQRコードを添付しております。レジでこの画面をご提示ください。\n\n"
        "受取期限: 3月20日\n\n\nご注文の状況はマイページにログインしてご確認いただけます。\nhttps://shop.co.jp/mypage/history/2025031299\n" + CODE + "\n")
c, e, b = body_part(pick, "jis")
for off in (False, True):
    mail(f"gc_shop_pickup_qr{'_offline' if off else ''}.eml", "suspicious" if off else "genuine", ["code.present"],
         f"{ew('さくら雑貨', 'ISO-2022-JP')} <order@shop.co.jp>", ew("【さくら雑貨】店頭受取のご案内", "ISO-2022-JP"),
         ("mixed", [part(c, e, b), part('image/png; name="pickup-qr.png"', "base64", b64(PNG), 'attachment; filename="pickup-qr.png"')]),
         "Store pick-up QR code with a My Page sign-in further down" + (", offline" if off else ""), offline=off, **sender("shop.co.jp"))
