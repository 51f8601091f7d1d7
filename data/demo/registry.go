package demo

import (
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"
)

// registryHeader returns the header of registry.csv: Chinese aliases of
// docs/sources.md, with units where the pipeline must read them.
func registryHeader() []string {
	return []string{"统一社会信用代码", "企业名称", "经济类型", "企业类型", "行业代码", "所属区县代码", "成立日期", "登记状态",
		"注销日期", "核准日期", "注册资本（万元）", "从业人数", "营业收入（万元）", "专精特新等级", "高新技术企业", "所属商会编号"}
}

// innovationHeader returns the header of innovation.csv.
func innovationHeader() []string {
	return []string{"统一社会信用代码", "年度", "研发费用（万元）", "营业收入（万元）", "研发人员数", "职工总数",
		"发明专利授权数", "其他知识产权数", "主导制定标准数", "技术合同成交额（万元）", "股权融资额（万元）"}
}

// donationHeader returns the header of donations.csv; the amount is in 元.
func donationHeader() []string {
	return []string{"捐赠编号", "统一社会信用代码", "捐赠日期", "捐赠金额（元）", "捐赠形式", "公益项目类别", "受赠方", "是否到账"}
}

// Column indexes used by planted rows.
const (
	regCode, regName, regOwnership, regType, regIndustry, regDistrict, regEstablished, regStatus,
	regCancelled, regApproved, regCapital = 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
	regChamber = 15
	innYear    = 1
	innRDStaff = 4
	innStaff   = 5
	donID      = 0
	donCode    = 1
	donAmount  = 3
	donProgram = 5
)

// registryPlant is a kind of planted registry row: the rule it breaks (or the
// flag it raises), the column at fault and, where a rule is planted twice,
// which variant.
type registryPlant struct{ rule, column, variant string }

// registryPlants returns the planted rows of the registry, in file order.
func registryPlants() []registryPlant {
	return []registryPlant{
		{"bad_uscc", "统一社会信用代码", "letter O"},
		{"uscc_check", "统一社会信用代码", ""},
		{"missing_required", "企业名称", ""},
		{"unknown_value", "经济类型", ""},
		{"bad_value", "成立日期", ""},
		{"out_of_range", "注册资本（万元）", ""},
		{"date_order", "注销日期", ""},
		{"future_date", "成立日期", ""},
		{"duplicate_uscc", "统一社会信用代码", ""},
		{"malformed_row", "", ""},
		{"bad_uscc", "统一社会信用代码", "17 characters"},
		{"unknown_district", "所属区县代码", ""},
		{"industry_section", "行业代码", ""},
		{"missing_cancelled_on", "注销日期", ""},
		{"unknown_chamber", "所属商会编号", ""},
	}
}

// Planted rows of the innovation and donation sources, triggered at the first
// innovator or donor past a fraction of the register.
const (
	plantInnoDuplicate = iota
	plantInnoRange
	plantInnoOrphan
	plantDonRange
	plantDonMissing
	plantDonProgram
	plantDonOrphan
	plantDonDuplicate
	numSidePlants
)

// sidePlantAt gives the fraction of the register after which each side plant
// fires.
func sidePlantAt(k int) float64 { return 0.15 + 0.7*float64(k)/numSidePlants }

// registryPass holds the sinks and scratch space of writeRegistry.
type registryPass struct {
	reg, inno, don *sink
	x, side, aux   *rnd
	r              row
	e              entity
	donSeq         int64
	days           []day
	sideDone       [numSidePlants]bool
}

