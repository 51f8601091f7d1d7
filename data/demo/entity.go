package demo

import (
	"math"
	"math/rand/v2"
	"strconv"

	"bluebook/data/uscc"
)

// rnd is a reseedable PCG generator. Every record of the demo data draws from
// its own stream, seeded with (Options.Seed ^ a salt, record index), so any
// record can be regenerated alone: an appeal regenerates the credit code and
// district of the entity it samples without the registry in memory.
//
// Only the PCG's Uint64 is used, not rand.Rand's methods, whose algorithms the
// standard library does not promise to keep: the data must stay the same
// across Go releases.
type rnd struct {
	pcg      rand.PCG
	spare    float64 // the second normal number of a polar-method pair
	hasSpare bool
}

// newRnd returns a generator; seed it before use.
func newRnd() *rnd { return &rnd{} }

// Stream salts: one per kind of record.
const (
	saltEntity   = 0x6a09e667f3bcc908
	saltSide     = 0xbb67ae8584caa73b // innovation and donations of an entity
	saltAppeal   = 0x3c6ef372fe94f82b
	saltChamber  = 0xa54ff53a5f1d36f1
	saltPlant    = 0x510e527fade682d1
	saltRegistry = 0x9b05688c2b3e6c1f // credit-code offsets
)

// mix is the splitmix64 finaliser; it spreads consecutive indexes over the
// PCG state space.
func mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// seed starts the stream of record i of the kind salted into stream.
func (x *rnd) seed(stream, i uint64) {
	x.pcg.Seed(stream, mix(i))
	x.hasSpare = false
}

// float returns a uniform number in [0,1). It calls the PCG directly, not
// through rand.Rand's Source interface: this is the hot path.
func (x *rnd) float() float64 { return float64(x.pcg.Uint64()>>11) * 0x1p-53 }

// intn returns a uniform integer in [0,n), 0 < n < 2^32, by Lemire's
// multiply-shift without rejection: the bias is below n/2^32, harmless here.
func (x *rnd) intn(n int) int { return int((x.pcg.Uint64() >> 32) * uint64(n) >> 32) }

// chance returns true with probability p.
func (x *rnd) chance(p float64) bool { return x.float() < p }

// norm returns a standard normal number (Marsaglia's polar method).
func (x *rnd) norm() float64 {
	if x.hasSpare {
		x.hasSpare = false
		return x.spare
	}
	for {
		u, v := 2*x.float()-1, 2*x.float()-1
		s := u*u + v*v
		if s > 0 && s < 1 {
			f := math.Sqrt(-2 * math.Log(s) / s)
			x.spare, x.hasSpare = v*f, true
			return u * f
		}
	}
}

// logn returns a log-normal number with the given median and log-sd.
func (x *rnd) logn(median, sigma float64) float64 {
	return median * math.Exp(sigma*x.norm())
}

// pareto returns a Pareto number ≥ 1 with tail index alpha.
func (x *rnd) pareto(alpha float64) float64 {
	return math.Pow(1-x.float(), -1/alpha)
}

// pick returns a uniform element of list.
func (x *rnd) pick(list []string) string { return list[x.intn(len(list))] }

// ownership is the economic type of a market entity.
type ownership uint8

// Ownerships, with their shares of the register in ownShares.
const (
	ownIndividual ownership = iota // 个体
	ownPrivate                     // 民营
	ownState                       // 国有
	ownCollective                  // 集体
	ownForeign                     // 外资
	ownHMT                         // 港澳台
	numOwnership
)

// ownCum holds the cumulative shares of the ownerships, in order.
const (
	ownCumIndividual = 0.61
	ownCumPrivate    = ownCumIndividual + 0.34
	ownCumState      = ownCumPrivate + 0.02
	ownCumCollective = ownCumState + 0.01
	ownCumForeign    = ownCumCollective + 0.015
)

// ownershipAt returns the ownership at u ∈ [0,1).
func ownershipAt(u float64) ownership {
	switch {
	case u < ownCumIndividual:
		return ownIndividual
	case u < ownCumPrivate:
		return ownPrivate
	case u < ownCumState:
		return ownState
	case u < ownCumCollective:
		return ownCollective
	case u < ownCumForeign:
		return ownForeign
	}
	return ownHMT
}

