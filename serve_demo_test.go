package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeDemoLikeBuilt: the live preview of the demo database shows the 演示数据 notice
// and the demo city, as the report `bluebook demo` built does — also once the data folder
// no longer holds the generator's planted.csv (the run ledger says the data are demo data).
func TestServeDemoLikeBuilt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a demo and serves it")
	}
	dir := t.TempDir()
	proj := filepath.Join(dir, "proj")
	if code, _, errs := bluebook(t, "init", "--project", proj); code != 0 {
		t.Fatal(errs)
	}
	demoDir := filepath.Join(dir, "demo")
	if code, _, errs := bluebook(t, "demo", "--project", proj, "--dir", demoDir, "--scale", "1000", "--quiet"); code != 0 && code != 3 {
		t.Fatal(errs)
	}
	built, err := os.ReadFile(filepath.Join(demoDir, "site", "01_market.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"演示数据", "示例市"} {
		if !strings.Contains(string(built), want) {
			t.Fatalf("the built demo page lacks %q", want)
		}
	}
	if err := os.Remove(filepath.Join(demoDir, "data", "planted.csv")); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int)
	go func() {
		e := &env{stdout: pw, stderr: io.Discard}
		done <- runEnv(ctx, e, []string{"serve", "--project", proj, "--data", filepath.Join(demoDir, "data"),
			"--db", filepath.Join(demoDir, "bluebook.duckdb"), "--out", filepath.Join(dir, "preview"),
			"--as-of", "2026-10-31", "--addr", "127.0.0.1:0", "--quiet"})
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "serving http://") {
		t.Fatalf("serve printed %q (%v)", line, err)
	}
	go io.Copy(io.Discard, pr)
	page := get(t, strings.Fields(line)[1]+"01_market.html")
	for _, want := range []string{"演示数据", "示例市民营经济发展蓝皮书"} {
		if !strings.Contains(page, want) {
			t.Errorf("the preview lacks %q, which the built demo report shows", want)
		}
	}
	cancel()
	<-done
}
