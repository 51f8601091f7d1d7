package demo

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// appealsHeader returns the header of the appeals files.
func appealsHeader() []string {
	return []string{"诉求编号", "统一社会信用代码", "提报时间", "诉求类别", "是否共性诉求", "提报渠道", "承办部门",
		"首次响应时间", "办结时间", "满意度", "诉求内容"}
}

// Appeal columns used by planted rows.
const (
	apID, apCode, apSubmitted, apCategory, apResponded = 0, 1, 2, 3, 7
)

// appealPlants are the planted appeal rows, in file order, all in the file
// of the year before AsOf.
func appealPlants() []struct{ rule, column string } {
	return []struct{ rule, column string }{
		{"duplicate_id", "诉求编号"},
		{"date_order", "首次响应时间"},
		{"bad_value", "提报时间"},
		{"orphan", "统一社会信用代码"},
		{"unknown_category", "诉求类别"},
	}
}

// appealCount returns the number of appeals: 5% of the register, and at least
// monitorAppeals up to a quarter of the register (at least 300).
func (g *gen) appealCount() int64 {
	return max(300, int64(math.Round(0.05*float64(g.n))), min(monitorAppeals, g.n/4))
}

// monitorAppeals is the number of appeals from which the city's monthly 账款拖欠 appeals
// (about 8 % of all) reach the monitoring's minimum baseline (5 a month in the three years
// before the edition's last quarter, queries/seeds/monitor_thresholds.csv), so that the
// planted 账款拖欠 surge (anomaly_arrears_surge) is judged, and raised, at the demo's
// default scale of 20,000 too; 5% of the register is as many from 100,000 on.
const monitorAppeals = 5000

// appealWeight returns the relative number of appeals submitted on d: growing
// from year to year, busier in March-June and September-November, and much
// quieter on weekends and official holidays.
func (g *gen) appealWeight(d day) float64 {
	y, m, _ := d.civil()
	w := 0.6 + 0.15*float64(y-2021)
	w *= [13]float64{0, 0.8, 0.7, 1.15, 1.2, 1.15, 1.2, 0.9, 0.85, 1.15, 1.05, 1.2, 1.0}[m]
	switch g.cal.kindOf(d) {
	case kindWeekend:
		w *= 0.3
	case kindHoliday:
		w *= 0.15
	}
	return w
}

// appealPass holds the sinks and scratch space of writeAppeals.
type appealPass struct {
	x, aux, plant *rnd
	r             row
	e             entity
	secs          []int
	lastID        []byte
	newProblem    bool // the last row is about PlantedProblem
	newPlanted    bool // planted.csv names the first such row of the edition year
}