// status is the registration status of an entity.
type status uint8

// Statuses (docs/sources.md, registry.status).
const (
	stActive           status = iota
	stCancelled               // 注销 (or 撤销)
	stRevoked                 // 吊销，未注销
	stRevokedCancelled        // 吊销，已注销
	stMovedOut                // 迁出
	stOther                   // 停业, 清算
)

// entity holds the attributes of a market entity that other sources need:
// the pure function core computes them from (Seed, index).
type entity struct {
	idx       int64
	own       ownership
	district  int // index into Districts()
	authority int // index of the registering authority's district, or -1 for the city
	est       day // established_on
	status    status
	exit      day // cancelled_on, or 0
	code      [uscc.Len]byte
}

// alive reports whether e exists on d.
func (e *entity) alive(d day) bool {
	return e.est <= d && (e.exit == 0 || e.exit > d)
}

// Credit-code bodies are a bijection of the entity index, so codes are unique
// without a set of issued codes: new-style bodies "MA"+6 characters of the
// alphabet (31^6 values) and old-style 8-digit organisation codes (10^8
// values), each followed by its GB 11714 check character.
const (
	newSpace = 887503681 // 31^6
	newMul   = 594823321 // coprime with 31
	oldSpace = 100000000
	oldMul   = 73939133 // coprime with 10
	// maxIndex bounds the entity indexes, planted extras included, so the
	// bijections stay one-to-one: indexes from oldSpace on always take new-style
	// codes (makeCode).
	maxIndex = newSpace - 1
)

// core fills e with the attributes of entity i, drawing from x; x is left in
// the state after the core draws, so that registryRow can continue the same
// stream.
func (g *gen) core(x *rnd, i int64, e *entity) {
	x.seed(g.seed^saltEntity, uint64(i))
	e.idx = i
	e.own = ownershipAt(x.float())
	e.district = g.districtPick.index(x.float())
	e.authority = e.district
	if x.float() < 0.25 {
		e.authority = -1
	}
	// Establishment dates grow exponentially from 1995 to AsOf.
	t := math.Log1p(x.float()*g.estExpm1) / g.estRate
	e.est = g.estStart + day(t)
	if w := e.est.weekday(); (w == 0 || w == 6) && x.float() < 0.85 {
		e.est += day(8-w) % 7 // to Monday
	}
	if e.est > g.asOf {
		e.est = g.asOf
	}
	e.status, e.exit = stActive, 0
	age := float64(g.asOf-e.est) / 365.25
	if uExit := x.float(); g.asOf-e.est > 90 && uExit < min(0.45, 0.03+0.022*age) {
		switch uKind := x.float(); {
		case uKind < 0.70:
			e.status = stCancelled
		case uKind < 0.85:
			e.status = stRevoked
		case uKind < 0.90:
			e.status = stRevokedCancelled
		case uKind < 0.98:
			e.status = stMovedOut
		default:
			e.status = stOther
		}
		if e.status != stOther {
			lo := e.est + 90
			if x.float() < 0.8 && g.flowStart > lo {
				lo = g.flowStart // most exits fall in the years of the report
			}
			e.exit = lo + day(x.float()*float64(g.asOf-lo+1))
			if e.exit > g.asOf {
				e.exit = g.asOf
			}
		}
	}
	g.plantExit(e) // the monitoring's planted exits surge, if any
	g.makeCode(e)
}

// makeCode sets e.code from e.idx, e.own, e.authority and e.est.
func (g *gen) makeCode(e *entity) {
	c := &e.code
	c[0], c[1] = '9', '1'
	if e.own == ownIndividual {
		c[1] = '2'
	}
	div := cityCode
	if e.authority >= 0 {
		div = g.districts[e.authority].Code
	}
	copy(c[2:8], div)
	// Indexes past the old-style space (a provincial-scale data set) take new-style codes.
	if e.own == ownIndividual || e.est >= g.newStyleFrom || e.idx >= oldSpace {
		v := (newMul*uint64(e.idx) + g.newOff) % newSpace
		c[8], c[9] = 'M', 'A'
		for k := 15; k >= 10; k-- {
			c[k] = uscc.Alphabet[v%31]
			v /= 31
		}
	} else {
		v := (oldMul*uint64(e.idx) + g.oldOff) % oldSpace
		for k := 15; k >= 8; k-- {
			c[k] = byte('0' + v%10)
			v /= 10
		}
	}
	c[16] = uscc.OrgCheckChar(string(c[8:16]))
	c[17], _ = uscc.CheckChar(string(c[:17]))
}

