package metrics

import (
	"context"
	"database/sql"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// queues are the job tables of the lease protocol (internal/lease).
var queues = []string{"outbox", "payment_captures"}

var (
	descOrders    = prometheus.NewDesc("akinai_orders", "Orders by status.", []string{"status"}, nil)
	descPayments  = prometheus.NewDesc("akinai_payments", "Payments by method and status.", []string{"method", "status"}, nil)
	descJobs      = prometheus.NewDesc("akinai_queue_jobs", "Jobs in a queue by status (outbox: mails).", []string{"queue", "status"}, nil)
	descOldest    = prometheus.NewDesc("akinai_queue_oldest_pending_age_seconds", "Age of the oldest pending job (0 when none).", []string{"queue"}, nil)
	descLag       = prometheus.NewDesc("akinai_queue_lag_seconds", "How long the oldest due job has waited past its due time: the workers' lag (0 when none).", []string{"queue"}, nil)
	descLeases    = prometheus.NewDesc("akinai_queue_leases", "Jobs held under a live lease, by the instance holding them.", []string{"queue", "holder"}, nil)
	descPoolOpen  = prometheus.NewDesc("akinai_db_connections", "Database connections by pool and state.", []string{"pool", "state"}, nil)
	descPoolMax   = prometheus.NewDesc("akinai_db_connections_max", "Maximum open connections of the pool.", []string{"pool"}, nil)
	descPoolWaits = prometheus.NewDesc("akinai_db_waits_total", "Times a query waited for a free connection.", []string{"pool"}, nil)
	descPoolWait  = prometheus.NewDesc("akinai_db_wait_seconds_total", "Time spent waiting for a free connection.", []string{"pool"}, nil)
	descCache     = prometheus.NewDesc("akinai_page_cache_requests_total", "Shared pages served from memory (hit) or rendered (miss).", []string{"result"}, nil)
	descRefused   = prometheus.NewDesc("akinai_rate_limit_refusals_total", "Requests refused by a rate limit, by bucket.", []string{"bucket"}, nil)
	descFailures  = prometheus.NewDesc("akinai_signin_failures_total", "Failed sign-in attempts recorded, by throttle bucket.", []string{"bucket"}, nil)
	descScrapeErr = prometheus.NewDesc("akinai_metrics_query_errors", "Database queries of this scrape that failed.", nil, nil)
)

// shopCollector reads the shop's figures when scraped.
type shopCollector struct{ src Sources }

func (c *shopCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descOrders, descPayments, descJobs, descOldest, descLag, descLeases,
		descPoolOpen, descPoolMax, descPoolWaits, descPoolWait, descCache, descRefused, descFailures, descScrapeErr} {
		ch <- d
	}
}

func (c *shopCollector) Collect(ch chan<- prometheus.Metric) {
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, labels...)
	}
	if c.src.PageCache != nil {
		hits, misses := c.src.PageCache()
		counter(descCache, float64(hits), "hit")
		counter(descCache, float64(misses), "miss")
	}
	if c.src.Refused != nil {
		for b, n := range c.src.Refused() {
			counter(descRefused, float64(n), b)
		}
	}
	if c.src.Failures != nil {
		for b, n := range c.src.Failures() {
			counter(descFailures, float64(n), b)
		}
	}
	d := c.src.DB
	if d == nil {
		return
	}
	pools := map[string]sql.DBStats{"write": d.Stats(), "read": d.ReadStats()}
	for name, s := range pools {
		gauge(descPoolOpen, float64(s.InUse), name, "in_use")
		gauge(descPoolOpen, float64(s.Idle), name, "idle")
		gauge(descPoolMax, float64(s.MaxOpenConnections), name)
		counter(descPoolWaits, float64(s.WaitCount), name)
		counter(descPoolWait, s.WaitDuration.Seconds(), name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	errs := 0
	group := func(d *prometheus.Desc, q string, args ...any) {
		rows, err := c.src.DB.Query(ctx, q, args...)
		if err != nil {
			errs++
			return
		}
		defer rows.Close()
		for rows.Next() {
			var n float64
			labels := make([]string, 0, 2)
			var a, b string
			var err error
			switch d {
			case descPayments, descJobs, descLeases:
				err = rows.Scan(&a, &b, &n)
				labels = append(labels, a, b)
			default:
				err = rows.Scan(&a, &n)
				labels = append(labels, a)
			}
			if err != nil {
				errs++
				return
			}
			gauge(d, n, labels...)
		}
		if rows.Err() != nil {
			errs++
		}
	}
	group(descOrders, `SELECT status, COUNT(*) FROM orders GROUP BY status`)
	group(descPayments, `SELECT method, status, COUNT(*) FROM payments GROUP BY method, status`)
	now := d.Now()
	for _, q := range queues {
		// The table names are the constants above, never input.
		group(descJobs, `SELECT '`+q+`', status, COUNT(*) FROM `+q+` GROUP BY status`)
		group(descLeases, `SELECT '`+q+`', locked_by, COUNT(*) FROM `+q+` WHERE status = 'pending' AND locked_until > ? GROUP BY locked_by`, now)
		gauge(descOldest, c.age(ctx, &errs, now, `SELECT created_at FROM `+q+` WHERE status = 'pending' ORDER BY created_at LIMIT 1`), q)
		gauge(descLag, c.age(ctx, &errs, now, `SELECT next_attempt_at FROM `+q+` WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT 1`, now), q)
	}
	gauge(descScrapeErr, float64(errs))
}

// age returns now minus the time q selects, 0 when it selects no row.
func (c *shopCollector) age(ctx context.Context, errs *int, now time.Time, q string, args ...any) float64 {
	var t time.Time
	err := c.src.DB.QueryRow(ctx, q, args...).Scan(&t)
	if err == sql.ErrNoRows {
		return 0
	}
	if err != nil {
		*errs++
		return 0
	}
	return max(0, now.Sub(t).Seconds())
}
