// Package b2b is the money side of business customers (BtoB 受発注):
// quotes (見積), approval of buyers' orders by their company's approvers,
// and payment on account (掛け払い) with its credit limit, monthly
// invoices, bank reconciliation (入金消込) and overdue blocks. Companies
// and their members are internal/company's; this package reads them
// through one query (memberOf).
package b2b

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/shop"
)

// Roles of a company's members (company_members.role).
const (
	RoleBuyer    = "buyer"
	RoleApprover = "approver"
	RoleAdmin    = "admin"
)

// Member is a signed-in customer's place in a company.
type Member struct {
	CustomerID int64
	CompanyID  int64
	Role       string
	Company    Company
}

// Company is what quotes and invoices need of a company.
type Company struct {
	ID                 int64
	Name, Kana         string
	Registration       string
	Status             string
	Email, Phone       string
	PostalCode         string
	Pref               int
	City, Addr1, Addr2 string
}

// Approves reports whether the member may approve the company's orders.
func (m Member) Approves() bool { return m.Role == RoleApprover || m.Role == RoleAdmin }

// memberOf returns the company the customer belongs to and their role;
// ok is false for a customer of no company. It is the one read of
// internal/company's tables in this package.
func memberOf(ctx context.Context, q db.Queryer, customerID int64) (m Member, ok bool, err error) {
	m.CustomerID = customerID
	c := &m.Company
	err = q.QueryRow(ctx, `SELECT m.company_id, m.role, c.name, c.name_kana, c.registration_number, c.status, c.email, c.phone,
		c.postal_code, c.pref, c.city, c.address1, c.address2
		FROM company_members m JOIN companies c ON c.id = m.company_id WHERE m.customer_id = ?`, customerID).
		Scan(&m.CompanyID, &m.Role, &c.Name, &c.Kana, &c.Registration, &c.Status, &c.Email, &c.Phone, &c.PostalCode, &c.Pref, &c.City, &c.Addr1, &c.Addr2)
	if errors.Is(err, sql.ErrNoRows) {
		return Member{}, false, nil
	}
	if err != nil {
		return Member{}, false, fmt.Errorf("b2b: member: %w", err)
	}
	c.ID = m.CompanyID
	return m, true, nil
}

// companyByID reads one company for the admin screens. Errors: NotFound.
func companyByID(ctx context.Context, q db.Queryer, id int64) (Company, error) {
	c := Company{ID: id}
	err := q.QueryRow(ctx, `SELECT name, name_kana, registration_number, status, email, phone, postal_code, pref, city, address1, address2
		FROM companies WHERE id = ?`, id).Scan(&c.Name, &c.Kana, &c.Registration, &c.Status, &c.Email, &c.Phone, &c.PostalCode, &c.Pref, &c.City, &c.Addr1, &c.Addr2)
	if errors.Is(err, sql.ErrNoRows) {
		return c, shop.ErrNotFound
	}
	return c, err
}

// Approval rules of a company.
const (
	ApproveNone = "none"
	ApproveOver = "over"
	ApproveAll  = "all"
)

// Terms are a company's approval rule and payment terms (company_terms);
// a company without a row has DefaultTerms.
type Terms struct {
	CompanyID    int64
	Approval     string
	ApprovalOver shop.Yen
	OnAccount    bool
	ClosingDay   int // 0: month end
	PayMonths    int
	PayDay       int // 0: month end
	CreditLimit  shop.Yen
	GraceDays    int
	PayerKana    string
}

// DefaultTerms are a company's before the shop sets any: no approval, no
// payment on account.
func DefaultTerms(companyID int64) Terms {
	return Terms{CompanyID: companyID, Approval: ApproveNone, PayMonths: 1, GraceDays: 7}
}

// NeedsApproval reports whether an order of total by a member with role
// waits for an approver. Approvers and company admins order freely.
func (t Terms) NeedsApproval(role string, total shop.Yen) bool {
	if role != RoleBuyer {
		return false
	}
	switch t.Approval {
	case ApproveAll:
		return true
	case ApproveOver:
		return total > t.ApprovalOver
	}
	return false
}

// Check returns field → i18n key for every value out of range.
func (t Terms) Check() map[string]string {
	f := map[string]string{}
	if t.Approval != ApproveNone && t.Approval != ApproveOver && t.Approval != ApproveAll {
		f["approval"] = "b2b.terms.bad_approval"
	}
	if t.ApprovalOver < 0 || t.ApprovalOver > 1_000_000_000_000 {
		f["approval_over"] = "b2b.terms.bad_amount"
	}
	if t.ClosingDay < 0 || t.ClosingDay > 28 {
		f["closing_day"] = "b2b.terms.bad_day"
	}
	if t.PayDay < 0 || t.PayDay > 28 {
		f["pay_day"] = "b2b.terms.bad_day"
	}
	if t.PayMonths < 0 || t.PayMonths > 3 {
		f["pay_months"] = "b2b.terms.bad_months"
	}
	if t.CreditLimit < 0 || t.CreditLimit > 1_000_000_000_000 {
		f["credit_limit"] = "b2b.terms.bad_amount"
	}
	if t.OnAccount && t.CreditLimit == 0 {
		f["credit_limit"] = "b2b.terms.limit_needed"
	}
	if t.GraceDays < 0 || t.GraceDays > 90 {
		f["grace_days"] = "b2b.terms.bad_grace"
	}
	if len([]rune(t.PayerKana)) > 48 {
		f["payer_kana"] = "b2b.terms.bad_kana"
	}
	return f
}

