package demo

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"time"
)

func TestDayRoundTrip(t *testing.T) {
	start := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 80000; i += 7 {
		tm := start.AddDate(0, 0, i)
		d := dayOfTime(tm)
		if want := day(tm.Unix() / 86400); d != want {
			t.Fatalf("dayOfTime(%s) = %d, want %d", tm.Format(time.DateOnly), d, want)
		}
		y, m, dd := d.civil()
		if y != tm.Year() || m != int(tm.Month()) || dd != tm.Day() {
			t.Fatalf("civil(%d) = %d-%d-%d, want %s", d, y, m, dd, tm.Format(time.DateOnly))
		}
		if d.weekday() != int(tm.Weekday()) {
			t.Fatalf("weekday of %s = %d, want %d", tm.Format(time.DateOnly), d.weekday(), tm.Weekday())
		}
	}
}

func TestAppendDate(t *testing.T) {
	d := dayOf(2025, 3, 7)
	for style, want := range map[int]string{dateISO: "2025-03-07", dateSlash: "2025/3/7", dateCompact: "20250307", dateHanzi: "2025年3月7日"} {
		if got := string(appendDate(nil, d, style)); got != want {
			t.Errorf("style %d: %s, want %s", style, got, want)
		}
	}
	if got := string(appendTimestamp(nil, d, 9*3600+22*60+5, tsFull)); got != "2025-03-07 09:22:05" {
		t.Errorf("full timestamp %s", got)
	}
	if got := string(appendTimestamp(nil, d, 9*3600+22*60+5, tsShort)); got != "2025/3/7 09:22" {
		t.Errorf("short timestamp %s", got)
	}
}

// TestDeadlines checks the built-in holiday table against the 15-working-day
// test vectors of docs/domain.md.
func TestDeadlines(t *testing.T) {
	cal, err := newCalendar(dayOf(2021, 1, 1), dayOf(2027, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ submitted, deadline string }{
		{"2024-09-27", "2024-10-23"},
		{"2025-01-20", "2025-02-14"},
		{"2025-09-26", "2025-10-23"},
		{"2026-02-10", "2026-03-09"},
		{"2026-09-18", "2026-10-15"},
	} {
		s, _ := parseISODay(tc.submitted)
		want, _ := parseISODay(tc.deadline)
		if got := cal.addWorkdays(s, 15); got != want {
			t.Errorf("15 working days after %s = %s, want %s", tc.submitted, appendDate(nil, got, dateISO), tc.deadline)
		}
	}
	// Working days per year (docs/domain.md).
	for y, want := range map[int]int{2024: 251, 2025: 248, 2026: 248} {
		n := 0
		for d := dayOf(y, 1, 1); d <= dayOf(y, 12, 31); d++ {
			if cal.kindOf(d) == kindWorkday {
				n++
			}
		}
		if n != want {
			t.Errorf("%d has %d working days, want %d", y, n, want)
		}
	}
}

// TestCalendarMatchesReference compares the built-in table with
// data/cn_holidays.csv for 2021-2026, when the file is there.
func TestCalendarMatchesReference(t *testing.T) {
	f, err := os.Open("../cn_holidays.csv")
	if err != nil {
		t.Skipf("reference calendar: %v", err)
	}
	defer f.Close()
	cal, err := newCalendar(dayOf(2021, 1, 1), dayOf(2026, 12, 31))
	if err != nil {
		t.Fatal(err)
	}
	want := map[day]uint8{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), ",")
		if len(fields) != 3 || fields[0] < "2021" || fields[0] >= "2027" {
			continue
		}
		d, err := parseISODay(fields[0])
		if err != nil {
			t.Fatal(err)
		}
		switch fields[2] {
		case "off":
			want[d] = kindHoliday
		case "makeup_workday":
			want[d] = kindWorkday
		}
	}
	for d := dayOf(2021, 1, 1); d <= dayOf(2026, 12, 31); d++ {
		k, ok := want[d]
		if !ok {
			k = kindWorkday
			if w := d.weekday(); w == 0 || w == 6 {
				k = kindWeekend
			}
		}
		if got := cal.kindOf(d); got != k {
			t.Errorf("%s: kind %d, reference %d", appendDate(nil, d, dateISO), got, k)
		}
	}
}