// writeAppeals writes total appeals, one file per year of submission, in
// submission order. The number per day is fixed by cumulative rounding of the
// daily weights, so the files hold exactly total rows besides the planted ones.
func (g *gen) writeAppeals(total int64) error {
	first, last := g.flowStart, g.asOf
	counts := make([]int32, int(last-first)+1)
	sum := 0.0
	for i := range counts {
		sum += g.appealWeight(first + day(i))
	}
	cum, done := 0.0, int64(0)
	perYear := map[int]int64{}
	for i := range counts {
		d := first + day(i)
		cum += g.appealWeight(d)
		upto := int64(math.Round(float64(total) * cum / sum))
		counts[i] = int32(upto - done)
		done = upto
		perYear[d.year()] += int64(counts[i])
	}

	plantYear := max(first.year(), last.year()-1)
	plants := appealPlants()
	nextPlant := 0
	plantAfter := func(k int) int64 { return max(1, int64(k+1)*perYear[plantYear]/int64(len(plants)+1)) }

	p := &appealPass{x: newRnd(), aux: newRnd(), plant: newRnd()}
	var s *sink
	var inFile int64
	curYear := 0
	for i, n := range counts {
		d := first + day(i)
		if y := d.year(); y != curYear {
			curYear = y
			if s != nil {
				if err := g.finish(s); err != nil {
					return err
				}
			}
			var err error
			if s, err = g.open("appeals", "appeals_"+strconv.Itoa(y)+".csv", false, appealsHeader()); err != nil {
				return err
			}
			inFile = 0
		}
		if err := g.check(); err != nil {
			return err
		}
		p.x.seed(g.seed^saltAppeal, uint64(i))
		p.secs = p.secs[:0]
		for j := int32(0); j < n; j++ {
			sec := 8*3600 + 1800 + p.x.intn(9*3600) // office hours
			if p.x.chance(0.15) {
				sec = p.x.intn(86400) // hotline and online, any time
			}
			p.secs = append(p.secs, sec)
		}
		slices.Sort(p.secs)
		for j, sec := range p.secs {
			p.r.reset()
			g.appealRow(p, p.x, d, sec, j+1)
			s.writeRow(&p.r)
			if p.newProblem && curYear == plantYear && !p.newPlanted {
				g.plant(s, "诉求内容", "emerging_phrase")
				p.newPlanted = true
			}
			p.lastID = append(p.lastID[:0], p.r.field(apID)...)
			inFile++
			g.tick(1)
			for curYear == plantYear && nextPlant < len(plants) && inFile == plantAfter(nextPlant) {
				g.appealPlant(p, s, plants[nextPlant].rule, plants[nextPlant].column, nextPlant, d, sec)
				nextPlant++
			}
		}
	}
	return g.finish(s)
}

// appealPlant writes planted appeal k on day d, just after sec.
func (g *gen) appealPlant(p *appealPass, s *sink, rule, column string, k int, d day, sec int) {
	p.plant.seed(g.seed^saltPlant, uint64(k))
	prevID := string(p.lastID)
	p.r.reset()
	g.appealRow(p, p.plant, d, min(sec+60, 86399), 90001+k)
	f := p.r.strings()
	switch rule {
	case "duplicate_id":
		f[apID] = prevID
	case "date_order":
		f[apResponded] = string(appendTimestamp(nil, d-2, 10*3600, tsFull))
	case "bad_value":
		f[apSubmitted] = "昨天"
	case "orphan":
		f[apCode] = g.codeOf(p.aux, g.n+extraOrphan)
	case "unknown_category":
		f[apCategory] = "疫情防控"
	}
	s.writeStrings(f)
	g.plant(s, column, rule)
}

// pickAppellant samples the entity behind an appeal submitted on d:
// enterprises appeal more than individual businesses, and the entity exists
// on d (after a few tries any entity is taken).
func (g *gen) pickAppellant(p *appealPass, x *rnd, d day) {
	for try := 0; try < 12; try++ {
		i := int64(x.intn(int(g.n)))
		g.core(p.aux, i, &p.e)
		accept := 0.6
		switch p.e.own {
		case ownPrivate:
			accept = 1
		case ownIndividual:
			accept = 0.25
		case ownState:
			accept = 0.3
		}
		if u := x.float(); p.e.alive(d) && u < accept {
			return
		}
	}
}

