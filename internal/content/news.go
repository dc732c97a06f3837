package content

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// News is an item for the top page, the news page and the feed. Bodies
// are in the pages' safe markup.
type News struct {
	ID               int64
	TitleJA, TitleEN string
	BodyJA, BodyEN   string
	URL              string // optional link: https://… or /path
	PublishedAt      time.Time
	Visible          bool
	UpdatedAt        time.Time
}

// Title returns the title in lang, falling back to Japanese.
func (n *News) Title(en bool) string { return pick(en, n.TitleJA, n.TitleEN) }

// Body returns the body in lang, falling back to Japanese.
func (n *News) Body(en bool) string { return pick(en, n.BodyJA, n.BodyEN) }

func pick(en bool, ja, e string) string {
	if en && e != "" {
		return e
	}
	return ja
}

// NewsForm is the admin's news form as typed.
type NewsForm struct {
	TitleJA, TitleEN, BodyJA, BodyEN, URL, PublishedAt string
	Visible                                            bool
}

// DateTimeLocal is the layout of a datetime-local input, in Japan time.
const DateTimeLocal = "2006-01-02T15:04"

// Validate returns the item to save or the fields in error.
func (f NewsForm) Validate() (*News, map[string]string) {
	errs := map[string]string{}
	n := &News{TitleJA: strings.TrimSpace(f.TitleJA), TitleEN: strings.TrimSpace(f.TitleEN), BodyJA: f.BodyJA, BodyEN: f.BodyEN,
		URL: strings.TrimSpace(f.URL), Visible: f.Visible}
	for field, v := range map[string]string{"title_ja": n.TitleJA, "title_en": n.TitleEN} {
		if utf8.RuneCountInString(v) > MaxSubject {
			errs[field] = "content.err.too_long"
		} else if !SingleLine(v) {
			errs[field] = "content.err.control"
		}
	}
	if n.TitleJA == "" {
		errs["title_ja"] = "content.err.required"
	}
	for field, v := range map[string]string{"body_ja": n.BodyJA, "body_en": n.BodyEN} {
		if len(v) > MaxPage {
			errs[field] = "content.err.too_long"
		} else if !Text(strings.ReplaceAll(v, "\r\n", "\n")) {
			errs[field] = "content.err.control"
		}
	}
	if n.URL != "" && !SafeLink(n.URL) {
		errs["url"] = "content.err.url"
	}
	t, err := time.ParseInLocation(DateTimeLocal, strings.TrimSpace(f.PublishedAt), calendar.Tokyo())
	if err != nil {
		errs["published_at"] = "content.err.date"
	}
	n.PublishedAt = t.UTC()
	if len(errs) > 0 {
		return nil, errs
	}
	return n, nil
}

// MaxPage bounds a page or news body, in bytes.
const MaxPage = 64 << 10

// SafeLink accepts absolute http(s) URLs and site paths ("/pages/x"), with
// no quote, space or angle bracket that could leave an attribute.
func SafeLink(s string) bool {
	if s == "" || strings.ContainsAny(s, "\"'<> \t\r\n\\`") || !SingleLine(s) {
		return false
	}
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	switch {
	case u.Scheme == "http" || u.Scheme == "https":
		return u.Host != ""
	case u.Scheme == "" && u.Host == "" && strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//"):
		return true
	}
	return false
}

const newsCols = `id, title_ja, title_en, body_ja, body_en, url, published_at, visible, updated_at`

func scanNews(row scanner) (*News, error) {
	var n News
	err := row.Scan(&n.ID, &n.TitleJA, &n.TitleEN, &n.BodyJA, &n.BodyEN, &n.URL, &n.PublishedAt, &n.Visible, &n.UpdatedAt)
	return &n, err
}

func newsList(ctx context.Context, q db.Queryer, query string, args ...any) ([]*News, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*News
	for rows.Next() {
		n, err := scanNews(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// PublishedNews returns up to limit visible items published by now,
// newest first.
func PublishedNews(ctx context.Context, q db.Queryer, now time.Time, limit int) ([]*News, error) {
	return newsList(ctx, q, `SELECT `+newsCols+` FROM news WHERE visible = ? AND published_at <= ?
		ORDER BY published_at DESC, id DESC LIMIT ?`, true, now, limit)
}

// AllNews returns one page of every item for the admin, newest first,
// and the number of items.
func AllNews(ctx context.Context, q db.Queryer, limit, offset int) ([]*News, int, error) {
	var total int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM news`).Scan(&total); err != nil {
		return nil, 0, err
	}
	items, err := newsList(ctx, q, `SELECT `+newsCols+` FROM news ORDER BY published_at DESC, id DESC LIMIT ? OFFSET ?`, limit, offset)
	return items, total, err
}

// NewsByID returns an item, or shop.ErrNotFound.
func NewsByID(ctx context.Context, q db.Queryer, id int64) (*News, error) {
	n, err := scanNews(q.QueryRow(ctx, `SELECT `+newsCols+` FROM news WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shop.ErrNotFound
	}
	return n, err
}

// SaveNews creates n (ID 0) or updates it; it returns shop.ErrNotFound
// for an unknown ID.
func SaveNews(ctx context.Context, tx *db.Tx, n *News) error {
	now := tx.Now()
	n.UpdatedAt = now
	if n.ID == 0 {
		return tx.QueryRow(ctx, `INSERT INTO news (title_ja, title_en, body_ja, body_en, url, published_at, visible, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			n.TitleJA, n.TitleEN, n.BodyJA, n.BodyEN, n.URL, n.PublishedAt, n.Visible, now, now).Scan(&n.ID)
	}
	return notFound(db.RowsAffected(tx.Exec(ctx, `UPDATE news SET title_ja = ?, title_en = ?, body_ja = ?, body_en = ?, url = ?,
		published_at = ?, visible = ?, updated_at = ? WHERE id = ?`,
		n.TitleJA, n.TitleEN, n.BodyJA, n.BodyEN, n.URL, n.PublishedAt, n.Visible, now, n.ID)))
}

// DeleteNews removes an item; shop.ErrNotFound if there is none.
func DeleteNews(ctx context.Context, tx *db.Tx, id int64) error {
	return notFound(db.RowsAffected(tx.Exec(ctx, `DELETE FROM news WHERE id = ?`, id)))
}