// writeRegistry writes the registry and, in the same pass over the entities,
// the innovation declarations and donations of the entities that make them.
// Workers generate the registry lines of consecutive chunks of entities in
// parallel; this goroutine writes the chunks in order, inserts the planted
// rows and generates the innovation and donation rows of the few entities
// that have them, so the bytes do not depend on the number of workers.
func (g *gen) writeRegistry() error {
	p := &registryPass{x: newRnd(), side: newRnd(), aux: newRnd()}
	var err error
	if p.reg, err = g.open("registry", "registry.csv", false, registryHeader()); err != nil {
		return err
	}
	if p.inno, err = g.open("innovation", "innovation.csv", false, innovationHeader()); err != nil {
		return err
	}
	if p.don, err = g.open("donations", "donations.csv", true, donationHeader()); err != nil {
		return err
	}
	plants := registryPlants()
	next := 0
	chunks, stop := g.startChunks()
	defer stop()
	for done := range chunks {
		c := <-done
		// Registry lines, with the planted rows inserted after their entity.
		written := 0
		for next < len(plants) {
			at := int64(next+1) * g.n / int64(len(plants)+1) // plant after entity at-1
			if at > c.first+int64(len(c.ends)) {
				break
			}
			k := int(at - c.first)
			p.reg.writeLines(c.lines(written, k), k-written)
			written = k
			g.registryPlant(p, plants[next], next, at-1)
			next++
		}
		p.reg.writeLines(c.lines(written, len(c.ends)), len(c.ends)-written)

		// Innovation and donations.
		for j, flags := range c.side {
			if flags == 0 {
				continue
			}
			e := &p.e
			i := c.first + int64(j)
			g.core(p.x, i, e)
			p.side.seed(g.seed^saltSide, uint64(i))
			p.side.float() // the draws of sideFlags
			p.side.float()
			if flags&sideInnovation != 0 {
				g.innovation(p, e, &c.info[j])
			}
			if flags&sideDonor != 0 {
				g.donations(p, e, &c.info[j])
			}
		}
		g.tick(int64(len(c.ends)))
		g.recycle(c)
		if err := g.check(); err != nil {
			return err
		}
	}
	// Side plants whose trigger found no innovator or donor (tiny scales).
	for k := range p.sideDone {
		if !p.sideDone[k] {
			g.sideFallback(p, k)
		}
	}
	if err := g.finish(p.reg); err != nil {
		return err
	}
	if err := g.finish(p.inno); err != nil {
		return err
	}
	return g.finish(p.don)
}

// Side flags of an entity.
const (
	sideInnovation = 1 << iota // declares innovation points
	sideDonor                  // donates
)

// sideFlags tells whether entity e declares innovation points or donates,
// drawing from the entity's side stream x. Only private enterprises declare
// innovation points, never 个体工商户, mostly in the sections that do R&D
// (profile.innoShare); specialised (专精特新) and high-tech enterprises declare
// far more often. Firms of more revenue declare and donate far more often than
// small ones (sizeWeight, innoSizeWeight); none under minDeclarerRevenue declares.
func (g *gen) sideFlags(x *rnd, e *entity, info rowInfo) uint8 {
	if e.own != ownPrivate && e.own != ownIndividual {
		return 0
	}
	x.seed(g.seed^saltSide, uint64(e.idx))
	uInno, uDonor := x.float(), x.float()
	var f uint8
	// A firm whose registry revenue is below minDeclarerRevenue (a start-up, a shell) does
	// not take part in the innovation points: its R&D would be a few 万元 at an absurd
	// intensity at the top of the ranking.
	// (The weights' power is computed only when the draw is below the largest weight.)
	if e.own == ownPrivate && (info.rev < 0 || info.rev >= minDeclarerRevenue) {
		p := g.pInno * g.innoSection[sectionOf(info.div)-'A']
		if info.high || info.spec != specNone {
			p *= 8
		}
		if uInno < p*maxSizeWeight && uInno < p*innoSizeWeight(e.own, info) {
			f |= sideInnovation
		}
	}
	if p := g.pDonor[e.own]; uDonor < p*maxSizeWeight && uDonor < p*sizeWeight(e.own, info) {
		f |= sideDonor
	}
	return f
}

// minDeclarerRevenue is the least registry revenue (万元 a year) of an innovation declarer.
const minDeclarerRevenue = 100

// chunkSize is the number of entities a worker generates at a time.
const chunkSize = 4096

// chunk holds the registry lines of consecutive entities.
type chunk struct {
	first int64
	buf   []byte
	ends  []int32   // end of each line in buf
	side  []uint8   // side flags of each entity
	info  []rowInfo // what the registry row of each entity says
}

