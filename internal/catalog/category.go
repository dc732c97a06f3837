package catalog

// Category is a node of the category tree.
type Category struct {
	ID             int64
	ParentID       int64 // 0 for a top-level category
	Slug           string
	NameJA, NameEN string
	SortOrder      int
	Children       []*Category
	Parent         *Category
}

// Name returns the category's name in ja or en (ja when en is empty).
func (c *Category) Name(en bool) string {
	if en && c.NameEN != "" {
		return c.NameEN
	}
	return c.NameJA
}

// Tree is the whole category tree, built once and shared read-only.
type Tree struct {
	Roots  []*Category
	byID   map[int64]*Category
	bySlug map[string]*Category
}

// newTree links categories (given in parent, sort order) into a tree.
// A category whose parent is missing becomes a root, and a cycle cannot
// hang the walk because Path stops after 16 levels.
func newTree(cats []*Category) *Tree {
	t := &Tree{byID: map[int64]*Category{}, bySlug: map[string]*Category{}}
	for _, c := range cats {
		t.byID[c.ID] = c
		t.bySlug[c.Slug] = c
	}
	for _, c := range cats {
		if p := t.byID[c.ParentID]; p != nil && p != c {
			c.Parent = p
			p.Children = append(p.Children, c)
		} else {
			t.Roots = append(t.Roots, c)
		}
	}
	return t
}

// BySlug returns the category with slug, or nil.
func (t *Tree) BySlug(slug string) *Category { return t.bySlug[slug] }

// ByID returns the category with id, or nil.
func (t *Tree) ByID(id int64) *Category { return t.byID[id] }

// Path returns the category's ancestors and itself, root first, for
// breadcrumbs.
func (t *Tree) Path(c *Category) []*Category {
	var p []*Category
	for n := c; n != nil && len(p) < 16; n = n.Parent {
		p = append([]*Category{n}, p...)
	}
	return p
}

// Descendants returns the IDs of c and every category below it.
func (t *Tree) Descendants(c *Category) []int64 {
	ids := []int64{}
	seen := map[int64]bool{}
	var walk func(n *Category)
	walk = func(n *Category) {
		if seen[n.ID] {
			return
		}
		seen[n.ID] = true
		ids = append(ids, n.ID)
		for _, ch := range n.Children {
			walk(ch)
		}
	}
	walk(c)
	return ids
}

// Depth returns the number of levels of the deepest branch.
func (t *Tree) Depth() int {
	var depth func(cs []*Category, d int) int
	depth = func(cs []*Category, d int) int {
		m := d
		for _, c := range cs {
			if d+1 > 16 {
				return m
			}
			if n := depth(c.Children, d+1); n > m {
				m = n
			}
		}
		return m
	}
	return depth(t.Roots, 0)
}

// All returns every category, in tree order.
func (t *Tree) All() []*Category {
	var out []*Category
	var walk func(cs []*Category)
	walk = func(cs []*Category) {
		for _, c := range cs {
			if len(out) > len(t.byID) {
				return
			}
			out = append(out, c)
			walk(c.Children)
		}
	}
	walk(t.Roots)
	return out
}
