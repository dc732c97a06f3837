// Package auth holds the sign-in primitives: password hashing and policy,
// TOTP, recovery codes, random tokens, signed values and sealed secrets.
// It does no I/O beyond reading the system's random source; sessions,
// storage and handlers are built on top of it elsewhere.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// The argon2id parameters for new hashes: OWASP ASVS 5.0's minimum
// (19 MiB, two passes, one lane). One hash takes 25–30 ms on the project's
// 2-core machine (BenchmarkHashPassword); every check in flight holds
// 19 MiB, so callers should bound how many run at once.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB
	argonThreads = 1
	argonSaltLen = 16
	argonKeyLen  = 32
)

// Bounds on parameters read back from a stored hash. A hash outside them is
// rejected rather than computed, so a corrupted or planted row cannot make
// one sign-in allocate gigabytes or spin for minutes.
const (
	maxArgonMemory = 1 << 20 // KiB (1 GiB)
	maxArgonTime   = 32
	minSaltLen     = 8
	maxSaltLen     = 64
	minKeyLen      = 16
	maxKeyLen      = 64
)

// ErrMalformedHash is returned (wrapped) by CheckPassword when the stored
// hash is not an argon2id PHC string this package can verify.
var ErrMalformedHash = errors.New("auth: malformed password hash")

// argonParams is one decoded PHC string.
type argonParams struct {
	memory  uint32
	time    uint32
	threads uint8
	salt    []byte
	key     []byte
}

// HashPassword hashes pw with argon2id and a fresh 16-byte random salt, and
// returns it in PHC string format:
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
//
// where salt and hash are unpadded standard base64. It does not apply the
// password policy; call ValidateNewPassword first. The error is non-nil only
// if the system's random source fails.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: reading salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return encodePHC(argonParams{
		memory: argonMemory, time: argonTime, threads: argonThreads,
		salt: salt, key: key,
	}), nil
}

// CheckPassword reports whether pw matches hash, a PHC string made by
// HashPassword (possibly with older parameters). The comparison of the
// derived keys is constant-time. needsRehash is true when the password
// matched but hash was made with parameters other than the current ones:
// the caller should then store a fresh HashPassword(pw).
//
// A wrong password gives ok=false and a nil error. The error wraps
// ErrMalformedHash when hash cannot be parsed or its parameters are out of
// the accepted bounds; ok is then false.
func CheckPassword(hash, pw string) (ok bool, needsRehash bool, err error) {
	p, err := decodePHC(hash)
	if err != nil {
		return false, false, err
	}
	got := argon2.IDKey([]byte(pw), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	if subtle.ConstantTimeCompare(got, p.key) != 1 {
		return false, false, nil
	}
	current := p.memory == argonMemory && p.time == argonTime && p.threads == argonThreads &&
		len(p.salt) == argonSaltLen && len(p.key) == argonKeyLen
	return true, !current, nil
}

// dummySalt and dummyKey stand in for a stored hash in DummyCheck. Their
// values do not matter; only their sizes, which match real hashes.
var (
	dummySalt = make([]byte, argonSaltLen)
	dummyKey  = make([]byte, argonKeyLen)
)

// DummyCheck does the work of one CheckPassword with the current
// parameters and throws the result away. Call it when the account asked for
// does not exist (or has no password), so that the response takes as long
// as a wrong password for a real account and timing does not tell which
// accounts exist.
func DummyCheck() {
	got := argon2.IDKey([]byte("dummy password"), dummySalt, argonTime, argonMemory, argonThreads, argonKeyLen)
	subtle.ConstantTimeCompare(got, dummyKey)
}

func encodePHC(p argonParams) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.memory, p.time, p.threads,
		b64.EncodeToString(p.salt), b64.EncodeToString(p.key))
}

// decodePHC parses "$argon2id$v=19$m=…,t=…,p=…$salt$hash" strictly: the
// parameters in this order, version 19 only, unpadded base64.
func decodePHC(s string) (argonParams, error) {
	var p argonParams
	fail := func(why string) (argonParams, error) {
		return argonParams{}, fmt.Errorf("%w: %s", ErrMalformedHash, why)
	}
	f := strings.Split(s, "$")
	if len(f) != 6 || f[0] != "" {
		return fail("want 5 fields separated by $")
	}
	if f[1] != "argon2id" {
		return fail("algorithm is not argon2id")
	}
	if f[2] != "v="+strconv.Itoa(argon2.Version) {
		return fail("unsupported version")
	}
	params := strings.Split(f[3], ",")
	if len(params) != 3 {
		return fail("want parameters m, t and p")
	}
	m, errM := phcUint(params[0], "m=", 32)
	t, errT := phcUint(params[1], "t=", 32)
	th, errP := phcUint(params[2], "p=", 8)
	if errM != nil || errT != nil || errP != nil {
		return fail("bad parameters")
	}
	if t < 1 || t > maxArgonTime || th < 1 || m < 8*th || m > maxArgonMemory {
		return fail("parameters out of bounds")
	}
	p.memory, p.time, p.threads = uint32(m), uint32(t), uint8(th)
	var err error
	if p.salt, err = base64.RawStdEncoding.Strict().DecodeString(f[4]); err != nil {
		return fail("salt is not base64")
	}
	if p.key, err = base64.RawStdEncoding.Strict().DecodeString(f[5]); err != nil {
		return fail("hash is not base64")
	}
	if len(p.salt) < minSaltLen || len(p.salt) > maxSaltLen {
		return fail("salt length out of bounds")
	}
	if len(p.key) < minKeyLen || len(p.key) > maxKeyLen {
		return fail("hash length out of bounds")
	}
	return p, nil
}

// phcUint parses "name=digits" with no sign and no leading zeros.
func phcUint(s, name string, bits int) (uint64, error) {
	v, ok := strings.CutPrefix(s, name)
	if !ok || v == "" || (len(v) > 1 && v[0] == '0') || v[0] == '+' {
		return 0, errors.New("bad parameter")
	}
	return strconv.ParseUint(v, 10, bits)
}
