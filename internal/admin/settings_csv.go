package admin

import (
	"context"
	"net/http"
	"strconv"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/csvcols"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// AddCSVExports registers exports whose columns the operator chooses on
// 設定 › CSV出力項目設定. Call it while wiring, before the server starts.
func (h *Handlers) AddCSVExports(exps ...csvcols.Export) { h.csv.Add(exps...) }

type csvSettingsPage struct {
	Exports []csvExportRow // the index: every export type
	Export  *csvcols.Export
	Rows    []csvColumnRow
	Error   string
	Fields  map[string]string
}

type csvExportRow struct {
	csvcols.Export
	Chosen int // columns exported
}

type csvColumnRow struct {
	csvcols.Choice
	Label string // i18n key naming the column ("" for the key itself)
	// Default is the heading the export writes when none is set (a
	// fixed name, the key, or "" for the label in the reader's language).
	Default string
}

func columnRow(e csvcols.Export, ch csvcols.Choice) csvColumnRow {
	for _, c := range e.Columns {
		if c.Key == ch.Key {
			row := csvColumnRow{Choice: ch, Label: c.Label, Default: c.Name}
			if c.Label == "" {
				row.Default = c.Key
			}
			return row
		}
	}
	return csvColumnRow{Choice: ch}
}

// settingsCSV lists every export type with its number of columns, or with
// ?type= shows one type's columns: ticked, numbered and named as saved,
// the others unticked after them. GET /{admin}/settings/csv
func (h *Handlers) settingsCSV(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t := r.URL.Query().Get("type")
	if t == "" {
		p := &csvSettingsPage{}
		for _, e := range h.csv.All() {
			chosen, err := csvcols.ChosenColumns(ctx, h.DB, e)
			if err != nil {
				return err
			}
			p.Exports = append(p.Exports, csvExportRow{e, len(chosen)})
		}
		return h.page(w, r, http.StatusOK, "admin_settings_csv", "admin_nav.csv_columns", p)
	}
	e, ok := h.csv.Get(t)
	if !ok {
		return shop.ErrNotFound
	}
	p, err := h.csvForm(ctx, e)
	if err != nil {
		return err
	}
	return h.page(w, r, http.StatusOK, "admin_settings_csv", "admin_nav.csv_columns", p)
}

func (h *Handlers) csvForm(ctx context.Context, e csvcols.Export) (*csvSettingsPage, error) {
	chosen, err := csvcols.ChosenColumns(ctx, h.DB, e)
	if err != nil {
		return nil, err
	}
	p := &csvSettingsPage{Export: &e}
	in := map[string]bool{}
	for i, c := range chosen {
		in[c.Key] = true
		p.Rows = append(p.Rows, columnRow(e, csvcols.Choice{Key: c.Key, Include: true, Position: i + 1, Heading: c.Heading}))
	}
	for _, c := range e.Columns {
		if !in[c.Key] {
			p.Rows = append(p.Rows, columnRow(e, csvcols.Choice{Key: c.Key, Position: len(p.Rows) + 1}))
		}
	}
	return p, nil
}

// settingsCSVSave saves one export type's columns (include_<key>,
// pos_<key>, heading_<key>), or with reset=1 goes back to every column.
// POST /{admin}/settings/csv?type=…
func (h *Handlers) settingsCSVSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, ok := h.csv.Get(r.URL.Query().Get("type"))
	if !ok {
		return shop.ErrNotFound
	}
	if err := r.ParseForm(); err != nil {
		return shop.Errorf(shop.Invalid, "error.bad_request")
	}
	reset := r.PostFormValue("reset") != ""
	p := &csvSettingsPage{Export: &e}
	var choices []csvcols.Choice
	for i, c := range e.Columns {
		ch := csvcols.Choice{Key: c.Key, Include: r.PostFormValue("include_"+c.Key) != "", Heading: r.PostFormValue("heading_" + c.Key)}
		n, err := strconv.Atoi(r.PostFormValue("pos_" + c.Key))
		if err != nil {
			n = 1000 + i
		}
		ch.Position = n
		choices = append(choices, ch)
		p.Rows = append(p.Rows, columnRow(e, ch))
	}
	err := h.DB.Tx(ctx, func(tx *db.Tx) error {
		var err error
		if reset {
			err = csvcols.Reset(ctx, tx, e)
		} else {
			err = csvcols.Save(ctx, tx, e, choices)
		}
		if err != nil {
			return err
		}
		_, err = audit.Append(ctx, tx, AuditEntry(r, "settings.csv_columns", e.Type, map[string]any{"reset": reset}))
		return err
	})
	if se, ok := err.(*shop.Error); ok && se.Kind == shop.Invalid {
		p.Error, p.Fields = web.Message(r, err), se.Fields
		return h.page(w, r, web.Status(err), "admin_settings_csv", "admin_nav.csv_columns", p)
	}
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.settings.saved", "/settings/csv?type="+e.Type)
}
