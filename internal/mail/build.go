package mail

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime/quotedprintable"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/shop"
)

// Envelope is what delivery adds to a stored Message to make it a mail:
// the shop's sender, the stable Message-ID of the outbox row and the date.
type Envelope struct {
	From      string // the shop's address, used when Message.From is empty
	FromName  string // the shop's name, shown as the sender
	MessageID string // "<outbox-ID.random@shop-domain>"
	Date      time.Time
}

// reserved header names a Message's extra Headers may not set: Build
// writes them itself, and a caller-supplied copy would be a second From
// or a forged signature.
var reserved = []string{
	"from", "sender", "to", "cc", "bcc", "subject", "date", "message-id",
	"mime-version", "content-type", "content-transfer-encoding",
	"dkim-signature", "return-path", "received", "list-unsubscribe-post",
}

// Build turns m into an RFC 5322 message with CRLF line endings, ready to
// be DKIM-signed and sent. Headers are encoded per RFC 2047 in m.Charset;
// for "iso-2022-jp", characters JIS cannot express (after folding the wave
// dash and friends) make the whole message fall back to UTF-8. The text
// part is always there; an HTML part makes it multipart/alternative.
// Marketing mail must carry a List-Unsubscribe header (RFC 8058 one-click
// is added). It returns an Invalid error for header injection, a reserved
// or malformed extra header, or a non-ASCII address.
func Build(m *Message, env Envelope) ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	from := &mail.Address{Name: env.FromName, Address: env.From}
	if m.From != "" {
		a, err := mail.ParseAddress(m.From)
		if err != nil {
			return nil, invalid("mail.bad_sender", err)
		}
		from = a
	}
	to, _ := mail.ParseAddress(m.To)
	for _, a := range []*mail.Address{from, to} {
		if a.Address == "" || !isASCII(a.Address) || strings.ContainsAny(a.Name+env.MessageID, "\r\n") {
			return nil, invalid("mail.bad_recipient", fmt.Errorf("mail: address %q cannot be sent", a.Address))
		}
	}
	if m.Marketing && m.Headers["List-Unsubscribe"] == "" {
		return nil, invalid("mail.no_unsubscribe", fmt.Errorf("mail: marketing mail without List-Unsubscribe"))
	}

	cs := "utf-8"
	if m.Charset == "iso-2022-jp" && canJIS(m.Subject, from.Name, to.Name, m.Text) {
		cs = "iso-2022-jp"
	}
	var buf bytes.Buffer
	fold(&buf, "Date", env.Date.Format(time.RFC1123Z))
	fold(&buf, "From", encodeAddress(from, cs))
	fold(&buf, "To", encodeAddress(to, cs))
	fold(&buf, "Subject", encodeWord(m.Subject, cs))
	fold(&buf, "Message-ID", env.MessageID)
	fold(&buf, "MIME-Version", "1.0")
	names := make([]string, 0, len(m.Headers))
	for k := range m.Headers {
		if slices.Contains(reserved, strings.ToLower(k)) || !isASCII(k) {
			return nil, invalid("mail.header_injection", fmt.Errorf("mail: header %q may not be set", k))
		}
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		fold(&buf, k, encodeWord(m.Headers[k], "utf-8"))
	}
	if m.Marketing {
		fold(&buf, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	}

	if m.HTML == "" {
		writePart(&buf, "text/plain", m.Text, cs)
		return buf.Bytes(), nil
	}
	boundary := boundaryFor(env.MessageID)
	fold(&buf, "Content-Type", `multipart/alternative; boundary="`+boundary+`"`)
	buf.WriteString("\r\n")
	buf.WriteString("--" + boundary + "\r\n")
	writePart(&buf, "text/plain", m.Text, cs)
	buf.WriteString("\r\n--" + boundary + "\r\n")
	// HTML stays UTF-8: the carriers that need ISO-2022-JP show text only.
	writePart(&buf, "text/html", m.HTML, "utf-8")
	buf.WriteString("\r\n--" + boundary + "--\r\n")
	return buf.Bytes(), nil
}

// writePart writes Content-Type and Content-Transfer-Encoding, a blank
// line and the body: 7bit for ASCII and ISO-2022-JP text, base64 for
// mostly non-ASCII UTF-8 (Japanese), quoted-printable otherwise.
func writePart(buf *bytes.Buffer, typ, body, cs string) {
	body = strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\r", "\n")
	if !strings.HasSuffix(body, "\n") {
		body += "\n"
	}
	crlf := strings.ReplaceAll(body, "\n", "\r\n")
	switch {
	case cs == "iso-2022-jp":
		b, _ := toJIS(crlf)
		fold(buf, "Content-Type", typ+"; charset=ISO-2022-JP")
		if longestLine(string(b)) > 998 {
			fold(buf, "Content-Transfer-Encoding", "base64")
			buf.WriteString("\r\n")
			writeBase64(buf, b)
			return
		}
		fold(buf, "Content-Transfer-Encoding", "7bit")
		buf.WriteString("\r\n")
		buf.Write(b)
		return
	case isASCII(strings.ReplaceAll(body, "\n", "")) && longestLine(crlf) <= 998:
		fold(buf, "Content-Type", typ+"; charset=UTF-8")
		fold(buf, "Content-Transfer-Encoding", "7bit")
		buf.WriteString("\r\n")
		buf.WriteString(crlf)
	case nonASCIIShare(body) > 0.3:
		fold(buf, "Content-Type", typ+"; charset=UTF-8")
		fold(buf, "Content-Transfer-Encoding", "base64")
		buf.WriteString("\r\n")
		writeBase64(buf, []byte(crlf))
	default:
		fold(buf, "Content-Type", typ+"; charset=UTF-8")
		fold(buf, "Content-Transfer-Encoding", "quoted-printable")
		buf.WriteString("\r\n")
		w := quotedprintable.NewWriter(buf)
		w.Write([]byte(crlf))
		w.Close()
		if !bytes.HasSuffix(buf.Bytes(), []byte("\r\n")) {
			buf.WriteString("\r\n")
		}
	}
}

func writeBase64(buf *bytes.Buffer, b []byte) {
	s := base64.StdEncoding.EncodeToString(b)
	for len(s) > 76 {
		buf.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	buf.WriteString(s + "\r\n")
}

func longestLine(s string) int {
	n := 0
	for line := range strings.Lines(s) {
		n = max(n, len(strings.TrimRight(line, "\r\n")))
	}
	return n
}

func nonASCIIShare(s string) float64 {
	var n, all int
	for _, r := range s {
		all++
		if r >= 0x80 {
			n++
		}
	}
	if all == 0 {
		return 0
	}
	return float64(n) / float64(all)
}

// boundaryFor derives the MIME boundary from the Message-ID, so a re-sent
// row is byte-identical and golden files are stable.
func boundaryFor(messageID string) string {
	sum := sha256.Sum256([]byte(messageID))
	return "akinai-" + hex.EncodeToString(sum[:12])
}

func invalid(key string, cause error) error {
	return &shop.Error{Kind: shop.Invalid, Key: key, Cause: cause}
}
