package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The end-to-end tests that run the built binary on fixture folders are in e2e/; those
// left here need the CLI in-process (a pause hook, a signal at a known point, the server
// in the test's own process).

// bluebook runs the CLI in-process and returns its exit code, stdout and stderr.
func bluebook(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// queryCSV runs `bluebook query --format csv` and returns the records without the header.
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

// findChromium returns the Chromium binary; without one the test is skipped, except under
// CI, where it fails (scripts/setup.sh installs it).
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range chromiumNames {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed; scripts/setup.sh installs it (apt-get install chromium fonts-wqy-zenhei)")
	}
	t.Skip("chromium is not installed: apt-get install chromium fonts-wqy-zenhei")
	return ""
}
