package auth

import (
	"encoding/base64"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/shop"
	"golang.org/x/crypto/argon2"
)

var phcPattern = regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

func TestHashPassword_Format(t *testing.T) {
	h1, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !phcPattern.MatchString(h1) {
		t.Fatalf("hash %q is not the expected PHC string", h1)
	}
	h2, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if h1 == h2 {
		t.Fatal("two hashes of the same password are equal: salt not random")
	}
}

func TestCheckPassword(t *testing.T) {
	const pw = "correct horse battery staple"
	h, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, pw string
		want     bool
	}{
		{"right", pw, true},
		{"wrong", "correct horse battery stapler", false},
		{"case", "Correct horse battery staple", false},
		{"empty", "", false},
		{"prefix", pw[:len(pw)-1], false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, rehash, err := CheckPassword(h, tc.pw)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tc.want || rehash {
				t.Fatalf("CheckPassword = %v, %v; want %v, false", ok, rehash, tc.want)
			}
		})
	}
}

// TestCheckPassword_KnownVector pins the encoding against an independently
// built hash, so that a change of parameter order or base64 alphabet in
// encodePHC cannot go unnoticed by a round trip alone.
func TestCheckPassword_KnownVector(t *testing.T) {
	salt := []byte("0123456789abcdef")
	key := argon2.IDKey([]byte("pässwörd ok"), salt, 2, 19456, 1, 32)
	b64 := base64.RawStdEncoding
	h := "$argon2id$v=19$m=19456,t=2,p=1$" + b64.EncodeToString(salt) + "$" + b64.EncodeToString(key)
	ok, rehash, err := CheckPassword(h, "pässwörd ok")
	if err != nil || !ok || rehash {
		t.Fatalf("CheckPassword = %v, %v, %v; want true, false, nil", ok, rehash, err)
	}
}

func TestCheckPassword_NeedsRehash(t *testing.T) {
	const pw = "correct horse battery staple"
	salt := []byte("0123456789abcdef")
	b64 := base64.RawStdEncoding
	for _, tc := range []struct {
		name       string
		m, t       uint32
		p          uint8
		salt       []byte
		keyLen     uint32
		wantRehash bool
	}{
		{"current", 19456, 2, 1, salt, 32, false},
		{"weaker memory", 8192, 2, 1, salt, 32, true},
		{"stronger time", 19456, 3, 1, salt, 32, true},
		{"more lanes", 19456, 2, 2, salt, 32, true},
		{"short salt", 19456, 2, 1, salt[:8], 32, true},
		{"long key", 19456, 2, 1, salt, 64, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key := argon2.IDKey([]byte(pw), tc.salt, tc.t, tc.m, tc.p, tc.keyLen)
			h := fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", tc.m, tc.t, tc.p,
				b64.EncodeToString(tc.salt), b64.EncodeToString(key))
			ok, rehash, err := CheckPassword(h, pw)
			if err != nil || !ok || rehash != tc.wantRehash {
				t.Fatalf("CheckPassword = %v, %v, %v; want true, %v, nil", ok, rehash, err, tc.wantRehash)
			}
			ok, rehash, err = CheckPassword(h, pw+"x")
			if err != nil || ok || rehash {
				t.Fatalf("wrong password: CheckPassword = %v, %v, %v; want false, false, nil", ok, rehash, err)
			}
		})
	}
}

func TestCheckPassword_Malformed(t *testing.T) {
	good, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Split(good, "$")
	salt, key := f[4], f[5]
	for name, h := range map[string]string{
		"empty":           "",
		"bcrypt":          "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":         "$argon2i$v=19$m=19456,t=2,p=1$" + salt + "$" + key,
		"version 16":      "$argon2id$v=16$m=19456,t=2,p=1$" + salt + "$" + key,
		"missing version": "$argon2id$m=19456,t=2,p=1$" + salt + "$" + key,
		"param order":     "$argon2id$v=19$t=2,m=19456,p=1$" + salt + "$" + key,
		"leading zero":    "$argon2id$v=19$m=019456,t=2,p=1$" + salt + "$" + key,
		"plus sign":       "$argon2id$v=19$m=+19456,t=2,p=1$" + salt + "$" + key,
		"t zero":          "$argon2id$v=19$m=19456,t=0,p=1$" + salt + "$" + key,
		"p zero":          "$argon2id$v=19$m=19456,t=2,p=0$" + salt + "$" + key,
		"p overflow":      "$argon2id$v=19$m=19456,t=2,p=256$" + salt + "$" + key,
		"huge memory":     "$argon2id$v=19$m=4194304,t=2,p=1$" + salt + "$" + key,
		"huge time":       "$argon2id$v=19$m=19456,t=1000,p=1$" + salt + "$" + key,
		"padded salt":     "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "==$" + key,
		"url base64":      "$argon2id$v=19$m=19456,t=2,p=1$" + strings.NewReplacer("+", "-", "/", "_").Replace(salt+"-_") + "$" + key,
		"short salt":      "$argon2id$v=19$m=19456,t=2,p=1$AAAA$" + key,
		"short key":       "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$AAAA",
		"extra field":     good + "$x",
		"no leading $":    strings.TrimPrefix(good, "$"),
	} {
		t.Run(name, func(t *testing.T) {
			ok, rehash, err := CheckPassword(h, "correct horse battery staple")
			if !errors.Is(err, ErrMalformedHash) || ok || rehash {
				t.Fatalf("CheckPassword(%q) = %v, %v, %v; want false, false, ErrMalformedHash", h, ok, rehash, err)
			}
		})
	}
}

