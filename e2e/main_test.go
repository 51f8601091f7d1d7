package e2e

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The CLI's exit codes (README, "Exit codes").
const (
	exitOK     = 0
	exitFailed = 1 // a run or a command failed
	exitUsage  = 2 // usage or configuration error
	exitCheck  = 3 // a data check of severity error failed
)

// binary is the bluebook binary TestMain builds for every test of the package.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "bluebook-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "bluebook")
	build := exec.Command("go", "build", "-o", binary, "bluebook")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// bluebook runs the built binary with args in the package's folder and returns its exit
// code, stdout and stderr.
func bluebook(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(binary, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return exit.ExitCode(), out.String(), errb.String()
	case err != nil:
		t.Fatalf("run bluebook %s: %v", strings.Join(args, " "), err)
	}
	return 0, out.String(), errb.String()
}

// queryCSV runs `bluebook query --format csv` and returns the records without the header.
// demoDir runs `bluebook demo` at the default scale into a new folder and returns it; the
// test is skipped under -short (the demo takes a while on a busy machine).
func demoDir(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("slow: runs on generated demo data (go test without -short runs it)")
	}
	dir := t.TempDir()
	if code, _, errs := bluebook(t, "demo", "--dir", dir, "--quiet"); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	return dir
}

func queryCSV(t *testing.T, db, sql string) [][]string {
	t.Helper()
	code, out, errs := bluebook(t, "query", "--db", db, "--year", "2025", "--format", "csv", sql)
	if code != 0 {
		t.Fatalf("query %q: exit %d: %s", sql, code, errs)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("query output is not CSV: %v\n%s", err, out)
	}
	if len(recs) == 0 {
		t.Fatalf("query output has no header row")
	}
	return recs[1:]
}

// copyDir copies the folder src to dst.
func copyDir(src, dst string) error {
	return filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}

// chromiumNames are the names Chromium goes by (as the CLI's pdf.go looks for it).
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "msedge"}
