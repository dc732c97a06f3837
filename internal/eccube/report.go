package eccube

import (
	"fmt"
	"io"
	"sort"
	"sync"
)

// Kinds of rows, in the order the import takes them.
var Kinds = []string{"shop", "tax_rule", "delivery", "payment", "category", "tag", "class_name", "product", "variant", "image",
	"customer", "address", "points", "order", "order_line", "shipment", "news", "page", "admin", "mail_template"}

// Count is what happened to one kind's rows.
type Count struct {
	Source   int // rows read
	Imported int // added (or, in a dry run, that would be)
	Updated  int // already imported by an earlier run, brought up to date
	Refused  int // not imported; see the problems
	Skipped  int // left out on purpose (incomplete checkouts, hidden classes)
}

// Problem is one row that could not be imported as it is, or that the
// operator must look at.
type Problem struct {
	Kind   string
	OldID  string
	Reason string
	// Warning marks a row imported with a change (a replaced character,
	// a renamed code) or a setting to check, rather than refused.
	Warning bool
}

// Report is the outcome of a run, filled as it goes; safe for use from
// the progress printer while the import writes.
type Report struct {
	mu       sync.Mutex
	Version  string
	DryRun   bool
	Counts   map[string]*Count
	Problems []Problem
}

func newReport(version string, dry bool) *Report {
	r := &Report{Version: version, DryRun: dry, Counts: map[string]*Count{}}
	for _, k := range Kinds {
		r.Counts[k] = &Count{}
	}
	return r
}

func (r *Report) add(kind string, f func(c *Count)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.Counts[kind]
	if c == nil {
		c = &Count{}
		r.Counts[kind] = c
	}
	f(c)
}

func (r *Report) seen(kind string)     { r.add(kind, func(c *Count) { c.Source++ }) }
func (r *Report) imported(kind string) { r.add(kind, func(c *Count) { c.Imported++ }) }
func (r *Report) updated(kind string)  { r.add(kind, func(c *Count) { c.Updated++ }) }
func (r *Report) skipped(kind string)  { r.add(kind, func(c *Count) { c.Skipped++ }) }

// done counts a row as added or updated.
func (r *Report) done(kind string, existed bool) {
	if existed {
		r.updated(kind)
	} else {
		r.imported(kind)
	}
}

// refuse records a row that is not imported.
func (r *Report) refuse(kind string, old any, format string, a ...any) {
	r.add(kind, func(c *Count) { c.Refused++ })
	r.problem(Problem{Kind: kind, OldID: fmt.Sprint(old), Reason: fmt.Sprintf(format, a...)})
}

// warn records a change made to an imported row, or something to check.
func (r *Report) warn(kind string, old any, format string, a ...any) {
	r.problem(Problem{Kind: kind, OldID: fmt.Sprint(old), Reason: fmt.Sprintf(format, a...), Warning: true})
}

func (r *Report) problem(p Problem) {
	r.mu.Lock()
	r.Problems = append(r.Problems, p)
	r.mu.Unlock()
}

// Refusals returns the problems that are refusals (not warnings) of kind.
func (r *Report) Refusals(kind string) []Problem {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Problem
	for _, p := range r.Problems {
		if p.Kind == kind && !p.Warning {
			out = append(out, p)
		}
	}
	return out
}

// Write prints the report: a table of counts per kind, then every
// problem, refusals first.
func (r *Report) Write(w io.Writer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	mode := "import"
	if r.DryRun {
		mode = "dry run (nothing written)"
	}
	fmt.Fprintf(w, "EC-CUBE %s — %s\n\n", r.Version, mode)
	fmt.Fprintf(w, "%-14s %9s %9s %9s %9s %9s\n", "kind", "source", "new", "updated", "skipped", "refused")
	for _, k := range Kinds {
		c := r.Counts[k]
		if *c == (Count{}) {
			continue
		}
		fmt.Fprintf(w, "%-14s %9d %9d %9d %9d %9d\n", k, c.Source, c.Imported, c.Updated, c.Skipped, c.Refused)
	}
	ps := append([]Problem(nil), r.Problems...)
	sort.SliceStable(ps, func(i, j int) bool { return !ps[i].Warning && ps[j].Warning })
	if len(ps) > 0 {
		fmt.Fprintf(w, "\n%d problems:\n", len(ps))
	}
	for _, p := range ps {
		tag := "REFUSED"
		if p.Warning {
			tag = "CHECK  "
		}
		fmt.Fprintf(w, "%s %-13s %-8s %s\n", tag, p.Kind, p.OldID, p.Reason)
	}
}
