//go:build linux

package ingest

import (
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestGBKTempRemovedWhenDiskFull: when the UTF-8 copy of a GBK file cannot be written (the
// temp folder full: here a file size limit of 256 KiB on the process, in a child), the scan
// fails with the write error and leaves no temp file behind.
func TestGBKTempRemovedWhenDiskFull(t *testing.T) {
	if dir := os.Getenv("BLUEBOOK_FULL_TMP"); dir != "" {
		signal.Ignore(syscall.SIGXFSZ) // a write past the limit then fails with EFBIG
		var lim syscall.Rlimit
		if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
			t.Skip("getrlimit:", err)
		}
		lim.Cur = 256 << 10
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
			t.Skip("setrlimit:", err)
		}
		_, err := scanCSV(filepath.Join(dir, "gbk.csv"), scanOptions{enc: "gbk", tmpDir: filepath.Join(dir, "tmp")})
		if err == nil || !strings.Contains(err.Error(), "write the UTF-8 copy") {
			t.Fatalf("error = %v, want a failed write of the UTF-8 copy", err)
		}
		return
	}
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "tmp"), 0o755); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("统一社会信用代码,企业名称\n")
	for b.Len() < 4<<20 {
		b.WriteString("914403001922038216,华为技术有限公司\n")
	}
	writeFile(t, dir, "gbk.csv", gbk(t, b.String()))
	cmd := exec.Command(os.Args[0], "-test.run=^TestGBKTempRemovedWhenDiskFull$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "BLUEBOOK_FULL_TMP="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "SKIP") {
		t.Skipf("child skipped:\n%s", out)
	}
	left, err := os.ReadDir(filepath.Join(dir, "tmp"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range left {
		t.Errorf("temp file left behind: %s", e.Name())
	}
}

// TestNamesQuoted: a file name holding a line break and a terminal escape is quoted in the
// error, which stays one line (a raw name could forge a line of the log).
func TestNamesQuoted(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	name := "a\n\x1b[31mforged.csv"
	writeFile(t, dir, "appeals/"+name, []byte("诉求编号,提报时间\nA1,2025-01-02\n"))
	_, err := runIngest(t, openDB(t), dir, nil)
	if err == nil {
		t.Fatal("no error")
	}
	want := `"appeals/a\n\x1b[31mforged.csv":1:1: missing required column "uscc"`
	if !strings.HasPrefix(err.Error(), want) || strings.ContainsAny(err.Error(), "\n\x1b") {
		t.Errorf("error = %q, want it to begin %s and hold no raw control character", err, want)
	}
}
