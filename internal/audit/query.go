package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/akinai/akinai/internal/db"
)

// Filter selects entries for the viewer and the CSV export. Zero fields
// do not filter. To is exclusive.
type Filter struct {
	Actor  string // substring of the actor name
	Action string // exact action, or a prefix ending in "." ("signin.")
	From   time.Time
	To     time.Time
	Limit  int
	Offset int
}

// List returns the entries matching f, newest first, and the total count.
func List(ctx context.Context, q db.Queryer, f Filter) ([]Entry, int, error) {
	where, args := "WHERE 1=1", []any{}
	if f.Actor != "" {
		where += ` AND actor LIKE ? ESCAPE '\'`
		args = append(args, "%"+db.LikeEscape(f.Actor)+"%")
	}
	if f.Action != "" {
		if f.Action[len(f.Action)-1] == '.' {
			where += ` AND action LIKE ? ESCAPE '\'`
			args = append(args, db.LikeEscape(f.Action)+"%")
		} else {
			where += ` AND action = ?`
			args = append(args, f.Action)
		}
	}
	if !f.From.IsZero() {
		where += ` AND at_us >= ?`
		args = append(args, f.From.UnixMicro())
	}
	if !f.To.IsZero() {
		where += ` AND at_us < ?`
		args = append(args, f.To.UnixMicro())
	}
	if f.Limit <= 0 || f.Limit > 10000 {
		f.Limit = 100
	}
	args = append(args, f.Limit, f.Offset)
	rows, err := q.Query(ctx, `SELECT id, at_us, actor_id, actor, action, target, address, user_agent, details, prev_hash, hash, COUNT(*) OVER()
		FROM audit_log `+where+` ORDER BY id DESC LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []Entry
	total := 0
	for rows.Next() {
		var e Entry
		var atUS int64
		var actorID sql.NullInt64
		var details string
		if err := rows.Scan(&e.ID, &atUS, &actorID, &e.Actor, &e.Action, &e.Target, &e.Address, &e.UserAgent, &details, &e.PrevHash, &e.Hash, &total); err != nil {
			return nil, 0, err
		}
		e.At = time.UnixMicro(atUS).UTC()
		e.ActorID = actorID.Int64
		json.Unmarshal([]byte(details), &e.Details)
		out = append(out, e)
	}
	return out, total, rows.Err()
}
