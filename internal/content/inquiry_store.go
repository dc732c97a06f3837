package content

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
)

const inquiryCols = `i.id, i.lang, i.name, i.kana, i.email, i.phone, i.category, i.message, i.status,
	COALESCE(i.assignee_id, 0), COALESCE(a.name, ''), i.address, i.created_at, i.updated_at`

const inquiryFrom = ` FROM inquiries i LEFT JOIN admins a ON a.id = i.assignee_id`

type scanner interface{ Scan(...any) error }

func scanInquiry(row scanner, extra ...any) (*Inquiry, error) {
	var q Inquiry
	dest := append([]any{&q.ID, &q.Lang, &q.Name, &q.Kana, &q.Email, &q.Phone, &q.Category, &q.Message, &q.Status,
		&q.AssigneeID, &q.Assignee, &q.Address, &q.CreatedAt, &q.UpdatedAt}, extra...)
	return &q, row.Scan(dest...)
}

// mailView is what the inquiry mails show.
type mailView struct {
	Q        *Inquiry
	Category string
	ShopName string
	Subject  string // replies
	Body     string // replies
}

// CreateInquiry stores in and, in the same transaction, writes the
// acknowledgement to the customer and the notification to the shop's
// address (if set) to the outbox: an inquiry is never lost nor half sent.
func CreateInquiry(ctx context.Context, tx *db.Tx, sh settings.Shop, in *Inquiry) error {
	now := tx.Now()
	err := tx.QueryRow(ctx, `INSERT INTO inquiries (lang, name, kana, email, phone, category, message, status, address, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		in.Lang, in.Name, in.Kana, in.Email, in.Phone, in.Category, in.Message, StatusNew, in.Address, now, now).Scan(&in.ID)
	if err != nil {
		return err
	}
	in.Status, in.CreatedAt, in.UpdatedAt = StatusNew, now, now
	lang := langOf(in.Lang)
	ack, err := mail.Compose(ctx, tx, "inquiry_ack", string(lang), in.Email, mailView{Q: in, Category: categoryLabel(lang, in.Category), ShopName: sh.DisplayName(lang)})
	if err != nil {
		return err
	}
	if _, err := mail.Enqueue(ctx, tx, ack); err != nil {
		return err
	}
	if sh.Email == "" {
		return nil
	}
	n, err := mail.Compose(ctx, tx, "inquiry_notice", "ja", sh.Email, mailView{Q: in, Category: categoryLabel("ja", in.Category), ShopName: sh.DisplayName("ja")})
	if err != nil {
		return err
	}
	_, err = mail.Enqueue(ctx, tx, n)
	return err
}

// InquiryQuery selects inquiries for the admin list.
type InquiryQuery struct {
	Text   string // name, kana, email, phone or message contains
	Status string // "" for all
	Page   int    // from 1
	Limit  int
}

// Inquiries returns one page of inquiries, newest first, and the total.
func Inquiries(ctx context.Context, q db.Queryer, f InquiryQuery) ([]*Inquiry, int, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.Status != "" {
		where, args = append(where, "i.status = ?"), append(args, f.Status)
	}
	if t := strings.TrimSpace(f.Text); t != "" {
		like := "%" + db.LikeEscape(t) + "%"
		where = append(where, `(i.name LIKE ? ESCAPE '\' OR i.kana LIKE ? ESCAPE '\' OR i.email LIKE ? ESCAPE '\' OR i.phone LIKE ? ESCAPE '\' OR i.message LIKE ? ESCAPE '\')`)
		args = append(args, like, like, like, like, like)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	if f.Page < 1 {
		f.Page = 1
	}
	args = append(args, f.Limit, (f.Page-1)*f.Limit)
	rows, err := q.Query(ctx, `SELECT `+inquiryCols+`, COUNT(*) OVER()`+inquiryFrom+`
		WHERE `+strings.Join(where, " AND ")+` ORDER BY i.created_at DESC, i.id DESC LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*Inquiry
	total := 0
	for rows.Next() {
		in, err := scanInquiry(rows, &total)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, in)
	}
	return out, total, rows.Err()
}

// InquiryByID returns an inquiry, or shop.ErrNotFound.
func InquiryByID(ctx context.Context, q db.Queryer, id int64) (*Inquiry, error) {
	in, err := scanInquiry(q.QueryRow(ctx, `SELECT `+inquiryCols+inquiryFrom+` WHERE i.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shop.ErrNotFound
	}
	return in, err
}

// Thread returns an inquiry's notes and replies, oldest first.
func Thread(ctx context.Context, q db.Queryer, id int64) ([]Message, error) {
	rows, err := q.Query(ctx, `SELECT id, kind, author, subject, body, created_at FROM inquiry_messages
		WHERE inquiry_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Message
	for rows.Next() {
		var m Message
		if err := rows.Scan(&m.ID, &m.Kind, &m.Author, &m.Subject, &m.Body, &m.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// UpdateInquiry sets the status and the assignee (0: nobody). It returns
// an Invalid error for an unknown status and shop.ErrNotFound for an
// unknown inquiry.
func UpdateInquiry(ctx context.Context, tx *db.Tx, id int64, status string, assignee int64) error {
	if !validStatus(status) {
		return shop.Invalidf(map[string]string{"status": "content.err.status"})
	}
	var a any
	if assignee > 0 {
		a = assignee
	}
	return notFound(db.RowsAffected(tx.Exec(ctx, `UPDATE inquiries SET status = ?, assignee_id = ?, updated_at = ? WHERE id = ?`, status, a, tx.Now(), id)))
}

// AddNote adds an internal note to the thread (never mailed).
func AddNote(ctx context.Context, tx *db.Tx, id int64, author, body string) error {
	if err := checkBody(body); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO inquiry_messages (inquiry_id, kind, author, subject, body, created_at) VALUES (?, 'note', ?, '', ?, ?)`,
		id, author, body, tx.Now()); err != nil {
		return err
	}
	return touch(ctx, tx, id)
}

// Reply mails subject and body to the customer through the outbox and
// keeps them in the thread; a new inquiry moves to in progress. It returns
// an Invalid error (fields "subject", "body") for an empty or multi-line
// subject or an empty or oversized body.
func Reply(ctx context.Context, tx *db.Tx, in *Inquiry, author, subject, body string) error {
	errs := map[string]string{}
	switch {
	case subject == "":
		errs["subject"] = "content.err.required"
	case len([]rune(subject)) > MaxSubject:
		errs["subject"] = "content.err.too_long"
	case !SingleLine(subject):
		errs["subject"] = "content.err.control"
	}
	if err := checkBody(body); err != nil {
		errs["body"] = err.(*shop.Error).Fields["body"]
	}
	if len(errs) > 0 {
		return shop.Invalidf(errs)
	}
	lang := langOf(in.Lang)
	shopName, err := settings.ShopNameIn(ctx, tx, lang)
	if err != nil {
		return err
	}
	m, err := mail.Compose(ctx, tx, "inquiry_reply", string(lang), in.Email, mailView{Q: in, Subject: subject, Body: body, ShopName: shopName})
	if err != nil {
		return err
	}
	if _, err := mail.Enqueue(ctx, tx, m); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO inquiry_messages (inquiry_id, kind, author, subject, body, created_at) VALUES (?, 'reply', ?, ?, ?, ?)`,
		in.ID, author, subject, body, tx.Now()); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE inquiries SET status = ? WHERE id = ? AND status = ?`, StatusOpen, in.ID, StatusNew); err != nil {
		return err
	}
	return touch(ctx, tx, in.ID)
}

func checkBody(body string) error {
	switch {
	case strings.TrimSpace(body) == "":
		return shop.Invalidf(map[string]string{"body": "content.err.required"})
	case len([]rune(body)) > MaxMessage:
		return shop.Invalidf(map[string]string{"body": "content.err.message_long"})
	case !Text(body):
		return shop.Invalidf(map[string]string{"body": "content.err.control"})
	}
	return nil
}

func touch(ctx context.Context, tx *db.Tx, id int64) error {
	return notFound(db.RowsAffected(tx.Exec(ctx, `UPDATE inquiries SET updated_at = ? WHERE id = ?`, tx.Now(), id)))
}

func notFound(n int64, err error) error {
	if err == nil && n == 0 {
		return shop.ErrNotFound
	}
	return err
}

func validStatus(s string) bool {
	for _, v := range Statuses {
		if v == s {
			return true
		}
	}
	return false
}
