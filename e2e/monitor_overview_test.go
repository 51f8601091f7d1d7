package e2e

import (
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// pageText returns the text of a rendered page: tags removed, entities decoded.
func pageText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(string(b), ""))
}

// TestMonitorOverviewCitesChapter builds the demo book and checks that the overview's
// monitoring issue cites only what chapter 6 shows: its quarter and red-alert count are
// chapter 6's, and every alert it quotes (scope, month and figures) is in chapter 6's alerts
// table. The demo's edition year is 2025 and chapter 6 shows 2026 Q3, the last complete
// quarter of the data; a red alert of December 2025 must not be cited. One alert is not
// said to "均" exceed the threshold.
func TestMonitorOverviewCitesChapter(t *testing.T) {
	t.Parallel()
	dir := demoDir(t)
	overview := pageText(t, filepath.Join(dir, "site", "00_overview.html"))
	chapter := pageText(t, filepath.Join(dir, "site", "06_monitor.html"))

	m := regexp.MustCompile(`((?:\d{4}年第[一二三四]季度)?)运行监测发出红色预警(\d+)次。\s*按月监测显示，(.*?)(等)?，偏离以往同期水平的程度(均)?超过红色预警阈值`).FindStringSubmatch(overview)
	if m == nil {
		t.Fatal("the overview has no monitoring issue (the demo plants red alerts in its last quarter)")
	}
	period, red, cited, jun := m[1], m[2], strings.Split(m[3], "；"), m[5] == "均"
	t.Logf("overview: %s红色预警%s次: %q", period, red, cited)
	if period == "" || !strings.Contains(chapter, period+"，共发出预警") {
		t.Errorf("the overview's period %q is not the quarter chapter 6 reports", period)
	}
	if !regexp.MustCompile(`，共发出预警\d+次，其中红色预警` + red + `次`).MatchString(chapter) {
		t.Errorf("the overview's %s red alerts are not chapter 6's count", red)
	}
	for _, c := range cited {
		if !strings.Contains(chapter, c+"，红色预警") {
			t.Errorf("the overview cites %q, not a red alert of chapter 6", c)
		}
	}
	// every month the issue names is a month of chapter 6's alerts
	for _, ym := range regexp.MustCompile(`\d{4}年\d{1,2}月`).FindAllString(m[3], -1) {
		if !strings.Contains(chapter, ym) {
			t.Errorf("the overview names %s, which chapter 6 does not show", ym)
		}
	}
	if several := len(cited) > 1 || m[4] == "等"; jun != several {
		t.Errorf("%d alert(s) cited, 均 %v: 均 is for several alerts only", len(cited), jun)
	}
}
