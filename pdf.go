package main

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
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
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	pages, err := printBook(ctx, bin, src, dst)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, dst)
	if pages == nil {
		fmt.Fprintln(e.stderr, "note: the report has no table of contents to number (print the single file: `bluebook run --single-file FILE`)")
	}
	return nil
}

// printBook prints the report at src to dst with Chromium's print engine: CSS paged media
// for the page itself (assets/print.css: named pages, margin boxes for the running header
// and the page number), and more than one printing for what CSS cannot do in Chromium
// (there is no target-counter() for a 目录, no "continued" caption for a table). The
// first printing lays the book out with empty page-number slots of a fixed width; the
// page of every chapter, figure, table and row of a long table is read back from that
// PDF's named destinations (pdfdests.go); the next printing passes them to the page in
// its address (#bb-pages=…), where the book's script writes the numbers into the slots and
// puts "表X-X（续）" above the header row Chromium repeats on each page a long table
// continues on (#bb-cont=…, the height of that header: tableHeads). A long table stays one
// table, broken between rows wherever a page ends. The pages are read back again; the
// printing repeats until they no longer move (the page numbers or a moved figure can move
// what follows them), at most maxPrintings times. It returns the pages the 目录 shows
// (nil when the report has none).
func printBook(ctx context.Context, bin, src, dst string) (map[string]int, error) {
	tmp, err := os.MkdirTemp("", "bluebook-pdf-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	url := "file://" + filepath.ToSlash(src)
	first := filepath.Join(tmp, "pass1.pdf")
	if err := printOnce(ctx, bin, tmp, url, first); err != nil {
		return nil, err
	}
	pages, ys, err := pdfDests(first)
	if err != nil || !hasTOC(src) {
		// Not a book with a 目录 (a page of the site, say): the first print is the PDF.
		return nil, moveFile(first, dst)
	}
	// A figure is moved (or its chart made lower) where a printing left a gap before it;
	// the gaps of every printing count, since moving one figure, splitting a table or
	// writing the page numbers moves what follows. A figure once named stays named, with
	// the room the printing that named it left; named again (its lower chart did not fit
	// after all), it is named with no room, which moves it after the text that follows.
	moves := map[string]string{}
	addMoves := func(pages map[string]int, ys map[string]float64) bool {
		added := false
		for _, m := range figuresToMove(pages, ys) {
			id := m[:strings.IndexByte(m, '@')]
			if old, ok := moves[id]; !ok {
				moves[id] = m
				added = true
			} else if old != id+"@0" {
				moves[id] = id + "@0"
				added = true
			}
		}
		return added
	}
	addMoves(pages, ys)
	heads := tableHeads(pages, ys)
	for pass := 2; ; pass++ {
		out := filepath.Join(tmp, fmt.Sprintf("pass%d.pdf", pass))
		named := slices.Sorted(maps.Values(moves))
		addr := url + "#bb-pages=" + encodePages(pages) + "&bb-move=" + strings.Join(named, ",") + "&bb-cont=" + strings.Join(heads, ",")
		if err := printOnce(ctx, bin, tmp, addr, out); err != nil {
			return nil, err
		}
		got, ys, err := pdfDests(out)
		if err != nil {
			return nil, err
		}
		added := addMoves(got, ys)
		heads = tableHeads(got, ys)
		if (maps.Equal(got, pages) && !added) || pass == maxPrintings {
			return pages, moveFile(out, dst)
		}
		pages = got
	}
}

// maxPrintings bounds the printings of a book: the pages settle after two or three, a
// few more when figures move.
const maxPrintings = 6

// The content area of a printed page (A4, margins 24 mm and 20 mm: assets/print.css) as
// the destinations of Chromium's PDF measure it: y in points upwards, the top of the
// content area at the page's height (841.92), its foot contentHeight lower (not at the
// bottom margin's 57 pt from the page's edge: a gap measured from there was 68 pt too
// large).
const (
	contentHeight  = 841.92 - 44*72/25.4
	contentTopY    = 841.92
	contentBottomY = contentTopY - contentHeight
)

// figuresToMove lists the figures the first printing pushed onto the next page, leaving
// more than a third of the page before them empty, each as id@points left free: the
// book's script makes the chart up to 30 % lower when the figure then fits there, and
// otherwise moves the figure, with the figures and tables right after it, after the text
// that follows them (up to the next heading, figure or table), which then fills that
// page. The book marks the place before each figure as id-before (a destination too).
func figuresToMove(pages map[string]int, ys map[string]float64) []string {
	var out []string
	for _, id := range slices.Sorted(maps.Keys(pages)) {
		before, ok := strings.CutSuffix(id, "-before")
		if !ok || !strings.HasPrefix(before, "fig-") || strings.HasSuffix(before, "-after") {
			continue
		}
		free := ys[id] - contentBottomY // what is left below the text before it
		if pages[before] == pages[id]+1 && free > contentHeight/3 {
			// The figure's height where it was put: from its top to the mark after it.
			end, ok := ys[before+"-after"]
			if !ok || pages[before+"-after"] != pages[before] {
				out = append(out, fmt.Sprintf("%s@%.0f", before, free))
				continue
			}
			top := min(ys[before], contentTopY)
			out = append(out, fmt.Sprintf("%s@%.0f:%.0f", before, free, top-end))
		}
	}
	return out
}

// rowDest is the destination of a row of a long table: the table's id and the row's index.
var rowDest = regexp.MustCompile(`^(tab-.+)-r(\d+)$`)

// tableHeads lists, for each long table that a printing broke across pages, the height of
// its repeated header (the empty line for the "（续）" caption and the header row) as
// id@points: the distance from the top of the content area to the first row on a page
// the table continues on. The book's script puts the "（续）" caption that far above that
// row, into the empty line of the header Chromium repeats there.
func tableHeads(pages map[string]int, ys map[string]float64) []string {
	heads := map[string]float64{}
	for id, p := range pages {
		m := rowDest.FindStringSubmatch(id)
		if m == nil || m[2] == "0" {
			continue
		}
		i, _ := strconv.Atoi(m[2])
		prev, ok := pages[fmt.Sprintf("%s-r%d", m[1], i-1)]
		if !ok || prev == p {
			continue
		}
		heads[m[1]] = max(heads[m[1]], contentTopY-ys[id])
	}
	var out []string
	for _, id := range slices.Sorted(maps.Keys(heads)) {
		out = append(out, fmt.Sprintf("%s@%.1f", id, heads[id]))
	}
	return out
}

// hasTOC tells whether the report at path holds the printed book's 目录 (the single file).
func hasTOC(path string) bool {
	b, err := os.ReadFile(path)
	return err == nil && bytes.Contains(b, []byte(`class="pg" data-dest=`))
}

// encodePages writes id:page pairs, sorted, for the #bb-pages= address.
func encodePages(pages map[string]int) string {
	var parts []string
	for _, id := range slices.Sorted(maps.Keys(pages)) {
		parts = append(parts, id+":"+strconv.Itoa(pages[id]))
	}
	return neturl.PathEscape(strings.Join(parts, ";"))
}

// printOnce prints url to dst with headless Chromium, a fresh profile under tmp.
func printOnce(ctx context.Context, bin, tmp, url, dst string) error {
	profile, err := os.MkdirTemp(tmp, "profile-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(profile)
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--user-data-dir="+profile, "--run-all-compositor-stages-before-draw", "--virtual-time-budget=15000",
		"--no-pdf-header-footer", "--print-to-pdf="+dst, url)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("chromium could not print %s: %v\n%s", url, err, errb.String())
	}
	if st, err := os.Stat(dst); err != nil || st.Size() == 0 {
		return fmt.Errorf("chromium wrote no PDF at %s\n%s", dst, errb.String())
	}
	return nil
}

// moveFile renames src to dst, copying when they are on different file systems.
func moveFile(src, dst string) error {
	if err := os.Rename(src, dst); err == nil {
		return nil
	}
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}