// codeOf returns the credit code of entity i (any index ≤ maxIndex: indexes
// past Scale give valid codes that are in no registry row).
func (g *gen) codeOf(x *rnd, i int64) string {
	var e entity
	g.core(x, i, &e)
	return string(e.code[:])
}

// sectionOf returns the GB/T 4754 section letter of a division, or 0.
func sectionOf(div int) byte {
	switch {
	case div >= 1 && div <= 5:
		return 'A'
	case div >= 6 && div <= 12:
		return 'B'
	case div >= 13 && div <= 43:
		return 'C'
	case div >= 44 && div <= 46:
		return 'D'
	case div >= 47 && div <= 50:
		return 'E'
	case div >= 51 && div <= 52:
		return 'F'
	case div >= 53 && div <= 60:
		return 'G'
	case div >= 61 && div <= 62:
		return 'H'
	case div >= 63 && div <= 65:
		return 'I'
	case div >= 66 && div <= 69:
		return 'J'
	case div == 70:
		return 'K'
	case div >= 71 && div <= 72:
		return 'L'
	case div >= 73 && div <= 75:
		return 'M'
	case div >= 76 && div <= 79:
		return 'N'
	case div >= 80 && div <= 82:
		return 'O'
	case div == 83:
		return 'P'
	case div >= 84 && div <= 85:
		return 'Q'
	case div >= 86 && div <= 90:
		return 'R'
	case div >= 91 && div <= 96:
		return 'S'
	case div == 97:
		return 'T'
	}
	return 0
}

// dateStyle draws the date style of a row: mostly ISO.
func dateStyle(x *rnd) int {
	switch u := x.float(); {
	case u < 0.85:
		return dateISO
	case u < 0.92:
		return dateSlash
	case u < 0.97:
		return dateCompact
	}
	return dateHanzi
}

// appendMoney appends a money value in one of the styles found in exports: a
// round figure, two decimals or four decimals, chosen by u ∈ [0,1).
func appendMoney(b []byte, v, u float64) []byte {
	switch {
	case u < 0.5:
		if v >= 100 {
			p := math.Pow(10, math.Floor(math.Log10(v))-1) // two significant digits
			v = math.Round(v/p) * p
		}
		return strconv.AppendInt(b, max(1, int64(math.Round(v))), 10)
	case u < 0.85:
		return strconv.AppendFloat(b, v, 'f', 2, 64)
	}
	return strconv.AppendFloat(b, v, 'f', 4, 64)
}

// Specialisation levels (专精特新等级).
const (
	specNone = iota
	specInnovative
	specSpecialised
	specLittleGiant
	specChampion
)

// rowInfo is what the rest of the generator needs to know of a registry row.
type rowInfo struct {
	spec int     // specialisation level
	high bool    // high-tech enterprise
	div  int     // GB/T 4754 division
	emp  int     // 从业人数, -1 when the row leaves it empty
	rev  float64 // 营业收入 (万元), -1 when the row leaves it empty
}

