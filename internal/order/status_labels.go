package order

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/shop"
)

// StatusLabel is how a status is shown: its name in each language and
// the colour of its badge (white text on Colour, "#rrggbb"). The operator
// edits them (受注対応状況設定); the statuses and the moves between them
// stay in code.
type StatusLabel struct {
	Status Status
	NameJA string
	NameEN string
	Colour string
}

// Name is the label's name in lang.
func (l StatusLabel) Name(lang i18n.Lang) string {
	if lang == i18n.English {
		return l.NameEN
	}
	return l.NameJA
}

// MaxStatusName is the longest status name, in characters: a badge in a
// list column, not a sentence.
const MaxStatusName = 20

// MinStatusContrast is the contrast a badge's white text needs against
// its colour: WCAG 2.2 success criterion 1.4.3 (Contrast, minimum) for
// normal text, 4.5:1.
const MinStatusContrast = 4.5

// StatusPalette is the fixed choice of badge colours offered first; each
// has at least MinStatusContrast against white (TestStatusPalette).
var StatusPalette = []string{
	"#1d4ed8", // blue
	"#0f766e", // teal
	"#15803d", // green
	"#b45309", // amber
	"#b91c1c", // red
	"#be185d", // pink
	"#7e22ce", // purple
	"#4b5563", // grey
	"#1f2937", // charcoal
}

// defaultColours are the colours of the statuses nobody has changed.
var defaultColours = map[Status]string{
	New: "#1d4ed8", AwaitingPayment: "#b45309", Paid: "#15803d", Preparing: "#7e22ce",
	Shipped: "#0f766e", Cancelled: "#4b5563", Returned: "#b91c1c",
}

// DefaultStatusLabel is a status's built-in name (the catalogue's
// "order.status.<status>") and colour.
func DefaultStatusLabel(s Status) StatusLabel {
	return StatusLabel{Status: s, NameJA: i18n.T(i18n.Japanese, "order.status."+string(s)),
		NameEN: i18n.T(i18n.English, "order.status."+string(s)), Colour: defaultColours[s]}
}

