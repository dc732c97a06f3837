// Package mail writes every outgoing mail to the outbox in the
// transaction of the event that causes it, and delivers it later.
package mail

import (
	"fmt"
	"net/mail"
	"strings"

	"github.com/akinai/akinai/internal/shop"
)

// Message is a composed mail, ready for the outbox.
type Message struct {
	Event   string // template name, e.g. "order_confirmation"
	Lang    string
	From    string // empty: the shop's address
	To      string // one recipient
	Subject string
	Text    string
	HTML    string
	// Headers are extra headers, e.g. List-Unsubscribe.
	Headers map[string]string
	// Charset is "utf-8" (default) or "iso-2022-jp".
	Charset   string
	Marketing bool
	// OrderNumber and CustomerID say what the mail is about, for the
	// admin's mail log ("" and 0: nothing in particular).
	OrderNumber string
	CustomerID  int64
}

// Validate refuses what must never reach an SMTP conversation: a missing
// or malformed recipient, and CR or LF in any header value (header
// injection), whoever typed it.
func (m *Message) Validate() error {
	if _, err := mail.ParseAddress(m.To); err != nil || strings.ContainsAny(m.To, "\r\n") {
		return &shop.Error{Kind: shop.Invalid, Key: "mail.bad_recipient", Cause: fmt.Errorf("mail: bad recipient %q", m.To)}
	}
	if m.From != "" {
		if _, err := mail.ParseAddress(m.From); err != nil {
			return &shop.Error{Kind: shop.Invalid, Key: "mail.bad_sender", Cause: err}
		}
	}
	check := map[string]string{"From": m.From, "To": m.To, "Subject": m.Subject}
	for k, v := range m.Headers {
		if k == "" || strings.ContainsAny(k, "\r\n: ") {
			return &shop.Error{Kind: shop.Invalid, Key: "mail.header_injection", Cause: fmt.Errorf("mail: bad header name %q", k)}
		}
		check[k] = v
	}
	for k, v := range check {
		if strings.ContainsAny(v, "\r\n\x00") {
			return &shop.Error{Kind: shop.Invalid, Key: "mail.header_injection", Cause: fmt.Errorf("mail: CR/LF in %s", k)}
		}
	}
	if m.Charset != "" && m.Charset != "utf-8" && m.Charset != "iso-2022-jp" {
		return fmt.Errorf("mail: unsupported charset %q", m.Charset)
	}
	return nil
}

// About records what m concerns, for the admin's mail log: an order
// number ("" for none) and the customer account (nil for a guest or none).
// It returns m, so a call reads mail.Enqueue(ctx, tx, m.About(o.Number, o.CustomerID)).
func (m *Message) About(orderNumber string, customerID *int64) *Message {
	m.OrderNumber = orderNumber
	if customerID != nil {
		m.CustomerID = *customerID
	}
	return m
}
