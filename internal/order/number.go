package order

import (
	"crypto/rand"
	"time"
)

// numberAlphabet leaves out 0/O and 1/I/L, which customers misread when
// they quote an order number on the phone.
const numberAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

var tokyo = time.FixedZone("JST", 9*60*60)

// NewNumber returns an order number "YYMMDD-XXXXXX": the date in Japan
// and six random characters (31^6 ≈ 887 million per day), so numbers are
// short to read out but reveal nothing about how many orders a shop gets.
// Uniqueness is enforced by the database; Create retries on a collision.
func NewNumber(now time.Time) string {
	out := []byte(now.In(tokyo).Format("060102") + "-")
	var b [1]byte
	for len(out) < 13 {
		rand.Read(b[:])
		// Rejection sampling: bytes ≥ 248 (8 × 31) would bias the draw.
		if int(b[0]) < 8*len(numberAlphabet) {
			out = append(out, numberAlphabet[int(b[0])%len(numberAlphabet)])
		}
	}
	return string(out)
}
