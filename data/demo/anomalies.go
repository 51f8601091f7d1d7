package demo

import (
	"time"
)

// Anomaly is one planted anomaly for the monitoring and early warning (docs/monitoring.md):
// a surge or a fall of one indicator in one scope in one month of the last complete
// quarter before AsOf. It is listed in planted.csv (rule = Kind, column = the indicator,
// line empty) with its month and scope, and the monitoring must raise a red alert for it.
type Anomaly struct {
	Kind      string    // anomaly_exits_surge, anomaly_new_fall, anomaly_arrears_surge
	Indicator string    // monitor_series.indicator: exits, new, arrears
	Scope     string    // monitor_series.scope: city, district, section
	ScopeCode string    // monitor_series.scope_code: a district code, a section letter, city
	ScopeName string    // 东湖区, 批发和零售业, 全市
	Month     time.Time // first day of the month
	Source    string    // the source the generator changed
	File      string    // the file it changed, relative to Dir
	Effect    string    // what the generator does
}

// saltAnomaly seeds the draws of the planted anomalies; they never take a draw from the
// record streams, so the data without them (Options.NoAnomalies) differ only in the rows
// they touch.
const saltAnomaly = 0x1f83d9abfb41bd6b

// Parameters of the anomalies.
const (
	exitsSurgeDistrict = 0     // 东湖区, the largest district
	exitsSurgeShare    = 0.007 // of its active private subjects, cancelled in the month (about 3 times the usual exits)
	newFallSection     = 'F'   // 批发和零售业, the section with the most new subjects
	newFallShare       = 0.75  // of the section's private subjects established in the month, registered in 餐饮业 instead
	newFallDivision    = 62    // 餐饮业 (section H)
	arrearsSurgeShare  = 0.2   // of the month's other appeals, filed as 账款拖欠 instead (about 3 times the usual)
)

// anomalies holds the months of the planted anomalies, or nil when there are none.
type anomalies struct {
	exitsFrom, exitsTo     day // the month of the exits surge: [from, to)
	newFrom, newTo         day
	arrearsFrom, arrearsTo day
	arrears                int // index of 账款拖欠 among the appeal categories
}

// monthSpan returns the first day of the month k months after the month of d, and the
// first day of the month after it.
func monthSpan(d day, k int) (day, day) {
	y, m, _ := d.civil()
	t := time.Date(y, time.Month(m)+time.Month(k), 1, 0, 0, 0, 0, time.UTC)
	return dayOfTime(t), dayOfTime(t.AddDate(0, 1, 0))
}

// newAnomalies places the anomalies in the last complete quarter on or before asOf: new
// registrations fall in its first month, exits surge in its second, 账款拖欠 appeals in its
// third. A month is complete when its last day is on or before asOf.
func (g *gen) newAnomalies() *anomalies {
	if g.opt.NoAnomalies {
		return nil
	}
	// the last complete month: the month of asOf+1 day, minus one
	y, m, _ := (g.asOf + 1).civil()
	m-- // 0 = December of the year before
	// the quarter ending on or before it
	qEnd := m - ((m%3)+3)%3 // last month of a quarter (3, 6, 9, 12 or 0)
	first := dayOfTime(time.Date(y, time.Month(qEnd-2), 1, 0, 0, 0, 0, time.UTC))
	a := &anomalies{arrears: -1}
	a.newFrom, a.newTo = monthSpan(first, 0)
	a.exitsFrom, a.exitsTo = monthSpan(first, 1)
	a.arrearsFrom, a.arrearsTo = monthSpan(first, 2)
	for i, c := range g.v.categories.items {
		if c == "账款拖欠" {
			a.arrears = i
		}
	}
	return a
}

// anomalyFloat returns a draw in [0,1) for (kind, i) that no record stream takes.
func (g *gen) anomalyFloat(kind, i uint64) float64 {
	return float64(mix(g.seed^saltAnomaly^mix(kind<<56^i))>>11) * 0x1p-53
}

// plantExit turns an active private subject of the surge district into one cancelled in
// the surge month (called by core, after the entity's own exit).
func (g *gen) plantExit(e *entity) {
	a := g.anom
	if a == nil || e.status != stActive || e.district != exitsSurgeDistrict ||
		(e.own != ownPrivate && e.own != ownIndividual) || e.est+90 > a.exitsFrom {
		return
	}
	if g.anomalyFloat(1, uint64(e.idx)) < exitsSurgeShare {
		e.status = stCancelled
		e.exit = a.exitsFrom + day(g.anomalyFloat(2, uint64(e.idx))*float64(a.exitsTo-a.exitsFrom))
		if e.exit > g.asOf {
			e.exit = g.asOf
		}
	}
}

// plantDivision moves most private subjects of the fall section established in the fall
// month to another section (called by registryRow with the drawn division).
func (g *gen) plantDivision(e *entity, div int) int {
	a := g.anom
	if a == nil || e.est < a.newFrom || e.est >= a.newTo || sectionOf(div) != newFallSection ||
		(e.own != ownPrivate && e.own != ownIndividual) {
		return div
	}
	if g.anomalyFloat(3, uint64(e.idx)) < newFallShare {
		return newFallDivision
	}
	return div
}

// plantCategory files a share of the appeals of the surge month as 账款拖欠 (called by
// appealRow with the drawn category; seq numbers the appeals of day d).
func (g *gen) plantCategory(d day, seq, cat int) int {
	a := g.anom
	if a == nil || a.arrears < 0 || d < a.arrearsFrom || d >= a.arrearsTo {
		return cat
	}
	if g.anomalyFloat(4, uint64(d)<<20^uint64(seq)) < arrearsSurgeShare {
		return a.arrears
	}
	return cat
}

// anomalyList describes the planted anomalies for planted.csv and Summary.
func (g *gen) anomalyList() []Anomaly {
	a := g.anom
	if a == nil {
		return nil
	}
	month := func(d day) time.Time {
		y, m, _ := d.civil()
		return time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
	}
	dist := g.districts[exitsSurgeDistrict]
	appealsFile := "appeals/appeals_" + month(a.arrearsFrom).Format("2006") + ".csv"
	return []Anomaly{
		{Kind: "anomaly_new_fall", Indicator: "new", Scope: "section", ScopeCode: string(rune(newFallSection)), ScopeName: "批发和零售业",
			Month: month(a.newFrom), Source: "registry", File: "registry/registry.csv",
			Effect: "75% of the private subjects of section F established in the month are registered in division 62 (section H) instead"},
		{Kind: "anomaly_exits_surge", Indicator: "exits", Scope: "district", ScopeCode: dist.Code, ScopeName: dist.Name,
			Month: month(a.exitsFrom), Source: "registry", File: "registry/registry.csv",
			Effect: "0.7% of the district's active private subjects are cancelled in the month (about 3 times the usual exits)"},
		{Kind: "anomaly_arrears_surge", Indicator: "arrears", Scope: "city", ScopeCode: "city", ScopeName: "全市",
			Month: month(a.arrearsFrom), Source: "appeals", File: appealsFile,
			Effect: "20% of the month's other appeals are filed as 账款拖欠 (about 3 times the usual); the number of appeals is unchanged"},
	}
}