// lines returns lines [from, to) of c.
func (c *chunk) lines(from, to int) []byte {
	start := 0
	if from > 0 {
		start = int(c.ends[from-1])
	}
	end := start
	if to > 0 {
		end = int(c.ends[to-1])
	}
	return c.buf[start:end]
}

// fill generates the registry lines of entities c.first … c.first+n-1.
func (g *gen) fill(c *chunk, n int, x, side *rnd, e *entity, r *row) {
	c.buf, c.ends, c.side, c.info = c.buf[:0], c.ends[:0], c.side[:0], c.info[:0]
	for i := c.first; i < c.first+int64(n); i++ {
		g.core(x, i, e)
		r.reset()
		info := g.registryRow(x, e, r)
		c.buf = appendRow(c.buf, r)
		c.ends = append(c.ends, int32(len(c.buf)))
		c.side = append(c.side, g.sideFlags(side, e, info))
		c.info = append(c.info, info)
	}
}

// startChunks starts the workers. It returns, in entity order, one channel
// per chunk that delivers the chunk once generated, and a stop function that
// ends the workers (call it once, when done or on error).
func (g *gen) startChunks() (<-chan chan *chunk, func()) {
	workers := max(1, min(runtime.GOMAXPROCS(0), 16))
	type job struct {
		c    *chunk
		n    int
		done chan *chunk
	}
	jobs := make(chan job)
	order := make(chan chan *chunk, 2*workers)
	quit := make(chan struct{})
	g.free = make(chan *chunk, 3*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x, side, e, r := newRnd(), newRnd(), &entity{}, &row{}
			for j := range jobs {
				g.fill(j.c, j.n, x, side, e, r)
				j.done <- j.c
			}
		}()
	}
	go func() {
		defer close(order)
		defer close(jobs)
		for first := int64(0); first < g.n; first += chunkSize {
			var c *chunk
			select {
			case c = <-g.free:
			default:
				c = &chunk{}
			}
			c.first = first
			done := make(chan *chunk, 1)
			select {
			case order <- done:
			case <-quit:
				return
			}
			select {
			case jobs <- job{c, int(min(chunkSize, g.n-first)), done}:
			case <-quit:
				return
			}
		}
	}()
	stop := func() {
		close(quit)
		for range order { // let the dispatcher see quit and close order
		}
		wg.Wait()
	}
	return order, stop
}

// recycle returns a written chunk for reuse.
func (g *gen) recycle(c *chunk) {
	select {
	case g.free <- c:
	default:
	}
}

// registryPlant writes planted registry row k (of kind pl) after entity i.
// The row is that of a fresh entity past Scale (a valid code in no other row)
// with one defect, or for duplicate_uscc a copy of an earlier row.
func (g *gen) registryPlant(p *registryPass, pl registryPlant, k int, i int64) {
	x, e := p.aux, &entity{}
	if pl.rule == "duplicate_uscc" {
		// A copy of an earlier row whose 核准日期 is missing: duplicate resolution keeps the
		// row with the latest approval date (a missing one is older than any), so this
		// later line is the one rejected. An earlier row with an approval date is chosen.
		j := i / 2
		for {
			g.core(x, j, e)
			p.r.reset()
			g.registryRow(x, e, &p.r)
			if p.r.strings()[regApproved] != "" {
				break
			}
			j++
		}
		f := p.r.strings()
		f[regApproved] = ""
		p.reg.writeStrings(f)
		g.plant(p.reg, pl.column, pl.rule)
		return
	}
	g.core(x, g.n+extraRegistry+int64(k), e)
	e.status, e.exit = stActive, 0
	p.r.reset()
	g.registryRow(x, e, &p.r)
	f := p.r.strings()
	date := func(d day) string { return string(appendDate(nil, d, dateISO)) }
	switch pl.rule {
	case "bad_uscc":
		if pl.variant == "letter O" {
			f[regCode] = f[regCode][:10] + "O" + f[regCode][11:]
		} else {
			f[regCode] = f[regCode][:17]
		}
	case "uscc_check": // a wrong check character
		c := f[regCode]
		f[regCode] = c[:17] + string(nextAlphabetChar(c[17]))
	case "missing_required":
		f[regName] = ""
	case "unknown_value":
		f[regOwnership] = "外星"
	case "bad_value":
		f[regEstablished] = "2025-13-45"
	case "out_of_range":
		f[regCapital] = "-5"
	case "date_order": // cancelled before established
		f[regStatus] = "注销"
		f[regCancelled] = date(e.est - 200)
		f[regApproved] = f[regCancelled]
	case "future_date":
		f[regEstablished] = date(g.asOf + 30)
		f[regApproved] = ""
	case "malformed_row": // too few fields
		f = f[:5]
	case "unknown_district":
		f[regDistrict] = "990199"
	case "industry_section": // division 99 does not exist
		f[regIndustry] = "9912"
	case "missing_cancelled_on":
		f[regStatus] = "注销"
		f[regCancelled] = ""
	case "unknown_chamber":
		f[regChamber] = string(appendChamberID(nil, g.nChambers+1))
	}
	p.reg.writeStrings(f)
	g.plant(p.reg, pl.column, pl.rule)
}

