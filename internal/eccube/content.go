package eccube

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/db"
)

// paymentKind tells which Akinai payment an EC-CUBE payment method is, by
// its method class and name; "" for one Akinai does not take (郵便振替,
// 現金書留, a gateway plugin's own method).
func paymentKind(name, class string) string {
	switch {
	case strings.Contains(name, "銀行振込"):
		return "bank_transfer"
	case strings.Contains(name, "代金引換") || strings.Contains(name, "代引"):
		return "cod"
	case strings.Contains(class, "CreditCard") || strings.Contains(name, "クレジット"):
		return "card"
	case strings.Contains(name, "コンビニ"):
		return "konbini"
	}
	return ""
}

// importPayments maps EC-CUBE's payment methods onto Akinai's: the ones
// Akinai takes get EC-CUBE's fee and amount limits; the others are kept,
// switched off, so past orders still show their name, and are listed as
// needing attention.
func (im *Importer) importPayments(ctx context.Context) error {
	type payment struct {
		ID               int64
		Name, Class      text
		Charge, Min, Max num
		Visible          flag
	}
	var ps []payment
	err := im.Source.each(ctx, `SELECT id, payment_method, method_class, charge, rule_min, rule_max, visible FROM dtb_payment ORDER BY sort_no, id`, nil, func(sc func(...any) error) error {
		var p payment
		if err := sc(&p.ID, &p.Name, &p.Class, &p.Charge, &p.Min, &p.Max, &p.Visible); err != nil {
			return err
		}
		ps = append(ps, p)
		return nil
	})
	if err != nil {
		return err
	}
	im.payments = map[int64]string{}
	for i, p := range ps {
		im.rep.seen("payment")
		kind := paymentKind(p.Name.S, p.Class.S)
		code := kind
		if kind == "" {
			code = "eccube_" + strconv.FormatInt(p.ID, 10)
			im.rep.warn("payment", p.ID, "%s (%s) is not a payment Akinai takes: kept switched off so past orders show it; choose what replaces it", p.Name.S, p.Class.S)
		} else if kind == "card" {
			im.rep.warn("payment", p.ID, "%s: card payments on Akinai go through Stripe; set the keys in 設定 > 決済 before switching it on", p.Name.S)
		}
		im.payments[p.ID] = code
		if im.DryRun {
			im.rep.imported("payment")
			continue
		}
		im.unit(ctx, "payment", p.ID, func(tx *db.Tx) ([]func(), error) {
			active := bool(p.Visible) && kind != "" && kind != "card"
			var n int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM payment_methods WHERE code = ?`, code).Scan(&n); err != nil {
				return nil, err
			}
			if n > 0 {
				_, err := tx.Exec(ctx, `UPDATE payment_methods SET fee = ?, min_amount = ?, max_amount = ?, active = ? WHERE code = ?`,
					max0(p.Charge.Int()), max0(p.Min.Int()), max0(p.Max.Int()), active, code)
				im.rep.updated("payment")
				return nil, err
			}
			k := kind
			if k == "" {
				k = "manual"
			}
			_, err := tx.Exec(ctx, `INSERT INTO payment_methods (code, name_ja, name_en, fee, min_amount, max_amount, active, sort_order, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				code, p.Name.S, p.Name.S, max0(p.Charge.Int()), max0(p.Min.Int()), max0(p.Max.Int()), active, 100+i, k)
			im.rep.imported("payment")
			return nil, err
		})
	}
	return nil
}

func max0(n int64) int64 {
	if n < 0 {
		return 0
	}
	return n
}

