package order

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/csvfile"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// BulkShip is the bulk action that ships parcels with the tracking
// numbers of an imported file; it is started only from a dry run
// (DraftShipments, ApplyDraft), never from the list.
const BulkShip = "ship"

// MaxTrackingRows bounds a tracking file.
const MaxTrackingRows = 20000

// TrackingRow is a data line of a tracking file: a parcel or order
// reference and the tracking number the carrier gave it.
type TrackingRow struct {
	Line          int
	Ref, Tracking string
}

// TrackingProblem is a reason the dry run refuses the file: Key is an
// i18n key whose first argument is Ref (or the line, for a line
// without one).
type TrackingProblem struct {
	Line int // 0: the whole file
	Ref  string
	Key  string
}

// Header names the tracking file's columns may carry: the carriers'
// own exports (B2 Cloud: お客様管理番号 and 伝票番号) and plain ones.
var (
	refHeaders      = []string{"お客様管理番号", "お客様管理ナンバー", "お客様側管理番号", "出荷番号", "注文番号", "order", "order_number", "ref"}
	trackingHeaders = []string{"伝票番号", "問い合わせ番号", "お問い合せ送り状no.", "お問合せ番号", "送り状番号", "追跡番号", "tracking", "tracking_number"}
)

func headerIndex(rec []string, names []string) int {
	for i, c := range rec {
		c = strings.ToLower(strings.TrimSpace(c))
		for _, n := range names {
			if c == n {
				return i
			}
		}
	}
	return -1
}

// ParseTracking reads a tracking CSV in UTF-8 (with or without BOM) or
// Shift_JIS. With a header row naming a reference and a tracking column
// (refHeaders, trackingHeaders) those are read; otherwise the first two
// columns. A file that does not decode cleanly (a replacement character
// or NUL: another encoding) or has no rows is one problem; so is a file
// over MaxTrackingRows.
func ParseTracking(r io.Reader) ([]TrackingRow, []TrackingProblem) {
	cr, err := csvfile.NewReader(r)
	if err != nil {
		return nil, []TrackingProblem{{Key: "order.tracking.unreadable"}}
	}
	var rows []TrackingRow
	refCol, trackCol := 0, 1
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, []TrackingProblem{{Line: line, Key: "order.tracking.unreadable"}}
		}
		for _, c := range rec {
			if strings.ContainsAny(c, "\uFFFD\x00") {
				return nil, []TrackingProblem{{Line: line, Key: "order.tracking.bad_encoding"}}
			}
		}
		if line == 1 {
			if i, j := headerIndex(rec, refHeaders), headerIndex(rec, trackingHeaders); i >= 0 && j >= 0 {
				refCol, trackCol = i, j
				continue
			}
		}
		if len(rows) == MaxTrackingRows {
			return nil, []TrackingProblem{{Key: "order.tracking.too_many"}}
		}
		row := TrackingRow{Line: line}
		if refCol < len(rec) {
			row.Ref = strings.TrimSpace(rec[refCol])
		}
		if trackCol < len(rec) {
			row.Tracking = strings.TrimSpace(rec[trackCol])
		}
		if row.Ref == "" && row.Tracking == "" {
			continue // a blank line
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, []TrackingProblem{{Key: "order.tracking.empty"}}
	}
	return rows, nil
}

// PlannedParcel is a parcel the import will ship.
type PlannedParcel struct {
	Line     int
	OrderID  int64
	Number   string
	ParcelID int64
	Seq      int
	Tracking string
}

// splitRef reads a reference: a parcel reference (ParcelRef) or an
// order number with or without its hyphen. seq is 0 for an order number.
func splitRef(ref string) (number string, seq int, ok bool) {
	ref = strings.ToUpper(strings.ReplaceAll(ref, "-", ""))
	switch len(ref) {
	case 14:
		n, err := strconv.Atoi(ref[12:])
		if err != nil || n < 1 {
			return "", 0, false
		}
		return ref[:6] + "-" + ref[6:12], n, true
	case 12:
		return ref[:6] + "-" + ref[6:], 0, true
	}
	return "", 0, false
}

