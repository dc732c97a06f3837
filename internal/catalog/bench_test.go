package catalog_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/akinai/akinai/internal/db/dbtest"
)

// benchShop is a SQLite shop with a 2,000-product demo catalogue.
func benchShop(b *testing.B) *testShop {
	b.Helper()
	d := dbtest.MustOpen(b, dbtest.SQLite)
	mustDemo(b, d, 2000)
	return newTestShop(b, d)
}

func benchGet(b *testing.B, s *testShop, u string, uncached bool) {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if uncached {
			s.Store.Invalidate()
		}
		rec := httptest.NewRecorder()
		s.Handler.ServeHTTP(rec, httptest.NewRequest("GET", u, nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s = %d", u, rec.Code)
		}
	}
}

func BenchmarkHomePage(b *testing.B)     { benchGet(b, benchShop(b), "/", false) }
func BenchmarkCategoryPage(b *testing.B) { benchGet(b, benchShop(b), "/categories/tea", false) }
func BenchmarkCategoryPageUncached(b *testing.B) {
	benchGet(b, benchShop(b), "/categories/tea", true)
}
func BenchmarkSearch(b *testing.B) {
	benchGet(b, benchShop(b), "/products?q="+url.QueryEscape("ハーブ ティー"), false)
}
func BenchmarkSearchUncached(b *testing.B) {
	benchGet(b, benchShop(b), "/products?q="+url.QueryEscape("ハーブ ティー"), true)
}
func BenchmarkProductPage(b *testing.B) { benchGet(b, benchShop(b), "/products/canvas-apron", false) }
func BenchmarkProductPageUncached(b *testing.B) {
	benchGet(b, benchShop(b), "/products/canvas-apron", true)
}
