#!/usr/bin/env python3
"""Builds the phishing-checker corpus sources and manifest.

Run from this directory: python3 build.py, then
`go test ./internal/phishcheck -run TestCorpus -update` to sign the mails
listed with "sign" (src/NAME.eml -> NAME.eml). Mails without "sign" are
written here directly. Python is used because its codecs write ISO-2022-JP,
Shift_JIS, CP932 and EUC-JP byte-exactly, including the broken forms
phishers send.
"""
import base64, json, quopri, os

CASES = []
RCVD_SHOP = "from mail.shop.co.jp (mail.shop.co.jp [203.0.113.10])\r\n\tby mx.receiver.example (Postfix) with ESMTPS id 4Q1;\r\n\tTue, 4 Mar 2025 10:00:01 +0900"

def rcvd(helo, ip):
    return f"from {helo} ({helo} [{ip}])\r\n\tby mx.receiver.example (Postfix) with ESMTP id 9Z{ip.replace('.', '')};\r\n\tTue, 4 Mar 2025 10:00:01 +0900"

def b64(data):
    s = base64.b64encode(data).decode()
    return "\r\n".join(s[i:i+76] for i in range(0, len(s), 76))

def qp(data):
    return quopri.encodestring(data).decode().replace("\n", "\r\n")

def ew(text, charset="UTF-8", enc="B"):
    raw = text.encode(charset.lower().replace("iso-2022-jp", "iso2022_jp"))
    if enc == "B":
        return f"=?{charset}?B?{base64.b64encode(raw).decode()}?="
    return f"=?{charset}?Q?{quopri.encodestring(raw, header=True).decode()}?="

def hdrs(items):
    return "".join(f"{k}: {v}\r\n" for k, v in items).encode()

def mail(name, verdict, codes, headers, body, note, sign=None, offline=False, prepend=None):
    data = hdrs(headers) + b"\r\n" + body
    target = os.path.join("src", name) if sign else name
    with open(target, "wb") as f:
        f.write(data)
    entry = {"file": name, "verdict": verdict, "codes": codes, "note": note}
    if sign:
        entry["sign"] = sign
    if offline:
        entry["offline"] = True
    if prepend:
        entry["prepend"] = prepend
    CASES.append(entry)

def std(frm, subj, extra=(), rc=None, rp=None, ctype="text/plain; charset=UTF-8", cte="8bit", mid="x"):
    h = []
    if rc:
        h.append(("Received", rc))
    if rp:
        h.append(("Return-Path", f"<{rp}>"))
    h += [("From", frm), ("To", "owner@shop.co.jp"), ("Subject", subj),
          ("Date", "Tue, 04 Mar 2025 10:00:00 +0900"), ("Message-ID", f"<{mid}@corpus.test>"),
          ("MIME-Version", "1.0")]
    h += list(extra)
    h += [("Content-Type", ctype), ("Content-Transfer-Encoding", cte)]
    return h

SHOP_SIG = {"signer": "akinai", "key": "shop-ak1", "domain": "shop.co.jp", "selector": "ak1"}
SHOP_SIG_RSA = {"signer": "akinai", "key": "shop-ak2", "domain": "shop.co.jp", "selector": "ak2"}
CODE = "フィッシング対策コード: sakura-42"

# ---- genuine -------------------------------------------------------------
body = f"山田様\nご注文ありがとうございます。\n注文番号: 1001\nご注文履歴: https://shop.co.jp/mypage/history/1001\n{CODE}\n".encode()
mail("g01_shop_order_ed25519.eml", "genuine", ["dkim.pass", "dmarc.pass", "sender.protected", "code.present"],
     std(f"{ew('ショップ')} <order@shop.co.jp>", ew("ご注文ありがとうございます"), rc=RCVD_SHOP, rp="bounce@shop.co.jp", cte="base64", mid="g01"),
     b64(body).encode() + b"\r\n", "Akinai order mail, UTF-8 base64, Ed25519", sign=SHOP_SIG)

