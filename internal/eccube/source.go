// Package eccube moves an EC-CUBE 4.x shop (4.0 to 4.3) onto Akinai: it
// reads the old shop's database (MySQL/MariaDB or PostgreSQL) through a
// read-only connection, checks every row, reports what it cannot bring
// over and why (the dry run), and imports the rest — each product, each
// customer and each order in its own transaction, with a mapping table
// (eccube_map) that makes a second run update instead of duplicate. It
// also verifies imported customers' EC-CUBE passwords at their first
// sign-in (password.go) and answers the old shop's URLs with 301s
// (redirect.go). docs/MIGRATING.md is the operator's guide.
package eccube

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL sources
)

// Source is an open EC-CUBE database. Every read runs in a read-only
// transaction, so the importer cannot change the old shop even when the
// account it was given could.
type Source struct {
	db      *sql.DB
	pg      bool
	Version string              // "4.0", "4.1" or "4.2+" (4.2 and 4.3 share their tables)
	columns map[string]bool     // "table.column" present in the database
	tables  map[string]struct{} // tables present
}

// ErrSource wraps every error about the source database: the message is
// meant for the operator's terminal as it stands.
var ErrSource = errors.New("EC-CUBE database")

func sourceErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrSource, fmt.Sprintf(format, a...))
}

// Open connects to the EC-CUBE database named by rawURL — EC-CUBE's own
// DATABASE_URL form: mysql://user:pass@host:3306/db (mariadb:// too;
// ?socket=/path for a Unix socket) or postgres://user:pass@host/db
// (pgsql://, postgresql://) — and checks that it holds an EC-CUBE 4 shop
// with every table and column the import reads.
func Open(ctx context.Context, rawURL string) (*Source, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" && u.Query().Get("socket") == "" {
		return nil, sourceErr("the URL must look like mysql://user:password@host:3306/database or postgres://user:password@host:5432/database")
	}
	s := &Source{}
	switch u.Scheme {
	case "mysql", "mariadb":
		cfg := mysql.NewConfig()
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
		cfg.DBName = strings.TrimPrefix(u.Path, "/")
		if sock := u.Query().Get("socket"); sock != "" {
			cfg.Net, cfg.Addr = "unix", sock
		} else {
			host := u.Host
			if u.Port() == "" {
				host = net.JoinHostPort(u.Hostname(), "3306")
			}
			cfg.Net, cfg.Addr = "tcp", host
		}
		cfg.Timeout = 10 * time.Second
		cfg.Apply(mysql.Charset("utf8mb4", ""))
		cfg.Loc = time.UTC
		conn, err := mysql.NewConnector(cfg)
		if err != nil {
			return nil, sourceErr("%v", err)
		}
		s.db = sql.OpenDB(conn)
	case "postgres", "postgresql", "pgsql":
		u.Scheme = "postgres"
		q := u.Query()
		if q.Get("connect_timeout") == "" {
			q.Set("connect_timeout", "10")
			u.RawQuery = q.Encode()
		}
		s.db, err = sql.Open("pgx", u.String())
		if err != nil {
			return nil, sourceErr("%v", err)
		}
		s.pg = true
	default:
		return nil, sourceErr("unsupported scheme %q: use mysql:// (MariaDB too) or postgres://", u.Scheme)
	}
	s.db.SetMaxOpenConns(4)
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return nil, sourceErr("cannot connect to %s: %s", u.Redacted(), connectHint(err))
	}
	if err := s.inspect(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

// connectHint turns a driver's error into the line the operator needs.
func connectHint(err error) string {
	msg := err.Error()
	var me *mysql.MySQLError
	switch {
	case errors.As(err, &me) && me.Number == 1045, strings.Contains(msg, "password authentication failed"):
		return "wrong user name or password (" + msg + ")"
	case errors.As(err, &me) && me.Number == 1049, strings.Contains(msg, "does not exist"):
		return "no such database (" + msg + ")"
	case strings.Contains(msg, "connection refused"), strings.Contains(msg, "no such host"), strings.Contains(msg, "i/o timeout"), strings.Contains(msg, "timeout"):
		return "the server is not reachable (" + msg + ")"
	}
	return msg
}

// Close closes the connection.
func (s *Source) Close() error { return s.db.Close() }

// required lists the columns the import reads, by table. A shop missing
// one (a damaged schema, or not EC-CUBE 4) is refused before anything is
// read, naming what is missing.
var required = map[string][]string{
	"dtb_base_info":        {"id", "company_name", "shop_name", "email01", "phone_number", "postal_code", "pref_id", "addr01", "addr02", "business_hour", "option_product_tax_rule"},
	"dtb_category":         {"id", "parent_category_id", "category_name", "hierarchy", "sort_no"},
	"dtb_tag":              {"id", "name", "sort_no"},
	"dtb_class_name":       {"id", "backend_name", "name", "sort_no"},
	"dtb_class_category":   {"id", "class_name_id", "name", "sort_no", "visible"},
	"dtb_product":          {"id", "product_status_id", "name", "description_list", "description_detail", "search_word", "free_area", "create_date", "update_date"},
	"dtb_product_class":    {"id", "product_id", "class_category_id1", "class_category_id2", "product_code", "stock", "stock_unlimited", "sale_limit", "price01", "price02", "visible"},
	"dtb_product_image":    {"id", "product_id", "file_name", "sort_no"},
	"dtb_product_category": {"product_id", "category_id"},
	"dtb_product_tag":      {"id", "product_id", "tag_id"},
	"dtb_tax_rule":         {"id", "product_id", "product_class_id", "tax_rate", "apply_date"},
	"dtb_customer":         {"id", "customer_status_id", "sex_id", "pref_id", "name01", "name02", "kana01", "kana02", "company_name", "postal_code", "addr01", "addr02", "email", "phone_number", "birth", "password", "salt", "point", "note", "create_date", "update_date"},
	"dtb_customer_address": {"id", "customer_id", "pref_id", "name01", "name02", "kana01", "kana02", "postal_code", "addr01", "addr02", "phone_number", "create_date"},
	"dtb_order":            {"id", "customer_id", "order_status_id", "payment_id", "order_no", "name01", "name02", "kana01", "kana02", "email", "phone_number", "postal_code", "pref_id", "addr01", "addr02", "subtotal", "discount", "delivery_fee_total", "charge", "payment_total", "payment_method", "note", "order_date", "create_date", "update_date"},
	"dtb_order_item":       {"id", "order_id", "product_id", "product_class_id", "shipping_id", "order_item_type_id", "tax_type_id", "tax_display_type_id", "product_name", "product_code", "class_category_name1", "class_category_name2", "price", "quantity", "tax", "tax_rate"},
	"dtb_shipping":         {"id", "order_id", "delivery_id", "pref_id", "name01", "name02", "kana01", "kana02", "phone_number", "postal_code", "addr01", "addr02", "delivery_name", "time_id", "delivery_time", "delivery_date", "shipping_date", "tracking_number", "sort_no"},
	"dtb_delivery":         {"id", "name", "service_name", "confirm_url", "sort_no", "visible"},
	"dtb_delivery_fee":     {"id", "delivery_id", "pref_id", "fee"},
	"dtb_delivery_time":    {"id", "delivery_id", "delivery_time", "sort_no", "visible"},
	"dtb_payment":          {"id", "payment_method", "charge", "rule_min", "rule_max", "method_class", "sort_no", "visible"},
	"dtb_news":             {"id", "publish_date", "title", "description", "url", "visible", "create_date", "update_date"},
	"dtb_member":           {"id", "name", "login_id", "authority_id", "work_id"},
	"dtb_mail_template":    {"id", "name", "file_name", "mail_subject"},
	"dtb_page":             {"id", "page_name", "url", "edit_type"},
}

// inspect reads the catalogue of tables and columns, tells the EC-CUBE
// version apart and checks the required columns.
func (s *Source) inspect(ctx context.Context) error {
	q := `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = DATABASE()`
	if s.pg {
		q = `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()`
	}
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return sourceErr("cannot read the list of tables: %v", err)
	}
	defer rows.Close()
	s.columns = map[string]bool{}
	s.tables = map[string]struct{}{}
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			return sourceErr("%v", err)
		}
		t, c = strings.ToLower(t), strings.ToLower(c)
		s.tables[t] = struct{}{}
		s.columns[t+"."+c] = true
	}
	if err := rows.Err(); err != nil {
		return sourceErr("%v", err)
	}
	switch {
	case s.has("dtb_products") || s.has("dtb_baseinfo"):
		return sourceErr("this is an EC-CUBE 2 database; only EC-CUBE 4.0 to 4.3 can be imported (move it to EC-CUBE 4 first)")
	case !s.has("dtb_product") || !s.has("dtb_base_info"):
		return sourceErr("no EC-CUBE tables (dtb_product, dtb_base_info) in this database: is it the right database?")
	case s.columns["dtb_product_class.product_type_id"]:
		return sourceErr("this is an EC-CUBE 3 database (dtb_product_class.product_type_id); only EC-CUBE 4.0 to 4.3 can be imported")
	case !s.columns["dtb_product_class.sale_type_id"]:
		return sourceErr("unknown EC-CUBE version: dtb_product_class has no sale_type_id column, so this is not EC-CUBE 4.0 to 4.3")
	case s.has("dtb_tradelaw"):
		s.Version = "4.2+"
	case s.has("dtb_login_history"):
		s.Version = "4.1"
	default:
		s.Version = "4.0"
	}
	var missing []string
	for t, cols := range required {
		if !s.has(t) {
			missing = append(missing, t)
			continue
		}
		for _, c := range cols {
			if !s.columns[t+"."+c] {
				missing = append(missing, t+"."+c)
			}
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return sourceErr("EC-CUBE %s schema is missing %s", s.Version, strings.Join(missing, ", "))
	}
	return nil
}

