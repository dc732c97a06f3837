// Package csvcols is the operator's choice of columns for every CSV export
// the admin offers (EC-CUBE's CSV出力項目設定): which columns, in which
// order, under which heading, saved per export type. An export declares
// its columns once (an Export), builds each record in that default order,
// and writes through a Writer, which puts out the chosen columns only.
// The settings screen (設定 › CSV出力項目設定, internal/admin) lists every
// registered export.
package csvcols

import (
	"slices"
	"sync"
)

// Column is a column an export offers: its key and the i18n key of its
// default heading. An empty Label means the key itself is the heading,
// for exports whose headings are a file format another screen reads back
// (the catalogue import) or a record of fact (the audit log).
//
// Name, when set, is the default heading itself, the same in every
// language (headings an import reads back, such as the customers' 姓);
// Label then only names the column on the settings screen.
type Column struct{ Key, Label, Name string }

// Export is an export type: its name (in the URL and the table), the i18n
// key of its title, the admin area whose screen offers it, and its columns
// in their default order.
type Export struct {
	Type    string
	Title   string
	Area    string
	Columns []Column
	// Import says the file is read back by an import (the catalogue): the
	// settings screen warns that an export without every column or with
	// renamed headings will not import.
	Import bool
}

// Keys returns the export's column keys in default order.
func (e Export) Keys() []string {
	out := make([]string, len(e.Columns))
	for i, c := range e.Columns {
		out[i] = c.Key
	}
	return out
}

// Heading returns column c's default heading in the language of t.
func (c Column) Heading(t func(string) string) string {
	if c.Name != "" {
		return c.Name
	}
	if c.Label == "" {
		return c.Key
	}
	return t(c.Label)
}

// Of builds an export whose headings are its keys.
func Of(typ, title, area string, keys ...string) Export {
	e := Export{Type: typ, Title: title, Area: area}
	for _, k := range keys {
		e.Columns = append(e.Columns, Column{Key: k})
	}
	return e
}

// Labelled builds an export whose default headings are prefix+key.
func Labelled(typ, title, area, prefix string, keys ...string) Export {
	e := Of(typ, title, area, keys...)
	for i := range e.Columns {
		e.Columns[i].Label = prefix + e.Columns[i].Key
	}
	return e
}

// Registry is every export the admin offers, in the order they were
// added. It is safe for concurrent use.
type Registry struct {
	mu   sync.RWMutex
	list []Export
}

// Add registers exports; a type added twice keeps its first definition.
func (r *Registry) Add(exps ...Export) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range exps {
		if !slices.ContainsFunc(r.list, func(x Export) bool { return x.Type == e.Type }) {
			r.list = append(r.list, e)
		}
	}
}

// All returns the registered exports.
func (r *Registry) All() []Export {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Clone(r.list)
}

// Get returns the export of a type.
func (r *Registry) Get(typ string) (Export, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, e := range r.list {
		if e.Type == typ {
			return e, true
		}
	}
	return Export{}, false
}

// All returns every column of the export in default order, as chosen
// when the operator saved nothing.
func (e Export) All() []Chosen {
	out := make([]Chosen, len(e.Columns))
	for i, c := range e.Columns {
		out[i] = Chosen{Key: c.Key}
	}
	return out
}
