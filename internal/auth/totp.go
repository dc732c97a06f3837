package auth

import (
	"bytes"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"fmt"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"
)

// TOTP parameters (RFC 6238): what every authenticator app supports and
// what the otpauth URL announces. Changing them would break enrolled apps.
const (
	totpPeriod    = 30 // seconds
	totpDigits    = 6
	totpSkew      = 1  // steps accepted either side of now
	totpSecretLen = 20 // bytes: 160 bits, the length RFC 4226 recommends
	totpQRSize    = 256
)

// ErrTOTPLabel is returned by NewTOTPSecret when the issuer or account name
// is empty or contains a colon, which separates them in the otpauth label.
var ErrTOTPLabel = errors.New("auth: TOTP issuer and account must be non-empty and contain no colon")

// NewTOTPSecret makes a new random TOTP secret (160 bits) for one account.
// It returns the secret in unpadded base32 (what VerifyTOTP takes and what
// a user types when they cannot scan), the otpauth:// URL announcing
// SHA-1, 30-second steps and 6 digits, and that URL as a 256×256 PNG QR
// code. Store the secret sealed (see Seal) and only after the user has
// proved, with a first code, that their app has it.
//
// The error wraps ErrTOTPLabel for a bad issuer or account, or reports a
// failure of the random source or the QR encoder.
func NewTOTPSecret(issuer, account string) (secret string, otpauthURL string, qrPNG []byte, err error) {
	if issuer == "" || account == "" || strings.Contains(issuer, ":") || strings.Contains(account, ":") {
		return "", "", nil, ErrTOTPLabel
	}
	key, err := totp.Generate(totp.GenerateOpts{
		Issuer:      issuer,
		AccountName: account,
		Period:      totpPeriod,
		SecretSize:  totpSecretLen,
		Digits:      otp.DigitsSix,
		Algorithm:   otp.AlgorithmSHA1,
	})
	if err != nil {
		return "", "", nil, fmt.Errorf("auth: generating TOTP key: %w", err)
	}
	img, err := key.Image(totpQRSize, totpQRSize)
	if err != nil {
		return "", "", nil, fmt.Errorf("auth: drawing TOTP QR code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", "", nil, fmt.Errorf("auth: encoding TOTP QR code: %w", err)
	}
	return key.Secret(), key.URL(), buf.Bytes(), nil
}

// VerifyTOTP checks a code typed by the user against secret (base32, as
// returned by NewTOTPSecret) at time now. It accepts the codes of the
// current 30-second step and of one step either side, to allow for clock
// drift and typing time, but never a step at or before lastStep: that is
// the step of the last code this account used (0 if none), and refusing it
// makes every code single-use, even within its window (a relayed or
// shoulder-surfed code cannot be used a second time).
//
// On success it returns the matched step, which the caller must store as
// the account's new lastStep in the same transaction that signs the user
// in. On failure it returns (0, false): for a wrong, reused or stale code,
// a code that is not 6 digits, or a secret that is not valid base32.
//
// The code may contain spaces (ASCII or ideographic) and full-width digits,
// as Japanese input methods produce. Every candidate step is computed and
// compared in constant time, whether or not an earlier one matched.
func VerifyTOTP(secret, code string, lastStep int64, now time.Time) (step int64, ok bool) {
	code, valid := normaliseTOTPCode(code)
	if !valid || !validTOTPSecret(secret) {
		return 0, false
	}
	current := now.Unix() / totpPeriod
	for s := current - totpSkew; s <= current+totpSkew; s++ {
		if s < 0 {
			continue
		}
		want, err := hotp.GenerateCodeCustom(secret, uint64(s), hotp.ValidateOpts{
			Digits:    otp.DigitsSix,
			Algorithm: otp.AlgorithmSHA1,
		})
		if err != nil {
			return 0, false
		}
		// Only the comparison involves the secret; which steps are fresh
		// is known to anyone with a clock. Later steps overwrite earlier
		// ones, so should two ever match, the one that blocks more wins.
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && s > lastStep {
			step, ok = s, true
		}
	}
	return step, ok
}

// validTOTPSecret reports whether secret is base32 (either case, padding
// optional) of at least 80 bits, the minimum of RFC 4226. It stops an empty
// or truncated secret, which would still key an HMAC, from verifying codes.
func validTOTPSecret(secret string) bool {
	s := strings.TrimRight(strings.ToUpper(strings.TrimSpace(secret)), "=")
	b, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
	return err == nil && len(b) >= 10
}

// normaliseTOTPCode removes spaces, maps full-width digits to ASCII and
// reports whether exactly totpDigits ASCII digits remain.
func normaliseTOTPCode(code string) (string, bool) {
	if len(code) > 64 {
		return "", false
	}
	var b strings.Builder
	for _, r := range code {
		switch {
		case r == ' ' || r == '\t' || r == '\u3000':
			continue
		case r >= '０' && r <= '９':
			r = '0' + (r - '０')
		case r < '0' || r > '9':
			return "", false
		}
		b.WriteRune(r)
	}
	return b.String(), b.Len() == totpDigits
}