body = f"山田様\n\n商品を発送しました。\n配送状況: https://shop.co.jp/mypage/history/1002\n{CODE}\n".encode("iso2022_jp").replace(b"\n", b"\r\n")
mail("g02_shop_shipping_iso2022jp_rsa.eml", "genuine", ["dkim.pass", "dmarc.pass", "code.present"],
     std(f"{ew('ショップ', 'ISO-2022-JP')} <order@shop.co.jp>", ew("商品発送のお知らせ", "ISO-2022-JP"), rc=RCVD_SHOP, rp="bounce@shop.co.jp",
         ctype="text/plain; charset=ISO-2022-JP", cte="7bit", mid="g02"),
     body, "ISO-2022-JP mail signed with RSA-2048", sign=SHOP_SIG_RSA)

body = f"パスワード再設定のご依頼を受け付けました。\n24時間以内に下記URLから新しいパスワードを設定してください。\nhttps://shop.co.jp/forgot/reset/6a1f0c\n{CODE}\n".encode()
mail("g03_shop_password_reset.eml", "genuine", ["dkim.pass", "dmarc.pass", "lure.urgency", "code.present"],
     std("ショップ <noreply@shop.co.jp>", ew("パスワード再設定"), rc=RCVD_SHOP, rp="bounce@shop.co.jp", mid="g03"),
     body, "Genuine reset mail that uses pressure words: lures alone do not decide", sign=SHOP_SIG)

