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
	images  int      // image parts that really are images
	// unreadable names attachments whose content is not what their type
	// or name says and could not be read ("invoice.html: binary data").
	unreadable []string
	// disguised names attachments that are something more dangerous than
	// their type or name says (an "image" that is HTML or a program).
	disguised []string
	size      int // decoded text bytes kept so far
	parts     int
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
	case strings.HasPrefix(mediaType, "image/") || imageName(name):
		c.image(name, mediaType, decodeTransfer(body, h.get("Content-Transfer-Encoding"), &c.partial), params["charset"])
	case isHTMLName(name) || (mediaType == "text/html" && disposition == "attachment"):
		// An HTML attachment (often sent as octet-stream) is a classic way to
		// ship a login form past filters; one that is not HTML at all is
		// reported rather than searched as garbage.
		data := decodeTransfer(body, h.get("Content-Transfer-Encoding"), &c.partial)
		if k := sniff(data); k != "text" && k != "html" {
			c.unreadable = append(c.unreadable, label(name, mediaType)+": "+k)
			return
		}
		c.addText("text/html", data, params["charset"], "")
	case mediaType == "text/html" || mediaType == "text/plain" || mediaType == "":
		if disposition == "attachment" && mediaType != "text/html" {
			return
		}
		c.addText(mediaType, body, params["charset"], h.get("Content-Transfer-Encoding"))
	}
}

// image checks that an image part is an image. An "image" that is HTML is
// searched as HTML and reported; one that is a program is reported; one
// that is nothing readable is listed as unreadable.
func (c *content) image(name, mediaType string, data []byte, charset string) {
	switch k := sniff(data); k {
	case "png", "jpeg", "gif", "webp", "bmp", "svg":
		c.images++
	case "html":
		c.disguised = append(c.disguised, label(name, mediaType)+": HTML")
		c.addText("text/html", data, charset, "")
	case "program", "archive", "pdf":
		c.disguised = append(c.disguised, label(name, mediaType)+": "+k)
	default:
		c.unreadable = append(c.unreadable, label(name, mediaType)+": "+k)
	}
}

func label(name, mediaType string) string {
	if name != "" {
		return truncate(name, 80)
	}
	return firstNonEmpty(mediaType, "(unnamed)")
}

func imageName(name string) bool {
	n := strings.ToLower(name)
	for _, ext := range []string{".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp"} {
		if strings.HasSuffix(n, ext) {
			return true
		}
	}
	return false
}

func isHTMLName(name string) bool {
	n := strings.ToLower(name)
	return strings.HasSuffix(n, ".html") || strings.HasSuffix(n, ".htm") || strings.HasSuffix(n, ".shtml")
}

// sniff names what data is by its first bytes: an image format, "html",
// "text", "program", "archive", "pdf", "empty" or "binary data".
func sniff(data []byte) string {
	head := data[:min(len(data), 512)]
	switch {
	case len(data) == 0:
		return "empty"
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.HasPrefix(head, []byte{0xff, 0xd8, 0xff}):
		return "jpeg"
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return "gif"
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return "webp"
	case bytes.HasPrefix(head, []byte("BM")) && len(data) > 26:
		return "bmp"
	case bytes.HasPrefix(head, []byte("MZ")), bytes.HasPrefix(head, []byte("\x7fELF")):
		return "program"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("Rar!")), bytes.HasPrefix(head, []byte("7z\xbc\xaf")):
		return "archive"
	case bytes.HasPrefix(head, []byte("%PDF")):
		return "pdf"
	}
	lower := bytes.ToLower(head)
	if bytes.Contains(lower, []byte("<svg")) {
		return "svg"
	}
	control := 0
	for _, ch := range head {
		if ch < 0x09 || (ch > 0x0d && ch < 0x20 && ch != 0x1b) {
			control++
		}
	}
	if control*10 > len(head) {
		return "binary data"
	}
	for _, tag := range []string{"<html", "<!doctype", "<form", "<body", "<a ", "<div", "<p>", "<table", "<script", "<meta", "<head", "<input"} {
		if bytes.Contains(lower, []byte(tag)) {
			return "html"
		}
	}
	return "text"
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
	// Cut before decoding: a decoder never makes text shorter than a
	// quarter of its input, and what is cut is never searched anyway.
	if room := max(maxTextBytes-c.size, 0); len(raw) > room {
		c.partial = true
		raw = raw[:room]
	}
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
