package jp

import "github.com/akinai/akinai/internal/shop"

// The validation errors of this package. Each is a shop.Invalid error whose
// Key the web layer translates; compare with errors.Is.
var (
	ErrKana       = &shop.Error{Kind: shop.Invalid, Key: "error.kana"}        // not katakana/hiragana
	ErrPostalCode = &shop.Error{Kind: shop.Invalid, Key: "error.postal_code"} // not 7 digits
	ErrPhone      = &shop.Error{Kind: shop.Invalid, Key: "error.phone"}       // not a Japanese number
	ErrEmail      = &shop.Error{Kind: shop.Invalid, Key: "error.email"}       // not a usable address
)
