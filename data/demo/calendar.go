package demo

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// day is a calendar date as the number of days since 1970-01-01. The generator
// works on day numbers rather than time.Time so that the hot loops neither
// allocate nor call into the time package.
type day int32

// dayOf returns the day number of year y, month m, day d (proleptic Gregorian;
// H. Hinnant's days_from_civil).
func dayOf(y, m, d int) day {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return day(era*146097 + doe - 719468)
}

// civil returns the year, month and day of d (H. Hinnant's civil_from_days).
func (d day) civil() (y, m, dd int) {
	z := int(d) + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	dd = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, dd
}

// year returns the year of d.
func (d day) year() int {
	y, _, _ := d.civil()
	return y
}

// weekday returns the day of the week of d, Sunday = 0.
func (d day) weekday() int {
	w := (int(d) + 4) % 7 // 1970-01-01 was a Thursday
	if w < 0 {
		w += 7
	}
	return w
}

// dayOfTime returns the day number of t's date in t's location.
func dayOfTime(t time.Time) day {
	y, m, d := t.Date()
	return dayOf(y, int(m), d)
}

// parseISODay parses "2006-01-02".
func parseISODay(s string) (day, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("parse date %q: %w", s, err)
	}
	return dayOfTime(t), nil
}

// Date styles. Every source accepts each of them (docs/sources.md, general rules).
const (
	dateISO     = iota // 2025-03-07
	dateSlash          // 2025/3/7
	dateCompact        // 20250307
	dateHanzi          // 2025年3月7日
)

// appendDate appends d in the given date style.
func appendDate(b []byte, d day, style int) []byte {
	y, m, dd := d.civil()
	switch style {
	case dateSlash:
		b = strconv.AppendInt(b, int64(y), 10)
		b = append(b, '/')
		b = strconv.AppendInt(b, int64(m), 10)
		b = append(b, '/')
		return strconv.AppendInt(b, int64(dd), 10)
	case dateCompact:
		b = append4(b, y)
		b = append2(b, m)
		return append2(b, dd)
	case dateHanzi:
		b = strconv.AppendInt(b, int64(y), 10)
		b = append(b, "年"...)
		b = strconv.AppendInt(b, int64(m), 10)
		b = append(b, "月"...)
		b = strconv.AppendInt(b, int64(dd), 10)
		return append(b, "日"...)
	default:
		b = append4(b, y)
		b = append(b, '-')
		b = append2(b, m)
		b = append(b, '-')
		return append2(b, dd)
	}
}

// Timestamp styles of the appeals source.
const (
	tsFull  = iota // 2025-03-07 14:22:05
	tsShort        // 2025/3/7 09:22
)

// appendTimestamp appends day d at sec seconds after midnight in the given
// timestamp style.
func appendTimestamp(b []byte, d day, sec int, style int) []byte {
	h, mi, s := sec/3600, sec/60%60, sec%60
	if style == tsShort {
		b = appendDate(b, d, dateSlash)
		b = append(b, ' ')
		b = append2(b, h)
		b = append(b, ':')
		return append2(b, mi)
	}
	b = appendDate(b, d, dateISO)
	b = append(b, ' ')
	b = append2(b, h)
	b = append(b, ':')
	b = append2(b, mi)
	b = append(b, ':')
	return append2(b, s)
}

// append2 appends v (0-99) as two digits.
func append2(b []byte, v int) []byte {
	return append(b, byte('0'+v/10), byte('0'+v%10))
}