// TermsOf returns the company's terms, DefaultTerms when none are set.
func TermsOf(ctx context.Context, q db.Queryer, companyID int64) (Terms, error) {
	t := Terms{CompanyID: companyID}
	var limit, over int64
	err := q.QueryRow(ctx, `SELECT approval, approval_over, on_account, closing_day, pay_months, pay_day, credit_limit, grace_days, payer_kana
		FROM company_terms WHERE company_id = ?`, companyID).
		Scan(&t.Approval, &over, &t.OnAccount, &t.ClosingDay, &t.PayMonths, &t.PayDay, &limit, &t.GraceDays, &t.PayerKana)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultTerms(companyID), nil
	}
	t.ApprovalOver, t.CreditLimit = shop.Yen(over), shop.Yen(limit)
	return t, err
}

// SaveTerms writes t. Errors: Invalid with the fields of Check.
func SaveTerms(ctx context.Context, tx *db.Tx, t Terms) error {
	if f := t.Check(); len(f) > 0 {
		return shop.Invalidf(f)
	}
	_, err := tx.Exec(ctx, `INSERT INTO company_terms (company_id, approval, approval_over, on_account, closing_day, pay_months, pay_day, credit_limit, grace_days, payer_kana, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (company_id) DO UPDATE SET approval = excluded.approval, approval_over = excluded.approval_over,
		on_account = excluded.on_account, closing_day = excluded.closing_day, pay_months = excluded.pay_months,
		pay_day = excluded.pay_day, credit_limit = excluded.credit_limit, grace_days = excluded.grace_days,
		payer_kana = excluded.payer_kana, updated_at = excluded.updated_at`,
		t.CompanyID, t.Approval, int64(t.ApprovalOver), t.OnAccount, t.ClosingDay, t.PayMonths, t.PayDay, int64(t.CreditLimit), t.GraceDays, t.PayerKana, tx.Now())
	return err
}

// Closes reports whether the company's books close on d.
func (t Terms) Closes(d calendar.Date) bool {
	if t.ClosingDay == 0 {
		return d.AddDays(1).Time().Day() == 1
	}
	return d.Time().Day() == t.ClosingDay
}

// PeriodFrom is the first day of the period that closes on to.
func (t Terms) PeriodFrom(to calendar.Date) calendar.Date {
	tt := to.Time()
	if t.ClosingDay == 0 {
		return calendar.NewDate(tt.Year(), tt.Month(), 1)
	}
	return calendar.NewDate(tt.Year(), tt.Month()-1, t.ClosingDay+1)
}

// Due is the payment date of the period closing on to: PayMonths later,
// on PayDay or that month's end.
func (t Terms) Due(to calendar.Date) calendar.Date {
	tt := to.Time()
	if t.PayDay == 0 {
		// Day 0 of the month after is the last day of the month wanted.
		return calendar.DateOf(time.Date(tt.Year(), tt.Month()+time.Month(t.PayMonths)+1, 0, 12, 0, 0, 0, calendar.Tokyo()))
	}
	return calendar.NewDate(tt.Year(), tt.Month()+time.Month(t.PayMonths), t.PayDay)
}

// Text names the payment terms as people say them: 月末締め翌月末払い,
// "closing at month end, due at the end of the next month".
func (t Terms) Text(lang i18n.Lang) string {
	if lang == i18n.English {
		c := "closing at month end"
		if t.ClosingDay > 0 {
			c = fmt.Sprintf("closing on day %d", t.ClosingDay)
		}
		m := [...]string{"the same month", "the next month", "the month after next", "three months later"}[t.PayMonths]
		if t.PayDay == 0 {
			return c + ", due at the end of " + m
		}
		return fmt.Sprintf("%s, due on day %d of %s", c, t.PayDay, m)
	}
	c := "月末締め"
	if t.ClosingDay > 0 {
		c = fmt.Sprintf("%d日締め", t.ClosingDay)
	}
	m := [...]string{"当月", "翌月", "翌々月", "3か月後の"}[t.PayMonths]
	if t.PayDay == 0 {
		return c + m + "末払い"
	}
	return fmt.Sprintf("%s%s%d日払い", c, m, t.PayDay)
}
