package magazine

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
)

// Tokens signs what a magazine's mail carries back to the shop: the
// unsubscribe link of a recipient and the VERP return path its bounces
// come to. A token is "<recipient ID>.<HMAC-SHA256, 128 bits>", keyed by
// the shop's secret and the token's purpose, so neither can be made from
// the other nor guessed from a recipient ID.
type Tokens struct {
	Secret []byte
}

// Purposes of a token.
const (
	purposeUnsubscribe = "akinai magazine unsubscribe v1"
	purposeBounce      = "akinai magazine bounce v1"
)

func (t Tokens) sign(purpose string, rid int64) string {
	k := hmac.New(sha256.New, t.Secret)
	k.Write([]byte(purpose))
	mac := hmac.New(sha256.New, k.Sum(nil))
	mac.Write([]byte(strconv.FormatInt(rid, 10)))
	return strconv.FormatInt(rid, 10) + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:16])
}

// verify returns the recipient ID of a token of purpose, or false for a
// malformed or forged one.
func (t Tokens) verify(purpose, token string) (int64, bool) {
	ids, _, ok := strings.Cut(token, ".")
	if !ok || len(token) > 64 {
		return 0, false
	}
	rid, err := strconv.ParseInt(ids, 10, 64)
	if err != nil || rid < 0 || strconv.FormatInt(rid, 10) != ids {
		return 0, false
	}
	return rid, hmac.Equal([]byte(t.sign(purpose, rid)), []byte(token))
}

// Unsubscribe is the token of recipient rid's unsubscribe link; rid 0 is
// a test send's (the link works and changes nothing).
func (t Tokens) Unsubscribe(rid int64) string { return t.sign(purposeUnsubscribe, rid) }

// ReturnPath is the envelope sender of recipient rid's mail: bounces to
// it name the recipient (VERP), e.g. "bounces+12.AbC…@shop.example".
func (t Tokens) ReturnPath(rid int64, domain string) string {
	return "bounces+" + t.sign(purposeBounce, rid) + "@" + domain
}

// bounceRecipient returns the recipient ID a VERP address names, or false
// when it is not one of ours or its signature is wrong.
func (t Tokens) bounceRecipient(addr string) (int64, bool) {
	local, _, _ := strings.Cut(strings.Trim(strings.TrimSpace(addr), "<>"), "@")
	tok, ok := strings.CutPrefix(local, "bounces+")
	if !ok {
		return 0, false
	}
	return t.verify(purposeBounce, tok)
}