// PlanTracking resolves a file's rows against the orders, reading only,
// and returns the parcels to ship or, when there is any, a problem per
// line: a reference of no order or parcel, a reference or tracking
// number given twice, a parcel already shipped, an order that cannot
// ship (cancelled, awaiting payment…), an order number for an order
// with several parcels still at the shop (ambiguous: use the parcel
// reference of the label), a missing or malformed tracking number.
func PlanTracking(ctx context.Context, q db.Queryer, rows []TrackingRow) ([]PlannedParcel, []TrackingProblem, error) {
	var plan []PlannedParcel
	var probs []TrackingProblem
	refs, trackings, parcels := map[string]int{}, map[string]int{}, map[int64]bool{}
	for _, row := range rows {
		bad := func(key string) { probs = append(probs, TrackingProblem{Line: row.Line, Ref: row.Ref, Key: key}) }
		if row.Ref == "" {
			bad("order.tracking.no_ref")
			continue
		}
		if _, dup := refs[strings.ToUpper(row.Ref)]; dup {
			bad("order.tracking.duplicate_ref")
			continue
		}
		refs[strings.ToUpper(row.Ref)] = row.Line
		if !validTracking(row.Tracking) {
			bad("order.tracking.bad_tracking")
			continue
		}
		if _, dup := trackings[row.Tracking]; dup {
			bad("order.tracking.duplicate_tracking")
			continue
		}
		trackings[row.Tracking] = row.Line
		number, seq, ok := splitRef(row.Ref)
		if !ok {
			bad("order.tracking.unknown")
			continue
		}
		var id int64
		var status string
		err := q.QueryRow(ctx, `SELECT id, status FROM orders WHERE number = ?`, number).Scan(&id, &status)
		if errors.Is(err, sql.ErrNoRows) {
			bad("order.tracking.unknown")
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		if s := Status(status); s != Shipped && !CanMove(s, Shipped) {
			bad("order.tracking.not_shippable")
			continue
		}
		p, key, err := planParcel(ctx, q, id, seq)
		if err != nil {
			return nil, nil, err
		}
		if key != "" {
			bad(key)
			continue
		}
		if parcels[p.ParcelID] {
			bad("order.tracking.duplicate_ref")
			continue
		}
		parcels[p.ParcelID] = true
		p.Line, p.OrderID, p.Number, p.Tracking = row.Line, id, number, row.Tracking
		plan = append(plan, p)
	}
	if len(probs) > 0 {
		return nil, probs, nil
	}
	return plan, nil, nil
}

// planParcel finds the parcel seq of an order (0: its only parcel still
// at the shop) and returns a problem key when there is none to ship.
func planParcel(ctx context.Context, q db.Queryer, orderID int64, seq int) (PlannedParcel, string, error) {
	rows, err := q.Query(ctx, `SELECT id, seq, shipped_at FROM shipments WHERE order_id = ? ORDER BY seq, id`, orderID)
	if err != nil {
		return PlannedParcel{}, "", err
	}
	defer rows.Close()
	var found []PlannedParcel
	shippedSeq := false
	for rows.Next() {
		var p PlannedParcel
		var at sql.NullTime
		if err := rows.Scan(&p.ParcelID, &p.Seq, &at); err != nil {
			return PlannedParcel{}, "", err
		}
		if seq != 0 && p.Seq == seq && at.Valid {
			shippedSeq = true
		}
		if !at.Valid && (seq == 0 || p.Seq == seq) {
			found = append(found, p)
		}
	}
	if err := rows.Err(); err != nil {
		return PlannedParcel{}, "", err
	}
	switch {
	case shippedSeq:
		return PlannedParcel{}, "order.tracking.already_shipped", nil
	case len(found) == 1:
		return found[0], "", nil
	case len(found) > 1:
		return PlannedParcel{}, "order.tracking.ambiguous", nil
	case seq == 0:
		return PlannedParcel{}, "order.tracking.already_shipped", nil
	}
	return PlannedParcel{}, "order.tracking.unknown", nil
}

// DraftShipments records a plan as a draft BulkShip job shipping with
// carrier (a delivery method code): one item per order, its parcels and
// tracking numbers in the item's param. Nothing is shipped until
// ApplyDraft.
func DraftShipments(ctx context.Context, tx *db.Tx, job BulkJob, carrier string, plan []PlannedParcel) (int64, error) {
	now := tx.Now()
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO order_bulk_jobs (action, param, note, actor_id, actor, address, status, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, ?) RETURNING id`, BulkShip, carrier, job.Note, job.ActorID, job.Actor, job.Address, now, now).Scan(&id)
	if err != nil {
		return 0, err
	}
	byOrder := map[int64][]string{}
	var order []int64
	for _, p := range plan {
		if _, seen := byOrder[p.OrderID]; !seen {
			order = append(order, p.OrderID)
		}
		byOrder[p.OrderID] = append(byOrder[p.OrderID], strconv.FormatInt(p.ParcelID, 10)+":"+p.Tracking)
	}
	for _, oid := range order {
		if _, err := tx.Exec(ctx, `INSERT INTO order_bulk_items (job_id, order_id, param) VALUES (?, ?, ?)`,
			id, oid, strings.Join(byOrder[oid], ";")); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// ApplyDraft lets a draft job run. Errors: NotFound; Conflict
// "order.tracking.not_draft" for a job already applied.
func ApplyDraft(ctx context.Context, tx *db.Tx, id int64) error {
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE order_bulk_jobs SET status = 'pending', next_attempt_at = ? WHERE id = ? AND status = 'draft'`, tx.Now(), id))
	if err != nil || n == 1 {
		return err
	}
	if _, err := Bulk(ctx, tx, id); err != nil {
		return err
	}
	return shop.Errorf(shop.Conflict, "order.tracking.not_draft")
}

// ShipParcels reads a BulkShip item's param: parcel IDs and tracking
// numbers, in file order.
func ShipParcels(param string) ([]PlannedParcel, error) {
	var out []PlannedParcel
	for _, part := range strings.Split(param, ";") {
		id, tracking, ok := strings.Cut(part, ":")
		pid, err := strconv.ParseInt(id, 10, 64)
		if !ok || err != nil {
			return nil, errors.New("order: bad ship param " + strconv.Quote(param))
		}
		out = append(out, PlannedParcel{ParcelID: pid, Tracking: tracking})
	}
	return out, nil
}
