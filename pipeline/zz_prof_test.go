package pipeline

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"strings"
	"testing"
	"time"
)

func TestZZProf(t *testing.T) {
	path := os.Getenv("ZZ_DB")
	if path == "" {
		t.Skip()
	}
	ctx := context.Background()
	cfg := indicatorConfig("2026-10-31")
	cfg.Year = 2025
	db, err := openDB(ctx, path, cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	proj, err := prepareModels(ctx, db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if _, err := db.Exec("DELETE FROM appeal_text_cache; DELETE FROM appeal_text_state"); err != nil {
			t.Fatal(err)
		}
		f, _ := os.Create(fmt.Sprintf("/tmp/tb/cpu%d.prof", i))
		pprof.StartCPUProfile(f)
		c0, t0 := cpuSeconds(), time.Now()
		res, err := prepareAppealText(ctx, db, proj, cfg)
		pprof.StopCPUProfile()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("%+v %.2f s CPU %.2f s wall\n", res, cpuSeconds()-c0, time.Since(t0).Seconds())
	}
}

func TestZZCount(t *testing.T) {
	path := os.Getenv("ZZ_DB")
	if path == "" {
		t.Skip()
	}
	ctx := context.Background()
	cfg := indicatorConfig("2026-10-31")
	db, err := openDB(ctx, path, cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT content_masked, count(*) FILTER (WHERE year(submitted_at) = 2025) FROM appeals WHERE submitted_at >= DATE '2024-01-01' AND submitted_at < DATE '2026-01-01' AND content_masked <> '' GROUP BY content_masked")
	if err != nil {
		t.Fatal(err)
	}
	type st struct{ y, texts int }
	m := map[string]*st{}
	occ, texts := 0, 0
	for rows.Next() {
		var s string
		var y int
		rows.Scan(&s, &y)
		texts++
		seen := map[string]bool{}
		forEachPhrase(s, 2, 6, func(p string) {
			occ++
			if seen[p] {
				return
			}
			seen[p] = true
			c := m[p]
			if c == nil {
				c = &st{}
				m[strings.Clone(p)] = c
			}
			c.y += y
			c.texts++
		})
	}
	freq, freqOcc := 0, 0
	for _, c := range m {
		if c.y >= 10 {
			freq++
			freqOcc += c.texts
		}
	}
	fmt.Printf("texts %d occurrences %d distinct %d frequent %d (their text occurrences %d)\n", texts, occ, len(m), freq, freqOcc)
}
