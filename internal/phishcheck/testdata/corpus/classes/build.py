#!/usr/bin/env python3
"""Builds the second part of the phishing-checker corpus: the classes of
issues 20 and 11.10 (own-domain spoofs, credential forms, script links,
QR-code lures, business-email compromise, impersonated services, open
redirects, the corrupted-files lure) and the genuine mail they must not
hit (shop order mails and newsletters, processors' receipts, carriers'
notices, the vendor's advisories, suppliers).

Run from this directory: python3 build.py. It writes NAME.eml and
corpus.json. Mails with "sign" are signed by the Go test at run time with
Akinai's DKIM signer (keys in ../../keys, public halves in ../../dns.zone),
so what is committed here is the mail as the sender's server had it
before signing.

"part" is "tuned" for mails written before and while the rules were
written, and "heldout" for mails written afterwards with new wordings, to
measure the rules on text they were not fitted to (docs/PHISHCHECK.md).
Python writes ISO-2022-JP, Shift_JIS/CP932 and EUC-JP byte-exactly.
"""
import base64, json, quopri, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
CASES = []
PART = "tuned"

# A 1x1 PNG: a real image, the shape of a QR code's attachment.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")


def rcvd(helo, ip, n=1):
    return (f"from {helo} ({helo} [{ip}])\r\n\tby mx.receiver.example (Postfix) with ESMTPS id 7C{n}{ip.replace('.', '')};\r\n"
            f"\tWed, 12 Mar 2025 09:{10 + n % 40:02d}:05 +0900")


IPS = {"shop.co.jp": "203.0.113.10", "ec-cube.net": "198.51.100.20", "stripe.com": "198.51.100.60",
       "kuronekoyamato.co.jp": "198.51.100.70", "sagawa-exp.co.jp": "198.51.100.80", "japanpost.jp": "198.51.100.90",
       "maruyama-shoji.co.jp": "203.0.113.40", "paypal.com": "198.51.100.100", "amazon.co.jp": "198.51.100.110",
       "kobe-tea.co.jp": "203.0.113.50", "kessai-pay.jp": "198.51.100.50"}
KEYS = {"shop.co.jp": ("shop-ak1", "ak1"), "ec-cube.net": ("ecube-ec1", "ec1"), "stripe.com": ("stripe-s1", "s1"),
        "kuronekoyamato.co.jp": ("yamato-y1", "y1"), "sagawa-exp.co.jp": ("sagawa-g1", "g1"),
        "japanpost.jp": ("japanpost-j1", "j1"), "maruyama-shoji.co.jp": ("maruyama-m1", "m1"),
        "paypal.com": ("paypal-p1", "p1"), "amazon.co.jp": ("amazon-a1", "a1"), "kobe-tea.co.jp": ("kobetea-k1", "k1"),
        "kessai-pay.jp": ("kessai-kp1", "kp1"), "partner.example.com": ("partner-py1", "py1"), "maruyama-shouji.co.jp": ("attacker", "x1")}

CODE = "フィッシング対策コード: sakura-42"


def b64(data):
    s = base64.b64encode(data).decode()
    return "\r\n".join(s[i:i + 76] for i in range(0, len(s), 76)).encode()


def qp(data):
    return quopri.encodestring(data).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def codec(cs):
    return {"iso-2022-jp": "iso2022_jp", "shift_jis": "cp932", "euc-jp": "euc_jp", "utf-8": "utf-8"}[cs.lower()]


def ew(text, cs="UTF-8", enc="B", split=0):
    """An encoded-word; split > 0 cuts the bytes into words of that size,
    in the middle of characters and escape sequences as mailers do."""
    text = text.replace("～", "〜") if cs.upper() in ("ISO-2022-JP", "EUC-JP") else text
    raw = text.encode(codec(cs))
    chunks = [raw] if not split else [raw[i:i + split] for i in range(0, len(raw), split)]
    words = []
    for c in chunks:
        if enc == "B":
            words.append(f"=?{cs}?B?{base64.b64encode(c).decode()}?=")
        else:
            q = "".join(chr(x) if chr(x).isalnum() and x < 128 else "_" if x == 32 else f"={x:02X}" for x in c)
            words.append(f"=?{cs}?Q?{q}?=")
    return "\r\n ".join(words)