// nextAlphabetChar returns the character after c in the credit-code alphabet,
// wrapping around.
func nextAlphabetChar(c byte) byte {
	const a = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	for i := 0; i < len(a); i++ {
		if a[i] == c {
			return a[(i+1)%len(a)]
		}
	}
	return '0'
}

// sideDue reports whether side plant k fires at entity e.
func (g *gen) sideDue(p *registryPass, k int, e *entity) bool {
	return !p.sideDone[k] && float64(e.idx) >= sidePlantAt(k)*float64(g.n)
}

// innovation writes the innovation declarations of entity e (drawn from
// p.side): years 2020…AsOf's year − 1 while the entity exists, mostly
// consecutive, so that revenue growth can be computed. The declaration of
// AsOf's year − 1 repeats the registry's revenue when it has one (and the staff
// start from its employees), so a declarer's size class is the registry's; the
// earlier years go back from it by yearly growth. R&D intensity follows the
// industry (profile.intensity), somewhat lower for larger firms, higher for
// specialised and high-tech firms, and never reaches the revenue; technology
// contracts and equity financing follow the firm's revenue.
func (g *gen) innovation(p *registryPass, e *entity, info *rowInfo) {
	x, r := p.side, &p.r
	first := max(2020, e.est.year())
	last := g.asOf.year() - 1
	if e.exit > 0 {
		last = min(last, e.exit.year()-1)
	}
	if first > last {
		return
	}
	start := first
	if x.float() >= 0.7 {
		start += x.intn(last - first + 1)
	}
	prof := profileOf(info.div)
	staffBase := float64(info.emp)
	if info.emp < 3 {
		staffBase = max(3, x.logn(25, 0.8))
	}
	rev := info.rev // 万元, of AsOf's year − 1
	if rev <= 0 {   // the registry leaves it empty: estimated, above the floor of sideFlags
		rev = max(1.5*minDeclarerRevenue, staffBase*x.logn(prof.perHead, 0.6))
	}
	// Smaller firms spend a larger share of their revenue on R&D, larger ones a smaller
	// share of far more: the factor is 1 at 2000万元 a year.
	sizeIntensity := min(1.4, max(0.6, math.Pow(rev/2000, -0.1)))
	// Yearly growth into years start+1 … AsOf's year − 1, applied backwards.
	var growth [128]float64
	ref := g.asOf.year() - 1
	for k := 0; k < min(ref-start, len(growth)); k++ {
		growth[k] = math.Exp(0.08 + 0.2*x.norm())
		rev /= growth[k]
	}
	intensity := max(prof.intensity, 0.005) * x.logn(1, 0.45) * sizeIntensity
	if info.high || info.spec != specNone {
		intensity *= 1.3
	}
	intensity = min(intensity, 0.3)
	rdShare := min(0.7, 0.04+3*intensity+0.1*x.float())
	for y := start; y <= last; y++ {
		if y > start {
			rev *= growth[min(y-start-1, len(growth)-1)]
			if y < last && x.chance(0.04) {
				break // stops declaring
			}
			if x.chance(0.04) {
				continue // skips a year
			}
		}
		revenue := rev
		if y == ref && info.rev > 0 {
			revenue = info.rev // exactly the registry's
		}
		in := min(0.5, intensity*math.Exp(0.15*x.norm()))
		rd := revenue * in
		staff := max(2, int(math.Round(staffBase*math.Exp(-0.03*float64(ref-y)+0.05*x.norm()))))
		rdStaff := max(1, min(staff, int(math.Round(float64(staff)*rdShare))))
		r.reset()
		r.bytes(e.code[:])
		r.buf = strconv.AppendInt(r.buf, int64(y), 10)
		r.close()
		r.buf = strconv.AppendFloat(r.buf, rd, 'f', 2, 64)
		r.close()
		r.buf = strconv.AppendFloat(r.buf, revenue, 'f', 2, 64)
		r.close()
		r.buf = strconv.AppendInt(r.buf, int64(rdStaff), 10)
		r.close()
		r.buf = strconv.AppendInt(r.buf, int64(staff), 10)
		r.close()
		r.buf = strconv.AppendInt(r.buf, int64(x.float()*(1+in*40)*min(4, 0.5+math.Sqrt(float64(staff)/40))), 10) // 发明专利授权数
		r.close()
		r.buf = strconv.AppendInt(r.buf, int64(x.intn(4))+int64(in*100*x.float()), 10) // 其他知识产权数
		r.close()
		std := 0
		if x.chance(0.08) {
			std = 1 + x.intn(3)
		}
		r.buf = strconv.AppendInt(r.buf, int64(std), 10)
		r.close()
		// Technology contracts and equity financing in proportion to the firm's size.
		tech, eq := 0.0, 0.0
		if x.chance(0.4) {
			tech = x.logn(0.06*revenue+5, 1.0)
		}
		if x.chance(0.12) {
			eq = x.logn(0.3*revenue+50, 1.0)
		}
		r.buf = strconv.AppendFloat(r.buf, tech, 'f', 2, 64)
		r.close()
		r.buf = strconv.AppendFloat(r.buf, eq, 'f', 2, 64)
		r.close()

		switch {
		case g.sideDue(p, plantInnoRange, e):
			// 研发人员数 > 职工总数, in place of the real row.
			f := r.strings()
			f[innRDStaff] = strconv.Itoa(staff + 5)
			p.inno.writeStrings(f)
			g.plant(p.inno, innovationHeader()[innRDStaff], "out_of_range")
			p.sideDone[plantInnoRange] = true
		default:
			// At most one plant per real row, so each breaks one rule only.
			p.inno.writeRow(r)
			switch {
			case g.sideDue(p, plantInnoDuplicate, e):
				p.inno.writeRow(r) // the same (uscc, year) again
				g.plant(p.inno, innovationHeader()[innYear], "duplicate_id")
				p.sideDone[plantInnoDuplicate] = true
			case g.sideDue(p, plantInnoOrphan, e):
				g.innovationOrphan(p)
			}
		}
	}
}

