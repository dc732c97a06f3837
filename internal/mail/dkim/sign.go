// Package dkim signs outgoing mail and verifies DKIM signatures (RFC 6376,
// RFC 8463) on top of github.com/emersion/go-msgauth.
//
// Signatures use relaxed/relaxed canonicalisation and over-sign the fields a
// phisher would add to a signed mail (From, Subject, Reply-To, To, Cc, Date,
// Message-ID…): each is listed once more in h= than the message holds, so a
// prepended second From: or an added Reply-To: breaks the signature.
package dkim

import (
	"bytes"
	"crypto"
	"errors"
	"fmt"
	"strings"

	msgdkim "github.com/emersion/go-msgauth/dkim"
)

// overSigned are the header fields Sign lists one more time than present.
var overSigned = []string{
	"From", "Sender", "Reply-To", "Subject", "Date", "Message-ID",
	"To", "Cc", "In-Reply-To", "References",
	"MIME-Version", "Content-Type", "Content-Transfer-Encoding",
	"List-Unsubscribe", "List-Unsubscribe-Post",
}

// Sign returns msg with a DKIM-Signature field prepended, made with key for
// domain and selector. Bare LF line endings are turned into CRLF first, so
// the returned message is what must be sent. key must be an Ed25519 or RSA
// key (ErrUnsupportedKey otherwise); msg must have a From field.
func Sign(msg []byte, domain, selector string, key crypto.Signer) ([]byte, error) {
	if domain == "" || selector == "" {
		return nil, errors.New("dkim: domain and selector are required")
	}
	if _, err := TXTRecord(key.Public()); err != nil {
		return nil, err
	}
	msg = toCRLF(msg)
	if !containsFold(fieldNames(msg), "From") {
		return nil, errors.New("dkim: message has no From field")
	}
	opts := &msgdkim.SignOptions{
		Domain:                 domain,
		Selector:               selector,
		Signer:                 key,
		HeaderCanonicalization: msgdkim.CanonicalizationRelaxed,
		BodyCanonicalization:   msgdkim.CanonicalizationRelaxed,
		HeaderKeys:             headerKeys(msg),
	}
	var out bytes.Buffer
	if err := msgdkim.Sign(&out, bytes.NewReader(msg), opts); err != nil {
		return nil, fmt.Errorf("dkim: sign: %w", err)
	}
	return out.Bytes(), nil
}

// headerKeys lists the h= tag for msg: every over-signed field present
// count+1 times (From, Subject and Reply-To even when absent, so that adding
// them later breaks the signature).
func headerKeys(msg []byte) []string {
	counts := map[string]int{}
	for _, name := range fieldNames(msg) {
		counts[strings.ToLower(name)]++
	}
	var keys []string
	for _, name := range overSigned {
		n := counts[strings.ToLower(name)]
		switch {
		case n > 0:
			n++
		case name == "From" || name == "Subject" || name == "Reply-To" ||
			name == "To" || name == "Date" || name == "Message-ID" || name == "Sender":
			n = 1
		}
		for range n {
			keys = append(keys, name)
		}
	}
	return keys
}

// fieldNames returns the names of the header fields of msg, in order.
func fieldNames(msg []byte) []string {
	var names []string
	for line := range bytes.Lines(msg) {
		s := strings.TrimRight(string(line), "\r\n")
		if s == "" {
			break
		}
		if s[0] == ' ' || s[0] == '\t' {
			continue
		}
		if name, _, ok := strings.Cut(s, ":"); ok {
			names = append(names, strings.TrimSpace(name))
		}
	}
	return names
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// toCRLF turns bare LF into CRLF and leaves existing CRLF alone.
func toCRLF(b []byte) []byte {
	if !bytes.Contains(b, []byte("\n")) {
		return b
	}
	out := make([]byte, 0, len(b)+bytes.Count(b, []byte("\n")))
	for i, c := range b {
		if c == '\n' && (i == 0 || b[i-1] != '\r') {
			out = append(out, '\r')
		}
		out = append(out, c)
	}
	return out
}