// importNews brings the news items (新着情報) over.
func (im *Importer) importNews(ctx context.Context) error {
	return im.Source.each(ctx, `SELECT id, title, description, url, publish_date, visible, create_date, update_date FROM dtb_news ORDER BY id`, nil, func(sc func(...any) error) error {
		var nid int64
		var title, desc, url text
		var pub, created, updated stamp
		var visible flag
		if err := sc(&nid, &title, &desc, &url, &pub, &visible, &created, &updated); err != nil {
			return err
		}
		im.rep.seen("news")
		im.checkText("news", nid, "title", title)
		if title.S == "" {
			im.rep.refuse("news", nid, "no title")
			return nil
		}
		if u, ok := safeHref(url.S); ok {
			url.S = u
		} else {
			url.S = ""
		}
		existing, had := im.mapped("news", nid)
		if im.DryRun {
			im.rep.done("news", had)
			return nil
		}
		// Written through the target only: the source's read transaction
		// stays open while this runs, which both engines allow.
		im.unit(ctx, "news", nid, func(tx *db.Tx) ([]func(), error) {
			body := HTMLToMarkup(desc.S)
			when := pub.or(created.or(tx.Now()))
			if had {
				_, err := tx.Exec(ctx, `UPDATE news SET title_ja = ?, body_ja = ?, url = ?, published_at = ?, visible = ?, updated_at = ? WHERE id = ?`,
					title.S, body, url.S, when, bool(visible), tx.Now(), existing)
				im.rep.done("news", true)
				return nil, err
			}
			var n int64
			if err := tx.QueryRow(ctx, `INSERT INTO news (title_ja, body_ja, url, published_at, visible, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				title.S, body, url.S, when, bool(visible), created.or(when), updated.or(when)).Scan(&n); err != nil {
				return nil, err
			}
			f, err := im.remember(ctx, tx, "news", nid, n)
			im.rep.done("news", false)
			return []func(){f}, err
		})
		return nil
	})
}

var pageSlugRE = regexp.MustCompile(`[^a-z0-9-]+`)

// importPages brings the shop's own pages (ページ管理, edit_type 0:
// /user_data/{url}) over. EC-CUBE keeps their content in twig files, not
// in the database: with Templates set (app/template/<theme>) the file
// user_data/<file_name>.twig is read and its text kept; without it the
// page is listed to be written by hand.
func (im *Importer) importPages(ctx context.Context) error {
	type page struct {
		ID        int64
		Name, URL text
		File      text
	}
	var ps []page
	err := im.Source.each(ctx, `SELECT id, page_name, url, `+im.Source.col("dtb_page", "file_name", "''")+` FROM dtb_page WHERE edit_type = 0 ORDER BY id`, nil, func(sc func(...any) error) error {
		var p page
		if err := sc(&p.ID, &p.Name, &p.URL, &p.File); err != nil {
			return err
		}
		ps = append(ps, p)
		return nil
	})
	if err != nil {
		return err
	}
	for i, p := range ps {
		im.rep.seen("page")
		slug := strings.Trim(pageSlugRE.ReplaceAllString(strings.ToLower(p.URL.S), "-"), "-")
		if slug == "" {
			slug = "page-" + strconv.FormatInt(p.ID, 10)
		}
		if im.Templates == "" {
			im.rep.refuse("page", p.ID, "%s (/user_data/%s): its content is in a template file; pass --templates app/template/default or write it by hand", p.Name.S, p.URL.S)
			continue
		}
		file := p.File.S
		if file == "" {
			file = p.URL.S
		}
		src, err := os.ReadFile(filepath.Join(im.Templates, "user_data", filepath.Base(file)+".twig"))
		if err != nil {
			im.rep.refuse("page", p.ID, "%s: %v", p.Name.S, err)
			continue
		}
		body := HTMLToMarkup(stripTwig(string(src)))
		if im.DryRun {
			im.rep.imported("page")
			continue
		}
		im.unit(ctx, "page", p.ID, func(tx *db.Tx) ([]func(), error) {
			existed, err := upsertPage(ctx, tx, slug, p.Name.S, body, 10+i)
			im.rep.done("page", existed)
			if err != nil {
				return nil, err
			}
			var n int64
			if err := tx.QueryRow(ctx, `SELECT id FROM pages WHERE slug = ?`, slug).Scan(&n); err != nil {
				return nil, err
			}
			f, err := im.remember(ctx, tx, "page_url", p.URL.S, n)
			return []func(){f}, err
		})
	}
	return nil
}

var twigRE = regexp.MustCompile(`(?s)\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}`)

// stripTwig drops twig tags, comments and expressions, keeping the HTML.
func stripTwig(s string) string { return twigRE.ReplaceAllString(s, "") }

// listAdmins reports EC-CUBE's admins. They are not carried over: their
// passwords would be a way around passkeys, and dtb_member holds no
// e-mail address to invite them by. Each line gives the command that
// invites the admin (a one-time password printed once; the admin must
// enrol a passkey at first sign-in).
func (im *Importer) listAdmins(ctx context.Context) error {
	return im.Source.each(ctx, `SELECT id, name, login_id, work_id, authority_id FROM dtb_member ORDER BY id`, nil, func(sc func(...any) error) error {
		var mid int64
		var name, login text
		var work, authority id
		if err := sc(&mid, &name, &login, &work, &authority); err != nil {
			return err
		}
		im.rep.seen("admin")
		if work.V != 1 {
			im.rep.skipped("admin")
			return nil
		}
		// mtb_authority: 0 システム管理者, 1 店舗オーナー; others are the
		// shop's own roles.
		role := map[int64]string{0: "owner", 1: "manager"}[authority.V]
		if role == "" {
			role = "staff"
		}
		im.rep.warn("admin", mid, "%s (login %s) is not carried over: invite with  akinai admin create --email <their address> --name %q --role %s  (they enrol a passkey at first sign-in)", name.S, login.S, name.S, role)
		return nil
	})
}

// mailTemplates maps EC-CUBE's mail templates (dtb_mail_template, by
// file) to Akinai's mail events where the mail means the same.
var mailTemplates = map[string]string{
	"Mail/order.twig":                  "order_confirmation",
	"Mail/entry_confirm.twig":          "customer_confirm",
	"Mail/entry_complete.twig":         "customer_welcome",
	"Mail/customer_withdraw_mail.twig": "customer_withdrawn",
	"Mail/contact_mail.twig":           "inquiry_ack",
	"Mail/forgot_mail.twig":            "customer_reset",
	"Mail/reset_complete_mail.twig":    "customer_password_changed",
	"Mail/shipping_notify.twig":        "order_shipped",
	"Mail/customer_change_notify.twig": "customer_profile_changed",
}

// listMailTemplates lists EC-CUBE's mail templates with the Akinai mail
// that takes their place. Their bodies are twig files on the old server
// written for EC-CUBE's variables, so they are not copied: the subject
// line is given for the operator to carry over in 設定 > メール.
func (im *Importer) listMailTemplates(ctx context.Context) error {
	return im.Source.each(ctx, `SELECT id, name, file_name, mail_subject FROM dtb_mail_template ORDER BY id`, nil, func(sc func(...any) error) error {
		var tid int64
		var name, file, subject text
		if err := sc(&tid, &name, &file, &subject); err != nil {
			return err
		}
		im.rep.seen("mail_template")
		if ev, ok := mailTemplates[file.S]; ok {
			im.rep.warn("mail_template", tid, "%s → Akinai mail %s; EC-CUBE subject %q", name.S, ev, subject.S)
		} else {
			im.rep.skipped("mail_template")
			im.rep.warn("mail_template", tid, "%s (%s) has no Akinai counterpart", name.S, file.S)
		}
		return nil
	})
}