// appealRow appends to p.r appeal number seq of day d, submitted sec seconds
// after midnight, drawing from x.
func (g *gen) appealRow(p *appealPass, x *rnd, d day, sec, seq int) {
	v, r := g.v, &p.r
	g.pickAppellant(p, x, d)
	ts := tsFull
	if x.chance(0.15) {
		ts = tsShort
	}

	// 诉求编号: SQ + date + 5-digit sequence of the day.
	r.buf = append(r.buf, "SQ"...)
	r.buf = appendDate(r.buf, d, dateCompact)
	r.buf = appendPadded(r.buf, int64(seq), 5)
	r.close()
	r.bytes(p.e.code[:])
	r.buf = appendTimestamp(r.buf, d, sec, ts)
	r.close()
	cat := g.plantCategory(d, seq, v.categories.index(x.float())) // the monitoring's planted 账款拖欠 surge, if any
	// The planted new problem, filed under 市场准入 or 其他.
	p.newProblem = x.chance(g.newProblemShare(d))
	if p.newProblem {
		cat = len(v.categories.items) - 1 // 其他
		if x.chance(0.5) {
			cat = 2 // 市场准入
		}
	}
	r.str(v.categories.items[cat])
	r.str(pickBool(x.chance(0.25), "是", "否"))
	r.str(v.channels.pick(x.float()))
	if x.chance(0.95) {
		dep := x.pick(v.departments[cat])
		if dep[0] == '@' {
			r.buf = append(r.buf, g.districts[p.e.district].Name...)
			r.buf = append(r.buf, dep[1:]...)
		} else {
			r.buf = append(r.buf, dep...)
		}
	}
	r.close()

	// 首次响应时间: working days after submission, mostly within 15.
	respDay, respSec := day(0), 0
	switch u := x.float(); {
	case u < 0.32:
		respDay = g.cal.addWorkdays(d, x.intn(2))
	case u < 0.72:
		respDay = g.cal.addWorkdays(d, 2+x.intn(6))
	case u < 0.90:
		respDay = g.cal.addWorkdays(d, 8+x.intn(8))
	case u < 0.96:
		respDay = g.cal.addWorkdays(d, 16+x.intn(30))
	}
	if respDay == d {
		respSec = sec + 600 + x.intn(3*3600)
		if respSec > 86399 {
			respDay, respSec = g.cal.addWorkdays(d, 1), 8*3600+x.intn(10*3600)
		}
	} else if respDay > 0 {
		respSec = 8*3600 + 1800 + x.intn(9*3600)
	}
	closeDay, closeSec := day(0), 0
	if respDay > 0 && x.chance(0.92) {
		var k int
		switch u := x.float(); {
		case u < 0.4:
			k = x.intn(4)
		case u < 0.8:
			k = 4 + x.intn(7)
		default:
			k = 11 + x.intn(20)
		}
		closeDay = g.cal.addWorkdays(respDay, k)
		closeSec = 8*3600 + 1800 + x.intn(9*3600)
		if closeDay == respDay {
			closeSec = min(86399, respSec+1800+x.intn(4*3600))
		}
	}
	// Outcomes after AsOf have not happened yet.
	if respDay > g.asOf {
		respDay, closeDay = 0, 0
	}
	if closeDay > g.asOf {
		closeDay = 0
	}
	if respDay > 0 {
		r.buf = appendTimestamp(r.buf, respDay, respSec, ts)
	}
	r.close()
	if closeDay > 0 {
		r.buf = appendTimestamp(r.buf, closeDay, closeSec, ts)
	}
	r.close()

	// 满意度: only for closed appeals; sometimes on a 5-point scale.
	uRate, uLevel, uNum := x.float(), x.float(), x.float()
	switch {
	case closeDay == 0 || uRate >= 0.82:
		r.close()
	case uLevel < 0.68:
		r.str(pickBool(uNum < 0.12, pickBool(uNum < 0.06, "5", "4"), "满意"))
	case uLevel < 0.88:
		r.str(pickBool(uNum < 0.12, "3", "基本满意"))
	default:
		r.str(pickBool(uNum < 0.12, pickBool(uNum < 0.06, "1", "2"), "不满意"))
	}

	// 诉求内容: an invented text, sometimes with contact details (see appealText).
	r.buf = g.appendAppealText(r.buf, p, x, d, cat)
	r.close()
}

// newProblemShare is the share of the appeals submitted on d that are about PlantedProblem:
// none until two years before the edition year, a few the year before, a share growing
// through the edition year (from 4 % to 16 %), 16 % after it.
func (g *gen) newProblemShare(d day) float64 {
	edition := g.asOf.year() - 1
	y, m, _ := d.civil()
	switch {
	case y < edition-1:
		return 0
	case y == edition-1:
		return 0.01
	case y == edition:
		return 0.04 + 0.12*float64(m)/12
	}
	return 0.16
}