func (s *Source) has(table string) bool { _, ok := s.tables[table]; return ok }

// col is column c of table t when the shop has it, else the SQL default
// def: optional columns (plugins, newer versions) read as def when absent.
func (s *Source) col(t, c, def string) string {
	if s.columns[t+"."+c] {
		return c
	}
	return def
}

// rebind turns ? placeholders into $n for PostgreSQL.
func (s *Source) rebind(q string) string {
	if !s.pg {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// read runs fn in a read-only transaction on the source.
func (s *Source) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return sourceErr("%v", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// each runs query (with args) in a read-only transaction and calls fn
// with a row scanner per row.
func (s *Source) each(ctx context.Context, query string, args []any, fn func(sc func(dest ...any) error) error) error {
	return s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, s.rebind(query), args...)
		if err != nil {
			return sourceErr("%v", err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := fn(rows.Scan); err != nil {
				return err
			}
		}
		if err := rows.Err(); err != nil {
			return sourceErr("%v", err)
		}
		return nil
	})
}

// count returns SELECT COUNT(*) FROM table.
func (s *Source) count(ctx context.Context, table string) (int, error) {
	var n int
	err := s.read(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n)
	})
	return n, err
}

// inList is "?, ?, ?" for n values and the values as args.
func inList[T any](ids []T) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", "), args
}