// TestDummyCheckUsesCurrentParameters checks that DummyCheck derives a key
// with the very parameters a stored hash gets, which is what makes it cost
// as much as a real check (timing itself is not asserted: a shared machine
// makes that flaky, and a structural check catches the real regression —
// someone changing the parameters for one path only).
func TestDummyCheckUsesCurrentParameters(t *testing.T) {
	t.Parallel()
	h, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	p, err := decodePHC(h)
	if err != nil {
		t.Fatal(err)
	}
	if p.time != argonTime || p.memory != argonMemory || p.threads != argonThreads || len(p.key) != int(argonKeyLen) {
		t.Fatalf("stored hash parameters %+v differ from DummyCheck's (t=%d m=%d p=%d len=%d)", p, argonTime, argonMemory, argonThreads, argonKeyLen)
	}
	if len(dummyKey) != int(argonKeyLen) || len(dummySalt) != len(p.salt) {
		t.Fatalf("dummy key/salt sizes %d/%d, want %d/%d", len(dummyKey), len(dummySalt), argonKeyLen, len(p.salt))
	}
	DummyCheck()
}

func TestValidateNewPassword(t *testing.T) {
	for _, tc := range []struct {
		name    string
		pw      string
		context []string
		want    string // i18n key, or "" for accepted
	}{
		{"good passphrase", "violet kettle on the moon", nil, ""},
		{"good random", "x7#Qm2!vR9zL", nil, ""},
		{"11 runes", "abcdefghijk", nil, KeyPasswordTooShort},
		{"empty", "", nil, KeyPasswordTooShort},
		{"japanese 12 runes", "春はあけぼのやうやう白くなりゆ", nil, ""},
		{"japanese 11 runes is short though 33 bytes", "春はあけぼのやうやう白", nil, KeyPasswordTooShort},
		{"256 bytes", strings.Repeat("ab", 128), nil, ""},
		{"257 bytes", strings.Repeat("ab", 128) + "c", nil, KeyPasswordTooLong},
		{"too long beats identity", strings.Repeat("taro", 70), []string{"taro@example.jp"}, KeyPasswordTooLong},

		{"listed long", "qwertyuiopasdf", nil, KeyPasswordCommon},
		{"listed upper case", "QWERTYUIOPASDF", nil, KeyPasswordCommon},
		{"digit run", "123456789012", nil, KeyPasswordCommon},
		{"column walk", "1qaz2wsx3edc", nil, KeyPasswordCommon},
		{"word plus year", "sunshine2024", nil, KeyPasswordCommon},
		{"word plus year and bang", "Password2024!", nil, KeyPasswordCommon},
		{"leet", "P@ssw0rd12345", nil, KeyPasswordCommon},
		{"leet with 1 for l", "he11ok1tty2000", nil, KeyPasswordCommon},
		{"dollar for s", "$unshine.1999", nil, KeyPasswordCommon},
		{"at for a", "@dmin12345678", nil, KeyPasswordCommon},
		{"leading digits", "19841984dragon", nil, KeyPasswordCommon},
		{"repeated", "qwertyqwerty", nil, KeyPasswordCommon},
		{"repeated word", "monkeymonkeymonkey", nil, KeyPasswordCommon},
		{"full width", "ｐａｓｓｗｏｒｄ１２３４", nil, KeyPasswordCommon},
		{"romaji", "Sakura-2025-!!", nil, KeyPasswordCommon},
		{"product name", "Akinai123456", nil, KeyPasswordCommon},
		{"two common words are not one", "dragonsunshine", nil, ""},
		{"common word inside", "my dragon has 3 tails", nil, ""},

		{"email local part", "taro.yamada-secret", []string{"taro.yamada@example.jp"}, KeyPasswordContainsIdentity},
		{"email word", "xyamada77!!mountain", []string{"taro.yamada@example.jp"}, KeyPasswordContainsIdentity},
		{"name case-insensitive", "Hello HANAKO blue sky", []string{"Hanako Suzuki"}, KeyPasswordContainsIdentity},
		{"name leet", "h4n4k0 walks far away", []string{"Hanako"}, KeyPasswordContainsIdentity},
		{"shop name", "best-of-kaminari-shop", []string{"kaminari"}, KeyPasswordContainsIdentity},
		{"short name ignored", "ken walks far away now", []string{"Ken"}, ""},
		{"domain ignored", "example lighthouse 42", []string{"taro@example.jp"}, ""},
		{"empty context", "violet kettle on the moon", []string{"", "  "}, ""},
		{"identity before common", "taro.yamada2024", []string{"taro.yamada@example.jp"}, KeyPasswordContainsIdentity},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateNewPassword(tc.pw, tc.context...)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("ValidateNewPassword(%q) = %v; want nil", tc.pw, err)
				}
				return
			}
			var e *shop.Error
			if !errors.As(err, &e) {
				t.Fatalf("ValidateNewPassword(%q) = %v; want *shop.Error %s", tc.pw, err, tc.want)
			}
			if e.Kind != shop.Invalid || e.Key != tc.want || e.Fields["password"] != tc.want {
				t.Fatalf("ValidateNewPassword(%q) = kind %v key %q fields %v; want Invalid %q", tc.pw, e.Kind, e.Key, e.Fields, tc.want)
			}
		})
	}
}

