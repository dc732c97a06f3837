package auth

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/shop"
)

// Password length limits. The minimum follows NIST SP 800-63B for
// passwords used as a single factor, counted in characters (runes) so that
// Japanese passphrases are not penalised. The maximum is in bytes: it bounds
// the work an unauthenticated request can cause and the size of what is
// hashed, and 256 bytes is far above any memorised secret.
const (
	MinPasswordRunes = 12
	MaxPasswordBytes = 256
)

// The i18n keys ValidateNewPassword returns, both as Error.Key and as the
// message for the "password" field.
const (
	KeyPasswordTooShort         = "password.too_short"
	KeyPasswordTooLong          = "password.too_long"
	KeyPasswordCommon           = "password.common"
	KeyPasswordContainsIdentity = "password.contains_identity"
)

// minFragment is the shortest identity fragment or password core that is
// looked for; shorter strings ("ken", "abc") occur by chance in good
// passwords.
const minFragment = 4

// ValidateNewPassword checks a password the user wants to set. context is
// what the password must not contain: the account's email address (its
// local part is used), display name, or the shop's name; each is split into
// words and words of fewer than 4 characters are ignored.
//
// It returns nil or a *shop.Error of kind shop.Invalid whose Key, also set
// as Fields["password"], is one of:
//
//   - KeyPasswordTooLong: more than MaxPasswordBytes bytes (Args: the limit);
//   - KeyPasswordTooShort: fewer than MinPasswordRunes characters (Args: the
//     limit);
//   - KeyPasswordContainsIdentity: contains one of the context words, ignoring
//     case and look-alike substitutions;
//   - KeyPasswordCommon: on the embedded list of common passwords, ignoring
//     case, look-alike substitutions (p@ssw0rd), full-width letters, leading
//     and trailing digits and symbols (Password2024!) and repetition
//     (qwertyqwerty). See commonpasswords/README.md.
//
// Checks run in that order and the first failure is returned.
func ValidateNewPassword(pw string, context ...string) error {
	if len(pw) > MaxPasswordBytes {
		return passwordError(KeyPasswordTooLong, MaxPasswordBytes)
	}
	if utf8.RuneCountInString(pw) < MinPasswordRunes {
		return passwordError(KeyPasswordTooShort, MinPasswordRunes)
	}
	lower := widthFold(strings.ToLower(pw))
	folded := leetFold(lower)
	for _, c := range context {
		for _, w := range identityWords(c) {
			if strings.Contains(folded, leetFold(w)) {
				return passwordError(KeyPasswordContainsIdentity)
			}
		}
	}
	if isCommonPassword(lower) {
		return passwordError(KeyPasswordCommon)
	}
	return nil
}

func passwordError(key string, args ...any) *shop.Error {
	return &shop.Error{
		Kind:   shop.Invalid,
		Key:    key,
		Args:   args,
		Fields: map[string]string{"password": key},
	}
}

// identityWords returns the lower-cased words of one context value worth
// looking for: for an email address, its local part and the words in it
// (taro.yamada+shop@example.jp → taro.yamada+shop, taro, yamada, shop);
// otherwise the value and its words.
func identityWords(s string) []string {
	s = widthFold(strings.ToLower(strings.TrimSpace(s)))
	if at := strings.LastIndexByte(s, '@'); at >= 0 {
		s = s[:at]
	}
	var out []string
	add := func(w string) {
		if utf8.RuneCountInString(w) >= minFragment {
			out = append(out, w)
		}
	}
	add(s)
	words := strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) > 1 {
		for _, w := range words {
			add(w)
		}
	}
	return out
}

//go:embed commonpasswords/list.txt
var commonPasswordList string

// commonPasswords is the embedded list, each entry leet-folded, built on
// first use (about 32,600 entries, a few MB).
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	m := make(map[string]struct{}, 33000)
	for line := range strings.SplitSeq(commonPasswordList, "\n") {
		if line != "" {
			m[leetFold(line)] = struct{}{}
		}
	}
	return m
})

// isCommonPassword reports whether lower (a lower-cased, width-folded
// password) or its core or repeated unit is on the list; see the README.
func isCommonPassword(lower string) bool {
	list := commonPasswords()
	folded := leetFold(lower)
	// The core is cut twice: once at the first letter, and once at the
	// first letter or symbol that stands for one, so that $unshine.1999 and
	// @dmin2024 keep their first letters. Digits are cut before folding in
	// both, or dragon2010 would keep a trailing "zoio".
	candidates := []string{
		folded,
		leetFold(trimNonLetters(lower, "")),
		leetFold(trimNonLetters(lower, "@$!|+")),
	}
	for _, c := range candidates {
		if utf8.RuneCountInString(c) < minFragment {
			continue
		}
		if _, ok := list[c]; ok {
			return true
		}
		if u := repeatedUnit(c); u != c && utf8.RuneCountInString(u) >= minFragment {
			if _, ok := list[u]; ok {
				return true
			}
		}
	}
	return false
}

// trimNonLetters removes leading and trailing runes that are neither
// letters nor in keep.
func trimNonLetters(s, keep string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !strings.ContainsRune(keep, r)
	})
}

// repeatedUnit returns the shortest u such that s is u repeated, or s.
func repeatedUnit(s string) string {
	n := len(s)
	for p := 1; p <= n/2; p++ {
		if n%p == 0 && strings.Repeat(s[:p], n/p) == s {
			return s[:p]
		}
	}
	return s
}

// leetFold maps the usual look-alike substitutions onto one letter each, so
// that p@ssw0rd, pa55word and password fold alike. l, 1, ! and | all become
// i, because 1 stands for both i and l.
func leetFold(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '@', '4':
			return 'a'
		case '8':
			return 'b'
		case '3':
			return 'e'
		case '1', '!', '|', 'l':
			return 'i'
		case '0':
			return 'o'
		case '5', '$':
			return 's'
		case '7', '+':
			return 't'
		}
		return r
	}, s)
}

// widthFold maps full-width ASCII forms (as typed with a Japanese input
// method: ｐａｓｓｗｏｒｄ１２３) and the ideographic space onto ASCII.
func widthFold(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return unicode.ToLower(r - 0xFEE0)
		case r == 0x3000:
			return ' '
		}
		return r
	}, s)
}
