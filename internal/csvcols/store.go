package csvcols

import (
	"context"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Chosen is a column of an export as the operator set it up.
type Chosen struct {
	Key     string
	Heading string // "" for the column's default heading
}

// ChosenColumns returns the operator's columns of an export, or every
// column in default order when none were saved. A saved column the export
// no longer offers is skipped.
func ChosenColumns(ctx context.Context, q db.Queryer, e Export) ([]Chosen, error) {
	rows, err := q.Query(ctx, `SELECT column_key, heading FROM csv_columns WHERE export_type = ? ORDER BY position`, e.Type)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	known := map[string]bool{}
	for _, c := range e.Columns {
		known[c.Key] = true
	}
	var out []Chosen
	for rows.Next() {
		var c Chosen
		if err := rows.Scan(&c.Key, &c.Heading); err != nil {
			return nil, err
		}
		if known[c.Key] {
			out = append(out, c)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		out = e.All()
	}
	return out, nil
}

// Choice is one row of the settings form: a column, whether it is
// exported, its position (smaller first) and its heading.
type Choice struct {
	Key      string
	Include  bool
	Position int
	Heading  string
}

// Save stores an export's columns: the included ones by position (ties in
// the default order). Errors: Invalid with field "columns" when none is
// included, and "heading_<key>" for a heading over 50 characters or with
// control characters; nothing is written then.
func Save(ctx context.Context, tx *db.Tx, e Export, choices []Choice) error {
	order := map[string]int{}
	for i, c := range e.Columns {
		order[c.Key] = i
	}
	fields := map[string]string{}
	var in []Choice
	for _, c := range choices {
		if _, ok := order[c.Key]; !ok || !c.Include {
			continue
		}
		c.Heading = strings.TrimSpace(c.Heading)
		if utf8.RuneCountInString(c.Heading) > 50 || strings.IndexFunc(c.Heading, unicode.IsControl) >= 0 {
			fields["heading_"+c.Key] = "order.csv.bad_heading"
		}
		in = append(in, c)
	}
	if len(in) == 0 {
		fields["columns"] = "order.csv.no_columns"
	}
	if len(fields) > 0 {
		return shop.Invalidf(fields)
	}
	sort.SliceStable(in, func(i, j int) bool {
		if in[i].Position != in[j].Position {
			return in[i].Position < in[j].Position
		}
		return order[in[i].Key] < order[in[j].Key]
	})
	if _, err := tx.Exec(ctx, `DELETE FROM csv_columns WHERE export_type = ?`, e.Type); err != nil {
		return err
	}
	for i, c := range in {
		if _, err := tx.Exec(ctx, `INSERT INTO csv_columns (export_type, position, column_key, heading) VALUES (?, ?, ?, ?)`,
			e.Type, i+1, c.Key, c.Heading); err != nil {
			return err
		}
	}
	return nil
}

// Reset drops an export's saved columns: every column again, default
// order and headings.
func Reset(ctx context.Context, tx *db.Tx, e Export) error {
	_, err := tx.Exec(ctx, `DELETE FROM csv_columns WHERE export_type = ?`, e.Type)
	return err
}