func TestValidateNewPassword_Args(t *testing.T) {
	var e *shop.Error
	if !errors.As(ValidateNewPassword("short"), &e) || len(e.Args) != 1 || e.Args[0] != MinPasswordRunes {
		t.Fatalf("too short: Args = %v; want [%d]", e.Args, MinPasswordRunes)
	}
	if !errors.As(ValidateNewPassword(strings.Repeat("x", 300)), &e) || len(e.Args) != 1 || e.Args[0] != MaxPasswordBytes {
		t.Fatalf("too long: Args = %v; want [%d]", e.Args, MaxPasswordBytes)
	}
}

// TestCommonPasswordList checks the embedded file's shape and that
// well-known entries from each source made it in.
func TestCommonPasswordList(t *testing.T) {
	lines := strings.Split(strings.TrimSuffix(commonPasswordList, "\n"), "\n")
	if len(lines) < 5000 {
		t.Fatalf("list has %d entries; want several thousand", len(lines))
	}
	for i, l := range lines {
		if l == "" || l != strings.ToLower(l) || len(l) < minFragment {
			t.Fatalf("line %d %q: want lower case, at least %d characters", i+1, l, minFragment)
		}
		if i > 0 && lines[i-1] >= l {
			t.Fatalf("line %d %q: not sorted or duplicate", i+1, l)
		}
	}
	for _, w := range []string{"password", "iloveyou", "trustno1", "1q2w3e4r", "qwertyuiop", "sakura", "akinai", "123456789012"} {
		if _, ok := commonPasswords()[leetFold(w)]; !ok {
			t.Errorf("%q missing from the list", w)
		}
	}
}

func TestRepeatedUnit(t *testing.T) {
	for in, want := range map[string]string{
		"abcabc": "abc", "aaaa": "a", "abcab": "abcab", "": "", "abab ab": "abab ab",
	} {
		if got := repeatedUnit(in); got != want {
			t.Errorf("repeatedUnit(%q) = %q; want %q", in, got, want)
		}
	}
}

func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := HashPassword("correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateNewPassword(b *testing.B) {
	commonPasswords() // build the list outside the timing
	for b.Loop() {
		_ = ValidateNewPassword("violet kettle on the moon", "taro.yamada@example.jp", "Taro Yamada")
	}
}

// TestPassword_ReferenceImplementation checks interoperability with the
// reference argon2 implementation's command-line tool (Debian package
// argon2): its hashes verify here, and ours encode byte for byte as it does.
func TestPassword_ReferenceImplementation(t *testing.T) {
	bin, err := exec.LookPath("argon2")
	if err != nil {
		t.Skip("argon2 (the reference implementation's CLI) is not installed: apt-get install argon2")
	}
	for _, pw := range []string{"correct horse battery staple", "春はあけぼの 2025", "x"} {
		const salt = "saltsaltsalt1234"
		cmd := exec.Command(bin, salt, "-id", "-t", "2", "-k", "19456", "-p", "1", "-l", "32", "-e")
		cmd.Stdin = strings.NewReader(pw)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("argon2: %v", err)
		}
		ref := strings.TrimSpace(string(out))
		ok, rehash, err := CheckPassword(ref, pw)
		if err != nil || !ok || rehash {
			t.Fatalf("CheckPassword(%q, %q) = %v, %v, %v; want true, false, nil", ref, pw, ok, rehash, err)
		}
		if ok, _, _ := CheckPassword(ref, pw+"!"); ok {
			t.Fatalf("CheckPassword(%q) accepted a wrong password", ref)
		}
		ours := encodePHC(argonParams{
			memory: argonMemory, time: argonTime, threads: argonThreads, salt: []byte(salt),
			key: argon2.IDKey([]byte(pw), []byte(salt), argonTime, argonMemory, argonThreads, argonKeyLen),
		})
		if ours != ref {
			t.Fatalf("encoding differs:\nours %s\nref  %s", ours, ref)
		}
	}
}
