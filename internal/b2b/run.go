package b2b

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/lease"
	"github.com/akinai/akinai/internal/shop"
)

// Run is one month-end invoicing job (invoice_runs).
type Run struct {
	ID          int64
	ClosingDate string
	Companies   int
	Done        int
	Invoices    int
	Status      string // pending, done, failed
	LastError   string
	Actor       string
	CreatedAt   time.Time
	FinishedAt  *time.Time
}

// Percent is the share of companies handled.
func (r *Run) Percent() int {
	if r.Companies == 0 {
		return 100
	}
	return r.Done * 100 / r.Companies
}

// closingFilter is the SQL condition and arguments selecting the
// companies on account whose books close on d.
func closingFilter(d calendar.Date) (string, []any) {
	monthEnd := -1
	if d.AddDays(1).Day == 1 {
		monthEnd = 0
	}
	return `on_account = ? AND (closing_day = ? OR closing_day = ?)`, []any{true, d.Day, monthEnd}
}

// StartRun queues the invoicing of every company on account whose books
// close on d. Errors: Invalid "b2b.run.future" for a day after today
// (its orders are not all in yet); Conflict "b2b.run.running" while a
// run for that day is under way.
func StartRun(ctx context.Context, tx *db.Tx, d calendar.Date, actor string) (int64, error) {
	if calendar.DateOf(tx.Now()).Before(d) {
		return 0, shop.Invalidf(map[string]string{"closing_date": "b2b.run.future"})
	}
	var busy int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM invoice_runs WHERE closing_date = ? AND status = 'pending'`, d.String()).Scan(&busy); err != nil {
		return 0, err
	}
	if busy > 0 {
		return 0, shop.Errorf(shop.Conflict, "b2b.run.running")
	}
	cond, args := closingFilter(d)
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM company_terms WHERE `+cond, args...).Scan(&n); err != nil {
		return 0, err
	}
	var id int64
	now := tx.Now()
	err := tx.QueryRow(ctx, `INSERT INTO invoice_runs (closing_date, companies, actor, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		d.String(), n, actor, now, now).Scan(&id)
	return id, err
}

// Runs lists the latest runs, newest first.
func Runs(ctx context.Context, q db.Queryer, limit int) ([]*Run, error) {
	rows, err := q.Query(ctx, `SELECT id, closing_date, companies, done, invoices, status, last_error, actor, created_at, finished_at
		FROM invoice_runs ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Run
	for rows.Next() {
		r := &Run{}
		var fin sql.NullTime
		if err := rows.Scan(&r.ID, &r.ClosingDate, &r.Companies, &r.Done, &r.Invoices, &r.Status, &r.LastError, &r.Actor, &r.CreatedAt, &fin); err != nil {
			return nil, err
		}
		if fin.Valid {
			r.FinishedAt = &fin.Time
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RunWorker does the invoicing runs on the lease protocol: a run is
// claimed, Slice companies are invoiced (each in its own transaction,
// which also moves the run's progress on), and the run is given back for
// the next slice, so a killed worker loses at most one company's work
// and another instance resumes after the last company done.
type RunWorker struct {
	Service  *Service
	Instance string
	Slice    int // companies per claim, 50 by default
	Poll     time.Duration
	Log      *slog.Logger
}

func (w *RunWorker) queue() *lease.Queue {
	return &lease.Queue{Table: "invoice_runs", Done: "done", DoneAt: "finished_at", Dead: "failed", Instance: w.Instance,
		Lease: 2 * time.Minute, Batch: 1, MaxAttempts: 5, BaseDelay: 10 * time.Second, MaxDelay: 10 * time.Minute}
}

// Run works until ctx ends.
func (w *RunWorker) Run(ctx context.Context) {
	poll := w.Poll
	if poll == 0 {
		poll = 5 * time.Second
	}
	lease.Run(ctx, 1, poll, w.Once, func(err error) { w.Log.Error("b2b: invoice run", "err", err) })
}

// Once does one slice of one due run and returns 1, or 0 when none is due.
func (w *RunWorker) Once(ctx context.Context) (int, error) {
	s, q := w.Service, w.queue()
	var job lease.Job
	var closing string
	var last int64
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		jobs, err := q.Claim(ctx, tx)
		if err != nil || len(jobs) == 0 {
			return err
		}
		job = jobs[0]
		return tx.QueryRow(ctx, `SELECT closing_date, last_company FROM invoice_runs WHERE id = ?`, job.ID).Scan(&closing, &last)
	})
	if err != nil || job.ID == 0 {
		return 0, err
	}
	done, err := w.slice(ctx, job, closing, last)
	err = s.DB.Tx(context.WithoutCancel(ctx), func(tx *db.Tx) error {
		switch {
		case err != nil:
			_, ferr := q.Fail(ctx, tx, job, err.Error(), false)
			return ferr
		case done:
			return q.Finish(ctx, tx, job)
		}
		_, rerr := q.Release(ctx, tx, job)
		return rerr
	})
	return 1, err
}

// slice invoices up to Slice companies after last; done is true when no
// company is left.
func (w *RunWorker) slice(ctx context.Context, job lease.Job, closing string, last int64) (bool, error) {
	s := w.Service
	d, err := calendar.ParseDate(closing)
	if err != nil {
		return false, err
	}
	sh, err := s.Settings.Shop(ctx)
	if err != nil {
		return false, err
	}
	n := w.Slice
	if n <= 0 {
		n = 50
	}
	cond, args := closingFilter(d)
	rows, err := s.DB.Query(ctx, `SELECT company_id FROM company_terms WHERE `+cond+` AND company_id > ? ORDER BY company_id LIMIT ?`, append(args, last, n)...)
	if err != nil {
		return false, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return false, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, err
	}
	for _, id := range ids {
		if job.Late(time.Now()) {
			return false, nil
		}
		t, err := TermsOf(ctx, s.DB, id)
		if err != nil {
			return false, err
		}
		c, err := companyByID(ctx, s.DB, id)
		if err != nil {
			return false, err
		}
		err = s.DB.Tx(ctx, func(tx *db.Tx) error {
			inv, err := invoiceCompany(ctx, tx, id, t, d, sh.Rounding, sh.InvoiceNumber, job.ID)
			if err != nil {
				return err
			}
			made := 0
			if inv != nil {
				made = 1
				if err := s.mailInvoice(ctx, tx, c, inv); err != nil {
					return err
				}
			}
			n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE invoice_runs SET done = done + 1, invoices = invoices + ?, last_company = ?
				WHERE id = ? AND locked_by = ?`, made, id, job.ID, w.Instance))
			if err == nil && n != 1 {
				return errLeaseLost
			}
			return err
		})
		if errors.Is(err, errLeaseLost) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("company %d: %w", id, err)
		}
	}
	return len(ids) < n, nil
}

var errLeaseLost = errors.New("b2b: lease lost")

// mailInvoice tells the company's admins (or, with none, every member)
// that the invoice is ready.
func (s *Service) mailInvoice(ctx context.Context, tx *db.Tx, c Company, inv *Invoice) error {
	to, err := companyPeople(ctx, tx, c.ID, RoleAdmin)
	if err == nil && len(to) == 0 {
		to, err = companyPeople(ctx, tx, c.ID, RoleAdmin, RoleApprover, RoleBuyer)
	}
	if err != nil {
		return err
	}
	for _, id := range to {
		if err := mailCustomer(ctx, tx, "b2b_invoice_issued", id, MailData{Company: c.Name, Number: inv.Number,
			Total: "¥" + inv.Total.String(), Date: inv.Due, URL: s.BaseURL + "/mypage/b2b/invoices/" + itoa(inv.ID)}); err != nil {
			return err
		}
	}
	return nil
}
