package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"strings"
)

// Recovery codes are shown to the user once, as
//
//	k3x9-7fq2-m8vt-c4hp-wn2z-a0b5
//
// 24 symbols of Crockford's base32 alphabet (no i, l, o or u), 120 random
// bits each, in six groups of four.
//
// Why so long, and why a fast hash: a recovery code stands in for the
// second factor, so a stolen table of code hashes must not yield codes. A
// hash of a low-entropy secret can be brute-forced offline however it is
// stored, unless it is stored with a slow password hash, and a slow hash
// per code would make checking ten codes take a second. With 120 bits the
// search space (10^36) is beyond any offline attack, so one SHA-256 is as
// good as argon2id, and salt would add nothing (no two codes are alike).
// This is OWASP ASVS 5.0 requirement 6.5.2: a standard hash only for
// lookup secrets of at least 112 bits. Ten symbols (50 bits) would fall
// to a single GPU in hours.
const (
	RecoveryCodeCount = 10
	recoveryAlphabet  = "0123456789abcdefghjkmnpqrstvwxyz" // Crockford base32, lower case
	recoverySymbols   = 24                                 // × 5 bits = 120 bits
	recoveryGroup     = 4
)

// NewRecoveryCodes makes RecoveryCodeCount new single-use recovery codes.
// plain[i] is for the user's eyes only (show once, never store); hashes[i]
// (SHA-256, hex) is what the caller stores. When a code is used, the caller
// deletes or blanks its hash in the same transaction that signs the user
// in. The error is non-nil only if the system's random source fails.
func NewRecoveryCodes() (plain []string, hashes []string, err error) {
	plain = make([]string, RecoveryCodeCount)
	hashes = make([]string, RecoveryCodeCount)
	buf := make([]byte, recoverySymbols)
	for i := range plain {
		if _, err := rand.Read(buf); err != nil {
			return nil, nil, fmt.Errorf("auth: reading random: %w", err)
		}
		var b strings.Builder
		canon := make([]byte, recoverySymbols)
		for j, r := range buf {
			// 256 is a multiple of 32, so r%32 is uniform.
			canon[j] = recoveryAlphabet[r%32]
			if j > 0 && j%recoveryGroup == 0 {
				b.WriteByte('-')
			}
			b.WriteByte(canon[j])
		}
		plain[i] = b.String()
		hashes[i] = hashRecoveryCode(string(canon))
	}
	return plain, hashes, nil
}

// MatchRecoveryCode looks for input among hashes (as made by
// NewRecoveryCodes; blank entries never match) and returns the index of the
// matching hash. The input is normalised first: case, hyphens and spaces
// are ignored, full-width characters folded, and the letters Crockford's
// alphabet leaves out read as the digits they resemble (o → 0, i and l → 1).
//
// Every hash is compared, in constant time, whatever the input and
// wherever a match is. It returns (-1, false) when nothing matches or the
// input is not a well-formed code.
func MatchRecoveryCode(hashes []string, input string) (index int, ok bool) {
	canon, valid := normaliseRecoveryCode(input)
	if !valid {
		return -1, false
	}
	h := []byte(hashRecoveryCode(canon))
	index, found := -1, 0
	for i, stored := range hashes {
		eq := subtle.ConstantTimeCompare(h, []byte(stored))
		index = subtle.ConstantTimeSelect(eq&^found, i, index)
		found |= eq
	}
	return index, found == 1
}

func hashRecoveryCode(canon string) string {
	sum := sha256.Sum256([]byte(canon))
	return hex.EncodeToString(sum[:])
}

// normaliseRecoveryCode returns the 24 lower-case alphabet symbols of a
// typed code, or false if it is not one.
func normaliseRecoveryCode(s string) (string, bool) {
	if len(s) > 200 {
		return "", false
	}
	out := make([]byte, 0, recoverySymbols)
	for _, r := range widthFold(strings.ToLower(s)) {
		switch r {
		case '-', ' ', '\t':
			continue
		case 'o':
			r = '0'
		case 'i', 'l':
			r = '1'
		}
		if r > 0x7f || !strings.ContainsRune(recoveryAlphabet, r) || len(out) == recoverySymbols {
			return "", false
		}
		out = append(out, byte(r))
	}
	return string(out), len(out) == recoverySymbols
}
