package system

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

// BenchmarkLogins reads the first page of the login history from an
// audit log of 200,000 entries, one in ten a sign-in; the reference is
// the audit viewer's own "signin." filter on the same data.
//
//	go test -run - -bench Logins ./internal/system
func BenchmarkLogins(b *testing.B) {
	for _, e := range []dbtest.Engine{dbtest.SQLite, dbtest.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			d := dbtest.MustOpen(b, e)
			fillAudit(b, d, 200000)
			ctx := context.Background()
			b.Run("history", func(b *testing.B) {
				for b.Loop() {
					if _, _, err := Logins(ctx, d, LoginFilter{Limit: 50}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("history_failures_ip", func(b *testing.B) {
				for b.Loop() {
					if _, _, err := Logins(ctx, d, LoginFilter{Result: "failure", Address: "192.0.2.", Limit: 50}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("reference_audit_list", func(b *testing.B) {
				for b.Loop() {
					if _, _, err := audit.List(ctx, d, audit.Filter{Action: "signin.", Limit: 50}); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

func fillAudit(b *testing.B, d *db.DB, n int) {
	b.Helper()
	ctx := context.Background()
	at := time.Now().Add(-time.Duration(n) * time.Second)
	const batch = 500
	for i := 0; i < n; i += batch {
		var sb strings.Builder
		args := []any{}
		sb.WriteString(`INSERT INTO audit_log (at, at_us, actor, action, target, address, details, prev_hash, hash) VALUES `)
		for j := i; j < i+batch && j < n; j++ {
			if j > i {
				sb.WriteString(", ")
			}
			sb.WriteString("(?, ?, ?, ?, ?, ?, ?, '', '')")
			action, details := "product.saved", `{}`
			switch j % 20 {
			case 0:
				action, details = "signin.success", `{"factor":"passkey"}`
			case 10:
				action, details = "signin.failure", `{"step":"password","factor":"password"}`
			}
			t := at.Add(time.Duration(j) * time.Second).UTC()
			args = append(args, t, t.UnixMicro(), fmt.Sprintf("admin%d@example.jp", j%7), action, "x", fmt.Sprintf("192.0.%d.%d", j%3+1, j%250), details)
		}
		if _, err := d.Exec(ctx, sb.String(), args...); err != nil {
			b.Fatal(err)
		}
	}
}
