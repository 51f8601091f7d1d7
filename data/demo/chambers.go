package demo

import (
	"math"
	"slices"
	"strconv"
)

// chambersHeader returns the header of chambers.csv.
func chambersHeader() []string {
	return []string{"商会编号", "商会名称", "商会类型", "成立日期", "会员数"}
}

// activitiesHeader returns the header of chamber_activities.csv.
func activitiesHeader() []string {
	return []string{"商会编号", "活动日期", "活动类型", "参加人数"}
}

// feesHeader returns the header of chamber_fees.csv.
func feesHeader() []string {
	return []string{"商会编号", "年度", "应收会费（万元）", "实收会费（万元）"}
}

// activity is one chamber activity of a year, before sorting by date.
type activity struct {
	on           day
	assembly     bool // 会员大会
	kind         string
	participants int
}

// writeChambers writes the chambers, their activities and their fees. About a
// quarter of the chamber-years are hollow (空心化, docs/methodology.md §5): fewer than
// 3 activities, or no 会员大会 in two years, which happens to chambers that
// hold their general assembly every other year or never, and to every sixth chamber,
// which is dormant.
func (g *gen) writeChambers() error {
	ch, err := g.open("chambers", "chambers.csv", false, chambersHeader())
	if err != nil {
		return err
	}
	act, err := g.open("chamber_activities", "chamber_activities.csv", false, activitiesHeader())
	if err != nil {
		return err
	}
	fee, err := g.open("chamber_fees", "chamber_fees.csv", false, feesHeader())
	if err != nil {
		return err
	}
	x, v := newRnd(), g.v
	var r row
	var acts []activity
	names := map[string]bool{} // at most some 700: the vocabulary's combinations
	for c := 1; c <= g.nChambers; c++ {
		if c&0xff == 0 {
			if err := g.check(); err != nil {
				return err
			}
		}
		x.seed(g.seed^saltChamber, uint64(c))
		id := string(appendChamberID(nil, c))
		kind := v.chamberKinds.index(x.float())
		dist := g.districts[g.districtPick.index(x.float())].Name
		estLo, estHi := dayOf(1992, 1, 1), min(dayOf(2024, 12, 31), g.asOf-365)
		est := estLo + day(x.float()*float64(estHi-estLo+1))
		members := max(20, int(math.Round(x.logn(120, 0.7))))
		cadence := x.float() // < 0.63 yearly assembly, < 0.88 every other year, else never
		parity := x.intn(2)
		level := x.logn(8, 0.5)
		feeLevel := 0.1 + 0.4*x.float() // 万元 per member and year
		rate := 0.45 + 0.55*x.float()

		r.reset()
		r.str(id)
		// A name no other chamber has (a district has one 总商会), while the names last.
		mark := len(r.buf)
		for try := 0; ; try++ {
			r.buf = g.appendChamberName(r.buf[:mark], x, kind, dist)
			if name := string(r.buf[mark:]); !names[name] || try == 7 {
				names[name] = true
				break
			}
		}
		r.close()
		r.str(v.chamberKinds.items[kind])
		r.buf = appendDate(r.buf, est, dateISO)
		r.close()
		r.buf = strconv.AppendInt(r.buf, int64(members), 10)
		r.close()
		ch.writeRow(&r)

		for y := max(g.flowStart.year(), est.year()); y <= g.asOf.year(); y++ {
			lo, hi := max(est, dayOf(y, 1, 1)), min(g.asOf, dayOf(y, 12, 31))
			if lo > hi {
				continue
			}
			span := float64(hi-lo+1) / 365
			acts = acts[:0]
			n := 0
			assembly := false
			// A weak year by chance, or every year for a dormant chamber (every sixth), so
			// that each year, the edition year included, has some hollow chambers.
			if weak := x.chance(0.12); weak || c%6 == 0 {
				n = x.intn(3)
			} else {
				n = max(3, int(math.Round(level*span*math.Exp(0.3*x.norm()))))
				assembly = cadence < 0.63 || cadence < 0.88 && y%2 == parity
			}
			for k := 0; k < n; k++ {
				a := activity{on: lo + day(x.float()*float64(hi-lo+1))}
				if k == 0 && assembly {
					a.assembly, a.kind = true, "会员大会"
					a.participants = int(float64(members) * (0.4 + 0.5*x.float()))
				} else {
					a.kind = v.activityKinds.pick(x.float())
					a.participants = 8 + x.intn(min(members, 120))
				}
				acts = append(acts, a)
			}
			slices.SortStableFunc(acts, func(a, b activity) int { return int(a.on - b.on) })
			for _, a := range acts {
				r.reset()
				r.str(id)
				r.buf = appendDate(r.buf, a.on, dateISO)
				r.close()
				r.str(a.kind)
				r.buf = strconv.AppendInt(r.buf, int64(a.participants), 10)
				r.close()
				act.writeRow(&r)
			}
			if y == g.asOf.year() && c == g.nChambers/2 {
				// A chamber that is in no chamber list.
				r.reset()
				r.buf = appendChamberID(r.buf, g.nChambers+1)
				r.close()
				r.buf = appendDate(r.buf, lo, dateISO)
				r.close()
				r.str("培训")
				r.str("35")
				act.writeRow(&r)
				g.plant(act, "商会编号", "unknown_chamber")
			}

			due := float64(members) * feeLevel
			collected := due * min(1, max(0.4, rate+0.08*x.norm()))
			r.reset()
			r.str(id)
			r.buf = strconv.AppendInt(r.buf, int64(y), 10)
			r.close()
			r.buf = strconv.AppendFloat(r.buf, due, 'f', 2, 64)
			r.close()
			r.buf = strconv.AppendFloat(r.buf, collected, 'f', 2, 64)
			r.close()
			fee.writeRow(&r)
		}
		g.tick(1)
	}
	for _, s := range []*sink{ch, act, fee} {
		if err := g.finish(s); err != nil {
			return err
		}
	}
	return nil
}

// appendChamberName appends an invented name for a chamber of kind (an index of
// chamberKinds) in district dist: 示例市建材商会, 示例市浙江商会, 东湖区湖滨街道商会.
func (g *gen) appendChamberName(b []byte, x *rnd, kind int, dist string) []byte {
	v := g.v
	switch kind {
	case 0: // 行业商会
		if x.chance(0.5) {
			b = append(b, City...)
		} else {
			b = append(b, dist...)
		}
		b = append(b, x.pick(v.chamberIndustries)...)
		b = append(b, pickBool(x.chance(0.5), "行业商会", "商会")...)
	case 1: // 异地商会
		b = append(b, City...)
		b = append(b, x.pick(v.chamberOrigins)...)
		b = append(b, "商会"...)
	default: // 区域商会
		b = append(b, dist...)
		if x.chance(0.5) {
			b = append(b, x.pick(v.chamberStreets)...)
			b = append(b, pickBool(x.chance(0.5), "街道商会", "镇商会")...)
		} else {
			b = append(b, "总商会"...)
		}
	}
	return b
}
