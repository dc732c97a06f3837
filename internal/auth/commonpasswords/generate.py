#!/usr/bin/python3
"""Regenerates list.txt, the common-password list embedded by package auth.

Needs Debian's john-data and python3-zxcvbn packages:

    apt-get install -y john-data python3-zxcvbn
    /usr/bin/python3 internal/auth/commonpasswords/generate.py

See README.md in this folder for what goes in and why.
"""

import os
import sys

from zxcvbn.frequency_lists import FREQUENCY_LISTS

HERE = os.path.dirname(os.path.abspath(__file__))
JOHN = "/usr/share/john/password.lst"

# Entries shorter than this can never decide a check: candidates are at
# least 12 characters and the checker only looks at cores of 4 or more.
MIN_LEN = 4


def john():
    with open(JOHN, encoding="latin-1") as f:
        for line in f:
            if not line.startswith("#!comment:"):
                yield line.rstrip("\n")


def zxcvbn_passwords():
    # Ranked by frequency, from Mark Burnett's 10 million password corpus.
    return FREQUENCY_LISTS["passwords"]


ROWS = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm",
        "!@#$%^&*()", "qwertzuiop", "azertyuiop", "qsdfghjklm"]


def keyboard_walks():
    for row in ROWS:
        for r in (row, row[::-1]):
            for i in range(len(r)):
                for j in range(i + MIN_LEN, len(r) + 1):
                    yield r[i:j]
    # Down the rows: 1234567890qwertyuiopasdf…, qwertyuiopasdfghjkl…
    rows = "1234567890qwertyuiopasdfghjklzxcvbnm"
    for i in (0, 10, 20):
        for j in range(i + MIN_LEN, len(rows) + 1):
            yield rows[i:j]
    # Column walks (1qaz2wsx…, zaq1xsw2…) and row pairs (q1w2e3…, 1q2w3e…).
    cols = ["1qaz", "2wsx", "3edc", "4rfv", "5tgb", "6yhn", "7ujm", "8ik,", "9ol.", "0p;/"]
    for start in range(len(cols)):
        for n in range(2, len(cols) - start + 1):
            group = cols[start:start + n]
            yield "".join(group)
            yield "".join(c[::-1] for c in group)
            yield "".join(c[1:] for c in group)         # qazwsxedc…
            yield "".join(c[1:][::-1] for c in group)   # zaqxswcde…
    top, mid, low = "1234567890", "qwertyuiop", "asdfghjkl"
    for n in range(2, 11):
        yield "".join(a + b for a, b in zip(top[:n], mid[:n]))  # 1q2w3e…
        yield "".join(b + a for a, b in zip(top[:n], mid[:n]))  # q1w2e3…
        yield "".join(b + c for b, c in zip(mid[:n], low[:n]))  # qawsed…
    for n in range(3, 10):
        yield mid[:n] + low[:n]                 # qweasd, qwertasdfg
        yield mid[:n] + low[:n] + "zxcvbnm"[:n]  # qweasdzxc
        yield top[:n] + mid[:n]                 # 123qwe
        yield mid[:n] + top[:n]                 # qwe123
        yield top[:n] + mid[:n] + low[:n]       # 123qweasd


def digit_runs():
    up = "0123456789" * 3
    down = up[::-1]
    for s in (up, down):
        for i in range(10):
            for n in range(MIN_LEN, 21):
                yield s[i:i + n]
    for d in "0123456789":
        for n in range(MIN_LEN, 21):
            yield d * n
    for n in range(2, 11):
        yield "".join(d * 2 for d in "1234567890"[:n])  # 112233…
        yield "".join(d * 3 for d in "1234567890"[:n])  # 111222…


# Words people in a Japanese shop's staff might pick, in romaji, plus the
# product and role names an attacker tries first on an Akinai admin.
EXTRA = """
akinai admin administrator root superuser shop shopping store onlineshop
ecshop webshop owner manager staff tenchou mise omise password passw0rd
sakura doraemon pokemon pikachu naruto gundam totoro ghibli anpanman
hellokitty kitty tokyo osaka kyoto yokohama nagoya fukuoka sapporo nihon
nippon japan arigatou arigato konnichiwa sayonara daisuki aishiteru
kawaii sushi ramen tanaka suzuki satou sato takahashi watanabe yamada
yamamoto nakamura kobayashi katou kato yoshida sasaki matsumoto inoue
kimura hayashi shimizu yamaguchi fujita okada goto hasegawa ishikawa
ichiro hiroshi takeshi kenji akira yuki yuka haruka sakurako yui aoi
himawari hanako taro tarou hanabi momiji fujisan fujiyama shinkansen
dragonball onepiece evangelion sailormoon conan detectiveconan
tottoko nekochan inuchan neko inu usagi kuma tora ookami kitsune
baseball yakyuu sakka soccer tennis golf judo karate kendo sumo
love iloveyou aishiteru daisuki letmein welcome welcome1 changeme
trustno1 monkey dragon master shadow sunshine princess football
""".split()


def main():
    out = set()
    sources = [john(), zxcvbn_passwords(), keyboard_walks(), digit_runs(), EXTRA]
    for src in sources:
        for w in src:
            w = w.strip().lower()
            if len(w) >= MIN_LEN and "\n" not in w:
                out.add(w)
    path = os.path.join(HERE, "list.txt")
    with open(path, "w", encoding="utf-8") as f:
        for w in sorted(out):
            f.write(w + "\n")
    print(f"wrote {len(out)} entries to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
