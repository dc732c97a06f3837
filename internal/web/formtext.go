package web

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/akinai/akinai/internal/shop"
)

// Every form field is text, checked here once for every form: the
// middleware runs checkForm on each parsed body, before any handler sees
// it. A value must be valid UTF-8 without control characters (line breaks
// and tabs only in the multi-line fields a form names); a good value is
// normalised in place (NFC, CR LF → LF), a bad one is emptied, so no
// handler can store it. Handlers registered with Form show the problem
// next to the field (FieldErrors); a request with a bad field to any other
// handler is refused with a 422 page that names the fields, and nothing
// runs. A GET's query string is left to its handler: a GET stores
// nothing, and the search, say, ignores control characters on purpose.

// Message keys (locales/forms.json) for a field that is not text.
const (
	FieldNotText   = "forms.not_text"   // invalid UTF-8: Shift_JIS or other raw bytes
	FieldControl   = "forms.control"    // NUL, ESC, DEL, C1 and other control characters
	FieldLineBreak = "forms.line_break" // a line break in a one-line field
)

// formHandler is a handler that shows FieldErrors by its fields.
type formHandler struct {
	http.Handler
	multiline map[string]bool
}

// Form marks h as a form whose pages show FieldErrors next to the fields;
// multiline names the fields that may hold line breaks and tabs (a
// textarea). Register it on the router given to Middleware (Config.Router).
func Form(h http.Handler, multiline ...string) http.Handler {
	m := make(map[string]bool, len(multiline))
	for _, f := range multiline {
		m[f] = true
	}
	return &formHandler{Handler: h, multiline: m}
}

// FieldErrors adds to errs (made when nil) the fields of r that were not
// text, for a form registered with Form (field → message key), over any
// other error of the same field: such a field was emptied, and a
// "required" would mislead. It returns errs, never nil.
func FieldErrors(r *http.Request, errs map[string]string) map[string]string {
	if errs == nil {
		errs = map[string]string{}
	}
	for k, v := range Info(r).fieldErrors {
		errs[k] = v
	}
	return errs
}

// FormStatus is 422 when errs holds anything, else 200.
func FormStatus(errs map[string]string) int {
	if len(errs) > 0 {
		return http.StatusUnprocessableEntity
	}
	return http.StatusOK
}

// verbatimField reports the fields kept byte for byte: the phishing
// checker's pasted mail source, whose escape sequences and unnormalised
// characters are the evidence it judges (it is parsed, never shown raw).
func verbatimField(name string) bool { return name == "raw" }

// secretField reports the password fields: checked, but not normalised,
// so a password set before normalisation still matches its hash.
func secretField(name string) bool {
	return strings.Contains(name, "password") || name == "current"
}

// textProblem returns the message key for a value that is not acceptable
// text, or "".
func textProblem(v string, multiline bool) string {
	if !utf8.ValidString(v) {
		return FieldNotText
	}
	for _, c := range v {
		switch {
		case c == '\n' || c == '\r':
			if !multiline {
				return FieldLineBreak
			}
		case c == '\t' && multiline:
		case unicode.IsControl(c): // C0, DEL and C1
			return FieldControl
		}
	}
	return ""
}

// Text applies the form check to a one-line value a handler reads from
// elsewhere than a form (a JSON body): it returns the value normalised, or
// the message key of its problem (FieldNotText, FieldControl,
// FieldLineBreak) and "".
func Text(v string) (string, string) {
	if p := textProblem(v, false); p != "" {
		return "", p
	}
	return normalise(v), ""
}

// normalise returns v in NFC with CR LF (what browsers send for a line
// break in a text area) as LF. A bare CR is left for the handler to judge:
// in a mail template it is a header injection, not a line break.
func normalise(v string) string {
	if strings.Contains(v, "\r\n") {
		v = strings.ReplaceAll(v, "\r\n", "\n")
	}
	if norm.NFC.IsNormalString(v) {
		return v
	}
	return norm.NFC.String(v)
}

// checkForm checks and normalises every parsed field of r (body, query
// and multipart values) and returns the bad ones (field → message key).
// multiline reports a form's multi-line fields; nil allows line breaks and
// tabs in every field (forms not registered with Form).
func checkForm(r *http.Request, multiline map[string]bool) map[string]string {
	var bad map[string]string
	clean := func(vals url.Values) {
		for k, vs := range vals {
			if verbatimField(k) {
				continue
			}
			for i, v := range vs {
				if p := textProblem(v, multiline == nil || multiline[k]); p != "" {
					if bad == nil {
						bad = map[string]string{}
					}
					if _, seen := bad[k]; !seen {
						bad[k] = p
					}
					vs[i] = ""
				} else if !secretField(k) {
					vs[i] = normalise(v)
				}
			}
		}
	}
	clean(r.PostForm)
	clean(r.Form)
	if r.MultipartForm != nil {
		clean(r.MultipartForm.Value)
	}
	return bad
}

// formOf returns the Form registration of the handler router has for r.
func formOf(router *http.ServeMux, r *http.Request) *formHandler {
	if router == nil {
		return nil
	}
	h, _ := router.Handler(r)
	f, _ := h.(*formHandler)
	return f
}

// refuseFields is the answer to bad fields a handler cannot show: 422,
// naming them, and nothing stored.
func refuseFields(errs *Renderer, w http.ResponseWriter, r *http.Request, bad map[string]string) {
	names := make([]string, 0, len(bad))
	for k := range bad {
		if !utf8.ValidString(k) || strings.IndexFunc(k, unicode.IsControl) >= 0 || len(k) > 40 {
			k = "?"
		}
		names = append(names, k)
	}
	sort.Strings(names)
	if len(names) > 5 {
		names = append(names[:5], "…")
	}
	errs.Error(w, r, &shop.Error{Kind: shop.Invalid, Key: "forms.refused", Args: []any{strings.Join(names, ", ")}})
}
