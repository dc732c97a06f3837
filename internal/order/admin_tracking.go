package order

import (
	"context"
	"net/http"
	"strconv"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// MaxTrackingUpload is the tracking file's body limit.
const MaxTrackingUpload = 4 << 20

// carrierChoice is a delivery method offered as the import's carrier.
type carrierChoice struct{ Code, NameJA, NameEN string }

func carrierChoices(ctx context.Context, q db.Queryer) ([]carrierChoice, error) {
	rows, err := q.Query(ctx, `SELECT code, name_ja, name_en FROM delivery_methods ORDER BY sort_order, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []carrierChoice
	for rows.Next() {
		var c carrierChoice
		if err := rows.Scan(&c.Code, &c.NameJA, &c.NameEN); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

type trackingPage struct {
	Carriers []carrierChoice
	Carrier  string
	Problems []TrackingProblem
	Plan     []PlannedParcel
	Orders   int
	Draft    int64 // the draft job to apply, after a clean dry run
	Error    string
}

// trackingForm shows the tracking import's upload form.
// GET /{admin}/orders/tracking
func (p *AdminPages) trackingForm(w http.ResponseWriter, r *http.Request) error {
	cs, err := carrierChoices(r.Context(), p.DB)
	if err != nil {
		return err
	}
	return p.Shell.Page(w, r, http.StatusOK, "admin_order_tracking", "order.tracking.title", &trackingPage{Carriers: cs})
}

// trackingDryRun reads an uploaded tracking file and shows what it would
// do: a line per problem (and nothing written), or the parcels it will
// ship, saved as a draft job the admin then applies. The file is
// read as it is uploaded (csvfile detects UTF-8 or Shift_JIS).
// POST /{admin}/orders/tracking
func (p *AdminPages) trackingDryRun(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	cs, err := carrierChoices(ctx, p.DB)
	if err != nil {
		return err
	}
	pg := &trackingPage{Carriers: cs, Carrier: r.FormValue("carrier")}
	known := false
	for _, c := range cs {
		known = known || c.Code == pg.Carrier
	}
	refuse := func(err error) error {
		pg.Error = web.Message(r, err)
		return p.Shell.Page(w, r, web.Status(err), "admin_order_tracking", "order.tracking.title", pg)
	}
	if !known {
		return refuse(shop.Invalidf(map[string]string{"carrier": "order.tracking.bad_carrier"}))
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		return refuse(shop.Invalidf(map[string]string{"file": "order.tracking.no_file"}))
	}
	defer file.Close()
	rows, probs := ParseTracking(file)
	if len(probs) == 0 {
		if pg.Plan, probs, err = PlanTracking(ctx, p.DB, rows); err != nil {
			return err
		}
	}
	if len(probs) > 0 {
		pg.Problems = probs
		return refuse(shop.Errorf(shop.Invalid, "order.tracking.problems", len(probs)))
	}
	seen := map[int64]bool{}
	for _, pp := range pg.Plan {
		if !seen[pp.OrderID] {
			seen[pp.OrderID], pg.Orders = true, pg.Orders+1
		}
	}
	actorID, actor := p.Shell.Actor(r)
	err = p.DB.Tx(ctx, func(tx *db.Tx) (err error) {
		pg.Draft, err = DraftShipments(ctx, tx, BulkJob{ActorID: actorID, Actor: actor, Address: web.Info(r).ClientIP.String()}, pg.Carrier, pg.Plan)
		return err
	})
	if err != nil {
		return err
	}
	return p.Shell.Page(w, r, http.StatusOK, "admin_order_tracking", "order.tracking.title", pg)
}

// trackingApply starts a dry run's draft: the parcels are shipped and
// the notices queued by the bulk worker, with progress on the job's page.
// POST /{admin}/orders/tracking/{id}/apply
func (p *AdminPages) trackingApply(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return shop.ErrNotFound
	}
	err = p.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := ApplyDraft(ctx, tx, id); err != nil {
			return err
		}
		_, err := audit.Append(ctx, tx, p.Shell.Audit(r, "order.tracking_imported", strconv.FormatInt(id, 10), nil))
		return err
	})
	if err != nil {
		return err
	}
	return p.Shell.Done(w, r, "order.tracking.applied", "/order-bulk/"+strconv.FormatInt(id, 10))
}