// innovationOrphan writes the last innovation row again under a valid code
// that is in no registry row.
func (g *gen) innovationOrphan(p *registryPass) {
	f := p.r.strings()
	f[0] = g.codeOf(p.aux, g.n+extraOrphan+1)
	p.inno.writeStrings(f)
	g.plant(p.inno, innovationHeader()[0], "orphan")
	p.sideDone[plantInnoOrphan] = true
}

// donations writes the donations of donor e (drawn from p.side): a skewed
// number of gifts, spread over the years the donor gives in, in date order.
// A donor gives a log-normal share of its revenue a year (the registry's, or
// one estimated from its employees and industry), so big firms give big sums.
func (g *gen) donations(p *registryPass, e *entity, info *rowInfo) {
	x := p.side
	lo := max(g.flowStart, e.est)
	hi := g.asOf
	if e.exit > 0 {
		hi = min(hi, e.exit-1)
	}
	if lo > hi {
		return
	}
	rev := info.rev // 万元 a year
	if rev <= 0 {
		emp := float64(info.emp)
		if info.emp < 1 {
			emp = 5
		}
		rev = emp * profileOf(info.div).perHead * ownPerHead[e.own]
	}
	yearly := min(3e6, rev*1e4*x.logn(0.003, 0.6))         // yuan
	count := min(300, 1+int(math.Ceil(1.5*x.pareto(2.2)))) // mean ≈ 4
	if e.own == ownIndividual {
		count = min(count, 30)
	}
	// The donor's favourite program, which half its gifts go to, is a named one, never
	// 其他 (the last of donationPrograms): a big donor's gifts would make 其他 the
	// largest program of a year.
	fav := x.float() * g.v.programs.cum[len(g.v.programs.cum)-2]
	first, last := lo.year(), hi.year()
	start := first
	if x.float() >= 0.6 {
		start += x.intn(last - first + 1)
	}
	var years [128]int
	ny := 0
	for y := start; y <= last && ny < len(years); y++ {
		if y == start || x.chance(0.8) {
			years[ny] = y
			ny++
		}
	}
	// At least one gift in each year the donor gives in, so that a big donor's sums do
	// not come and go with the luck of the draw.
	count = max(count, ny)
	scale := max(500, yearly*float64(ny)/float64(count)) // yuan a gift
	p.days = p.days[:0]
	for k := 0; k < count; k++ {
		y := years[x.intn(ny)]
		if k < ny {
			y = years[k]
		}
		a, b := max(lo, dayOf(y, 1, 1)), min(hi, dayOf(y, 12, 31))
		p.days = append(p.days, a+day(x.float()*float64(b-a+1)))
	}
	slices.Sort(p.days)
	v := g.v
	dist := g.districts[e.district].Name
	for _, d := range p.days {
		r := &p.r
		r.reset()
		p.donSeq++
		r.buf = append(r.buf, "JZ"...)
		r.buf = appendPadded(r.buf, p.donSeq, 8)
		r.close()
		r.bytes(e.code[:])
		style := dateISO
		if x.chance(0.1) {
			style = dateSlash
		}
		r.buf = appendDate(r.buf, d, style)
		r.close()
		amount := max(100, scale*x.logn(1, 0.7))
		switch u := x.float(); {
		case u < 0.6:
			r.buf = strconv.AppendInt(r.buf, int64(math.Round(amount/100))*100, 10)
		case u < 0.85:
			r.buf = strconv.AppendInt(r.buf, int64(math.Round(amount)), 10)
		default:
			r.buf = strconv.AppendFloat(r.buf, amount, 'f', 2, 64)
		}
		r.close()
		r.str(v.forms.pick(x.float()))
		prog := v.programs.index(x.float())
		if x.chance(0.5) {
			prog = v.programs.index(fav)
		}
		r.str(v.programs.items[prog])
		if x.chance(0.93) {
			r.buf = g.appendRecipient(r.buf, x, prog, dist)
		}
		r.close()
		switch u := x.float(); {
		case u < 0.05:
			r.str("否")
		case u < 0.10:
			r.close()
		case u < 0.94:
			r.str("是")
		case u < 0.97:
			r.str("Y")
		default:
			r.str("1")
		}
		g.writeDonation(p, e, -1)
	}
}

