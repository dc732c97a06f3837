package shop

import (
	"errors"
	"fmt"
)

// Kind classifies an error for the web layer, which maps each kind to a
// status code and a localised message. Internal is the zero value.
type Kind int

const (
	Internal     Kind = iota
	NotFound          // 404
	Invalid           // 400 or 422: the input is wrong; Fields says where
	Conflict          // 409: someone else changed it first, or it exists
	SoldOut           // 409: not enough stock
	Forbidden         // 403
	Unauthorized      // 401: sign in first
	TooMany           // 429: rate limited; RetryAfter says when
	Unavailable       // 503
)

// Error carries a kind, a message key safe to show the user (translated by
// the web layer), optional per-field message keys and the internal cause,
// which is logged but never shown.
type Error struct {
	Kind   Kind
	Key    string            // i18n key shown to the user
	Args   []any             // arguments for Key
	Fields map[string]string // field name → i18n key
	Cause  error
	// RetryAfter is the number of seconds to wait, for TooMany.
	RetryAfter int
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s: %v", e.Key, e.Cause)
	}
	return e.Key
}

func (e *Error) Unwrap() error { return e.Cause }

// Errorf returns an *Error of the given kind with a user-facing message key.
func Errorf(kind Kind, key string, args ...any) *Error {
	return &Error{Kind: kind, Key: key, Args: args}
}

// ErrNotFound is the plain not-found error.
var ErrNotFound = &Error{Kind: NotFound, Key: "error.not_found"}

// KindOf returns the kind of err, or Internal when err is not an *Error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// Invalidf builds an Invalid error with per-field messages.
func Invalidf(fields map[string]string) *Error {
	return &Error{Kind: Invalid, Key: "error.invalid", Fields: fields}
}

// FieldsOf returns the field errors of an Invalid error (field name → i18n
// key), nil for any other error.
func FieldsOf(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) && e.Kind == Invalid && len(e.Fields) > 0 {
		return e.Fields
	}
	return nil
}