html = f'<html><body><p>新しい注文が入りました。</p><p><a href="https://admin.shop.co.jp/admin/order/1003">管理画面で確認</a></p><p>{CODE}</p></body></html>'.encode()
text = f"新しい注文が入りました。\nhttps://admin.shop.co.jp/admin/order/1003\n{CODE}\n".encode()
mp = (b"--ALT\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + qp(text).encode() +
      b"\r\n--ALT\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + qp(html).encode() + b"\r\n--ALT--\r\n")
mail("g04_shop_admin_notice_qp.eml", "genuine", ["dkim.pass", "dmarc.pass"],
     std("Akinai <system@shop.co.jp>", "New order 1003", rc=RCVD_SHOP, rp="bounce@shop.co.jp", ctype='multipart/alternative; boundary="ALT"', cte="7bit", mid="g04"),
     mp, "Admin notification linking to the admin origin, multipart/alternative QP", sign=SHOP_SIG)

html = '<html><body><p>EC-CUBE 4.2.3 を公開しました。</p><p><a href="https://www.ec-cube.net/news/detail.php?news_id=400">www.ec-cube.net</a></p></body></html>'.encode()
mail("g05_vendor_ec-cube_python_rsa.eml", "genuine", ["dkim.pass", "dmarc.pass"],
     std(f"{ew('EC-CUBE', 'UTF-8', 'Q')} <info@ec-cube.net>", ew("EC-CUBE 4.2.3 リリースのお知らせ"), rc=rcvd("mail.ec-cube.net", "198.51.100.20"),
         rp="info@ec-cube.net", ctype="text/html; charset=UTF-8", cte="base64", mid="g05"),
     b64(html).encode() + b"\r\n", "Vendor mail signed by python dkimpy (RSA)",
     sign={"signer": "python", "key": "ecube-ec1", "domain": "ec-cube.net", "selector": "ec1"})

body = "いつもご利用ありがとうございます。\n春の新商品のご案内です。\nhttps://www.partner.example.com/spring\n".encode("shift_jis").replace(b"\n", b"\r\n")
mail("g06_partner_sjis_python_ed25519.eml", "genuine", ["dkim.pass", "auth.aligned", "dmarc.none"],
     std(f"{ew('パートナー商事', 'Shift_JIS')} <news@partner.example.com>", ew("新商品のご案内", "Shift_JIS"), rc=rcvd("out.partner.example.com", "192.0.2.30"),
         rp="bounce@partner.example.com", ctype="text/plain; charset=Shift_JIS", cte="8bit", mid="g06"),
     body, "Shift_JIS newsletter signed by python dkimpy (Ed25519) with d= a subdomain: relaxed alignment",
     sign={"signer": "python", "key": "partner-py1", "domain": "mail.partner.example.com", "selector": "py1"})

mail("g07_mailinglist_spf_only.eml", "genuine", ["spf.pass", "dmarc.pass", "dkim.none"],
     std("Example ML <news@ml.example.org>", "[ml:123] meeting notes", rc=rcvd("lists.ml.example.org", "192.0.2.40"), rp="ml-bounces@ml.example.org", mid="g07"),
     b"Notes of the meeting are attached to the wiki: https://wiki.ml.example.org/notes/123\r\n",
     "Unsigned list mail authenticated by SPF alone (aligned Return-Path)")

body = f"山田様\nポイントが付与されました。\n{CODE}\n".encode("euc_jp").replace(b"\n", b"\r\n")
mail("g08_shop_eucjp.eml", "genuine", ["dkim.pass", "dmarc.pass", "code.present"],
     std(f"{ew('ショップ', 'EUC-JP')} <order@shop.co.jp>", ew("ポイント付与のお知らせ", "EUC-JP"), rc=RCVD_SHOP, rp="bounce@shop.co.jp",
         ctype="text/plain; charset=EUC-JP", cte="8bit", mid="g08"),
     body, "EUC-JP body", sign=SHOP_SIG)

body = "ショップ御中\n3月分のお支払いが完了しました。明細は加盟店管理画面でご確認ください。\n".encode()
mail("g09_payment_provider.eml", "genuine", ["dkim.pass", "dmarc.pass", "sender.protected"],
     std("決済ペイ <report@kessai-pay.jp>", ew("お支払い完了のお知らせ"), rc=rcvd("smtp.kessai-pay.jp", "198.51.100.50"), rp="report@kessai-pay.jp", mid="g09"),
     body, "Payment provider mail signed by Akinai's signer for another domain",
     sign={"signer": "akinai", "key": "kessai-kp1", "domain": "kessai-pay.jp", "selector": "kp1"})

mail("g10_offline_trusted_authres.eml", "genuine", ["dmarc.pass", "dkim.pass"],
     [("Authentication-Results", "mx.receiver.example; dkim=pass header.d=partner.example.com; spf=pass smtp.mailfrom=bounce@partner.example.com; dmarc=pass header.from=partner.example.com"),
      ("Received", rcvd("out.partner.example.com", "192.0.2.30"))] +
     std("Partner <news@partner.example.com>", "Weekly news", rp="bounce@partner.example.com", mid="g10"),
     b"This week's news: https://www.partner.example.com/news\r\n", "Offline: authentication taken from the trusted receiving server's Authentication-Results", offline=True)

# ---- phishing: the two cases of the EC-CUBE notice -------------------------
body = ("EC-CUBEをご利用の皆様\n\n管理画面のパスワードの有効期限が切れます。\n"
        "引き続きご利用いただくには、以下のURLからログインしてパスワードを更新してください。\n"
        "https://ec-cube-net.jp/admin/login\n\nEC-CUBE運営事務局\n").encode("iso2022_jp").replace(b"\n", b"\r\n")
mail("p01_notice_a_display_domain_password_expiry.eml", "phishing",
     ["display.spoof_domain", "lure.password_expiry", "lookalike.brand_in_name", "link.login_offsite"],
     std('"ec-cube.net" <support@mail-notice.example>', ew("【重要】パスワードの有効期限が切れます", "ISO-2022-JP"), rc=rcvd("mail-notice.example", "192.0.2.66"),
         rp="support@mail-notice.example", ctype="text/plain; charset=ISO-2022-JP", cte="7bit", mid="p01"),
     body, "EC-CUBE notice (a): display name is the vendor domain, password expiry, look-alike link")

html = ('<html><body><p>いつもご利用ありがとうございます。</p>'
        '<p>お客様のサーバー上のファイルが破損していることを検出しました。</p>'
        '<p>至急、管理画面にログインして修復を行ってください。</p>'
        '<p><a href="https://shop.jp/admin/login">https://shop.co.jp/admin/login</a></p>'
        '<p>サーバー管理事務局</p></body></html>').encode("cp932")
mail("p02_notice_b_corrupted_files_shop_jp.eml", "phishing",
     ["lookalike.tld_swap", "link.text_mismatch", "link.login_offsite", "lure.file_corruption", "lure.urgency"],
     std(f"{ew('サーバー管理事務局', 'Shift_JIS')} <noreply@server-support.example>", ew("【緊急】サーバー上のファイルが破損しています", "Shift_JIS"),
         rc=rcvd("server-support.example", "192.0.2.67"), rp="noreply@server-support.example", ctype="text/html; charset=Shift_JIS", cte="8bit", mid="p02"),
     html, "EC-CUBE notice (b): corrupted files, log in to the admin; link text shop.co.jp, href shop.jp")

# ISO-2022-JP display name split in the middle of a character across two encoded-words.
name = "ec-cube.net サポート".encode("iso2022_jp")
cut = name.index(b"\x1b$B") + 5
w1 = "=?ISO-2022-JP?B?" + base64.b64encode(name[:cut]).decode() + "?="
w2 = "=?ISO-2022-JP?B?" + base64.b64encode(name[cut:]).decode() + "?="
subj = "パスワードの有効期限のお知らせ".encode("iso2022_jp")
s1 = "=?ISO-2022-JP?B?" + base64.b64encode(subj[:7]).decode() + "?="
s2 = "=?ISO-2022-JP?B?" + base64.b64encode(subj[7:]).decode() + "?="
body = "パスワードを更新してください。\nhttps://ec-cube.co/mypage/login\n".encode("iso2022_jp").replace(b"\n", b"\r\n")
mail("p03_split_iso2022jp_words.eml", "phishing", ["display.spoof_domain", "lookalike.tld_swap", "lure.password_expiry"],
     std(f"{w1}\r\n {w2} <info@notice-center.example>", f"{s1}\r\n {s2}", rc=rcvd("notice-center.example", "192.0.2.68"),
         ctype="text/plain; charset=ISO-2022-JP", cte="7bit", mid="p03"),
     body, "Encoded-words split inside an ISO-2022-JP escape sequence (display name and subject)")

raw_subject = "アカウント停止のお知らせ".encode("iso2022_jp")
raw_name = "ＥＣ―ＣＵＢＥ運営事務局".encode("iso2022_jp")
data = (b"Received: " + rcvd("ec-cube-support.com", "192.0.2.69").encode() + b"\r\n"
        b"From: " + raw_name + b" <info@ec-cube-support.com>\r\n"
        b"To: owner@shop.co.jp\r\nSubject: " + raw_subject + b"\r\nDate: Tue, 04 Mar 2025 10:00:00 +0900\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\n\r\n" +
        "ご利用のアカウントは停止されます。\r\nhttps://ec-cube-support.com/login\r\n".encode("iso2022_jp"))
with open("p04_raw_jis_headers.eml", "wb") as f:
    f.write(data)
CASES.append({"file": "p04_raw_jis_headers.eml", "verdict": "phishing",
              "codes": ["lookalike.brand_in_name", "display.spoof_brand", "lure.account_suspension"],
              "note": "Raw JIS bytes in From and Subject (no encoded-words), full-width brand name"})

idn = "ec-cub\u0435.net".encode("idna").decode()  # Cyrillic е
html = f'<html><body><a href="https://{idn}/login">EC-CUBE ログイン</a></body></html>'
mail("p05_idn_homoglyph_link.eml", "phishing", ["lookalike.homoglyph", "lookalike.punycode", "lookalike.mixed_script"],
     std("Support <support@helpdesk.example>", "Security update required", rc=rcvd("helpdesk.example", "192.0.2.70"),
         ctype="text/html; charset=UTF-8", cte="7bit", mid="p05"),
     html.encode(), "Punycode link ec-cubе.net with a Cyrillic е")

body = "ご注文の確認のため、こちらからログインしてください。\nhttps://shop.co.jp.account-check.example/mypage/login\n".encode()
mail("p06_shop_from_forged_signature.eml", "phishing", ["dkim.fail", "dmarc.fail", "sender.protected_unauthenticated", "code.missing", "spf.fail"],
     std("ショップ <order@shop.co.jp>", ew("ご注文の確認"), rc=rcvd("vps.attacker.example", "192.0.2.71"), rp="order@shop.co.jp", mid="p06"),
     body, "From shop.co.jp, signed with the attacker's key under the shop's selector",
     sign={"signer": "akinai", "key": "attacker", "domain": "shop.co.jp", "selector": "ak1"})

mail("p07_shop_from_unsigned.eml", "phishing", ["sender.protected_unauthenticated", "dkim.none", "dmarc.fail", "spf.fail"],
     std("ショップ <info@shop.co.jp>", ew("【至急】アカウント確認"), rc=rcvd("vps.attacker.example", "192.0.2.71"), rp="info@shop.co.jp", mid="p07"),
     "本人確認のため、管理画面にログインしてください。\n".encode(), "Unsigned mail forging the shop's own address from a foreign IP")

body = f"山田様\nご注文ありがとうございます。\n{CODE}\n".encode()
mail("p08_second_from_prepended.eml", "phishing", ["header.multiple_from", "dkim.fail"],
     std("ショップ <order@shop.co.jp>", ew("ご注文ありがとうございます"), rc=RCVD_SHOP, rp="bounce@shop.co.jp", mid="p08"),
     body, "Genuine signed shop mail with a second From prepended after signing (over-signing breaks it)",
     sign=SHOP_SIG, prepend="From: =?UTF-8?B?5rG65riI44K144Od44O844OI?= <pay@evil.example>\r\n")

html = '<html><body><p>カード情報の更新が必要です。</p><a href="https://bit.ly/3abcDEF">https://kessai-pay.jp/login</a></body></html>'
mail("p09_shortener_behind_payment_domain.eml", "phishing", ["link.text_mismatch", "link.shortener", "lure.payment"],
     std("カード会社 <info@card-secure.example>", ew("カード情報更新のお願い"), rc=rcvd("card-secure.example", "192.0.2.72"),
         ctype="text/html; charset=UTF-8", cte="8bit", mid="p09"),
     html.encode(), "Link text shows the payment provider's domain, href is a shortener")

html = ('<html><body><p>Akinai 管理者パスワードの確認</p><form action="http://192.0.2.55/collect.php" method="post">'
        '<input name="user"><input type="password" name="pass"><button>送信</button></form></body></html>')
mail("p10_form_to_ip_literal.eml", "phishing", ["display.spoof_brand", "link.form_action", "link.ip_literal"],
     std("Akinai 管理者 <noreply@admin-mailer.example>", ew("管理者パスワードの確認"), rc=rcvd("admin-mailer.example", "192.0.2.73"),
         ctype="text/html; charset=UTF-8", cte="8bit", mid="p10"),
     html.encode(), "A form posting to an IP address, display name claims the Akinai brand")

mail("p11_hyphenated_from_omitted_reply_to.eml", "phishing", ["lookalike.hyphenation", "lookalike.omission", "header.reply_to_mismatch"],
     std("Shop <info@shop-co.jp>", "Invoice", rc=rcvd("shop-co.jp", "192.0.2.74"), extra=[("Reply-To", "billing@shopco.jp")], mid="p11"),
     b"Please find the invoice attached.\r\n", "From shop-co.jp, Reply-To shopco.jp")

html = '<html><body><p>Your admin session expired.</p><a href="https://shop.co.jp.secure-login.example/admin/">Sign in again</a></body></html>'
mail("p12_brand_as_subdomain_qp.eml", "phishing", ["lookalike.subdomain", "link.login_offsite"],
     std("Security <notice@secure-login.example>", "Session expired", rc=rcvd("secure-login.example", "192.0.2.75"),
         ctype="text/html; charset=UTF-8", cte="quoted-printable", mid="p12"),
     qp(html.encode()).encode(), "shop.co.jp used as a subdomain of another domain; quoted-printable HTML")

mail("p13_userinfo_ip_link.eml", "phishing", ["link.userinfo", "link.ip_literal"],
     std("Admin <admin@notify-service.example>", "Action required", rc=rcvd("notify-service.example", "192.0.2.76"), mid="p13"),
     b"Log in to your admin to keep the shop open: https://shop.co.jp@203.0.113.99/admin/login\r\n", "https://shop.co.jp@IP: the trusted name is only user info")

mail("p14_authenticated_transposition.eml", "phishing", ["lookalike.transposition", "dkim.pass", "dmarc.pass"],
     std("EC-CUBE <support@ec-cueb.net>", "License renewal", rc=rcvd("mail.ec-cueb.net", "192.0.2.77"), rp="support@ec-cueb.net", mid="p14"),
     b"Renew your license: https://ec-cueb.net/license\r\n", "The look-alike domain authenticates perfectly: authentication is not trust",
     sign={"signer": "akinai", "key": "eccueb-x1", "domain": "ec-cueb.net", "selector": "x1"})

mail("p15_display_bare_protected_domain.eml", "phishing", ["display.spoof_domain"],
     std('"shop.co.jp" <shop.co.jp.notice@freemail.example>', ew("ご注文の確認"), rc=rcvd("smtp.freemail.example", "192.0.2.78"), mid="p15"),
     "ご注文内容をご確認ください。\n".encode(), "A bare protected domain as the display name")

html = ('<html><body><p>パス\u200bワードの有効期限が近づいています。</p>'
        '<a href="https://ec-cube.net.session-check.example/login">ec-cube.net</a></body></html>')
mail("p16_fullwidth_zero_width.eml", "phishing", ["display.spoof_domain", "lure.password_expiry", "lookalike.subdomain", "link.text_mismatch"],
     std(f"{ew('ｅｃ－ｃｕｂｅ．ｎｅｔ')} <alert@session-check.example>", ew("パス\u200bワードの有効期限"), rc=rcvd("session-check.example", "192.0.2.79"),
         ctype="text/html; charset=UTF-8", cte="base64", mid="p16"),
     b64(html.encode()).encode() + b"\r\n", "Full-width display domain and zero-width space inside the lure")

att = '<html><body><form action="https://kessai-pay.co/login"><input name="card"></form></body></html>'.encode()
mp = (b"--MIX\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
      b64("ﾊﾟｽﾜｰﾄﾞの有効期限が切れました。添付の請求書をご確認ください。\n".encode()).encode() +
      b"\r\n--MIX\r\nContent-Type: application/octet-stream; name=\"" + ew("請求書.html").encode() + b"\"\r\n"
      b"Content-Disposition: attachment; filename=\"" + ew("請求書.html").encode() + b"\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
      b64(att).encode() + b"\r\n--MIX--\r\n")
mail("p17_html_attachment_form_halfwidth_kana.eml", "phishing", ["link.form_action", "lookalike.tld_swap", "lure.password_expiry"],
     std("Billing <billing@invoice-center.example>", ew("請求書"), rc=rcvd("invoice-center.example", "192.0.2.80"),
         ctype='multipart/mixed; boundary="MIX"', cte="7bit", mid="p17"),
     mp, "Half-width katakana lure and an HTML attachment (octet-stream) holding a form")

body = "【至急】本人確認のお願い\nご本人様確認が完了するまでご利用を制限しています。\nhttps://shop.co.jp.verify-id.example/mypage/login\n".encode("euc_jp").replace(b"\n", b"\r\n")
mail("p18_eucjp_identity_check.eml", "phishing", ["lookalike.subdomain", "lure.identity_check", "lure.urgency"],
     std("ショップ事務局 <info@verify-id.example>", ew("本人確認のお願い", "EUC-JP"), rc=rcvd("verify-id.example", "192.0.2.81"),
         ctype="text/plain; charset=EUC-JP", cte="8bit", mid="p18"),
     body, "EUC-JP identity-check lure")

inner = b"From: someone@example.net\r\nSubject: fwd\r\n\r\nforwarded text\r\n"
mp = (b"--OUT\r\nContent-Type: multipart/alternative; boundary=\"IN\"\r\n\r\n"
      b"--IN\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nSee https://ec-cube.com/admin/\r\n"
      b"--IN\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<a href=\"https://ec-cube.com/admin/\">EC-CUBE admin</a>\r\n--IN--\r\n"
      b"--OUT\r\nContent-Type: message/rfc822\r\n\r\n" + inner + b"\r\n--OUT--\r\n")
mail("p19_nested_multipart_tld_swap.eml", "phishing", ["lookalike.tld_swap", "link.login_offsite"],
     std("Plugin store <store@plugin-market.example>", "Plugin update", rc=rcvd("plugin-market.example", "192.0.2.82"),
         ctype='multipart/mixed; boundary="OUT"', cte="7bit", mid="p19"),
     mp, "Nested multipart with an attached message; ec-cube.com for ec-cube.net")

body = "①パスワードの有効期限\n②アカウント停止\nhttps://eccube-secure.com/login\n".encode("cp932").replace(b"\n", b"\r\n")
mail("p20_cp932_nec_chars.eml", "phishing", ["display.spoof_brand", "lookalike.brand_in_name", "lure.password_expiry"],
     std("EC-CUBE <no-reply@eccube-secure.com>", ew("重要なお知らせ", "Shift_JIS"), rc=rcvd("eccube-secure.com", "192.0.2.83"),
         ctype="text/plain; charset=cp932", cte="8bit", mid="p20"),
     body, "charset=cp932 label and NEC special characters")

mail("p21_english_q_words.eml", "phishing", ["display.spoof_domain", "lookalike.brand_in_name", "lure.password_expiry"],
     std(f"{ew('Shop.co.jp Support', 'UTF-8', 'Q')} <support@shop-co-jp.com>", ew("Your password expired", "UTF-8", "Q"),
         rc=rcvd("shop-co-jp.com", "192.0.2.84"), mid="p21"),
     b"Your password expired. Log in to your account: https://shop-co-jp.com/account\r\n", "English lure, Q-encoded words")

html = '<html><body><a href="https://ec-cube.net/">ec-cube.net</a> <a href="https://ec-cube.net.example.xyz/admin">管理画面</a></body></html>'
mail("p22_mixed_real_and_fake_links.eml", "phishing", ["lookalike.subdomain", "link.login_offsite"],
     std(f"{ew('EC-CUBE公式')} <news@ec-cube.news.example>", ew("セキュリティ更新"), rc=rcvd("ec-cube.news.example", "192.0.2.85"),
         ctype="text/html; charset=UTF-8", cte="8bit", mid="p22"),
     html.encode(), "One real vendor link to look trustworthy, one fake admin link")

mail("p23_transposed_shop_from_lure_only.eml", "phishing", ["lookalike.transposition"],
     std("ショップ <info@sohp.co.jp>", ew("至急ご確認ください"), rc=rcvd("sohp.co.jp", "192.0.2.86"), mid="p23"),
     "至急ご確認ください。\n".encode(), "Transposition sohp.co.jp")

# ---- suspicious --------------------------------------------------------------
mail("s01_unauthenticated_newsletter.eml", "suspicious", ["dkim.none", "dmarc.none"],
     std("Unknown Shop <news@unknown-shop.example>", "Spring sale", rc=rcvd("unknown-shop.example", "192.0.2.90"), rp="news@unknown-shop.example", mid="s01"),
     b"Spring sale: https://unknown-shop.example/sale\r\n", "No authentication at all: cannot be vouched for")

mail("s02_lures_only.eml", "suspicious", ["lure.urgency", "lure.identity_check", "lure.account_suspension"],
     std("事務局 <office@unknown-shop.example>", ew("【至急】本人確認"), rc=rcvd("unknown-shop.example", "192.0.2.90"), mid="s02"),
     "至急、本人確認をお願いします。アカウントが停止されます。\n".encode(), "Many lure phrases and nothing else: never phishing by lures alone")

mail("s03_authenticated_with_shortener.eml", "suspicious", ["dkim.pass", "link.shortener"],
     std("Partner <news@partner.example.com>", "Short link", rc=rcvd("out.partner.example.com", "192.0.2.30"), rp="bounce@partner.example.com", mid="s03"),
     b"See https://bit.ly/partner-spring\r\n", "Authenticated, but the link hides its target",
     sign={"signer": "akinai", "key": "partner-py1", "domain": "partner.example.com", "selector": "py1"})

mail("s04_offline_shop_mail.eml", "suspicious", ["dkim.offline", "spf.offline", "code.present"],
     std("ショップ <order@shop.co.jp>", ew("ご注文ありがとうございます"), rc=RCVD_SHOP, rp="bounce@shop.co.jp", mid="s04"),
     f"ご注文ありがとうございます。\n{CODE}\n".encode(), "Checked offline with no trusted Authentication-Results: cannot be genuine",
     offline=True)

mail("s05_reply_to_elsewhere.eml", "suspicious", ["dkim.pass", "header.reply_to_mismatch"],
     std("Partner <news@partner.example.com>", "Quote request", rc=rcvd("out.partner.example.com", "192.0.2.30"), rp="bounce@partner.example.com",
         extra=[("Reply-To", "partner.sales@freemail.example")], mid="s05"),
     b"Please reply with your quote.\r\n", "Authenticated sender, replies go to another domain",
     sign={"signer": "akinai", "key": "partner-py1", "domain": "partner.example.com", "selector": "py1"})

full = hdrs(std("Notice <notice@unknown-shop.example>", "Document", rc=rcvd("unknown-shop.example", "192.0.2.90"),
                ctype='multipart/mixed; boundary="B1"', cte="7bit", mid="s06")) + b"\r\n--B1\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64("書類を確認してください。https://unknown-shop.example/doc\n".encode() * 3).encode()
with open("s06_truncated_mime.eml", "wb") as f:
    f.write(full[:len(full) - 37])
CASES.append({"file": "s06_truncated_mime.eml", "verdict": "suspicious", "codes": ["parse.partial"], "note": "Cut in the middle of a base64 part, no closing boundary"})

import random
rnd = random.Random(42)
with open("s07_binary_garbage.eml", "wb") as f:
    f.write(bytes(rnd.randrange(256) for _ in range(4096)))
CASES.append({"file": "s07_binary_garbage.eml", "verdict": "suspicious", "codes": ["parse.partial", "header.no_from"], "note": "Random bytes"})

mail("s08_multipart_without_boundary.eml", "suspicious", ["parse.partial"],
     std("Notice <notice@unknown-shop.example>", "Broken", rc=rcvd("unknown-shop.example", "192.0.2.90"), ctype="multipart/mixed", cte="7bit", mid="s08"),
     b"--x\r\nContent-Type: text/plain\r\n\r\nhello\r\n--x--\r\n", "multipart without a boundary parameter")

mail("s09_authenticated_admin_link_offsite.eml", "suspicious", ["dkim.pass", "link.login_offsite"],
     std("Marketing <info@marketing.example>", "Check your dashboard", rc=rcvd("mail.marketing.example", "192.0.2.91"), rp="info@marketing.example", mid="s09"),
     b"Open your dashboard: https://tools.example.net/admin/login\r\n", "Authenticated sender linking to an admin login on another site",
     sign={"signer": "akinai", "key": "marketing-m1", "domain": "marketing.example", "selector": "m1"})

html = '<html><body><a href="https://click.tracker.example/c?u=1">www.partner.example.com/spring</a></body></html>'
mail("s10_link_text_other_unprotected_host.eml", "suspicious", ["dkim.pass", "link.text_mismatch"],
     std("Partner <news@partner.example.com>", "Spring", rc=rcvd("out.partner.example.com", "192.0.2.30"), rp="bounce@partner.example.com",
         ctype="text/html; charset=UTF-8", cte="7bit", mid="s10"),
     html.encode(), "Authenticated, but the visible link names another (unprotected) host: click tracking looks like this too",
     sign={"signer": "akinai", "key": "partner-py1", "domain": "partner.example.com", "selector": "py1"})

mail("s11_ip_literal_unauthenticated.eml", "suspicious", ["link.ip_literal", "dkim.none"],
     std("Promo <promo@unknown-shop.example>", "Promo", rc=rcvd("unknown-shop.example", "192.0.2.90"), mid="s11"),
     b"Promo page: http://198.51.100.7/promo\r\n", "An IP-address link without other signs: suspicious, not phishing")

mail("s12_offline_shop_without_code.eml", "suspicious", ["code.missing", "dmarc.offline"],
     std("ショップ <order@shop.co.jp>", ew("ご注文ありがとうございます"), rc=RCVD_SHOP, rp="bounce@shop.co.jp", mid="s12"),
     "ご注文ありがとうございます。\n".encode(), "Offline, claims the shop, has no anti-phishing code", offline=True)

with open("corpus.json", "w") as f:
    json.dump(CASES, f, ensure_ascii=False, indent=1)
print(len(CASES), "cases")
