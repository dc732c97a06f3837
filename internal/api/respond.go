package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// etagOf is the strong ETag of a representation: a hash of its JSON, so
// any change a client could see changes it.
func etagOf(b []byte) string {
	s := sha256.Sum256(b)
	return `"` + base64.RawURLEncoding.EncodeToString(s[:16]) + `"`
}

func encode(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// writeOne sends one resource with its ETag; a GET whose If-None-Match
// names it gets 304.
func writeOne(w http.ResponseWriter, r *http.Request, status int, v any) error {
	b := encode(v)
	tag := etagOf(b)
	w.Header().Set("ETag", tag)
	if r.Method == http.MethodGet && matches(r.Header.Get("If-None-Match"), tag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
	return nil
}

// List is a page of a collection. NextCursor points after the page's
// last item (null when the page is empty): with HasMore it fetches the
// next page, and on the last page it is where a partner polling for new
// orders resumes.
type List[T any] struct {
	Data       []T     `json:"data"`
	HasMore    bool    `json:"has_more"`
	NextCursor *string `json:"next_cursor"`
}

func writeList[T any](w http.ResponseWriter, r *http.Request, items []T, more bool, next *string) error {
	if items == nil {
		items = []T{}
	}
	if more && next != nil {
		q := r.URL.Query()
		q.Set("cursor", *next)
		w.Header().Set("Link", "<"+r.URL.Path+"?"+q.Encode()+`>; rel="next"`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(append(encode(List[T]{Data: items, HasMore: more, NextCursor: next}), '\n'))
	return nil
}

// matches reports whether an If-Match / If-None-Match header names tag
// (or is "*").
func matches(header, tag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || t == tag || strings.TrimPrefix(t, "W/") == tag {
			return true
		}
	}
	return false
}

// checkIfMatch compares If-Match, when sent, with the resource as it is
// now (read inside the write's transaction, after lockRow): a client that
// read an older version gets 412 and must read it again.
func checkIfMatch(r *http.Request, current any) error {
	h := r.Header.Get("If-Match")
	if h == "" || matches(h, etagOf(encode(current))) {
		return nil
	}
	return problem(http.StatusPreconditionFailed, "precondition-failed")
}

// lockRow takes the row's write lock for the rest of tx (PostgreSQL; on
// SQLite the transaction already holds the only write lock), so the
// If-Match check and the change see the same version. table is a literal
// from this package. Errors: NotFound.
func lockRow(ctx context.Context, tx *db.Tx, table string, id int64) error {
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE `+table+` SET id = id WHERE id = ?`, id))
	if err == nil && n != 1 {
		return shop.ErrNotFound
	}
	return err
}

// readJSON decodes the request body into v, refusing unknown fields and
// trailing data.
func readJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return problem(http.StatusUnprocessableEntity, "bad-json")
	}
	var extra json.RawMessage
	if dec.Decode(&extra) == nil {
		return problem(http.StatusUnprocessableEntity, "bad-json")
	}
	return nil
}

// page is a request's pagination: after the cursor's ID, up to limit
// rows, changed at or after since (zero: any time).
type page struct {
	limit int
	after int64
	since time.Time
}

// readPage parses limit (1–100, default 50), cursor and updated_since
// (RFC 3339).
func readPage(r *http.Request) (page, error) {
	q := r.URL.Query()
	p := page{limit: 50}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100 {
			return p, problem(http.StatusBadRequest, "bad-parameter", "limit")
		}
		p.limit = n
	}
	if c := q.Get("cursor"); c != "" {
		b, err := base64.RawURLEncoding.DecodeString(c)
		id, err2 := strconv.ParseInt(strings.TrimPrefix(string(b), "id:"), 10, 64)
		if err != nil || err2 != nil || !bytes.HasPrefix(b, []byte("id:")) || id < 0 {
			return p, problem(http.StatusBadRequest, "bad-parameter", "cursor")
		}
		p.after = id
	}
	if s := q.Get("updated_since"); s != "" {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return p, problem(http.StatusBadRequest, "bad-parameter", "updated_since")
		}
		p.since = t.UTC()
	}
	return p, nil
}

// where adds the page's conditions on the table alias's id and
// updated_at columns, and the ORDER and LIMIT (one row more than the page,
// to know whether there is a next).
func (p page) where(alias string, conds []string, args []any) (string, []any) {
	conds = append(conds, alias+"id > ?")
	args = append(args, p.after)
	if !p.since.IsZero() {
		conds = append(conds, alias+"updated_at >= ?")
		args = append(args, p.since)
	}
	return " WHERE " + strings.Join(conds, " AND ") + " ORDER BY " + alias + "id LIMIT ?", append(args, p.limit+1)
}

// cut trims a fetched page to the limit and returns whether more follow
// and the cursor after its last item.
func cut[T any](p page, items []T, id func(T) int64) ([]T, bool, *string) {
	more := len(items) > p.limit
	if more {
		items = items[:p.limit]
	}
	if len(items) == 0 {
		return items, false, nil
	}
	c := base64.RawURLEncoding.EncodeToString([]byte("id:" + strconv.FormatInt(id(items[len(items)-1]), 10)))
	return items, more, &c
}

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, shop.ErrNotFound
	}
	return id, nil
}

// audit records a write in the hash-chained audit log, in its
// transaction, in the token's name.
func (h *Handler) audit(ctx context.Context, tx *db.Tx, r *http.Request, t *Token, action, target string, details map[string]any) error {
	if details == nil {
		details = map[string]any{}
	}
	details["token_id"] = t.ID
	_, err := audit.Append(ctx, tx, audit.Entry{Actor: t.Actor(), Action: action, Target: target,
		Address: h.cfg.ClientIP(r).String(), UserAgent: r.UserAgent(), Details: details})
	return err
}

// placeholders returns "?, ?, …" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func idArgs(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