// appendAppealText appends to buf the text of an appeal of category cat submitted on d:
// an opener about the enterprise (a third of the texts), a problem of the category (or the
// planted new problem), a request (half) and contact details (a third), in half- or
// full-width digits, which ingest must mask.
func (g *gen) appendAppealText(buf []byte, p *appealPass, x *rnd, d day, cat int) []byte {
	if x.chance(0.35) {
		buf = g.expand(buf, p, x, x.pick(appealOpeners))
	}
	if p.newProblem {
		buf = g.expand(buf, p, x, x.pick(plantedProblemTexts))
	} else {
		buf = g.expand(buf, p, x, x.pick(g.v.texts[cat]))
	}
	if x.chance(0.5) {
		buf = append(buf, x.pick(appealRequests)...)
	}
	if x.chance(0.35) {
		start := len(buf)
		buf = g.appendContact(buf, p, x)
		if x.chance(0.1) {
			buf = append(buf[:start], toFullWidthDigits(string(buf[start:]))...)
		}
	}
	if x.chance(0.05) {
		buf = append(buf, ` 附言: "请尽快回复", 谢谢`...)
	}
	return buf
}

// expand appends template t: "{a|b}" one alternative, "#" a number, "@" the enterprise's
// district, "%" a line of business.
func (g *gen) expand(buf []byte, p *appealPass, x *rnd, t string) []byte {
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '#':
			buf = strconv.AppendInt(buf, int64(2+x.intn(300)), 10)
		case '@':
			buf = append(buf, g.districts[p.e.district].Name...)
		case '%':
			buf = append(buf, x.pick(appealKinds)...)
		case '{':
			j := strings.IndexByte(t[i:], '}')
			buf = append(buf, x.pick(strings.Split(t[i+1:i+j], "|"))...)
			i += j
		default:
			buf = append(buf, t[i])
		}
	}
	return buf
}

// appendContact appends contact details: a person with an honorific and a mobile number
// (sometimes starred), a landline, an e-mail address, an identity number, a bank card or the
// enterprise's credit code.
func (g *gen) appendContact(buf []byte, p *appealPass, x *rnd) []byte {
	person := func() {
		buf = append(buf, x.pick(g.v.surnames)...)
		buf = append(buf, x.pick([]string{"先生", "女士", "经理", "总", "老板"})...)
	}
	digits := func(n int) {
		for k := 0; k < n; k++ {
			buf = append(buf, byte('0'+x.intn(10)))
		}
	}
	switch x.intn(7) {
	case 0, 1:
		buf = append(buf, "联系人"...)
		person()
		buf = append(buf, "，电话1"...)
		buf = append(buf, byte('3'+x.intn(7)))
		digits(9)
	case 2:
		buf = append(buf, "联系人"...)
		person()
		buf = append(buf, " 1"...)
		buf = append(buf, byte('3'+x.intn(7)), byte('0'+x.intn(10)))
		buf = append(buf, "****"...)
		digits(4)
	case 3:
		buf = append(buf, "联系电话0"...)
		digits(3)
		buf = append(buf, '-', byte('2'+x.intn(7)))
		digits(7)
	case 4:
		buf = append(buf, "邮箱"...)
		buf = append(buf, x.pick([]string{"zhang", "li", "wang", "chen", "info", "hr", "finance"})...)
		digits(3)
		buf = append(buf, x.pick([]string{"@example.com", "@mail.example.cn", "@qq.example.com"})...)
	case 5:
		buf = append(buf, "法定代表人"...)
		person()
		buf = append(buf, "，身份证号"...)
		buf = append(buf, "3301"...)
		digits(13)
		if x.chance(0.1) {
			buf = append(buf, 'X')
		} else {
			digits(1)
		}
	default:
		if x.chance(0.5) {
			buf = append(buf, "收款账号62"...)
			digits(17)
		} else {
			buf = append(buf, "统一社会信用代码"...)
			buf = append(buf, p.e.code[:]...)
		}
	}
	return buf
}

// toFullWidthDigits writes the ASCII digits of s in full width (as some forms do).
func toFullWidthDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			r += 0xFF10 - '0'
		}
		b.WriteRune(r)
	}
	return b.String()
}
