package api

import (
	"math"
	"sync"
	"time"
)

// limiter is a token bucket per API token, in this process: a token may
// make rate_per_min requests a minute, in bursts of up to that many. With
// several instances each applies the limit on its own (docs/API.md).
type limiter struct {
	mu      sync.Mutex
	buckets map[int64]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter() *limiter { return &limiter{buckets: map[int64]*bucket{}} }

// take spends one request of token id; when none is left it returns the
// seconds until one is (for Retry-After) and false.
func (l *limiter) take(id int64, perMin int, now time.Time) (int, bool) {
	capacity := float64(max(perMin, 1))
	perSec := capacity / 60
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[id]
	if b == nil {
		b = &bucket{tokens: capacity, last: now}
		l.buckets[id] = b
	}
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = math.Min(capacity, b.tokens+el*perSec)
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return 0, true
	}
	return int(math.Ceil((1 - b.tokens) / perSec)), false
}
