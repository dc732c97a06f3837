package catalog

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/akinai/akinai/internal/db"
)

// CacheTTL bounds how stale the storefront's caches (category tree, tax
// rules, product pages, rendered listings) may be on an instance that did
// not make the change itself; the instance that does calls Invalidate.
const CacheTTL = 5 * time.Second

// Store reads and writes the catalogue. Its caches are safe for
// concurrent use.
type Store struct {
	DB *db.DB
	// Images, when set, serves the images that are not in image_blobs
	// (uploads kept on disk or in object storage).
	Images interface {
		Get(ctx context.Context, key string) (contentType string, data []byte, err error)
	}

	mu         sync.Mutex
	tree       *Tree
	treeAt     time.Time
	taxRules   *TaxRules
	taxRulesAt time.Time
	version    uint64 // bumped by Invalidate; part of every cache key
	// pageVers are bumped by TouchProducts and TouchHome: a change that
	// shows on a few pages only (a review, a recommendation) renews those
	// pages and leaves every other cached page alone.
	pageVers map[int64]uint64 // product ID → version
	homeVer  uint64
	allVer   uint64 // every product page (TouchAllProducts)
	products *ttlCache[*Product]
	freq     map[string]freqEntry // search terms' frequencies (termFreq)

	// The next publish or sale start or end (zero: none), read at
	// schedAt; see checkSchedule.
	schedNext, schedAt time.Time
	schedReading       bool
}

// NewStore returns a store on d.
func NewStore(d *db.DB) *Store {
	return &Store{DB: d, products: newTTLCache[*Product](4096)}
}

// Invalidate drops every cache, after the catalogue changed.
func (s *Store) Invalidate() {
	s.mu.Lock()
	s.tree, s.taxRules = nil, nil
	s.version++
	s.schedAt = time.Time{} // a saved schedule may move the next boundary
	s.mu.Unlock()
	s.products.clear()
}

// Version changes whenever Invalidate runs or a product's publishing or
// sale period starts or ends; handlers put it in the keys of what they
// cache.
func (s *Store) Version() uint64 {
	s.checkSchedule()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.version
}

// TouchProducts renews the cached pages of the given products (their
// reviews or recommendations changed); other pages stay cached.
func (s *Store) TouchProducts(ids ...int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pageVers == nil {
		s.pageVers = map[int64]uint64{}
	}
	for _, id := range ids {
		s.pageVers[id]++
	}
}

// TouchHome renews the cached top page (its recommendations changed).
func (s *Store) TouchHome() {
	s.mu.Lock()
	s.homeVer++
	s.mu.Unlock()
}

// TouchAllProducts renews every cached product page (something they all
// show changed: the shop's recommendations) but not the listings.
func (s *Store) TouchAllProducts() {
	s.mu.Lock()
	s.allVer++
	s.mu.Unlock()
}

// productVersion is the part of a product page's cache key that
// TouchProducts and TouchAllProducts change.
func (s *Store) productVersion(id int64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strconv.FormatUint(s.allVer, 10) + "." + strconv.FormatUint(s.pageVers[id], 10)
}

func (s *Store) homeVersion() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.homeVer
}

// ttlCache is a small map of values that expire after CacheTTL. When it
// holds max entries it is emptied, which keeps memory bounded whatever
// keys visitors make up (search queries) at the cost of an occasional
// cold start. Only one caller fills a key at a time: while it does, the
// others get the stale value (or wait for the first value), so an expiry
// under load costs one query, not one per waiting request.
type ttlCache[V any] struct {
	mu       sync.Mutex
	max      int
	m        map[string]ttlEntry[V]
	inflight map[string]*fill[V]
}

type ttlEntry[V any] struct {
	v  V
	at time.Time
}

type fill[V any] struct {
	done chan struct{}
	v    V
	err  error
}

func newTTLCache[V any](max int) *ttlCache[V] {
	return &ttlCache[V]{max: max, m: map[string]ttlEntry[V]{}, inflight: map[string]*fill[V]{}}
}

func (c *ttlCache[V]) clear() {
	c.mu.Lock()
	clear(c.m)
	c.mu.Unlock()
}

// loadOrFill returns the cached value for key, or calls fn and caches
// what it returns.
func (c *ttlCache[V]) loadOrFill(key string, fn func() (V, error)) (V, error) {
	c.mu.Lock()
	e, ok := c.m[key]
	if ok && time.Since(e.at) <= CacheTTL {
		c.mu.Unlock()
		return e.v, nil
	}
	if f := c.inflight[key]; f != nil {
		c.mu.Unlock()
		if ok {
			return e.v, nil // stale while another caller refreshes it
		}
		<-f.done
		return f.v, f.err
	}
	f := &fill[V]{done: make(chan struct{})}
	c.inflight[key] = f
	c.mu.Unlock()

	f.v, f.err = fn()
	c.mu.Lock()
	delete(c.inflight, key)
	if f.err == nil {
		if len(c.m) >= c.max {
			clear(c.m)
		}
		c.m[key] = ttlEntry[V]{v: f.v, at: time.Now()}
	}
	c.mu.Unlock()
	close(f.done)
	return f.v, f.err
}
