package settings

import (
	"context"
	"encoding/base64"

	"github.com/akinai/akinai/internal/auth"
)

// PaymentCardKeySealed holds the card provider's secret key, sealed with
// auth.Seal under auth.DeriveKey(master, auth.PurposePaymentKey) and
// base64-encoded; the admin's payment settings write it.
const PaymentCardKeySealed = "payment.card_key_sealed"

// SealCardKey returns the stored form of a card provider secret key.
func SealCardKey(master []byte, key string) (string, error) {
	return SealSecret(master, PaymentCardKeySealed, key)
}

// SealSecret returns the stored form of a payment secret kept in the
// setting named setting: sealed with auth.Seal under
// auth.DeriveKey(master, auth.PurposePaymentKey), bound to the setting's
// name, base64-encoded.
func SealSecret(master []byte, setting, secret string) (string, error) {
	k, err := auth.DeriveKey(master, auth.PurposePaymentKey)
	if err != nil {
		return "", err
	}
	sealed, err := auth.Seal(k, []byte(secret), []byte(setting))
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(sealed), nil
}

// CardKey returns the card provider's secret key the admin stored, or ""
// when none is set. The checkout calls it (with the master secret) to
// build its payment provider. Errors: the master secret does not open the
// stored value (it was changed), or the database cannot be read.
func (s *Store) CardKey(ctx context.Context, master []byte) (string, error) {
	return s.Secret(ctx, master, PaymentCardKeySealed)
}

// Secret opens the payment secret SealSecret stored in setting, "" when
// none is set. Errors: the master secret does not open it; the database.
func (s *Store) Secret(ctx context.Context, master []byte, setting string) (string, error) {
	v, err := s.Get(ctx, setting)
	if err != nil || v == "" {
		return "", err
	}
	sealed, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return "", err
	}
	k, err := auth.DeriveKey(master, auth.PurposePaymentKey)
	if err != nil {
		return "", err
	}
	key, err := auth.Open(k, sealed, []byte(setting))
	return string(key), err
}
