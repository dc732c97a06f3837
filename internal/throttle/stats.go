package throttle

import (
	"sync"
	"sync/atomic"
)

// Counts of this process's refusals (Hit over the limit) and recorded
// failures (Fail, e.g. a wrong password), by bucket, for the metrics. A
// bucket is a fixed name in the code ("checkout.place.ip"), never input,
// so the maps stay small.
var refused, failed sync.Map // bucket → *atomic.Int64

func count(m *sync.Map, bucket string) {
	v, ok := m.Load(bucket)
	if !ok {
		v, _ = m.LoadOrStore(bucket, new(atomic.Int64))
	}
	v.(*atomic.Int64).Add(1)
}

func snapshot(m *sync.Map) map[string]int64 {
	out := map[string]int64{}
	m.Range(func(k, v any) bool {
		out[k.(string)] = v.(*atomic.Int64).Load()
		return true
	})
	return out
}

// Refused returns how many events each bucket refused since the start.
func Refused() map[string]int64 { return snapshot(&refused) }

// Failures returns how many failures each bucket recorded since the start.
func Failures() map[string]int64 { return snapshot(&failed) }