// registryRow appends the registry row of e to r, continuing the stream x
// after core. The columns are those of registryHeader.
func (g *gen) registryRow(x *rnd, e *entity, r *row) rowInfo {
	v := g.v
	var div int
	if e.own == ownIndividual {
		div = v.indDiv[v.indDivisions.index(x.float())]
	} else {
		div = v.entDiv[v.entDivisions.index(x.float())]
	}
	div = g.plantDivision(e, div) // the monitoring's planted fall of new registrations, if any
	et := v.typeList[e.own][v.types[e.own].index(x.float())]
	ds := dateStyle(x)
	dist := g.districts[e.district]

	// 统一社会信用代码, 企业名称
	r.buf = append(r.buf, e.code[:]...)
	r.close()
	r.buf = g.appendName(r.buf, x, e, div, et, dist.Name)
	r.close()

	// 经济类型
	switch e.own {
	case ownIndividual:
		r.str(v.spellIndividual.pick(x.float()))
	case ownPrivate:
		r.str(v.spellPrivate.pick(x.float()))
	case ownState:
		r.str("国有")
	case ownCollective:
		r.str("集体")
	case ownForeign:
		r.str(v.spellForeign.pick(x.float()))
	default:
		r.str("港澳台")
	}

	// 企业类型
	r.str(et.text)

	// 行业代码: 2-4 digits, sometimes with the section letter.
	switch u := x.float(); {
	case u < 0.72:
		r.buf = append2(r.buf, div)
		r.buf = append(r.buf, byte('1'+x.intn(6)), byte('0'+x.intn(10)))
	case u < 0.82:
		r.buf = append(r.buf, sectionOf(div))
		r.buf = append2(r.buf, div)
		r.buf = append(r.buf, byte('1'+x.intn(6)), byte('0'+x.intn(10)))
	case u < 0.91:
		r.buf = append2(r.buf, div)
		r.buf = append(r.buf, byte('1'+x.intn(6)))
	default:
		r.buf = append2(r.buf, div)
	}
	r.close()

	// 所属区县代码, 成立日期
	r.str(dist.Code)
	r.buf = appendDate(r.buf, e.est, ds)
	r.close()

	// 登记状态, 注销日期
	switch e.status {
	case stActive:
		r.str(v.spellActive.pick(x.float()))
	case stCancelled:
		r.str(v.spellCancelled.pick(x.float()))
	case stRevoked:
		r.str(v.spellRevoked.pick(x.float()))
	case stRevokedCancelled:
		r.str("吊销，已注销")
	case stMovedOut:
		r.str("迁出")
	default:
		r.str(v.spellOther.pick(x.float()))
	}
	if e.exit > 0 {
		r.buf = appendDate(r.buf, e.exit, ds)
	}
	r.close()

	// 核准日期
	switch u := x.float(); {
	case u < 0.06:
	case e.exit > 0:
		r.buf = appendDate(r.buf, e.exit, ds)
	case u < 0.5:
		r.buf = appendDate(r.buf, e.est, ds)
	default:
		r.buf = appendDate(r.buf, e.est+day(x.float()*float64(g.asOf-e.est+1)), ds)
	}
	r.close()

	// 注册资本（万元）
	// Revenue per employee depends on the industry and the ownership.
	prof := profileOf(div)
	perHead := prof.perHead * ownPerHead[e.own]
	var capMedian, empMedian, empSigma float64
	pEmpty := 0.03
	switch e.own {
	case ownIndividual:
		capMedian, empMedian, empSigma, pEmpty = 5, 2, 0.6, 0.55
	case ownPrivate:
		capMedian, empMedian, empSigma = 100, 5, 1.25
	case ownState:
		capMedian, empMedian, empSigma = 3000, 40, 1.3
	case ownCollective:
		capMedian, empMedian, empSigma = 300, 12, 1.1
	default:
		capMedian, empMedian, empSigma = 800, 25, 1.3
	}
	if u := x.float(); u >= pEmpty {
		r.buf = appendMoney(r.buf, x.logn(capMedian, 1.3), (u-pEmpty)/(1-pEmpty))
	}
	r.close()

	// 从业人数
	emp := -1
	pEmpty = 0.10
	if e.own == ownIndividual {
		pEmpty = 0.15
	}
	if x.float() >= pEmpty {
		emp = int(math.Round(x.logn(empMedian, empSigma)))
		if e.own == ownIndividual {
			emp = max(emp, 1)
		}
		r.buf = strconv.AppendInt(r.buf, int64(emp), 10)
	}
	r.close()

	// 营业收入（万元）
	pEmpty = 0.25
	if e.own == ownIndividual {
		pEmpty = 0.40
	}
	revenue := -1.0
	if u := x.float(); u >= pEmpty {
		uStyle := (u - pEmpty) / (1 - pEmpty)
		rev := 0.0
		if g.asOf-e.est > 365 || x.float() < 0.6 {
			n := float64(emp)
			if emp < 0 {
				n = empMedian
			}
			rev = max(n, 0.5) * x.logn(perHead, 0.9)
		}
		if rev == 0 {
			r.buf = append(r.buf, '0')
			revenue = 0
		} else {
			r.buf = appendMoney(r.buf, rev, 0.5+uStyle*0.5) // decimals, not round figures
			revenue = rev                                   // written with 2 or 4 decimals
		}
	}
	r.close()

	// 专精特新等级, 高新技术企业: mostly manufacturing, IT and technical services.
	spec := specNone
	if uSpec := x.float() / prof.spec; e.own == ownPrivate && emp >= 10 {
		switch {
		case uSpec < 0.0005:
			spec = specChampion
		case uSpec < 0.0035:
			spec = specLittleGiant
		case uSpec < 0.0195:
			spec = specSpecialised
		case uSpec < 0.0595:
			spec = specInnovative
		}
	}
	switch spec {
	case specInnovative:
		r.str("创新型中小企业")
	case specSpecialised:
		r.str("专精特新中小企业")
	case specLittleGiant:
		if x.float() < 0.6 {
			r.str(`专精特新"小巨人"`)
		} else {
			r.str("小巨人")
		}
	case specChampion:
		r.str("单项冠军")
	default:
		r.close()
	}
	uHigh, uRepr := x.float(), x.float()
	high := false
	if e.own == ownPrivate {
		switch spec {
		case specNone:
			high = uHigh < 0.02*prof.spec
		case specInnovative:
			high = uHigh < 0.3
		default:
			high = uHigh < 0.6
		}
	}
	switch {
	case uRepr < 0.4:
		r.str(pickBool(high, "是", "否"))
	case uRepr < 0.6:
		r.str(pickBool(high, "Y", "N"))
	case uRepr < 0.75:
		r.str(pickBool(high, "1", "0"))
	default:
		r.str(pickBool(high, "是", ""))
	}

	// 所属商会编号
	pChamber := 0.0
	switch e.own {
	case ownPrivate:
		pChamber = 0.05
	case ownIndividual:
		pChamber = 0.01
	}
	if u := x.float(); u < pChamber {
		r.buf = appendChamberID(r.buf, 1+int(u/pChamber*float64(g.nChambers)))
	}
	r.close()
	return rowInfo{spec: spec, high: high, div: div, emp: emp, rev: revenue}
}