// writeDonation writes the donation in p.r, or a planted variant of it: the
// side plant force, or when force < 0 the first side plant due at e.
func (g *gen) writeDonation(p *registryPass, e *entity, force int) {
	due := func(k int) bool { return force == k || force < 0 && g.sideDue(p, k, e) }
	r := &p.r
	switch {
	case due(plantDonRange):
		f := r.strings()
		f[donAmount] = "0"
		p.don.writeStrings(f)
		g.plant(p.don, donationHeader()[donAmount], "out_of_range")
		p.sideDone[plantDonRange] = true
	case due(plantDonMissing):
		f := r.strings()
		f[donCode] = ""
		p.don.writeStrings(f)
		g.plant(p.don, donationHeader()[donCode], "missing_required")
		p.sideDone[plantDonMissing] = true
	case due(plantDonProgram):
		f := r.strings()
		f[donProgram] = "生态环保"
		p.don.writeStrings(f)
		g.plant(p.don, donationHeader()[donProgram], "unknown_program")
		p.sideDone[plantDonProgram] = true
	default:
		// At most one plant per real row, so each breaks one rule only.
		p.don.writeRow(r)
		switch {
		case due(plantDonOrphan):
			g.donationOrphan(p)
		case due(plantDonDuplicate):
			g.donationDuplicate(p)
		}
	}
}

