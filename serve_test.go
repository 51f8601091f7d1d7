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

// writeAtomic replaces path with data in one rename, as editors save: serve never sees
// the file truncated and half written, however slowly the writes come on a busy machine.
// The temporary file's name starts with a dot, which serve ignores.
func writeAtomic(t *testing.T, path string, data []byte) {
	t.Helper()
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

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
	// waitEvent reads the stream until an event of kind comes, however long the rebuild
	// takes on a busy machine; the safety net only turns a hang into a failure.
	waitEvent := func(kind string) string {
		t.Helper()
		hang := time.AfterFunc(safetyNet, func() { events.Body.Close() })
		defer hang.Stop()
		for {
			l, err := stream.ReadString('\n')
			if err != nil {
				t.Fatalf("event stream, waiting for a %s event: %v", kind, err)
			}
			if strings.TrimSpace(l) == "event: "+kind {
				data, _ := stream.ReadString('\n')
				return strings.TrimPrefix(strings.TrimSpace(data), "data: ")
			}
		}
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
	writeAtomic(t, model, []byte(strings.Join(lines, "\n")))
	msg := waitEvent("error")
	if want := "market_summary.sql:" + strconv.Itoa(at+1) + ":8: Binder Error"; !strings.Contains(msg, want) {
		t.Errorf("error event %q does not contain %q", msg, want)
	}
	if html := get(t, page); !strings.Contains(html, "测试新增") {
		t.Errorf("after a broken edit the last good page is not served")
	}
	writeAtomic(t, model, good)
	waitEvent("reload")
	cancel()
	select {
	case <-done:
	case <-time.After(safetyNet):
		t.Errorf("serve did not stop within %v of its cancel", safetyNet)
	}
}
