// Command searchbench measures uncached catalogue searches against an
// existing shop database (docs/PERFORMANCE.md, "Search index"): each query
// goes straight to catalog.Store.List, so no page or fragment cache helps.
// Queries are Japanese 1-, 2- and longer keywords, kana and width variants,
// English words, two keywords, and queries that find nothing, each on a
// random page and sort.
//
//	go run ./scripts/load/searchbench -data DIR [-n 200]
//	go run ./scripts/load/searchbench -database-url postgres://… [-n 200]
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
)

func main() {
	data := flag.String("data", "", "data directory of a SQLite shop")
	url := flag.String("database-url", "", "PostgreSQL URL of a shop")
	n := flag.Int("n", 200, "queries per kind")
	only := flag.String("only", "", "run only the query kinds whose name contains this")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the queries to this file")
	flag.Parse()
	ctx := context.Background()
	cfg := db.Config{URL: *url}
	if *url == "" {
		cfg.Path = filepath.Join(*data, "akinai.db")
	}
	d, err := db.Open(ctx, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer d.Close()
	var products int
	d.QueryRow(ctx, `SELECT COUNT(*) FROM products`).Scan(&products)
	fmt.Printf("%d products\n", products)
	s := catalog.NewStore(d)
	kinds := []struct {
		name    string
		queries []string
	}{
		{"1 character (茶, 皿, 箸)", []string{"茶", "皿", "箸", "鍋"}},
		{"2 characters (緑茶, 急須)", []string{"緑茶", "急須", "煎茶", "湯呑"}},
		{"longer, kana/width variants", []string{"ハーブティー", "ﾊｰﾌﾞﾃｨｰ", "はーぶてぃー", "深蒸し煎茶", "南部鉄器"}},
		{"English", []string{"tea", "teapot", "Chamomile", "KNIFE", "herb"}},
		{"two keywords", []string{"抹茶 玄米", "急須 常滑", "tea cup", "緑茶 No.5"}},
		{"no hit", []string{"存在しない", "zzqx", "急須 包丁", "ラーメン", "茶 zz"}},
	}
	sorts := []string{catalog.SortNew, catalog.SortPriceAsc, catalog.SortPriceDesc}
	fmt.Printf("%-32s %8s %8s %8s %10s %8s\n", "query kind", "p50 ms", "p99 ms", "max ms", "CPU ms/q", "hits≈")
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	for _, k := range kinds {
		if !strings.Contains(k.name, *only) {
			continue
		}
		var lat []time.Duration
		total := 0
		cpu0 := cpuTime()
		for i := 0; i < *n; i++ {
			q := k.queries[i%len(k.queries)]
			lq := catalog.ListQuery{Keywords: catalog.Keywords(catalog.CleanQuery(q)), Sort: sorts[rand.IntN(3)],
				Page: 1 + rand.IntN(5), Limit: 20}
			t := time.Now()
			res, err := s.List(ctx, lq)
			lat = append(lat, time.Since(t))
			if err != nil {
				fmt.Fprintln(os.Stderr, q, err)
				os.Exit(1)
			}
			total += res.Total
		}
		cpu := (cpuTime() - cpu0) / time.Duration(*n)
		slices.Sort(lat)
		pct := func(p float64) float64 {
			return float64(lat[min(len(lat)-1, int(float64(len(lat))*p))].Microseconds()) / 1000
		}
		fmt.Printf("%-32s %8.1f %8.1f %8.1f %10.2f %8d\n", k.name, pct(0.5), pct(0.99), pct(1), float64(cpu.Microseconds())/1000, total / *n)
	}
}

// cpuTime is the CPU time this process has used (user + system). With
// SQLite the database runs in this process, so on a busy machine it says
// what a query costs better than the wall clock does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
