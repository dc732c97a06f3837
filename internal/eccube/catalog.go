package eccube

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"

	"github.com/akinai/akinai/internal/db"
)

// slugFree returns want, or want with a suffix, so that it is not used in
// table by a row other than self (0: a new row).
func slugFree(ctx context.Context, q db.Queryer, table, want string, self int64) (string, error) {
	slug := want
	for i := 2; ; i++ {
		var other int64
		err := q.QueryRow(ctx, `SELECT id FROM `+table+` WHERE slug = ?`, slug).Scan(&other)
		if errors.Is(err, sql.ErrNoRows) || err == nil && other == self {
			return slug, nil
		}
		if err != nil {
			return "", err
		}
		slug = fmt.Sprintf("%s-%d", want, i)
	}
}

type category struct {
	ID, Parent id
	Name       text
	Sort       int64
}

// importCategories brings the category tree over, parents first, keeping
// EC-CUBE's order among siblings (EC-CUBE shows the highest sort_no
// first; Akinai the lowest sort_order).
func (im *Importer) importCategories(ctx context.Context) error {
	var cats []category
	err := im.Source.each(ctx, `SELECT id, parent_category_id, category_name, sort_no FROM dtb_category ORDER BY hierarchy, id`, nil, func(sc func(...any) error) error {
		var c category
		var s num
		if err := sc(&c.ID, &c.Parent, &c.Name, &s); err != nil {
			return err
		}
		c.Sort = s.Int()
		cats = append(cats, c)
		return nil
	})
	if err != nil {
		return err
	}
	var max int64
	for _, c := range cats {
		max = maxInt(max, c.Sort)
	}
	for _, c := range cats {
		im.rep.seen("category")
		im.checkText("category", c.ID.V, "category_name", c.Name)
		if c.Name.S == "" {
			im.rep.refuse("category", c.ID.V, "the category has no name")
			continue
		}
		var parent any
		if c.Parent.Valid {
			p, ok := im.mapped("category", c.Parent.V)
			if !ok {
				im.rep.refuse("category", c.ID.V, "its parent category %d was not imported", c.Parent.V)
				continue
			}
			parent = p
		}
		existing, had := im.mapped("category", c.ID.V)
		if im.DryRun {
			im.m("category")[strconv.FormatInt(c.ID.V, 10)] = -1
			im.rep.done("category", had)
			continue
		}
		im.unit(ctx, "category", c.ID.V, func(tx *db.Tx) ([]func(), error) {
			now := tx.Now()
			if had {
				_, err := tx.Exec(ctx, `UPDATE categories SET parent_id = ?, name_ja = ?, sort_order = ?, updated_at = ? WHERE id = ?`,
					parent, c.Name.S, max-c.Sort, now, existing)
				im.rep.done("category", true)
				return nil, err
			}
			slug, err := slugFree(ctx, tx, "categories", "c"+strconv.FormatInt(c.ID.V, 10), 0)
			if err != nil {
				return nil, err
			}
			var n int64
			if err := tx.QueryRow(ctx, `INSERT INTO categories (parent_id, slug, name_ja, sort_order, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
				parent, slug, c.Name.S, max-c.Sort, now, now).Scan(&n); err != nil {
				return nil, err
			}
			f, err := im.remember(ctx, tx, "category", c.ID.V, n)
			im.rep.done("category", false)
			return []func(){f}, err
		})
	}
	return nil
}

// importTags brings the product tags over.
func (im *Importer) importTags(ctx context.Context) error {
	type tag struct {
		ID   int64
		Name text
	}
	var tags []tag
	err := im.Source.each(ctx, `SELECT id, name FROM dtb_tag ORDER BY sort_no DESC, id`, nil, func(sc func(...any) error) error {
		var t tag
		if err := sc(&t.ID, &t.Name); err != nil {
			return err
		}
		tags = append(tags, t)
		return nil
	})
	if err != nil {
		return err
	}
	for _, t := range tags {
		im.rep.seen("tag")
		im.checkText("tag", t.ID, "name", t.Name)
		existing, had := im.mapped("tag", t.ID)
		if t.Name.S == "" {
			im.rep.refuse("tag", t.ID, "the tag has no name")
			continue
		}
		if im.DryRun {
			im.m("tag")[strconv.FormatInt(t.ID, 10)] = -1
			im.rep.done("tag", had)
			continue
		}
		im.unit(ctx, "tag", t.ID, func(tx *db.Tx) ([]func(), error) {
			if had {
				_, err := tx.Exec(ctx, `UPDATE tags SET name_ja = ? WHERE id = ?`, t.Name.S, existing)
				im.rep.done("tag", true)
				return nil, err
			}
			slug, err := slugFree(ctx, tx, "tags", "t"+strconv.FormatInt(t.ID, 10), 0)
			if err != nil {
				return nil, err
			}
			var n int64
			if err := tx.QueryRow(ctx, `INSERT INTO tags (slug, name_ja) VALUES (?, ?) RETURNING id`, slug, t.Name.S).Scan(&n); err != nil {
				return nil, err
			}
			f, err := im.remember(ctx, tx, "tag", t.ID, n)
			im.rep.done("tag", false)
			return []func(){f}, err
		})
	}
	return nil
}

// classInfo is an EC-CUBE 規格 (class name) or 規格分類 (class category).
type classInfo struct {
	ID, Parent int64 // Parent: the class name of a class category
	Name       string
	Sort       int64
}

// classes holds the class names and categories by id, read once; the
// products' axes are built from them.
type classes struct {
	names map[int64]classInfo
	cats  map[int64]classInfo
}

// importClasses brings 規格 and 規格分類 over as Akinai's shared classes
// (class_names, class_values). Akinai wants class names unique, and
// values unique within a class: a duplicate gets its EC-CUBE backend name
// or id appended, with a warning.
func (im *Importer) importClasses(ctx context.Context) error {
	cl := &classes{names: map[int64]classInfo{}, cats: map[int64]classInfo{}}
	var names, cats []classInfo
	err := im.Source.each(ctx, `SELECT id, name, backend_name, sort_no FROM dtb_class_name ORDER BY sort_no DESC, id`, nil, func(sc func(...any) error) error {
		var c classInfo
		var name, backend text
		var s num
		if err := sc(&c.ID, &name, &backend, &s); err != nil {
			return err
		}
		c.Name, c.Sort = name.S, s.Int()
		cl.names[c.ID] = c
		names = append(names, c)
		return nil
	})
	if err != nil {
		return err
	}
	err = im.Source.each(ctx, `SELECT id, class_name_id, name, sort_no FROM dtb_class_category ORDER BY class_name_id, sort_no DESC, id`, nil, func(sc func(...any) error) error {
		var c classInfo
		var name text
		var s num
		if err := sc(&c.ID, &c.Parent, &name, &s); err != nil {
			return err
		}
		c.Name, c.Sort = name.S, s.Int()
		cl.cats[c.ID] = c
		cats = append(cats, c)
		return nil
	})
	if err != nil {
		return err
	}
	im.classes = cl
	usedNames := map[string]int64{}
	for i, c := range names {
		im.rep.seen("class_name")
		name := c.Name
		if prev, dup := usedNames[name]; dup && prev != c.ID {
			name = fmt.Sprintf("%s (%d)", c.Name, c.ID)
			im.rep.warn("class_name", c.ID, "the class name %q is used twice; imported as %q", c.Name, name)
		}
		usedNames[name] = c.ID
		if im.DryRun {
			im.rep.done("class_name", false)
			continue
		}
		cid, had := im.mapped("class_name", c.ID)
		im.unit(ctx, "class_name", c.ID, func(tx *db.Tx) ([]func(), error) {
			var after []func()
			now := tx.Now()
			if had {
				if _, err := tx.Exec(ctx, `UPDATE class_names SET name_ja = ?, sort_order = ?, updated_at = ? WHERE id = ?`, name, i, now, cid); err != nil {
					return nil, err
				}
			} else {
				if err := tx.QueryRow(ctx, `INSERT INTO class_names (name_ja, sort_order, created_at, updated_at) VALUES (?, ?, ?, ?)
					ON CONFLICT (name_ja) DO UPDATE SET updated_at = excluded.updated_at RETURNING id`, name, i, now, now).Scan(&cid); err != nil {
					return nil, err
				}
				f, err := im.remember(ctx, tx, "class_name", c.ID, cid)
				if err != nil {
					return nil, err
				}
				after = append(after, f)
			}
			im.rep.done("class_name", had)
			pos := 0
			seen := map[string]bool{}
			for _, v := range cats {
				if v.Parent != c.ID {
					continue
				}
				vname := v.Name
				if seen[vname] {
					vname = fmt.Sprintf("%s (%d)", v.Name, v.ID)
					im.rep.warn("class_name", c.ID, "the class category %q (%d) is used twice; imported as %q", v.Name, v.ID, vname)
				}
				seen[vname] = true
				var vid int64
				if err := tx.QueryRow(ctx, `INSERT INTO class_values (class_id, name_ja, sort_order) VALUES (?, ?, ?)
					ON CONFLICT (class_id, name_ja) DO UPDATE SET sort_order = excluded.sort_order RETURNING id`, cid, vname, pos).Scan(&vid); err != nil {
					return nil, err
				}
				f, err := im.remember(ctx, tx, "class_category", v.ID, vid)
				if err != nil {
					return nil, err
				}
				after = append(after, f)
				pos++
			}
			return after, nil
		})
	}
	return nil
}

// sortedCats returns the class categories ids in EC-CUBE's display order.
func (cl *classes) sorted(ids map[int64]bool) []int64 {
	out := make([]int64, 0, len(ids))
	for id := range ids {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := cl.cats[out[i]], cl.cats[out[j]]
		if a.Sort != b.Sort {
			return a.Sort > b.Sort
		}
		return a.ID < b.ID
	})
	return out
}

func maxInt(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}
