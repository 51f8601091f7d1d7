package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// chromiumNames are the names Chromium goes by on the systems bluebook runs on.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "msedge"}

func findChromiumBinary(explicit string) (string, error) {
	if explicit != "" {
		if _, err := os.Stat(explicit); err != nil {
			return "", usageError{fmt.Sprintf("--chromium %s: %v", explicit, err)}
		}
		return explicit, nil
	}
	for _, n := range chromiumNames {
		if p, err := exec.LookPath(n); err == nil {
			return p, nil
		}
	}
	return "", usageError{"bluebook pdf prints through headless Chromium, which is not installed.\n" +
		"  Debian/Ubuntu: sudo apt-get install -y chromium fonts-wqy-zenhei\n" +
		"  Other systems: install Chromium or Google Chrome and pass --chromium /path/to/it\n" +
		"(a CJK font such as fonts-wqy-zenhei or Noto Sans CJK is needed for Chinese text)"}
}

func cmdPDF(ctx context.Context, e *env, args []string) error {
	fs, _ := newFlags(e, "pdf", "pdf --in REPORT.html [--out BOOK.pdf] [--chromium PATH]")
	in := fs.String("in", "", "the report to print: the single-file report (run --single-file) or a page of the site")
	out := fs.String("out", "", "the PDF to write (default: beside --in, with .pdf)")
	chromium := fs.String("chromium", "", "Chromium or Chrome binary (default: found on PATH)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *in == "" {
		return usageError{"pdf needs --in REPORT.html (write one with `bluebook run --single-file FILE`)"}
	}
	src, err := filepath.Abs(*in)
	if err != nil {
		return err
	}
	if _, err := os.Stat(src); err != nil {
		return usageError{fmt.Sprintf("--in %s: %v", *in, err)}
	}
	dst := *out
	if dst == "" {
		dst = src[:len(src)-len(filepath.Ext(src))] + ".pdf"
	}
	bin, err := findChromiumBinary(*chromium)
	if err != nil {
		return err
	}
	profile, err := os.MkdirTemp("", "bluebook-chromium-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(profile)
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--user-data-dir="+profile, "--run-all-compositor-stages-before-draw", "--virtual-time-budget=15000",
		"--no-pdf-header-footer", "--print-to-pdf="+dst, "file://"+filepath.ToSlash(src))
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("chromium could not print %s: %v\n%s", src, err, errb.String())
	}
	if st, err := os.Stat(dst); err != nil || st.Size() == 0 {
		return fmt.Errorf("chromium wrote no PDF at %s\n%s", dst, errb.String())
	}
	fmt.Fprintln(e.stdout, dst)
	return nil
}
