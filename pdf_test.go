package main

import (
	"fmt"
	"html"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestPDFBook prints the demo blue book through real headless Chromium and reads the PDF
// back with poppler's pdftotext, page by page, as a reader would check it: a cover without
// technical details, the 编委会 and 前言 pages from bluebook.toml, a 目录 whose numbers
// are the pages where the chapters start, a 图表目录 whose numbers are the pages of the
// figures and tables, running headers with the chapter title, page numbers in the footer,
// "表X-X（续）" and the header row on every continued page of a table (and not on its first),
// a long table filling every page it breaks on, its columns where they stood on its first page,
// the run id and versions on the colophon page (and on no other page) at the end, a cover
// that fills the page, and no page less than half full before a figure (nor two-thirds
// full when the figure, its chart a little lower, would have fitted there).
func TestPDFBook(t *testing.T) {
	findChromium(t)
	pdftotext := findPdftotext(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "bluebook.toml")
	os.WriteFile(cfg, []byte(`[book]
committee = [
  { role = "主任", names = ["王建国"] },
  { role = "委员", names = ["李明", "赵小红", "陈立"] },
]
preface = """
本书是示例市工商联编写的年度蓝皮书，
记录民营经济的发展。

第二段感谢各部门提供数据。
"""
`), 0o644)
	code, _, errs := bluebook(t, "demo", "--dir", dir, "--scale", "3000", "--config", cfg)
	if code != exitOK {
		t.Fatalf("demo: exit %d\n%s", code, errs)
	}
	single := filepath.Join(dir, "bluebook.html")
	book := filepath.Join(dir, "book.pdf")
	if code, out, errs := bluebook(t, "pdf", "--in", single, "--out", book); code != exitOK || strings.TrimSpace(out) != book {
		t.Fatalf("pdf: exit %d, stdout %q\n%s", code, out, errs)
	}
	src, _ := os.ReadFile(single)
	doc := string(src)

	// The whole book, one string per page (pdftotext ends each page with a form feed).
	all, err := exec.Command(pdftotext, "-layout", book, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(strings.TrimSuffix(string(all), "\f"), "\f")
	n := len(pages)
	t.Logf("%d pages", n)
	// page is one page as `pdftotext -f N -l N` reads it, whitespace removed (text wraps).
	page := func(p int) string {
		t.Helper()
		out, err := exec.Command(pdftotext, "-f", strconv.Itoa(p), "-l", strconv.Itoa(p), book, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext page %d: %v", p, err)
		}
		return squeeze(string(out))
	}

	runID := regexp.MustCompile(`运行编号</dt><dd>([^<]+)<`).FindStringSubmatch(doc)
	if runID == nil {
		t.Fatal("the single file has no colophon with the run id")
	}
	cover := squeeze(pages[0])
	if !strings.Contains(cover, "民营经济发展蓝皮书") || strings.Contains(cover, runID[1]) || strings.Contains(cover, "bluebook") || strings.Contains(cover, "运行") {
		t.Errorf("the cover should show the title and no run id or software version:\n%s", pages[0])
	}
	for i, p := range pages[:n-1] {
		if strings.Contains(squeeze(p), runID[1]) {
			t.Errorf("page %d shows the run id, which belongs on the colophon page only", i+1)
		}
	}
	// The cover's colours reach the foot of the page: the book is printed at its size (a
	// line wider than the page makes Chromium shrink every page, the cover then ending
	// 12 mm short of the foot) and the cover is the whole first page.
	if white := coverFoot(t, book); white {
		t.Error("the foot of the cover page is white: the cover does not fill the page, or the book is printed smaller than A4")
	}
	last := squeeze(pages[n-1])
	for _, want := range []string{"版本说明", runID[1], "bluebook", "数据截至"} {
		if !strings.Contains(last, want) {
			t.Errorf("the last page (colophon) has no %q:\n%s", want, pages[n-1])
		}
	}

	// Front matter from [book], before the 目录.
	find := func(s string) int {
		for i, p := range pages {
			if strings.Contains(squeeze(p), s) {
				return i + 1
			}
		}
		return 0
	}
	committee, preface, toc := find("编委会"), find("前言"), find("目录")
	if committee == 0 || preface == 0 || toc == 0 || !(committee < preface && preface < toc) {
		t.Fatalf("编委会 on page %d, 前言 on %d, 目录 on %d: want all three, in this order", committee, preface, toc)
	}
	for _, want := range []string{"主任王建国", "委员李明", "赵小红", "陈立"} {
		if !strings.Contains(squeeze(pages[committee-1]), want) {
			t.Errorf("the 编委会 page has no %q:\n%s", want, pages[committee-1])
		}
	}
	if p := squeeze(pages[preface-1]); !strings.Contains(p, "本书是示例市工商联编写的年度蓝皮书，记录民营经济的发展。") || !strings.Contains(p, "第二段感谢各部门提供数据。") {
		t.Errorf("the 前言 page lacks the preface:\n%s", pages[preface-1])
	}

	// The cover and the front matter, bold Chinese text without figures, embed no Type 3
	// font: Chromium writes a made-up bold (the Chinese font has no bold face) that way,
	// each glyph's bare outlines, one font per few glyphs.
	if out, err := exec.Command("pdffonts", "-f", "1", "-l", strconv.Itoa(toc), book).Output(); err != nil {
		t.Errorf("pdffonts: %v", err)
	} else if n := strings.Count(string(out), "Type 3"); n > 0 {
		t.Errorf("pages 1 to %d embed %d Type 3 fonts:\n%s", toc, n, out)
	}

	// The entries of the 目录 and the 图表目录, as printed: "title …… N".
	entry := regexp.MustCompile(`^\s*(\S.*?\S)\s+(\d+)\s*$`)
	printed := map[string]int{} // squeezed entry text → page number
	for p := toc; p <= n && p < toc+6; p++ {
		for _, line := range strings.Split(pages[p-1], "\n") {
			if m := entry.FindStringSubmatch(line); m != nil {
				printed[squeeze(m[1])], _ = strconv.Atoi(m[2])
			}
		}
	}
	chapters := regexp.MustCompile(`<li><a href="#([^"]+)"><span class="t">([^<]+)</span><span class="dots">`).FindAllStringSubmatch(doc, -1)
	if len(chapters) < 5 {
		t.Fatalf("the print 目录 lists %d chapters", len(chapters))
	}
	var starts []int
	for _, c := range chapters {
		title := squeeze(html.UnescapeString(c[2]))
		at, ok := printed[title]
		if !ok {
			t.Errorf("the 目录 has no page number for %s", title)
			continue
		}
		// The chapter starts on page at: its heading and running header there (the title
		// twice), not a word of it on the page before.
		if got := strings.Count(page(at), title); got < 2 {
			t.Errorf("目录 says %s starts on page %d, but that page shows its title %d times:\n%s", title, at, got, pages[at-1])
		}
		if strings.Contains(page(at-1), title) {
			t.Errorf("目录 says %s starts on page %d, but page %d shows it already", title, at, at-1)
		}
		starts = append(starts, at)
	}
	if t.Failed() {
		t.FailNow()
	}
	// Running headers: every page of a chapter carries its title; footers the page number.
	book0 := squeeze(regexp.MustCompile(`<title>([^<]+)</title>`).FindStringSubmatch(doc)[1])
	for i, c := range chapters {
		title := squeeze(html.UnescapeString(c[2]))
		end := n - 1 // the colophon page is last
		if i+1 < len(starts) {
			end = starts[i+1] - 1
		}
		for p := starts[i]; p <= end; p++ {
			head := squeeze(firstLine(pages[p-1]))
			if !strings.Contains(head, title) || !strings.Contains(head, book0) {
				t.Errorf("page %d: the running header %q lacks the book title %s or the chapter title %s", p, head, book0, title)
			}
			if foot := strings.TrimSpace(lastLine(pages[p-1])); foot != strconv.Itoa(p) {
				t.Errorf("page %d: the footer says %q", p, foot)
			}
		}
	}

	// Figures and tables: the 图表目录 numbers are their pages; a table starting on a page
	// does not say （续） there.
	caption := regexp.MustCompile(`<li><a href="#((?:fig|tab)-[^"]+)"><span class="t"><span class="label">([^<]+)</span>([^<]+)</span>`)
	captions := caption.FindAllStringSubmatch(doc, -1)
	if len(captions) < 20 {
		t.Fatalf("the 图表目录 lists %d figures and tables", len(captions))
	}
	for _, c := range captions {
		label, title := squeeze(html.UnescapeString(c[2])), squeeze(html.UnescapeString(c[3]))
		at, ok := printed[label+title]
		if !ok {
			t.Errorf("the 图表目录 has no page number for %s %s", label, title)
			continue
		}
		// (pdftotext may read a chart's axis labels between a caption's label and title)
		if text := page(at); !strings.Contains(text, label) || !strings.Contains(text, title) {
			t.Errorf("图表目录 says %s is on page %d, which does not show its caption:\n%s", label, at, pages[at-1])
		}
		if strings.HasPrefix(c[1], "tab-") && strings.Contains(page(at), label+"（续）") {
			t.Errorf("%s starts on page %d, which already says （续）", label, at)
		}
	}

	dests, ys, err := pdfDests(book)
	if err != nil {
		t.Fatal(err)
	}
	// A long table flows on from page to page: every page it breaks on is filled to the
	// foot (its last row there starts in the bottom third of the page), none carries a few
	// rows and is left mostly empty.
	for id, p := range dests {
		m := rowDest.FindStringSubmatch(id)
		if m == nil {
			continue
		}
		i, _ := strconv.Atoi(m[2])
		if q, ok := dests[fmt.Sprintf("%s-r%d", m[1], i+1)]; ok && q == p+1 {
			if free := ys[id] - contentBottomY; free > contentHeight/3 {
				t.Errorf("page %d ends inside %s after its row %d, which starts %.0f pt above the foot of the %.0f pt page: the page is less than two-thirds full", p, m[1], i+1, free, contentHeight)
			}
		}
	}

	// Continued tables: the caption line with （续） and the whole header row again.
	cont := regexp.MustCompile(`(表\d+-\d+)（续）`)
	continued := 0
	for p := toc; p <= n; p++ {
		text := page(p)
		for _, m := range cont.FindAllStringSubmatch(text, -1) {
			continued++
			label := strings.Replace(m[1], "表", "表 ", 1)
			block := regexp.MustCompile(`(?s)<section class="table-block" id="(tab-[^"]+)">\s*<p class="table-caption"><span class="label">` + regexp.QuoteMeta(label) + `</span>.*?</thead>`).FindStringSubmatch(doc)
			if block == nil {
				t.Fatalf("page %d continues %s, which is not in the single file", p, m[1])
			}
			heads := regexp.MustCompile(`<th scope="col">([^<]+)</th>`).FindAllStringSubmatch(block[0], -1)
			if len(heads) == 0 {
				t.Fatalf("page %d continues %s, whose header row is not in the single file", p, m[1])
			}
			// The columns stand where they stood on the table's first page: one table
			// with one set of column widths, not parts that each size their own.
			first, here := headerX(t, book, dests[block[1]], heads), headerX(t, book, p, heads)
			for h, x := range first {
				if x2, ok := here[h]; ok && math.Abs(x2-x) > 1 {
					t.Errorf("page %d continues %s with its column %s at x = %.1f pt; on page %d it stands at %.1f pt", p, m[1], h, x2, dests[block[1]], x)
				}
			}
			for _, h := range heads {
				// A header wraps before its unit, and pdftotext reads the cells of a wrapped
				// header row line by line: 研发费用 and （万元） are looked for apart.
				for _, part := range strings.SplitAfterN(strings.Replace(squeeze(html.UnescapeString(h[1])), "（", "\x00（", 1), "\x00", 2) {
					if !strings.Contains(text, strings.TrimSuffix(part, "\x00")) {
						t.Errorf("page %d continues %s without its header %q:\n%s", p, m[1], h[1], pages[p-1])
					}
				}
			}
			if !strings.Contains(page(p-1), m[1]) {
				t.Errorf("page %d continues %s, which page %d does not show", p, m[1], p-1)
			}
		}
	}
	if continued == 0 {
		t.Error("no table continues on a second page with （续）; the demo's long rankings should")
	}

	// No page is left less than half full before a figure pushed onto the next one, nor
	// with more than a third of it empty when the figure, its chart up to 30 % lower,
	// would have filled it: read from the PDF's destinations, the place before each figure
	// (id-before), the figure and the place after it (id-after, its height on the page).
	marks := 0
	for id, p := range dests {
		fig, ok := strings.CutSuffix(id, "-before")
		if !ok {
			continue
		}
		marks++
		free := ys[id] - contentBottomY
		if dests[fig] != p+1 {
			continue
		}
		if free > contentHeight/2 {
			t.Errorf("page %d is less than half full (%.0f of %.0f pt left) before %s on page %d", p, free, contentHeight, fig, p+1)
			continue
		}
		chart := regexp.MustCompile(`id="chart-` + regexp.QuoteMeta(fig) + `" style="height: (\d+)px"`).FindStringSubmatch(doc)
		end, ok := ys[fig+"-after"]
		if chart == nil || !ok || dests[fig+"-after"] != p+1 {
			continue
		}
		px, _ := strconv.Atoi(chart[1])
		height := min(ys[fig], contentTopY) - end
		if lower := height - 0.3*float64(px)*0.75; free > contentHeight/3 && free > lower+30 {
			t.Errorf("page %d has %.0f of %.0f pt empty before %s on page %d, which fits there %.0f pt high, its chart 30 %% lower", p, free, contentHeight, fig, p+1, lower)
		}
	}
	if want := strings.Count(doc, `<figure class="figure" id="fig-`); marks != want {
		t.Errorf("the PDF marks the place before %d figures; the book has %d", marks, want)
	}
}

// headerX reads page p of the PDF with pdftotext -bbox and returns, for each header of a
// table (its words before a unit in brackets, which may wrap onto another line), the x of
// its left edge in points, where the word stands highest on the page.
func headerX(t *testing.T, pdf string, p int, heads [][]string) map[string]float64 {
	t.Helper()
	out, err := exec.Command("pdftotext", "-bbox", "-f", strconv.Itoa(p), "-l", strconv.Itoa(p), pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox page %d: %v", p, err)
	}
	words := regexp.MustCompile(`<word xMin="([-\d.]+)" yMin="([-\d.]+)"[^>]*>([^<]*)</word>`).FindAllStringSubmatch(string(out), -1)
	xs, top := map[string]float64{}, map[string]float64{}
	for _, h := range heads {
		name := squeeze(html.UnescapeString(h[1]))
		if i := strings.Index(name, "（"); i > 0 {
			name = name[:i]
		}
		for _, w := range words {
			if html.UnescapeString(w[3]) != name {
				continue
			}
			x, _ := strconv.ParseFloat(w[1], 64)
			y, _ := strconv.ParseFloat(w[2], 64)
			if y0, ok := top[name]; !ok || y < y0 {
				xs[name], top[name] = x, y
			}
		}
	}
	return xs
}

// coverFoot tells whether the bottom row of pixels of the first page, rendered by poppler's
// pdftoppm, is white across the middle half of the page.
func coverFoot(t *testing.T, pdf string) bool {
	t.Helper()
	out := filepath.Join(t.TempDir(), "cover")
	if b, err := exec.Command("pdftoppm", "-r", "30", "-f", "1", "-l", "1", "-singlefile", pdf, out).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, b)
	}
	img, err := os.ReadFile(out + ".ppm")
	if err != nil {
		t.Fatal(err)
	}
	// A binary PPM: "P6\nW H\n255\n" and three bytes a pixel, rows from the top.
	var w, h, max int
	var header int
	if _, err := fmt.Sscanf(string(img[:min(len(img), 40)]), "P6\n%d %d\n%d", &w, &h, &max); err != nil {
		t.Fatalf("pdftoppm wrote no PPM: %v", err)
	}
	for i, lines := 0, 0; i < len(img) && lines < 3; i++ {
		if img[i] == '\n' {
			lines++
			header = i + 1
		}
	}
	row := img[header+(h-1)*w*3 : header+h*w*3]
	for x := w / 4; x < 3*w/4; x++ {
		if row[3*x] < 240 || row[3*x+1] < 240 || row[3*x+2] < 240 {
			return false
		}
	}
	return true
}

// findPdftotext returns poppler's pdftotext; without it the test is skipped, except under
// CI, where it fails.
func findPdftotext(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("pdftotext"); err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatal("pdftotext is not installed; apt-get install poppler-utils")
	}
	t.Skip("pdftotext is not installed: apt-get install poppler-utils")
	return ""
}

// squeeze removes all white space: text wraps differently on the page than in the source.
func squeeze(s string) string {
	return strings.Join(strings.Fields(s), "")
}

func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			return l
		}
	}
	return ""
}

func lastLine(s string) string {
	lines := strings.Split(s, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.TrimSpace(lines[i]) != "" {
			return lines[i]
		}
	}
	return ""
}
