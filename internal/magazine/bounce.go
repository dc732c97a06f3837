package magazine

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"net/textproto"
	"strings"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/jp"
)

// How bounces arrive: every magazine mail is sent with a VERP return path,
// bounces+<recipient ID>.<signature>@<shop domain>. The shop's mail server
// delivers mail to that address (a catch-all for "bounces+*") to the
// command `akinai magazine-bounce`, e.g. in Postfix's master.cf
//
//	akinai-bounce unix - n n - - pipe
//	  user=akinai argv=/usr/local/bin/akinai magazine-bounce --to ${original_recipient}
//
// which reads the delivery status notification (RFC 3464) on stdin and
// calls Bounce. Only the signed recipient in the address counts: a DSN
// cannot suppress an address the shop did not mail.

// BounceResult says what a bounce did.
type BounceResult struct {
	Recipient int64  // the magazine recipient, 0 when not ours
	Email     string // the address suppressed
	Hard      bool   // a permanent failure: the address is suppressed
	Status    string // the DSN's Status, e.g. "5.1.1"
}

// ErrNotOurs is a mail to an address that is not a signed VERP return
// path of ours (nothing is changed).
var ErrNotOurs = errors.New("magazine: not a bounce to a return path of ours")

// ErrNotDSN is a mail without a delivery-status report (nothing is changed).
var ErrNotDSN = errors.New("magazine: not a delivery status notification")

// maxBounce is the most of a bounce that is read.
const maxBounce = 10 << 20

// Bounce handles one bounce: raw is the mail, to its envelope recipient
// (empty: taken from Delivered-To, X-Original-To or To). A permanent
// failure (Action: failed, Status 5.x.x) suppresses the recipient's
// address for every later send and marks the recipient bounced; a
// temporary one (4.x.x, delayed) changes nothing.
func Bounce(ctx context.Context, d *db.DB, t Tokens, raw io.Reader, to string) (BounceResult, error) {
	msg, err := mail.ReadMessage(bufio.NewReader(io.LimitReader(raw, maxBounce)))
	if err != nil {
		return BounceResult{}, fmt.Errorf("%w: %v", ErrNotDSN, err)
	}
	var res BounceResult
	rid, ok := ourRecipient(t, to, msg.Header)
	if !ok {
		return res, ErrNotOurs
	}
	res.Recipient = rid
	action, status, err := deliveryStatus(msg)
	if err != nil {
		return res, err
	}
	res.Status = status
	res.Hard = strings.EqualFold(action, "failed") && strings.HasPrefix(status, "5.")
	if !res.Hard {
		return res, nil
	}
	err = d.Tx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT email FROM magazine_recipients WHERE id = ?`, rid).Scan(&res.Email); err != nil {
			return err
		}
		key, kerr := jp.Email(res.Email)
		if kerr != nil {
			key = strings.ToLower(res.Email)
		}
		now := tx.Now()
		if _, err := tx.Exec(ctx, `UPDATE magazine_recipients SET bounced_at = ? WHERE id = ? AND bounced_at IS NULL`, now, rid); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO mail_suppressions (email_key, reason, detail, created_at) VALUES (?, 'bounce', ?, ?)
			ON CONFLICT (email_key) DO NOTHING`, key, "DSN "+status, now)
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return BounceResult{}, ErrNotOurs
	}
	return res, err
}

func ourRecipient(t Tokens, to string, h mail.Header) (int64, bool) {
	cands := []string{to}
	for _, k := range []string{"Delivered-To", "X-Original-To", "To"} {
		cands = append(cands, h[textproto.CanonicalMIMEHeaderKey(k)]...)
	}
	for _, c := range cands {
		if c == "" {
			continue
		}
		if a, err := mail.ParseAddress(c); err == nil {
			c = a.Address
		}
		if rid, ok := t.bounceRecipient(c); ok && rid > 0 {
			return rid, true
		}
	}
	return 0, false
}

// deliveryStatus finds the message/delivery-status part of a
// multipart/report and returns the first recipient's Action and Status.
func deliveryStatus(msg *mail.Message) (action, status string, err error) {
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mt, "multipart/") || params["boundary"] == "" {
		return "", "", ErrNotDSN
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return "", "", ErrNotDSN
		}
		if err != nil {
			return "", "", fmt.Errorf("%w: %v", ErrNotDSN, err)
		}
		pt, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if pt != "message/delivery-status" && pt != "message/global-delivery-status" {
			continue
		}
		body, err := io.ReadAll(io.LimitReader(p, 1<<20))
		if err != nil {
			return "", "", fmt.Errorf("%w: %v", ErrNotDSN, err)
		}
		return recipientFields(body)
	}
}

// recipientFields reads the per-message block and the first per-recipient
// block of a delivery-status body (RFC 3464 §2.1: header-like blocks
// separated by blank lines).
func recipientFields(body []byte) (string, string, error) {
	r := textproto.NewReader(bufio.NewReader(bytes.NewReader(append(bytes.TrimLeft(body, "\r\n"), "\r\n\r\n"...))))
	if _, err := r.ReadMIMEHeader(); err != nil { // per-message fields
		return "", "", fmt.Errorf("%w: %v", ErrNotDSN, err)
	}
	for {
		h, err := r.ReadMIMEHeader()
		if len(h) > 0 && h.Get("Action") != "" {
			status, _, _ := strings.Cut(strings.TrimSpace(h.Get("Status")), " ")
			return strings.TrimSpace(h.Get("Action")), status, nil
		}
		if err != nil {
			return "", "", ErrNotDSN
		}
	}
}
