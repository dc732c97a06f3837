package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/akinai/akinai/internal/db"
)

// maxBody is the largest request body the API reads.
const maxBody = 1 << 20

// idempotent runs a write under its Idempotency-Key, when the client sent
// one: the first request's response (status, body, ETag) is stored and a
// repeat of the key by the same token gets it again, marked
// "Idempotent-Replayed: true", without doing the write twice. The same key
// with a different request is refused (422); a repeat while the first is
// still running gets 409. Responses with a 5xx status are not kept, so the
// client may retry.
func (h *Handler) idempotent(w http.ResponseWriter, r *http.Request, t *Token, run func(http.ResponseWriter, *http.Request)) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		writeProblem(w, r, problem(http.StatusRequestEntityTooLarge, "too-large"))
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		run(w, r)
		return
	}
	if len(key) > 255 || !printable(key) {
		writeProblem(w, r, problem(http.StatusBadRequest, "bad-idempotency-key"))
		return
	}
	sum := sha256.Sum256([]byte(r.Method + " " + r.URL.RequestURI() + "\n" + string(body)))
	reqHash := hex.EncodeToString(sum[:])
	stored, p, err := h.claimKey(r.Context(), t.ID, key, reqHash)
	if err != nil {
		writeProblem(w, r, asProblem(h.cfg.Log, r, err))
		return
	}
	if p != nil {
		writeProblem(w, r, p)
		return
	}
	if stored != nil {
		hd := w.Header()
		hd.Set("Content-Type", stored.contentType)
		if stored.etag != "" {
			hd.Set("ETag", stored.etag)
		}
		hd.Set("Idempotent-Replayed", "true")
		w.WriteHeader(stored.status)
		w.Write([]byte(stored.body))
		return
	}
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	run(rec, r)
	ctx := context.WithoutCancel(r.Context())
	err = h.cfg.DB.Tx(ctx, func(tx *db.Tx) error {
		if rec.status >= 500 {
			_, err := tx.Exec(ctx, `DELETE FROM api_idempotency WHERE token_id = ? AND key = ?`, t.ID, key)
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE api_idempotency SET state = 'done', status = ?, content_type = ?, etag = ?, body = ? WHERE token_id = ? AND key = ?`,
			rec.status, rec.header.Get("Content-Type"), rec.header.Get("ETag"), rec.body.String(), t.ID, key)
		return err
	})
	if err != nil {
		h.cfg.Log.Error("api: store idempotent response", "err", err)
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.status)
	w.Write(rec.body.Bytes())
}

type storedResponse struct {
	status            int
	contentType, etag string
	body              string
}

// pendingTakeover is how long a key stays "in progress" before a repeat
// may take it over (its first request died with its instance).
const pendingTakeover = time.Minute

// claimKey records the key as in progress, or returns the stored response
// of an earlier request with it, or the problem that refuses this one.
func (h *Handler) claimKey(ctx context.Context, token int64, key, reqHash string) (*storedResponse, *Problem, error) {
	var stored *storedResponse
	var p *Problem
	err := h.cfg.DB.Tx(ctx, func(tx *db.Tx) error {
		n, err := db.RowsAffected(tx.Exec(ctx, `INSERT INTO api_idempotency (token_id, key, request_hash, state, created_at) VALUES (?, ?, ?, 'pending', ?)
			ON CONFLICT (token_id, key) DO NOTHING`, token, key, reqHash, tx.Now()))
		if err != nil || n == 1 {
			return err
		}
		var s storedResponse
		var hash, state string
		var created time.Time
		err = tx.QueryRow(ctx, `SELECT request_hash, state, status, content_type, etag, body, created_at FROM api_idempotency WHERE token_id = ? AND key = ?`, token, key).
			Scan(&hash, &state, &s.status, &s.contentType, &s.etag, &s.body, &created)
		if errors.Is(err, sql.ErrNoRows) {
			p = problem(http.StatusConflict, "idempotency-in-progress")
			return nil
		}
		if err != nil {
			return err
		}
		switch {
		case hash != reqHash:
			p = problem(http.StatusUnprocessableEntity, "idempotency-mismatch")
		case state == "done":
			stored = &s
		case tx.Now().Sub(created) < pendingTakeover:
			p = problem(http.StatusConflict, "idempotency-in-progress")
		default:
			_, err = tx.Exec(ctx, `UPDATE api_idempotency SET created_at = ? WHERE token_id = ? AND key = ?`, tx.Now(), token, key)
		}
		return err
	})
	return stored, p, err
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// recorder keeps a response in memory.
type recorder struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
}
func (r *recorder) Write(b []byte) (int, error) { r.wrote = true; return r.body.Write(b) }