// pickBool returns yes when b, else no.
func pickBool(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

// appendChamberID appends the id of chamber n (1-based): SH00001.
func appendChamberID(b []byte, n int) []byte {
	b = append(b, "SH"...)
	return appendPadded(b, int64(n), 5)
}

// appendName appends an invented name for e: an enterprise name such as
// 示例市东湖区华信精密机械有限公司 or an individual business such as 临江县张记餐馆.
func (g *gen) appendName(b []byte, x *rnd, e *entity, div int, et entityType, distName string) []byte {
	v := g.v
	if e.own == ownIndividual {
		if x.float() < 0.85 {
			b = append(b, distName...)
		}
		switch u := x.float(); {
		case u < 0.55:
			b = append(b, x.pick(v.surnames)...)
			b = append(b, "记"...)
		case u < 0.70:
			b = append(b, x.pick(v.surnames)...)
			b = append(b, "家"...)
		case u < 0.80:
			b = append(b, "老"...)
			b = append(b, x.pick(v.surnames)...)
		default:
			b = append(b, x.pick(v.zihao)...)
			b = append(b, x.pick(v.zihao)...)
		}
		return append(b, x.pick(v.shopWords[div])...)
	}
	style := x.float()
	switch {
	case style < 0.45:
		b = append(b, City...)
		b = append(b, distName...)
	case style < 0.75:
		b = append(b, City...)
	case style < 0.90:
		b = append(b, distName...)
	}
	b = append(b, x.pick(v.zihao)...)
	b = append(b, x.pick(v.zihao)...)
	if x.float() < 0.2 {
		b = append(b, x.pick(v.zihao)...)
	}
	b = append(b, x.pick(v.divWords[div])...)
	if style >= 0.90 {
		b = append(b, "（"+City+"）"...)
	}
	if et.suffix == "#branch" {
		b = append(b, "有限公司"...)
		b = append(b, distName[:len(distName)-len("区")]...) // 东湖区 → 东湖 (区 and 县 are 3 bytes each)
		return append(b, "分公司"...)
	}
	return append(b, et.suffix...)
}
