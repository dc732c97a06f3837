package admin

import (
	"context"
	"log/slog"
	"time"

	"github.com/akinai/akinai/internal/db"
)

// Sweep deletes expired sessions, ceremonies and setup tokens every
// interval until ctx ends. Expired rows are already refused when read;
// this only keeps the tables small.
func Sweep(ctx context.Context, d *db.DB, log *slog.Logger, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := d.Tx(ctx, func(tx *db.Tx) error {
			now := tx.Now()
			for _, q := range []string{
				`DELETE FROM admin_sessions WHERE expires_at < ? OR idle_until < ?`,
				`DELETE FROM admin_ceremonies WHERE expires_at < ? OR expires_at < ?`,
				`DELETE FROM admin_setup_tokens WHERE expires_at < ? OR expires_at < ?`,
			} {
				if _, err := tx.Exec(ctx, q, now, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil && ctx.Err() == nil {
			log.Error("admin sweep failed", "err", err)
		}
	}
}
