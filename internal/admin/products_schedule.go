package admin

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/catalog"
)

// dateTimeLocal is the value format of <input type="datetime-local">.
const dateTimeLocal = "2006-01-02T15:04"

// scheduleText is the product form's date fields as typed (JST).
type scheduleText struct {
	PublishFrom, PublishUntil, SaleFrom, SaleUntil string
}

// formatJST shows a stored time in the form's JST format, "" for nil.
func formatJST(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(jst).Format(dateTimeLocal)
}

// parseJST reads a datetime-local value (also "2026-12-24 10:00" and
// "2026/12/24 10:00") as JST; "" is nil.
func parseJST(s string) (*time.Time, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "/", "-"))
	if s == "" {
		return nil, true
	}
	for _, layout := range []string{dateTimeLocal, "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, jst); err == nil {
			u := t.UTC()
			return &u, true
		}
	}
	return nil, false
}

// parseSchedule reads the publishing and sale periods into p.
func parseSchedule(r *http.Request, p *catalog.Edit, fields map[string]string) scheduleText {
	st := scheduleText{PublishFrom: r.PostFormValue("publish_from"), PublishUntil: r.PostFormValue("publish_until"),
		SaleFrom: r.PostFormValue("sale_from"), SaleUntil: r.PostFormValue("sale_until")}
	for _, f := range []struct {
		name string
		text string
		dst  **time.Time
	}{{"publish_from", st.PublishFrom, &p.PublishFrom}, {"publish_until", st.PublishUntil, &p.PublishUntil},
		{"sale_from", st.SaleFrom, &p.SaleFrom}, {"sale_until", st.SaleUntil, &p.SaleUntil}} {
		t, ok := parseJST(f.text)
		if !ok {
			fields[f.name] = "catalog13.error.datetime"
		}
		*f.dst = t
	}
	return st
}

func scheduleOf(p *catalog.Edit) scheduleText {
	return scheduleText{PublishFrom: formatJST(p.PublishFrom), PublishUntil: formatJST(p.PublishUntil),
		SaleFrom: formatJST(p.SaleFrom), SaleUntil: formatJST(p.SaleUntil)}
}

// parseRelated reads the related products, typed as slugs or IDs
// separated by spaces, commas or lines, and resolves them.
func (c *Catalog) parseRelated(ctx context.Context, text string, p *catalog.Edit, fields map[string]string) error {
	refs := strings.FieldsFunc(text, func(r rune) bool {
		return r == ',' || r == '、' || r == ' ' || r == '\n' || r == '\r' || r == '\t' || r == '　'
	})
	ids, unknown, err := c.store.ResolveProducts(ctx, refs)
	if err != nil {
		return err
	}
	p.RelatedIDs = ids
	if len(unknown) > 0 {
		fields["related"] = "catalog13.error.related_unknown"
	}
	return nil
}

// applyClasses makes axis n from its chosen class master when the choice
// changed (or the axis is still empty): the master's name and all its
// values. An axis whose class is kept keeps the values as typed (the
// admin may have removed some).
func (c *Catalog) applyClasses(ctx context.Context, r *http.Request, p *catalog.Edit, pf *productForm) (changed bool, err error) {
	var axes [catalog.MaxAxes]catalog.EditAxis
	copy(axes[:], p.Axes)
	n := len(p.Axes)
	for i := range catalog.MaxAxes {
		k := fmt.Sprintf("axis%d_", i+1)
		id, _ := strconv.ParseInt(r.PostFormValue(k+"class"), 10, 64)
		was, _ := strconv.ParseInt(r.PostFormValue(k+"class_was"), 10, 64)
		if id == 0 {
			axes[i].ClassID = 0
			continue
		}
		cl, err := c.store.Class(ctx, id)
		if err != nil {
			pf.Fields[k+"name"] = "catalog13.error.class_unknown"
			continue
		}
		if id != was || len(axes[i].Values) == 0 {
			axes[i] = cl.Axis()
			pf.AxisText[i] = axisTextOf(axes[i])
			changed = true
		}
		axes[i].ClassID = id
		n = max(n, i+1)
	}
	p.Axes = nil
	for i := range n {
		if axes[i].NameJA != "" || len(axes[i].Values) > 0 {
			p.Axes = append(p.Axes, axes[i])
		}
	}
	return changed, nil
}

// pendingKey is the form of an uploaded image's key (media.Process).
var pendingKey = regexp.MustCompile(`^p/[0-9a-f]{32}\.[a-z]{3,4}$`)

// pendingImage is an image uploaded with a product form that has not
// been saved yet: stored in the media store, attached on the save. The
// form carries it as "key|width|height" so a refused save keeps it.
type pendingImage struct {
	Key           string
	Width, Height int
}

func (pi pendingImage) Value() string { return fmt.Sprintf("%s|%d|%d", pi.Key, pi.Width, pi.Height) }

// readPending reads the form's pending images, in order; keys that are
// not upload keys are ignored.
func readPending(r *http.Request) []pendingImage {
	var out []pendingImage
	for _, v := range r.PostForm["pending_image"] {
		parts := strings.Split(v, "|")
		if len(parts) != 3 || !pendingKey.MatchString(parts[0]) {
			continue
		}
		w, _ := strconv.Atoi(parts[1])
		h, _ := strconv.Atoi(parts[2])
		out = append(out, pendingImage{Key: parts[0], Width: w, Height: h})
	}
	return out
}

// uploadPending stores the form's new files ("images", in the order
// sent) and returns them after the pending ones, or the message key of
// the first file refused.
func (c *Catalog) uploadPending(r *http.Request, pending []pendingImage) ([]pendingImage, string, error) {
	if r.MultipartForm == nil {
		return pending, "", nil
	}
	imgs, bad, err := c.readImages(r, r.MultipartForm.File["images"], false)
	if err != nil || bad != "" {
		return pending, bad, err
	}
	for _, img := range imgs {
		if err := c.media.Put(r.Context(), img.Key, img.ContentType, img.Data); err != nil {
			return pending, "", err
		}
		pending = append(pending, pendingImage{Key: img.Key, Width: img.Width, Height: img.Height})
	}
	return pending, "", nil
}
