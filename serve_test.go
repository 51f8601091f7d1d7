package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// TestServeLiveReload edits a chapter and a query under `bluebook serve`: the page shows
// the edit, a broken query's error reaches the page's event stream at the analyst's
// file:line:col, and the last good report stays served.
func TestServeLiveReload(t *testing.T) {
	dir := t.TempDir()
	proj := filepath.Join(dir, "proj")
	if code, _, errs := bluebook(t, "init", "--project", proj); code != 0 {
		t.Fatal(errs)
	}
	data := filepath.Join(dir, "data")
	if code, _, errs := bluebook(t, "generate", "--out", data, "--scale", "1000"); code != 0 {
		t.Fatal(errs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int)
	go func() {
		e := &env{stdout: pw, stderr: io.Discard}
		done <- runEnv(ctx, e, []string{"serve", "--project", proj, "--data", data, "--db", filepath.Join(dir, "bb.duckdb"),
			"--out", filepath.Join(dir, "site"), "--as-of", "2026-10-31", "--addr", "127.0.0.1:0", "--quiet"})
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "serving http://") {
		t.Fatalf("serve printed %q (%v)", line, err)
	}
	go io.Copy(io.Discard, pr)
	base := strings.Fields(line)[1]
	page := base + "01_market.html"
	if html := get(t, page); !strings.Contains(html, "__bluebook/events") {
		t.Fatalf("the served page has no live-reload script")
	}
	events, err := http.Get(base + "__bluebook/events")
	if err != nil {
		t.Fatal(err)
	}
	defer events.Body.Close()
	stream := bufio.NewReader(events.Body)
	waitEvent := func(kind string) string {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			l, err := stream.ReadString('\n')
			if err != nil {
				t.Fatalf("event stream: %v", err)
			}
			if strings.TrimSpace(l) == "event: "+kind {
				data, _ := stream.ReadString('\n')
				return strings.TrimPrefix(strings.TrimSpace(data), "data: ")
			}
		}
		t.Fatalf("no %s event", kind)
		return ""
	}

	chapter := filepath.Join(proj, "reports", "chapters", "01_market.md")
	f, _ := os.OpenFile(chapter, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("\n测试新增：全市民营经济主体共{{summary.stock | count}}户。\n")
	f.Close()
	waitEvent("reload")
	if html := get(t, page); !strings.Contains(html, "测试新增：全市民营经济主体共") {
		t.Errorf("the chapter edit does not show on the page")
	}

	model := filepath.Join(proj, "queries", "market", "market_summary.sql")
	good, _ := os.ReadFile(model)
	lines := strings.Split(string(good), "\n")
	at := -1
	for i, l := range lines {
		if strings.TrimSpace(l) == "SELECT" {
			at = i
		}
	}
	if at < 0 {
		t.Fatal("no SELECT line in market_summary.sql")
	}
	lines[at] = "SELECT nosuchcol,"
	os.WriteFile(model, []byte(strings.Join(lines, "\n")), 0o644)
	msg := waitEvent("error")
	if want := "market_summary.sql:" + strconv.Itoa(at+1) + ":8: Binder Error"; !strings.Contains(msg, want) {
		t.Errorf("error event %q does not contain %q", msg, want)
	}
	if html := get(t, page); !strings.Contains(html, "测试新增") {
		t.Errorf("after a broken edit the last good page is not served")
	}
	os.WriteFile(model, good, 0o644)
	waitEvent("reload")
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Error("serve did not stop on cancel")
	}
}
