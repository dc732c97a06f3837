package maillog

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	netmail "net/mail"
	"net/textproto"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
	"golang.org/x/text/encoding/japanese"
)

type viewData struct {
	E         entry
	Headers   []header
	Text      string // the plain-text part, decoded, secrets hidden
	HTML      string // the HTML part's source, shown as text, never rendered
	Hidden    bool   // secrets were hidden
	CanResend bool
	OneTime   bool // a one-time link: never resent
	BuildErr  string
}

type header struct{ Name, Value string }

// view serves GET /mail/log/{id}: the mail as delivery builds it — its
// headers decoded (RFC 2047) and its body parts — as text. The HTML part
// is shown as source inside <pre>, escaped by the template: a mail's HTML
// never runs in the admin. Live links (token=…) and anti-phishing codes
// are hidden: whoever reads the log must not be able to use a customer's
// reset link or copy their code into a phishing mail.
func (p *Pages) view(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return shop.ErrNotFound
	}
	e, m, err := mail.Logged(r.Context(), p.DB, id)
	if err != nil {
		return err
	}
	d := &viewData{E: newEntry(web.Info(r).Lang, *e), OneTime: mail.OneTimeLink(e.Event)}
	d.CanResend = e.Status != mail.StatusPending && !d.OneTime
	from, name := "", ""
	if p.Sender != nil {
		if from, name, err = p.Sender(r.Context()); err != nil {
			return err
		}
	}
	if from == "" {
		from = "shop@invalid" // no sender set yet: the worker does not send either
	}
	msgID, date := e.MessageID, e.CreatedAt
	if msgID == "" {
		msgID = "<pending@invalid>" // fixed at the first delivery attempt
	}
	if e.SentAt != nil {
		date = *e.SentAt
	}
	raw, err := mail.Build(m, mail.Envelope{From: from, FromName: name, MessageID: msgID, Date: date.In(jst)})
	if err != nil {
		d.BuildErr = err.Error()
	} else if d.Headers, err = headersOf(raw); err != nil {
		d.BuildErr = err.Error()
	}
	for i, h := range d.Headers {
		switch {
		case h.Name == "Message-ID" && e.MessageID == "":
			d.Headers[i].Value = web.T(r, "maillog.msgid_later")
		case h.Name == "Date" && e.SentAt == nil:
			d.Headers[i].Value = web.T(r, "maillog.date_later")
		}
	}
	var hid1, hid2 bool
	d.Text, hid1 = redact(m.Text)
	d.HTML, hid2 = redact(m.HTML)
	d.Hidden = hid1 || hid2
	return p.Admin.Page(w, r, http.StatusOK, "maillog_view", "maillog.view_title", d)
}

var jst = time.FixedZone("JST", 9*60*60)

// headersOf returns the header fields of a built message in order, their
// encoded words decoded.
func headersOf(raw []byte) ([]header, error) {
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	dec := &mime.WordDecoder{CharsetReader: charsetReader}
	var out []header
	// ReadMessage's map loses the order; read the names from the raw head.
	head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	seen := map[string]bool{}
	for _, line := range strings.Split(string(head), "\r\n") {
		name, _, ok := strings.Cut(line, ":")
		if !ok || line == "" || line[0] == ' ' || line[0] == '\t' || seen[name] {
			continue
		}
		seen[name] = true
		for _, v := range msg.Header[textproto.CanonicalMIMEHeaderKey(name)] {
			if s, err := dec.DecodeHeader(v); err == nil {
				v = s
			}
			out = append(out, header{Name: name, Value: v})
		}
	}
	return out, nil
}

// charsetReader decodes the charsets Build writes besides UTF-8.
func charsetReader(charset string, in io.Reader) (io.Reader, error) {
	if strings.EqualFold(charset, "iso-2022-jp") {
		return japanese.ISO2022JP.NewDecoder().Reader(in), nil
	}
	return nil, fmt.Errorf("maillog: charset %s", charset)
}

var tokenRE = regexp.MustCompile(`([?&](?:token|code|key)=)[^&\s"'<>]+`)

// codePrefixes start the lines that carry an anti-phishing code: the
// customers' (mail.code_line) and the admins' (admin alert templates).
var codePrefixes = func() []string {
	var out []string
	for _, l := range i18n.Langs {
		pre, _, _ := strings.Cut(i18n.T(l, "mail.code_line", "\x00"), "\x00")
		out = append(out, pre)
	}
	return append(out, "フィッシング対策コード: ", "Anti-phishing code: ")
}()

// redact hides live link tokens and anti-phishing codes in a body, and
// reports whether it hid anything.
func redact(body string) (string, bool) {
	out := tokenRE.ReplaceAllString(body, "${1}•••")
	lines := strings.Split(out, "\n")
	for i, ln := range lines {
		for _, pre := range codePrefixes {
			if rest, ok := strings.CutPrefix(ln, pre); ok && rest != "" {
				lines[i] = pre + "•••"
			}
		}
	}
	out = strings.Join(lines, "\n")
	return out, out != body
}
