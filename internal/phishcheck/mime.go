package phishcheck

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"strings"
)

// content is what the MIME walk extracts from a mail.
type content struct {
	plain   []string // decoded text/plain parts
	html    []string // decoded text/html parts (including .html attachments)
	files   []string // attachment file names
	partial bool     // something could not be parsed or a limit was hit
	size    int      // decoded text bytes kept so far
	parts   int
}

// walk reads one entity (header h, body) and descends into multiparts and
// attached messages up to maxMIMEDepth.
func (c *content) walk(h header, body []byte, depth int) {
	c.parts++
	if depth > maxMIMEDepth || c.parts > maxParts {
		c.partial = true
		return
	}
	mediaType, params := contentType(h.get("Content-Type"))
	disposition, dparams := contentType(h.get("Content-Disposition"))
	name := decodeHeader(firstNonEmpty(dparams["filename"], params["name"]))
	if name != "" {
		c.files = append(c.files, normalize(name))
	}
	switch {
	case strings.HasPrefix(mediaType, "multipart/"):
		boundary := params["boundary"]
		if boundary == "" {
			c.partial = true
			c.addText("text/plain", body, "", "7bit")
			return
		}
		c.walkMultipart(body, boundary, depth)
	case mediaType == "message/rfc822" || mediaType == "message/global":
		inner, innerBody, ok := splitMessage(decodeTransfer(body, h.get("Content-Transfer-Encoding"), &c.partial))
		c.partial = c.partial || !ok
		c.walk(inner, innerBody, depth+1)
	case mediaType == "text/html" || mediaType == "text/plain" || mediaType == "":
		if disposition == "attachment" && mediaType != "text/html" && !strings.HasSuffix(strings.ToLower(name), ".html") {
			return
		}
		c.addText(mediaType, body, params["charset"], h.get("Content-Transfer-Encoding"))
	case strings.HasSuffix(strings.ToLower(name), ".html") || strings.HasSuffix(strings.ToLower(name), ".htm"):
		// An HTML attachment sent as octet-stream is a classic way to ship a
		// login form past filters.
		c.addText("text/html", body, params["charset"], h.get("Content-Transfer-Encoding"))
	}
}

func (c *content) walkMultipart(body []byte, boundary string, depth int) {
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	seen := false
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			c.partial = true
			if !seen {
				// No part could be read: search the raw body rather than nothing.
				c.addText("text/plain", body, "", "7bit")
			}
			return
		}
		seen = true
		var ph header
		for k, vs := range p.Header {
			for _, v := range vs {
				ph = append(ph, field{Name: k, Value: v})
			}
		}
		pb, err := io.ReadAll(io.LimitReader(p, MaxMessageSize))
		if err != nil {
			c.partial = true
		}
		c.walk(ph, pb, depth+1)
		if err != nil {
			return
		}
	}
}

// addText decodes a text part and keeps it, up to maxTextBytes in all.
func (c *content) addText(mediaType string, body []byte, charset, cte string) {
	raw := decodeTransfer(body, cte, &c.partial)
	text, _ := decodeCharset(raw, charset)
	if room := maxTextBytes - c.size; len(text) > room {
		c.partial = true
		text = text[:max(room, 0)]
	}
	c.size += len(text)
	if mediaType == "text/html" || (mediaType == "" && looksHTML(text)) {
		c.html = append(c.html, text)
	} else {
		c.plain = append(c.plain, text)
	}
}

func looksHTML(s string) bool {
	head := strings.ToLower(s[:min(len(s), 2048)])
	return strings.Contains(head, "<html") || strings.Contains(head, "<a href")
}

// decodeTransfer undoes base64 or quoted-printable, keeping what decodes
// before an error and marking partial.
func decodeTransfer(body []byte, cte string, partial *bool) []byte {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		clean := bytes.Map(func(r rune) rune {
			if r == '\r' || r == '\n' || r == ' ' || r == '\t' {
				return -1
			}
			return r
		}, body)
		clean = bytes.TrimRight(clean, "=")
		out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
		n, err := base64.RawStdEncoding.Decode(out, clean)
		if err != nil {
			*partial = true
		}
		return out[:n]
	case "quoted-printable":
		out, err := readAllLenient(quotedprintable.NewReader(bytes.NewReader(body)))
		if err != nil {
			*partial = true
		}
		return out
	}
	return body
}

// contentType parses a Content-Type or Content-Disposition value leniently:
// mime.ParseMediaType first, then a plain split on ';' for values it refuses
// (duplicate or unquoted parameters are common in spam).
func contentType(v string) (string, map[string]string) {
	if v == "" {
		return "", map[string]string{}
	}
	mt, params, err := mime.ParseMediaType(v)
	if err == nil {
		return strings.ToLower(mt), params
	}
	params = map[string]string{}
	parts := strings.Split(v, ";")
	for _, p := range parts[1:] {
		k, val, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		if _, dup := params[k]; !dup {
			params[k] = strings.Trim(strings.TrimSpace(val), `"`)
		}
	}
	return strings.ToLower(strings.TrimSpace(parts[0])), params
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
