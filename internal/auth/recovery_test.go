package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"testing"
)

var recoveryPattern = regexp.MustCompile(`^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){5}$`)

func TestNewRecoveryCodes(t *testing.T) {
	plain, hashes, err := NewRecoveryCodes()
	if err != nil {
		t.Fatal(err)
	}
	if len(plain) != 10 || len(hashes) != 10 {
		t.Fatalf("got %d codes and %d hashes; want 10 each", len(plain), len(hashes))
	}
	seen := map[string]bool{}
	for i, p := range plain {
		if !recoveryPattern.MatchString(p) {
			t.Errorf("code %q: want six groups of four Crockford base32 symbols", p)
		}
		// The stored hash is SHA-256 of the code without hyphens, so that
		// the integrator (or an operator with sqlite3) can reason about it.
		sum := sha256.Sum256([]byte(strings.ReplaceAll(p, "-", "")))
		if hashes[i] != hex.EncodeToString(sum[:]) {
			t.Errorf("hash %d = %s; want SHA-256 hex of %q", i, hashes[i], p)
		}
		if strings.Contains(hashes[i], strings.ReplaceAll(p, "-", "")) {
			t.Errorf("hash %d contains the code", i)
		}
		if seen[p] {
			t.Errorf("code %q repeated", p)
		}
		seen[p] = true
	}
}

// TestNewRecoveryCodes_Uniform checks that every symbol of the alphabet
// turns up, at roughly its share, over many codes: a modulo bias or a
// truncated alphabet would show.
func TestNewRecoveryCodes_Uniform(t *testing.T) {
	counts := map[rune]int{}
	n := 0
	for range 50 {
		plain, _, err := NewRecoveryCodes()
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range plain {
			for _, r := range strings.ReplaceAll(p, "-", "") {
				counts[r]++
				n++
			}
		}
	}
	// 12,000 symbols, 375 expected per symbol; the bounds are > 6 sigma out.
	for _, r := range recoveryAlphabet {
		if c := counts[r]; c < 260 || c > 490 {
			t.Errorf("symbol %q appeared %d times in %d; want about %d", r, c, n, n/32)
		}
	}
	if len(counts) != 32 {
		t.Errorf("%d distinct symbols; want 32", len(counts))
	}
}

func TestMatchRecoveryCode(t *testing.T) {
	plain, hashes, err := NewRecoveryCodes()
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range plain {
		if got, ok := MatchRecoveryCode(hashes, p); !ok || got != i {
			t.Fatalf("MatchRecoveryCode(%q) = %d, %v; want %d, true", p, got, ok, i)
		}
	}

	const code = "k3x9-7fq2-m8vt-c4hp-wn2z-a0b5"
	stored := []string{"", hashRecoveryCode("0000000000000000001010zz"), hashRecoveryCode("k3x97fq2m8vtc4hpwn2za0b5")}
	for _, tc := range []struct {
		name, input string
		want        int
	}{
		{"as shown", code, 2},
		{"upper case", strings.ToUpper(code), 2},
		{"no hyphens", "k3x97fq2m8vtc4hpwn2za0b5", 2},
		{"spaces", " k3x9 7fq2 m8vt c4hp wn2z a0b5 ", 2},
		{"o for zero", "k3x9-7fq2-m8vt-c4hp-wn2z-aOb5", 2},
		{"full width", "ｋ３ｘ９－７ｆｑ２－ｍ８ｖｔ－ｃ４ｈｐ－ｗｎ２ｚ－ａ０ｂ５", 2},
		{"i and l for one", "0000-0000-0000-0000-00i0-L0zz", 1},
		{"digits", "0000000000000000001010ZZ", 1},
		{"one symbol wrong", "k3x9-7fq2-m8vt-c4hp-wn2z-a0b6", -1},
		{"one symbol short", "k3x9-7fq2-m8vt-c4hp-wn2z-a0b", -1},
		{"one symbol long", "k3x9-7fq2-m8vt-c4hp-wn2z-a0b55", -1},
		{"u is not in the alphabet", "k3x9-7fq2-m8vt-c4hp-wn2z-a0bu", -1},
		{"punctuation", "k3x9.7fq2.m8vt.c4hp.wn2z.a0b5", -1},
		{"empty", "", -1},
		{"the hash itself", stored[2], -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := MatchRecoveryCode(stored, tc.input)
			if got != tc.want || ok != (tc.want >= 0) {
				t.Fatalf("MatchRecoveryCode(%q) = %d, %v; want %d", tc.input, got, ok, tc.want)
			}
		})
	}
}

func TestMatchRecoveryCode_UsedAndDuplicate(t *testing.T) {
	plain, hashes, err := NewRecoveryCodes()
	if err != nil {
		t.Fatal(err)
	}
	hashes[3] = "" // the caller blanks a used code
	if i, ok := MatchRecoveryCode(hashes, plain[3]); ok {
		t.Fatalf("used code matched at %d", i)
	}
	// Should a table ever hold a hash twice, the first index is returned.
	hashes[7] = hashes[5]
	if i, ok := MatchRecoveryCode(hashes, plain[5]); !ok || i != 5 {
		t.Fatalf("duplicate: got %d, %v; want 5, true", i, ok)
	}
	if i, ok := MatchRecoveryCode(nil, plain[0]); ok || i != -1 {
		t.Fatalf("no hashes: got %d, %v; want -1, false", i, ok)
	}
}

func FuzzNormaliseRecoveryCode(f *testing.F) {
	f.Add("k3x9-7fq2-m8vt-c4hp-wn2z-a0b5")
	f.Add("ｋ３ｘ９－７ｆｑ２")
	f.Add("OIL")
	f.Fuzz(func(t *testing.T, s string) {
		canon, ok := normaliseRecoveryCode(s)
		if !ok {
			return
		}
		if len(canon) != recoverySymbols {
			t.Fatalf("%q → %q: wrong length", s, canon)
		}
		for _, r := range canon {
			if !strings.ContainsRune(recoveryAlphabet, r) {
				t.Fatalf("%q → %q: %q outside the alphabet", s, canon, r)
			}
		}
		if again, ok := normaliseRecoveryCode(canon); !ok || again != canon {
			t.Fatalf("normalising %q is not idempotent: %q", canon, again)
		}
	})
}
