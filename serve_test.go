package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
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
				// The data lines up to the blank line that ends the event, joined.
				var data []string
				for {
					d, err := stream.ReadString('\n')
					d = strings.TrimSuffix(d, "\n")
					if err != nil || d == "" {
						return strings.Join(data, "\n")
					}
					data = append(data, strings.TrimPrefix(strings.TrimPrefix(d, "data:"), " "))
				}
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
	// A syntax error after Chinese text and an emoji: the overlay points at it exactly, the
	// path relative to the project folder.
	lines[at] = "SELECT '民营经济😀' AS 名称, , "
	writeAtomic(t, model, []byte(strings.Join(lines, "\n")))
	msg = waitEvent("error")
	col := utf8.RuneCountInString("SELECT '民营经济😀' AS 名称, ") + 1
	if want := "queries/market/market_summary.sql:" + strconv.Itoa(at+1) + ":" + strconv.Itoa(col) + ": syntax error at or near \",\""; !strings.Contains(msg, want) {
		t.Errorf("error event %q does not contain %q", msg, want)
	}
	// Under it the line and a caret under the column, by display width (Chinese text
	// and the emoji two columns a character).
	if want := "\n    SELECT '民营经济😀' AS 名称, ,\n" + strings.Repeat(" ", 4+29) + "^"; !strings.Contains(msg, want) {
		t.Errorf("error event %q does not show the line and the caret %q", msg, want)
	}
	writeAtomic(t, model, good)
	waitEvent("reload")
	// A chapter figure naming a column its query lacks, after Chinese text.
	chapterText, _ := os.ReadFile(chapter)
	writeAtomic(t, chapter, append(append([]byte{}, chapterText...), "\n中文段落😀：{{summary.stok | count}}户。\n"...))
	msg = waitEvent("error")
	chLine := strings.Count(string(chapterText), "\n") + 2
	if want := "reports/chapters/01_market.md:" + strconv.Itoa(chLine) + ":" + strconv.Itoa(utf8.RuneCountInString("中文段落😀：{{summary.")+1) + ": query summary has no column \"stok\""; !strings.Contains(msg, want) {
		t.Errorf("error event %q does not contain %q", msg, want)
	}
	writeAtomic(t, chapter, chapterText)
	waitEvent("reload")
	cancel()
	select {
	case <-done:
	case <-time.After(safetyNet):
		t.Errorf("serve did not stop within %v of its cancel", safetyNet)
	}
}

// TestServeOnlyTheReport probes the preview server with encoded paths, backslashes,
// double encoding, a link out of the report and foreign Host headers: it serves the files
// of its report folder and nothing else.
func TestServeOnlyTheReport(t *testing.T) {
	dir := t.TempDir()
	site := filepath.Join(dir, "site")
	for name, body := range map[string]string{
		"index.html": "<html><body>首页</body></html>", "01_market.html": "<html><body>第一章</body></html>", "data/a.csv": "x\n1\n",
	} {
		os.MkdirAll(filepath.Dir(filepath.Join(site, name)), 0o755)
		os.WriteFile(filepath.Join(site, name), []byte(body), 0o644)
	}
	os.WriteFile(filepath.Join(dir, "secret.html"), []byte("<html>SECRET</html>"), 0o644)
	os.WriteFile(filepath.Join(dir, "secret.txt"), []byte("SECRET"), 0o644)
	if err := os.Symlink(filepath.Join(dir, "secret.html"), filepath.Join(site, "link.html")); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: previewHandler(ln.Addr(), "127.0.0.1:0", site, http.NotFoundHandler())}
	go srv.Serve(ln)
	defer srv.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())

	// raw sends the request line as written (no client cleans it) and returns the status
	// code and body.
	raw := func(target, host string) (int, string) {
		t.Helper()
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, host)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("GET %s: %v", target, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	local := "127.0.0.1:" + port
	for _, target := range []string{
		"/..%2fsecret.html", "/..%2f..%2f..%2fetc%2fpasswd", "/%2e%2e/secret.html", "/%2E%2E%2Fsecret.html",
		"/data/..%2f..%2fsecret.html", "/..%5csecret.html", `/..\secret.html`, "/%252e%252e%252fsecret.html",
		"/%252e%252e/secret.txt", "/../secret.html", "/data/../../secret.txt", "/./index.html", "//secret.html",
		"/link.html", "/data/", "/nosuch.html", "/index.html%00.csv",
	} {
		code, body := raw(target, local)
		if code != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", target, code)
		}
		if strings.Contains(body, "SECRET") {
			t.Errorf("GET %s served a file outside the report", target)
		}
	}
	for _, target := range []string{"/", "/index.html", "/01_market.html", "/data/a.csv"} {
		if code, _ := raw(target, local); code != http.StatusOK {
			t.Errorf("GET %s: status %d, want 200", target, code)
		}
	}
	for host, want := range map[string]int{
		local: http.StatusOK, "localhost:" + port: http.StatusOK, "LOCALHOST:" + port: http.StatusOK,
		"evil.example:" + port: http.StatusMisdirectedRequest, "evil.example": http.StatusMisdirectedRequest,
		"127.0.0.1": http.StatusMisdirectedRequest, "127.0.0.1:1": http.StatusMisdirectedRequest,
		"localhost.evil.example:" + port: http.StatusMisdirectedRequest, "": http.StatusMisdirectedRequest,
	} {
		if code, _ := raw("/index.html", host); code != want {
			t.Errorf("Host %q: status %d, want %d", host, code, want)
		}
	}
}

// TestPreviewFolderIsPrivate: without --out the preview writes into a new folder only the
// user can read, not one fixed folder shared by every user of the machine.
func TestPreviewFolderIsPrivate(t *testing.T) {
	a, removeA, err := previewFolder()
	if err != nil {
		t.Fatal(err)
	}
	defer removeA()
	b, removeB, err := previewFolder()
	if err != nil {
		t.Fatal(err)
	}
	defer removeB()
	if a == b {
		t.Errorf("two previews share %s", a)
	}
	st, err := os.Stat(filepath.Dir(a))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o700 {
		t.Errorf("%s has mode %v, want 0700", filepath.Dir(a), st.Mode().Perm())
	}
	removeA()
	if _, err := os.Stat(filepath.Dir(a)); !os.IsNotExist(err) {
		t.Errorf("the preview folder is left behind: %v", err)
	}
}