// donationOrphan writes the last donation again, with the next id, under a
// valid code that is in no registry row.
func (g *gen) donationOrphan(p *registryPass) {
	f := p.r.strings()
	p.donSeq++
	f[donID] = string(appendPadded([]byte("JZ"), p.donSeq, 8))
	f[donCode] = g.codeOf(p.aux, g.n+extraOrphan+2)
	p.don.writeStrings(f)
	g.plant(p.don, donationHeader()[donCode], "orphan")
	p.sideDone[plantDonOrphan] = true
}

// donationDuplicate writes a different donation under the id of the last one.
func (g *gen) donationDuplicate(p *registryPass) {
	f := p.r.strings()
	f[donAmount] = "8800"
	p.don.writeStrings(f)
	g.plant(p.don, donationHeader()[donID], "duplicate_id")
	p.sideDone[plantDonDuplicate] = true
}

// sideFallback writes side plant k after the last entity when no innovator or
// donor reached its trigger; it copies the last row of the source, or makes
// one for entity 0.
func (g *gen) sideFallback(p *registryPass, k int) {
	e := &entity{}
	g.core(p.aux, 0, e)
	switch k {
	case plantInnoDuplicate, plantInnoRange, plantInnoOrphan:
		// A fresh declaration of an orphan code, so no real row is duplicated.
		p.r.reset()
		p.r.str(g.codeOf(p.aux, g.n+extraOrphan+10+int64(k)))
		for _, s := range []string{strconv.Itoa(g.asOf.year() - 1), "12.50", "480.00", "3", "20", "0", "2", "0", "0.00", "0.00"} {
			p.r.str(s)
		}
		switch k {
		case plantInnoDuplicate:
			p.inno.writeRow(&p.r)
			p.inno.writeRow(&p.r)
			g.plant(p.inno, innovationHeader()[innYear], "duplicate_id")
		case plantInnoRange:
			f := p.r.strings()
			f[innRDStaff] = "25"
			p.inno.writeStrings(f)
			g.plant(p.inno, innovationHeader()[innRDStaff], "out_of_range")
		default:
			p.inno.writeRow(&p.r)
			g.plant(p.inno, innovationHeader()[0], "orphan")
		}
		p.sideDone[k] = true
	default:
		// A donation of entity 0 on AsOf, then the plant as if due.
		p.r.reset()
		p.donSeq++
		p.r.buf = appendPadded(append(p.r.buf, "JZ"...), p.donSeq, 8)
		p.r.close()
		p.r.bytes(e.code[:])
		p.r.buf = appendDate(p.r.buf, g.asOf, dateISO)
		p.r.close()
		for _, s := range []string{"10000", "现金", "其他", "示例市慈善总会", "是"} {
			p.r.str(s)
		}
		g.writeDonation(p, e, k)
	}
}

// appendRecipient appends a recipient of program prog for a donor in district dist.
func (g *gen) appendRecipient(b []byte, x *rnd, prog int, dist string) []byte {
	t := x.pick(g.v.recipients[prog])
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '@':
			b = append(b, dist...)
		case '%':
			b = append(b, x.pick(g.v.villages)...)
		default:
			b = append(b, t[i])
		}
	}
	return b
}