// Contrast is the WCAG contrast ratio of two "#rrggbb" colours, or 0 when
// either is not such a colour.
func Contrast(a, b string) float64 {
	la, ok1 := luminance(a)
	lb, ok2 := luminance(b)
	if !ok1 || !ok2 {
		return 0
	}
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// luminance is the WCAG relative luminance of "#rrggbb".
func luminance(hex string) (float64, bool) {
	if len(hex) != 7 || hex[0] != '#' {
		return 0, false
	}
	v, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil {
		return 0, false
	}
	ch := func(c uint64) float64 {
		s := float64(c) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(v>>16&0xff) + 0.7152*ch(v>>8&0xff) + 0.0722*ch(v&0xff), true
}

// normalise trims the names and lower-cases the colour, and checks the
// label. Errors: Invalid with fields name_ja_<status>, name_en_<status>,
// colour_<status>.
func (l *StatusLabel) normalise(fields map[string]string) {
	s := string(l.Status)
	l.NameJA, l.NameEN = strings.TrimSpace(l.NameJA), strings.TrimSpace(l.NameEN)
	l.Colour = strings.ToLower(strings.TrimSpace(l.Colour))
	for field, name := range map[string]string{"name_ja_" + s: l.NameJA, "name_en_" + s: l.NameEN} {
		switch {
		case name == "":
			fields[field] = "order.status_labels.name_required"
		case utf8.RuneCountInString(name) > MaxStatusName:
			fields[field] = "order.status_labels.name_too_long"
		case strings.ContainsFunc(name, unicode.IsControl):
			fields[field] = "order.status_labels.name_bad"
		}
	}
	if _, ok := luminance(l.Colour); !ok {
		fields["colour_"+s] = "order.status_labels.colour_bad"
	} else if Contrast(l.Colour, "#ffffff") < MinStatusContrast {
		fields["colour_"+s] = "order.status_labels.colour_contrast"
	}
}

// SaveStatusLabels stores the labels of the statuses in ls, all or
// nothing, and returns what each changed one was before. Errors: Invalid
// (per field, as normalise says; "form" for an unknown status).
func SaveStatusLabels(ctx context.Context, tx *db.Tx, ls []StatusLabel, by string) (map[Status][2]StatusLabel, error) {
	fields := map[string]string{}
	for i := range ls {
		if !ls[i].Status.Valid() {
			return nil, shop.Invalidf(map[string]string{"form": "order.status_labels.unknown"})
		}
		ls[i].normalise(fields)
	}
	if len(fields) > 0 {
		return nil, shop.Invalidf(fields)
	}
	before, err := loadStatusLabels(ctx, tx)
	if err != nil {
		return nil, err
	}
	changed := map[Status][2]StatusLabel{}
	for _, l := range ls {
		if before[l.Status] == l {
			continue
		}
		changed[l.Status] = [2]StatusLabel{before[l.Status], l}
		_, err := tx.Exec(ctx, `INSERT INTO order_status_labels (status, name_ja, name_en, colour, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (status) DO UPDATE SET name_ja = excluded.name_ja, name_en = excluded.name_en, colour = excluded.colour,
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			string(l.Status), l.NameJA, l.NameEN, l.Colour, by, tx.Now())
		if err != nil {
			return nil, err
		}
	}
	return changed, nil
}

// ResetStatusLabels puts every status back to its built-in name and
// colour and reports whether anything had been changed.
func ResetStatusLabels(ctx context.Context, tx *db.Tx) (bool, error) {
	res, err := tx.Exec(ctx, `DELETE FROM order_status_labels`)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// loadStatusLabels returns every status's label: the operator's where
// there is one, else the built-in one.
func loadStatusLabels(ctx context.Context, q db.Queryer) (map[Status]StatusLabel, error) {
	out := make(map[Status]StatusLabel, len(ListStatuses))
	for _, s := range ListStatuses {
		out[s] = DefaultStatusLabel(s)
	}
	rows, err := q.Query(ctx, `SELECT status, name_ja, name_en, colour FROM order_status_labels`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var l StatusLabel
		if err := rows.Scan(&l.Status, &l.NameJA, &l.NameEN, &l.Colour); err != nil {
			return nil, err
		}
		if l.Status.Valid() {
			out[l.Status] = l
		}
	}
	return out, rows.Err()
}

// StatusLabels serves the operator's status names and colours to every
// page that shows a status (through web.Renderer.Statuses) and the
// stylesheet with the badge colours. It keeps them in memory for TTL so a
// list of fifty orders reads the table at most once; a save on this
// instance is seen at once (Invalidate), on another within TTL.
type StatusLabels struct {
	DB  *db.DB
	TTL time.Duration // 0: 3 seconds

	mu     sync.Mutex
	cur    *statusSet
	expiry time.Time
}

type statusSet struct {
	labels  map[Status]StatusLabel
	css     []byte
	version string
}

// Invalidate drops the cached labels.
func (s *StatusLabels) Invalidate() {
	s.mu.Lock()
	s.cur = nil
	s.mu.Unlock()
}

// set returns the current labels; when the table cannot be read it
// returns the built-in ones rather than fail the page (the error is the
// next request's to find again).
func (s *StatusLabels) set(ctx context.Context) *statusSet {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur != nil && time.Now().Before(s.expiry) {
		return s.cur
	}
	ls, err := loadStatusLabels(ctx, s.DB)
	if err != nil {
		ls = make(map[Status]StatusLabel)
		for _, st := range ListStatuses {
			ls[st] = DefaultStatusLabel(st)
		}
	}
	var css strings.Builder
	// Scoped to span.status so that other pages' status cells (inquiries, DKIM checks) keep their looks.
	css.WriteString("span.status{display:inline-block;padding:.1em .55em;border-radius:.3em;color:#fff;background:#4b5563;font-size:.875em;line-height:1.5;white-space:nowrap}\n")
	for _, st := range ListStatuses {
		fmt.Fprintf(&css, "span.status.status-%s{background:%s}\n", st, ls[st].Colour)
	}
	sum := sha256.Sum256([]byte(css.String()))
	set := &statusSet{labels: ls, css: []byte(css.String()), version: hex.EncodeToString(sum[:6])}
	ttl := s.TTL
	if ttl == 0 {
		ttl = 3 * time.Second
	}
	if err == nil {
		s.cur, s.expiry = set, time.Now().Add(ttl)
	}
	return set
}

// Labels returns every status's label in list order.
func (s *StatusLabels) Labels(ctx context.Context) []StatusLabel {
	set := s.set(ctx)
	out := make([]StatusLabel, 0, len(ListStatuses))
	for _, st := range ListStatuses {
		out = append(out, set.labels[st])
	}
	return out
}

// StatusName is status's name in lang; an unknown status is shown as the
// catalogue has it.
func (s *StatusLabels) StatusName(lang i18n.Lang, status string) string {
	if l, ok := s.set(context.Background()).labels[Status(status)]; ok {
		return l.Name(lang)
	}
	return i18n.T(lang, "order.status."+status)
}

// StatusCSS is the stylesheet's URL, versioned by its content so it can
// be cached for good.
func (s *StatusLabels) StatusCSS() string {
	return StatusCSSPath + "?v=" + s.set(context.Background()).version
}

// StatusCSSPath is where ServeCSS is mounted.
const StatusCSSPath = "/order-status.css"

// ServeCSS serves the badge colours (.status-<status>). A request for
// the current version is cacheable for a year; any other is revalidated.
func (s *StatusLabels) ServeCSS(w http.ResponseWriter, r *http.Request) {
	set := s.set(r.Context())
	etag := `"` + set.version + `"`
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("ETag", etag)
	if r.URL.Query().Get("v") == set.version {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(set.css)
}
