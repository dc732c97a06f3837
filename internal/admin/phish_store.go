package admin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/phishcheck"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/web"
)

// maxStored bounds the raw mail kept with a case; the hash covers all of
// it.
const maxStored = 1 << 20

// PhishCase is a saved checker result.
type PhishCase struct {
	ID         int64
	Kind       string
	SHA256     string
	Size       int64
	Truncated  bool
	Verdict    string
	Score      int
	Reasons    []phishcheck.Reason
	Subject    string
	From       string
	AdminEmail string
	CreatedAt  time.Time
}

// savePhishCase stores a case in tx and returns its ID.
func savePhishCase(ctx context.Context, tx *db.Tx, in input, rep phishcheck.Report, a *Admin) (int64, error) {
	raw := in.raw
	if in.kind == "url" {
		raw = []byte(in.url)
	}
	sum := sha256.Sum256(raw)
	stored, truncated := raw, false
	if len(stored) > maxStored {
		stored, truncated = stored[:maxStored], true
	}
	reasons, err := json.Marshal(rep.Reasons)
	if err != nil {
		return 0, err
	}
	var id int64
	err = tx.QueryRow(ctx, `INSERT INTO phish_reports (kind, sha256, size, raw, truncated, verdict, score, reasons, subject, from_addr, admin_id, admin_email, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		in.kind, hex.EncodeToString(sum[:]), len(raw), stored, truncated, string(rep.Verdict), rep.Score, string(reasons),
		clip(rep.Subject, 300), clip(rep.From, 300), a.ID, a.Email, tx.Now()).Scan(&id)
	return id, err
}

// phishCases lists the newest cases; adminID > 0 limits them to one
// admin's.
func phishCases(ctx context.Context, q db.Queryer, adminID int64) ([]PhishCase, error) {
	rows, err := q.Query(ctx, `SELECT id, kind, sha256, size, truncated, verdict, score, reasons, subject, from_addr, admin_email, created_at
		FROM phish_reports WHERE ? = 0 OR admin_id = ? ORDER BY id DESC LIMIT 200`, adminID, adminID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PhishCase
	for rows.Next() {
		var c PhishCase
		var reasons string
		if err := rows.Scan(&c.ID, &c.Kind, &c.SHA256, &c.Size, &c.Truncated, &c.Verdict, &c.Score, &reasons, &c.Subject, &c.From, &c.AdminEmail, &c.CreatedAt); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(reasons), &c.Reasons); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// reportInfo is where to report phishing: the national points are fixed
// text and links (the server contacts none of them); the vendor's
// contact comes from the settings.
type reportInfo struct {
	Vendor string
}

func (p *MailPages) reportInfo(ctx context.Context) (reportInfo, error) {
	v, err := p.H.Settings.Get(ctx, settings.VendorContact)
	return reportInfo{Vendor: v}, err
}

// phishReport checks the input again (the verdict is never taken from
// the form) and saves the case. POST /{admin}/phish/report
func (p *MailPages) phishReport(w http.ResponseWriter, r *http.Request) error {
	in, fields, status := readInput(r)
	if fields != nil {
		return p.renderPhish(w, r, status, &phishPage{Raw: r.PostFormValue("raw"), URL: r.PostFormValue("url"), Fields: fields})
	}
	ctx := r.Context()
	rep, err := p.check(ctx, r, in)
	if err != nil {
		return err
	}
	a := Current(r)
	err = p.H.DB.Tx(ctx, func(tx *db.Tx) error {
		id, err := savePhishCase(ctx, tx, in, rep, a)
		if err != nil {
			return err
		}
		_, err = audit.Append(ctx, tx, AuditEntry(r, "phish.reported", "", map[string]any{"case": id, "verdict": string(rep.Verdict), "kind": in.kind}))
		return err
	})
	if err != nil {
		return err
	}
	web.SetFlash(w, r, "admin.phish.reported")
	http.Redirect(w, r, p.H.base+"/phish/reports", http.StatusSeeOther)
	return nil
}

type phishReportsPage struct {
	Cases     []PhishCase
	All       bool
	Reporting reportInfo
}

// phishReports lists saved cases: all of them for the mail area's
// readers, one's own for everyone else. GET /{admin}/phish/reports
func (p *MailPages) phishReports(w http.ResponseWriter, r *http.Request) error {
	a := Current(r)
	all := a.Can(AreaMail, Read)
	who := a.ID
	if all {
		who = 0
	}
	cases, err := phishCases(r.Context(), p.H.DB, who)
	if err != nil {
		return err
	}
	info, err := p.reportInfo(r.Context())
	if err != nil {
		return err
	}
	return p.H.Page(w, r, http.StatusOK, "admin_phish_reports", "admin.phish.reports_title", &phishReportsPage{Cases: cases, All: all, Reporting: info})
}
