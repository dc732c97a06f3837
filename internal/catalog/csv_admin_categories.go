package catalog

import (
	"context"
	"errors"
	"io"
	"strconv"

	"github.com/akinai/akinai/internal/csvfile"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// ImportCategories reads a category CSV (CategoryColumns, parents before
// children) and checks every row; with tx it also creates or updates
// each category by slug. As ImportProducts, it reports every problem and
// returns an error only for I/O and database failures.
func ImportCategories(ctx context.Context, q db.Queryer, tx *db.Tx, r io.Reader, progress func(rows int)) (*Report, error) {
	rep := &Report{}
	rd, err := csvfile.NewReader(r)
	if err != nil {
		return nil, err
	}
	ids, err := slugIDs(ctx, q, `SELECT slug, id FROM categories`)
	if err != nil {
		return nil, err
	}
	inFile := map[string]bool{}
	err = csvRows(rd, CategoryColumns, rep, func(line int, m map[string]string) error {
		rep.Products++
		in := CategoryInput{Slug: m["slug"], NameJA: m["name_ja"], NameEN: m["name_en"]}
		bad := false
		for field, key := range in.validate() {
			rep.add(RowError{Row: line, Column: field, Key: key})
			bad = true
		}
		if inFile[in.Slug] {
			rep.add(RowError{Row: line, Column: "slug", Key: ErrKeySlugTaken})
			bad = true
		}
		inFile[in.Slug] = true
		if p := m["parent_slug"]; p != "" {
			id, ok := ids[p]
			if !ok {
				rep.add(RowError{Row: line, Column: "parent_slug", Key: ErrKeyCSVParent, Arg: p})
				bad = true
			}
			in.ParentID = id
		}
		order := -1
		if s := m["sort_order"]; s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 {
				rep.add(RowError{Row: line, Column: "sort_order", Key: ErrKeyCSVNumber, Arg: s})
				bad = true
			}
			order = n
		}
		if _, known := ids[in.Slug]; !known {
			ids[in.Slug] = -int64(line) // known to later rows; a real ID once saved
		}
		if bad || tx == nil || rep.Count > 0 {
			return nil
		}
		id := ids[in.Slug]
		if id < 0 {
			id, err = CreateCategory(ctx, tx, in)
		} else {
			err = UpdateCategory(ctx, tx, id, in)
		}
		var se *shop.Error
		if errors.As(err, &se) && se.Kind != shop.Internal {
			for field, key := range se.Fields {
				if field == "parent_id" {
					field = "parent_slug"
				}
				rep.add(RowError{Row: line, Column: field, Key: key})
			}
			if len(se.Fields) == 0 {
				rep.add(RowError{Row: line, Key: se.Key})
			}
			return nil
		}
		if err != nil {
			return err
		}
		ids[in.Slug] = id
		if order >= 0 {
			_, err = tx.Exec(ctx, `UPDATE categories SET sort_order = ? WHERE id = ?`, order, id)
		}
		if progress != nil && rep.Products%100 == 0 {
			progress(rep.Rows)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if progress != nil {
		progress(rep.Rows)
	}
	return rep, nil
}
