package plugin

import (
	"context"

	"github.com/akinai/akinai/internal/db"
)

// Health is what the dashboard card says about the plugins: how many run,
// how many the host stopped after repeated failures, and how many failed
// lately without being stopped yet.
type Health struct {
	Enabled, Stopped, Failing int
}

// HealthOf counts the plugins by state.
func HealthOf(ctx context.Context, q db.Queryer) (Health, error) {
	var h Health
	err := q.QueryRow(ctx, `SELECT
		COALESCE(SUM(CASE WHEN status = 'enabled' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN status = 'disabled' AND disabled_reason = 'failures' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN status = 'enabled' AND failures > 0 THEN 1 ELSE 0 END), 0)
		FROM plugins`).Scan(&h.Enabled, &h.Stopped, &h.Failing)
	return h, err
}
