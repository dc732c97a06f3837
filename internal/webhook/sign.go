package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
)

// SecretPrefix starts every signing secret, as in Standard Webhooks: the
// rest is the base64 of 32 random bytes, and those bytes are the HMAC key.
const SecretPrefix = "whsec_"

// NewSecret returns a fresh signing secret.
func NewSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return SecretPrefix + base64.StdEncoding.EncodeToString(b)
}

func secretKey(secret string) ([]byte, error) {
	k, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, SecretPrefix))
	if err != nil || len(k) < 16 {
		return nil, errors.New("webhook: malformed secret")
	}
	return k, nil
}

// Sign returns the "v1,<base64 HMAC-SHA256>" signature of one delivery
// attempt: the HMAC of "<msgID>.<timestamp>.<body>" under the secret.
func Sign(secret, msgID string, timestamp int64, body []byte) (string, error) {
	k, err := secretKey(secret)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, k)
	m.Write([]byte(msgID + "." + strconv.FormatInt(timestamp, 10) + "."))
	m.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(m.Sum(nil)), nil
}

// SignatureHeader is the webhook-signature header value: one signature
// per valid secret, space-separated (two during a rotation).
func SignatureHeader(secrets []string, msgID string, timestamp int64, body []byte) (string, error) {
	var sigs []string
	for _, s := range secrets {
		sig, err := Sign(s, msgID, timestamp, body)
		if err != nil {
			return "", err
		}
		sigs = append(sigs, sig)
	}
	return strings.Join(sigs, " "), nil
}