// append4 appends v (0-9999) as four digits.
func append4(b []byte, v int) []byte {
	return append(b, byte('0'+v/1000), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
}

// appendPadded appends v zero-padded to at least width digits.
func appendPadded(b []byte, v int64, width int) []byte {
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], v, 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// offRanges lists the official days off of 2021-2026 as first-day+length, and
// makeupDays the official make-up working days (State Council notices; the
// same facts as data/cn_holidays.csv, kept here so the generator needs no file
// at run time). The demo data only needs believable dips; the pipeline uses the
// shipped calendar, not this copy.
const (
	offRanges = "2021-01-01+3 2021-02-11+7 2021-04-03+3 2021-05-01+5 2021-06-12+3 2021-09-19+3 2021-10-01+7 " +
		"2022-01-01+3 2022-01-31+7 2022-04-03+3 2022-04-30+5 2022-06-03+3 2022-09-10+3 2022-10-01+7 2022-12-31+3 " +
		"2023-01-21+7 2023-04-05+1 2023-04-29+5 2023-06-22+3 2023-09-29+8 " +
		"2024-01-01+1 2024-02-10+8 2024-04-04+3 2024-05-01+5 2024-06-10+1 2024-09-15+3 2024-10-01+7 " +
		"2025-01-01+1 2025-01-28+8 2025-04-04+3 2025-05-01+5 2025-05-31+3 2025-10-01+8 " +
		"2026-01-01+3 2026-02-15+9 2026-04-04+3 2026-05-01+5 2026-06-19+3 2026-09-25+3 2026-10-01+7"
	makeupDays = "2021-02-07 2021-02-20 2021-04-25 2021-05-08 2021-09-18 2021-09-26 2021-10-09 " +
		"2022-01-29 2022-01-30 2022-04-02 2022-04-24 2022-05-07 2022-10-08 2022-10-09 " +
		"2023-01-28 2023-01-29 2023-04-23 2023-05-06 2023-06-25 2023-10-07 2023-10-08 " +
		"2024-02-04 2024-02-18 2024-04-07 2024-04-28 2024-05-11 2024-09-14 2024-09-29 2024-10-12 " +
		"2025-01-26 2025-02-08 2025-04-27 2025-09-28 2025-10-11 " +
		"2026-01-04 2026-02-14 2026-02-28 2026-05-09 2026-09-20 2026-10-10"
)

// Kinds of day in a calendar.
const (
	kindWorkday = iota
	kindWeekend
	kindHoliday
)

// calendar tells working days from days off. Dates outside the built-in
// table (before 2021 or after 2026) follow the plain Monday-Friday week.
type calendar struct {
	first day
	kind  []uint8 // kind of day first+i
}

// newCalendar builds the calendar of first..last from the built-in table.
func newCalendar(first, last day) (*calendar, error) {
	c := &calendar{first: first, kind: make([]uint8, int(last-first)+1)}
	for i := range c.kind {
		if w := (first + day(i)).weekday(); w == 0 || w == 6 {
			c.kind[i] = kindWeekend
		}
	}
	for _, r := range strings.Fields(offRanges) {
		date, n, ok := strings.Cut(r, "+")
		if !ok {
			return nil, fmt.Errorf("holiday range %q: want date+days", r)
		}
		d, err := parseISODay(date)
		if err != nil {
			return nil, fmt.Errorf("holiday range %q: %w", r, err)
		}
		k, err := strconv.Atoi(n)
		if err != nil {
			return nil, fmt.Errorf("holiday range %q: %w", r, err)
		}
		for j := 0; j < k; j++ {
			c.set(d+day(j), kindHoliday)
		}
	}
	for _, s := range strings.Fields(makeupDays) {
		d, err := parseISODay(s)
		if err != nil {
			return nil, fmt.Errorf("make-up day: %w", err)
		}
		c.set(d, kindWorkday)
	}
	return c, nil
}

// set records the kind of d when d is inside the calendar.
func (c *calendar) set(d day, k uint8) {
	if i := int(d - c.first); i >= 0 && i < len(c.kind) {
		c.kind[i] = k
	}
}

// kindOf returns the kind of d.
func (c *calendar) kindOf(d day) uint8 {
	if i := int(d - c.first); i >= 0 && i < len(c.kind) {
		return c.kind[i]
	}
	if w := d.weekday(); w == 0 || w == 6 {
		return kindWeekend
	}
	return kindWorkday
}

// addWorkdays returns the k-th working day after d (d itself for k = 0).
func (c *calendar) addWorkdays(d day, k int) day {
	for k > 0 {
		d++
		if c.kindOf(d) == kindWorkday {
			k--
		}
	}
	return d
}