def body_part(text, style, html=False):
    """(content-type, transfer-encoding, bytes) of a text in one style:
    u8b64, u8qp, u8 (8bit), jis, sjis, sjisb64, euc."""
    sub = "html" if html else "plain"
    # Each encoder has its own wave dash: JIS X 0208's U+301C, CP932's U+FF5E.
    text = text.replace("～", "〜") if style in ("jis", "euc") else text.replace("〜", "～") if style.startswith("sjis") else text
    if not html:
        text = text.replace("\n", "\r\n")
    if style == "u8b64":
        return f"text/{sub}; charset=UTF-8", "base64", b64(text.encode())
    if style == "u8qp":
        return f"text/{sub}; charset=UTF-8", "quoted-printable", qp(text.encode())
    if style == "u8":
        return f"text/{sub}; charset=UTF-8", "8bit", text.encode()
    if style == "jis":
        return f"text/{sub}; charset=ISO-2022-JP", "7bit", text.encode("iso2022_jp")
    if style == "sjis":
        return f"text/{sub}; charset=Shift_JIS", "8bit", text.encode("cp932")
    if style == "sjisb64":
        return f"text/{sub}; charset=Shift_JIS", "base64", b64(text.encode("cp932"))
    if style == "euc":
        return f"text/{sub}; charset=EUC-JP", "8bit", text.encode("euc_jp")
    raise ValueError(style)


def hcs(style):
    return {"jis": "ISO-2022-JP", "sjis": "Shift_JIS", "sjisb64": "Shift_JIS", "euc": "EUC-JP"}.get(style, "UTF-8")


N = [0]


def mail(name, verdict, codes, frm, subject, parts, note, *, to="owner@shop.co.jp", reply_to=None, rp=None,
         helo=None, ip=None, sign=None, offline=False, extra=(), advice=()):
    """Write one mail. parts is (ctype, cte, body) or a list of MIME parts
    [(headers, body)] under multipart/mixed or alternative."""
    N[0] += 1
    h = [("Received", rcvd(helo or "mail.sender.example", ip or "192.0.2.200", N[0]))]
    if rp:
        h.append(("Return-Path", f"<{rp}>"))
    h += [("From", frm), ("To", to), ("Subject", subject),
          ("Date", f"Wed, 12 Mar 2025 09:{N[0] % 60:02d}:00 +0900"),
          ("Message-ID", f"<{name.replace('.eml', '')}.{N[0]}@corpus.test>")]
    if reply_to:
        h.append(("Reply-To", reply_to))
    h += list(extra)
    h.append(("MIME-Version", "1.0"))
    if len(parts) == 3:
        ctype, cte, body = parts
        h += [("Content-Type", ctype), ("Content-Transfer-Encoding", cte)]
    else:
        kind, items = parts
        h.append(("Content-Type", f'multipart/{kind}; boundary="==BOUNDARY{N[0]}=="'))
        out = b""
        for ph, pb in items:
            out += f"--==BOUNDARY{N[0]}==\r\n".encode() + "".join(f"{k}: {v}\r\n" for k, v in ph).encode() + b"\r\n" + pb + b"\r\n"
        body = out + f"--==BOUNDARY{N[0]}==--\r\n".encode()
    data = "".join(f"{k}: {v}\r\n" for k, v in h).encode() + b"\r\n" + body
    with open(name, "wb") as f:
        f.write(data)
    e = {"file": name, "verdict": verdict, "codes": codes, "note": note, "part": PART}
    if sign:
        key, sel = KEYS[sign]
        e["sign"] = {"signer": "akinai", "key": key, "domain": sign, "selector": sel}
    if offline:
        e["offline"] = True
    if advice:
        e["advice"] = list(advice)
    CASES.append(e)


def part(ctype, cte, body, disp=None):
    h = [("Content-Type", ctype), ("Content-Transfer-Encoding", cte)]
    if disp:
        h.append(("Content-Disposition", disp))
    return (h, body)


def alt(text, html, style):
    c1, e1, b1 = body_part(text, style)
    c2, e2, b2 = body_part(html, style, html=True)
    return ("alternative", [part(c1, e1, b1), part(c2, e2, b2)])


def sender(domain, **kw):
    """Received/Return-Path/sign arguments of a real sender of domain."""
    return dict(helo=f"mail.{domain}", ip=IPS[domain], rp=f"bounce@{domain}", sign=domain, **kw)


exec(open("classes_genuine.py", encoding="utf-8").read())
exec(open("classes_phish.py", encoding="utf-8").read())
PART = "heldout"
if os.path.exists("heldout.py"):
    exec(open("heldout.py", encoding="utf-8").read())

with open("corpus.json", "w", encoding="utf-8") as f:
    json.dump(CASES, f, ensure_ascii=False, indent=1)
print(len(CASES), "mails")
