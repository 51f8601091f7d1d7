package reports

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// seriesColours returns the fixed palette, in the order series take it: a
// sober deep blue first, then colours that stay apart in print.
func seriesColours() []string {
	return []string{
		"#1f4e8c", "#d0822e", "#3a8f6b", "#2f9bb3", "#6c5a9e",
		"#9c8a3a", "#b8433f", "#5d6d7e", "#c36a9b", "#7ba23f",
	}
}

// placeholderColour is the grey of a placeholder bar (其他, 未知) in a ranking.
const placeholderColour = "#a3abb6"

// fontStack is the font ECharts draws text with, the same as the page's.
const fontStack = `"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Zen Hei","Microsoft YaHei","PingFang SC",sans-serif`

// chartPayload is what a page's script needs to draw one chart: the ECharts
// option built with go-echarts, and the names of the number formats to
// attach as JavaScript formatters (functions cannot travel in JSON).
type chartPayload struct {
	ID        string         `json:"id"`
	Option    map[string]any `json:"option"`
	ValueAxis string         `json:"valueAxis,omitempty"` // "xAxis" or "yAxis": the axes that carry values
	AxisFmt   []string       `json:"axisFmt,omitempty"`   // a format per value axis
	SeriesFmt []string       `json:"seriesFmt,omitempty"` // a format per series
	// Labels holds, per series and data point, the pipeline's own rendering of
	// the exact value (formatValue): labels and tooltips show these strings, so
	// the chart library never rounds a number a second time.
	Labels [][]string `json:"labels,omitempty"`
	// Shares holds a pie's share of each slice, formatted as the book does
	// (formatPct of value / total), for its labels and tooltips.
	Shares []string `json:"shares,omitempty"`
}

// dataTable is the table behind a chart or a table block.
type dataTable struct {
	Head  []string
	Rows  [][]cellView
	Empty string // the text in place of no rows; "" means （无数据）
	// RuleAt is the index of the first placeholder row (其他, 未知 …), drawn
	// under a rule line after the ranked rows; 0 when there is none.
	RuleAt int
}

// cellView is one cell of a dataTable.
type cellView struct {
	Text  string
	Num   bool // right-aligned
	Short bool // a short text (a district, a rank) that should not wrap
}

// chartData is a chart's data rearranged: categories along the x axis and
// one value list per series.
type chartData struct {
	cats   []string
	names  []string // series display names
	values [][]any  // [series][category]: float64 or nil
	fmts   []string // format per series
	isLine []bool   // linebar: the series drawn as a line
}

// colourer hands out colours: the book's palette for names that have one,
// otherwise the fixed colours in turn, skipping those the palette uses in
// this chart.
type colourer struct {
	palette map[string]string
	taken   map[string]bool
	next    int
}

func newColourer(palette map[string]string, names []string) *colourer {
	c := &colourer{palette: palette, taken: map[string]bool{}}
	for _, n := range names {
		if col, ok := palette[n]; ok {
			c.taken[strings.ToLower(col)] = true
		}
	}
	return c
}

func (c *colourer) colour(name string) string {
	if col, ok := c.palette[name]; ok {
		return col
	}
	colours := seriesColours()
	for range len(colours) {
		col := colours[c.next%len(colours)]
		c.next++
		if !c.taken[col] {
			return col
		}
	}
	return colours[c.next%len(colours)]
}

// chartBuilder builds one chart from its spec and its query's result.
type chartBuilder struct {
	spec    *chartSpec
	t       *Table
	title   string
	palette map[string]string
	fail    func(at pos, format string, args ...any)
	// the value axes' label formats and names, chosen from the data (axisUnit)
	axisKind, axisName string
	axis2Name          string
	// omitted says which slices a pie leaves out (zero, or a share that rounds to
	// 0.0%), one sentence each, or which rows a map cannot place; the figure's note carries them.
	omitted []string
	// geo is the district map a map chart draws; nil draws it as its fallback.
	geo *DistrictMap
}

// axisMax is the largest magnitude a value axis shows: over the bars (or
// the lines, for the right axis of a linebar), summed per category when the
// bars are stacked.
func (d chartData) axisMax(lines, stacked bool) float64 {
	m := 0.0
	for j := range d.cats {
		sum := 0.0
		for k := range d.names {
			if d.isLine[k] != lines {
				continue
			}
			if f, ok := d.values[k][j].(float64); ok {
				if stacked {
					sum += math.Max(f, 0)
				} else {
					m = math.Max(m, math.Abs(f))
				}
			}
		}
		m = math.Max(m, sum)
	}
	return m
}

// axisUnit picks how a value axis is labelled from the largest value it
// shows, so that the unit in its name matches its numbers: counts from 1万
// on in 万 (the axis named 万户), amounts in 万元 from 1亿元 on in 亿元.
// It returns the label format for the page's script and the axis name.
func axisUnit(format, name string, max float64) (kind, unit string) {
	switch format {
	case "count":
		if max >= 1e4 {
			return "count_wan", "万" + name
		}
	case "money":
		if max >= 1e4 {
			return "money_yi", "亿元"
		}
		return "money_wan", cmpOr(name, "万元")
	}
	return format, name
}

// column finds a column of the result, reporting its absence at f.at.
func (cb *chartBuilder) column(f field) int {
	i := cb.t.column(f.name)
	if i < 0 {
		cb.fail(f.at, "query %s has no column %q (it has: %s)", cb.spec.data, f.name, strings.Join(cb.t.Columns, ", "))
	}
	return i
}

// number reads a value cell as float64, nil for NULL; text is an error.
func (cb *chartBuilder) number(row []any, i int, f field) (any, bool) {
	v := row[i]
	if v == nil {
		return nil, true
	}
	x, ok := toFloat(v)
	if !ok {
		cb.fail(f.at, "column %q holds %s; a chart needs numbers", f.name, describe(v))
		return nil, false
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil, true
	}
	return x, true
}

// build returns the chart's payload and its data table, or ok=false after
// reporting what is wrong through cb.fail.
func (cb *chartBuilder) build(id string) (chartPayload, dataTable, bool) {
	s := cb.spec
	switch s.kind {
	case "pie", "rose":
		return cb.pie(id)
	case "heatmap":
		return cb.heatmap(id)
	case "map":
		if cb.geo != nil {
			return cb.choropleth(id, cb.geo)
		}
		// No district map: the chart is drawn as its fallback, a bar chart.
		spec := *s
		spec.kind = s.fallback
		cb.spec = &spec
		defer func() { cb.spec = s }()
		return cb.build(id)
	}
	d, ok := cb.collect()
	if !ok {
		return chartPayload{}, dataTable{}, false
	}
	d = d.placeholdersLast()
	col := newColourer(cb.palette, append(append([]string{}, d.names...), d.cats...))
	var kind2 string
	cb.axisKind, cb.axisName = axisUnit(s.format, s.yName, d.axisMax(false, s.kind == "stackbar"))
	kind2, cb.axis2Name = axisUnit(s.lineFormat, s.y2Name, d.axisMax(true, false))
	p := chartPayload{ID: id, ValueAxis: "yAxis", AxisFmt: []string{cb.axisKind}}
	var option map[string]any
	switch s.kind {
	case "line":
		option = cb.line(d, col)
	case "band":
		option = cb.band(d)
	case "bar", "stackbar", "hbar":
		option = cb.bar(d, col)
		if s.kind == "hbar" {
			p.ValueAxis = "xAxis"
		}
	case "linebar":
		option = cb.linebar(d, col)
		p.AxisFmt = append(p.AxisFmt, kind2)
	}
	p.Option = finish(option)
	p.SeriesFmt = d.fmts
	for k := range d.names {
		p.Labels = append(p.Labels, valueLabels(d.values[k], d.fmts[k]))
	}
	return p, cb.wideTable(d), true
}

// valueLabels renders each value as a label or tooltip shows it: the
// pipeline's format of the exact value, "—" for a gap.
func valueLabels(values []any, format string) []string {
	out := make([]string, len(values))
	for i, v := range values {
		s, err := formatValue(v, format)
		if err != nil {
			s = plainValue(v)
		}
		out[i] = s
	}
	return out
}

// placeholdersLast moves the placeholder categories (其他, 未知 …) after the
// others, and the placeholder series after the other series: a chart that
// ranks never ranks them (docs/methodology.md §9).
func (d chartData) placeholdersLast() chartData {
	order, _ := placeholdersLast(len(d.cats), func(j int) string { return d.cats[j] })
	out := chartData{cats: make([]string, len(order))}
	for k, j := range order {
		out.cats[k] = d.cats[j]
	}
	sOrder, _ := placeholdersLast(len(d.names), func(k int) string { return d.names[k] })
	// A linebar keeps its bars before its lines.
	sort.SliceStable(sOrder, func(a, b int) bool { return !d.isLine[sOrder[a]] && d.isLine[sOrder[b]] })
	for _, k := range sOrder {
		vals := make([]any, len(order))
		for m, j := range order {
			vals[m] = d.values[k][j]
		}
		out.names = append(out.names, d.names[k])
		out.values = append(out.values, vals)
		out.fmts = append(out.fmts, d.fmts[k])
		out.isLine = append(out.isLine, d.isLine[k])
	}
	return out
}

// collect reads the categories and series of a line or bar chart, pivoting
// a long-format result when the spec names a series column.
func (cb *chartBuilder) collect() (chartData, bool) {
	s := cb.spec
	ok := true
	xi := cb.column(s.x)
	var ys []int
	fields := append(append([]field{}, s.y...), s.line...)
	for _, f := range fields {
		i := cb.column(f)
		ys = append(ys, i)
		ok = ok && i >= 0
	}
	si := -1
	if s.series.name != "" {
		si = cb.column(s.series)
		ok = ok && si >= 0
	}
	if xi < 0 || !ok {
		return chartData{}, false
	}
	var d chartData
	if si >= 0 {
		catIdx, serIdx := map[string]int{}, map[string]int{}
		type cell struct{ c, s int }
		seen := map[cell]bool{}
		for _, row := range cb.t.Rows {
			x, name := plainValue(row[xi]), plainValue(row[si])
			c, has := catIdx[x]
			if !has {
				c = len(d.cats)
				catIdx[x] = c
				d.cats = append(d.cats, x)
				for k := range d.values {
					d.values[k] = append(d.values[k], nil)
				}
			}
			k, has := serIdx[name]
			if !has {
				k = len(d.names)
				serIdx[name] = k
				d.names = append(d.names, name)
				d.values = append(d.values, make([]any, len(d.cats)))
				d.fmts = append(d.fmts, s.format)
				d.isLine = append(d.isLine, false)
			}
			if seen[cell{c, k}] {
				cb.fail(s.series.at, "query %s has two rows for %s=%s, %s=%s; pivoting needs one", s.data, s.x.name, x, s.series.name, name)
				return chartData{}, false
			}
			seen[cell{c, k}] = true
			v, good := cb.number(row, ys[0], s.y[0])
			if !good {
				return chartData{}, false
			}
			d.values[k][c] = v
		}
		return d, true
	}
	for k, f := range fields {
		name := f.name
		if k < len(s.seriesNames) {
			name = s.seriesNames[k]
		}
		d.names = append(d.names, name)
		line := k >= len(s.y)
		d.isLine = append(d.isLine, line)
		if line {
			d.fmts = append(d.fmts, s.lineFormat)
		} else {
			d.fmts = append(d.fmts, s.format)
		}
		d.values = append(d.values, make([]any, 0, len(cb.t.Rows)))
	}
	for _, row := range cb.t.Rows {
		d.cats = append(d.cats, plainValue(row[xi]))
		for k, i := range ys {
			v, good := cb.number(row, i, fields[k])
			if !good {
				return chartData{}, false
			}
			d.values[k] = append(d.values[k], v)
		}
	}
	return d, true
}

// common returns the options every chart shares.
func (cb *chartBuilder) common(legend bool, trigger string) []charts.GlobalOpts {
	tooltip := opts.Tooltip{Show: opts.Bool(true), Trigger: trigger}
	if trigger == "axis" {
		pointer := "line"
		if cb.spec.kind != "line" && cb.spec.kind != "band" {
			pointer = "shadow"
		}
		tooltip.AxisPointer = &opts.AxisPointer{Type: pointer}
	}
	return []charts.GlobalOpts{
		charts.WithAnimation(false),
		// The title is printed in the page as the figure caption; in the
		// option it only feeds the screen-reader description.
		charts.WithTitleOpts(opts.Title{Show: opts.Bool(false), Title: cb.title}),
		charts.WithAriaOpts(&opts.Aria{Enabled: opts.Bool(true)}),
		charts.WithTooltipOpts(tooltip),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(legend), Type: "scroll", Top: "0", Right: "8",
			ItemWidth: 14, ItemHeight: 10, TextStyle: &opts.TextStyle{Color: "#333", FontSize: 12}}),
		charts.WithColorsOpts(opts.Colors(seriesColours())),
	}
}

// grid leaves room at the top for the legend and the axis name.
func (cb *chartBuilder) grid(legend bool) charts.GlobalOpts {
	top := "28"
	if legend {
		top = "52"
	}
	right := "28"
	if cb.spec.kind == "hbar" {
		right = "72" // room for the value labels at the end of the bars
	}
	return charts.WithGridOpts(opts.Grid{Left: "8", Right: right, Top: top, Bottom: "8", ContainLabel: opts.Bool(true)})
}

func valueAxisY(name string) opts.YAxis {
	return opts.YAxis{Type: "value", Name: name, NameGap: 12,
		AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Color: "#555"},
		SplitLine: &opts.SplitLine{Show: opts.Bool(true), LineStyle: &opts.LineStyle{Color: "#e3e6eb", Type: "dashed"}}}
}

func (cb *chartBuilder) categoryAxisX(cats []string) opts.XAxis {
	label := &opts.AxisLabel{Show: opts.Bool(true), Interval: "0", Color: "#333"}
	// Turn the labels only when they would not fit side by side in the
	// about 780 px a chart has on the page (12 px CJK, 7 px other).
	width := 0
	for _, c := range cats {
		width = max(width, 7*textWidth(c)+16)
	}
	if width*len(cats) > 780 {
		label.Rotate = 30
		// Turned 30°, a label still takes about 0.6 of its width along the axis: when even
		// that does not fit (36 months of a monitoring series), ECharts leaves labels out
		// at regular steps instead of printing them over each other.
		if width*len(cats)*6/10 > 780 {
			label.Interval = "auto"
		}
	}
	// No axis name: the category labels (years, districts) speak for
	// themselves, and a name at the end of the axis would collide with them.
	return opts.XAxis{Type: "category", AxisLabel: label,
		AxisTick: &opts.AxisTick{AlignWithLabel: opts.Bool(true)},
		AxisLine: &opts.AxisLine{LineStyle: &opts.LineStyle{Color: "#8a94a6"}}}
}

// lineBase is a line chart over the categories cats, with a legend or not: the common
// options of the line and band charts.
func (cb *chartBuilder) lineBase(legend bool, cats []string) *charts.Line {
	c := charts.NewLine()
	c.SetGlobalOptions(cb.common(legend, "axis")...)
	// A line shows change: its value axis need not start at zero.
	y := valueAxisY(cb.axisName)
	y.Scale = opts.Bool(true)
	c.SetGlobalOptions(cb.grid(legend),
		charts.WithXAxisOpts(cb.categoryAxisX(cats)),
		charts.WithYAxisOpts(y))
	c.SetXAxis(cats)
	return c
}

func (cb *chartBuilder) line(d chartData, col *colourer) map[string]any {
	legend := len(d.names) > 1
	c := cb.lineBase(legend, d.cats)
	for k, name := range d.names {
		colour := col.colour(name)
		c.AddSeries(name, lineData(d.values[k]),
			charts.WithLineChartOpts(opts.LineChart{Symbol: "circle", SymbolSize: 7, ShowSymbol: opts.Bool(true)}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colour}),
			charts.WithLineStyleOpts(opts.LineStyle{Color: colour, Width: 2.5}))
	}
	c.Validate()
	return c.JSON()
}

func (cb *chartBuilder) bar(d chartData, col *colourer) map[string]any {
	s := cb.spec
	legend := len(d.names) > 1
	c := charts.NewBar()
	c.SetGlobalOptions(cb.common(legend, "axis")...)
	c.SetGlobalOptions(cb.grid(legend))
	if s.kind == "hbar" {
		c.SetGlobalOptions(
			charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: cb.axisName,
				AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Color: "#555"},
				SplitLine: &opts.SplitLine{Show: opts.Bool(true), LineStyle: &opts.LineStyle{Color: "#e3e6eb", Type: "dashed"}}}),
			charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true),
				AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0", Color: "#333"},
				AxisLine:  &opts.AxisLine{LineStyle: &opts.LineStyle{Color: "#8a94a6"}}}))
		c.XYReversal()
	} else {
		c.SetGlobalOptions(charts.WithXAxisOpts(cb.categoryAxisX(d.cats)), charts.WithYAxisOpts(valueAxisY(cb.axisName)))
	}
	c.SetXAxis(d.cats)
	// One series over categories that have palette colours (districts):
	// each bar takes its category's colour.
	byCategory := len(d.names) == 1 && anyInPalette(cb.palette, d.cats)
	for k, name := range d.names {
		colour := col.colour(name)
		data := make([]opts.BarData, len(d.cats))
		for j, v := range d.values[k] {
			data[j] = opts.BarData{Value: chartValue(v)}
			if byCategory {
				if pc, ok := cb.palette[d.cats[j]]; ok {
					data[j].ItemStyle = &opts.ItemStyle{Color: pc}
				}
			}
			if s.kind == "hbar" && len(d.names) == 1 && isPlaceholder(d.cats[j]) {
				// unranked, after the ranked bars: grey
				data[j].ItemStyle = &opts.ItemStyle{Color: placeholderColour}
			}
		}
		sopts := []charts.SeriesOpts{charts.WithItemStyleOpts(opts.ItemStyle{Color: colour}),
			charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.BarMaxWidth = "42" })}
		if s.kind == "stackbar" {
			sopts = append(sopts, charts.WithBarChartOpts(opts.BarChart{Stack: "total"}))
		}
		if s.kind == "hbar" && len(d.names) == 1 {
			sopts = append(sopts, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Color: "#333"}))
		}
		c.AddSeries(name, data, sopts...)
	}
	c.Validate()
	return c.JSON()
}

func (cb *chartBuilder) linebar(d chartData, col *colourer) map[string]any {
	c := charts.NewBar()
	c.SetGlobalOptions(cb.common(true, "axis")...)
	right := valueAxisY(cb.axis2Name)
	right.SplitLine = &opts.SplitLine{Show: opts.Bool(false)}
	c.SetGlobalOptions(cb.grid(true), charts.WithXAxisOpts(cb.categoryAxisX(d.cats)), charts.WithYAxisOpts(valueAxisY(cb.axisName)))
	c.ExtendYAxis(right)
	c.SetXAxis(d.cats)
	l := charts.NewLine()
	for k, name := range d.names {
		colour := col.colour(name)
		if d.isLine[k] {
			l.AddSeries(name, lineData(d.values[k]),
				charts.WithLineChartOpts(opts.LineChart{YAxisIndex: 1, Symbol: "circle", SymbolSize: 7, ShowSymbol: opts.Bool(true)}),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: colour}),
				charts.WithLineStyleOpts(opts.LineStyle{Color: colour, Width: 2.5}))
			continue
		}
		data := make([]opts.BarData, len(d.cats))
		for j, v := range d.values[k] {
			data[j] = opts.BarData{Value: chartValue(v)}
		}
		c.AddSeries(name, data, charts.WithItemStyleOpts(opts.ItemStyle{Color: colour}),
			charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.BarMaxWidth = "42" }))
	}
	c.Overlap(l)
	c.Validate()
	return c.JSON()
}

func (cb *chartBuilder) pie(id string) (chartPayload, dataTable, bool) {
	s := cb.spec
	xi, yi := cb.column(s.x), cb.column(s.y[0])
	if xi < 0 || yi < 0 {
		return chartPayload{}, dataTable{}, false
	}
	var names []string
	var values []float64
	total := 0.0
	for _, row := range cb.t.Rows {
		v, ok := cb.number(row, yi, s.y[0])
		if !ok {
			return chartPayload{}, dataTable{}, false
		}
		x := 0.0
		if v != nil {
			x = v.(float64)
		}
		names = append(names, plainValue(row[xi]))
		values = append(values, x)
		total += x
	}
	order, _ := placeholdersLast(len(names), func(i int) string { return names[i] })
	sortedNames, sortedValues := make([]string, len(order)), make([]float64, len(order))
	for k, i := range order {
		sortedNames[k], sortedValues[k] = names[i], values[i]
	}
	names, values = sortedNames, sortedValues
	shares := make([]string, len(names))
	for i := range names {
		shares[i] = missing
		if total != 0 {
			shares[i] = formatPct(values[i] / total)
		}
	}
	// A zero slice is not drawn (it would only crowd the labels); the note names it.
	col := newColourer(cb.palette, names)
	var data []opts.PieData
	var labels, drawnShares []string
	for i, n := range names {
		if values[i] == 0 {
			cb.omitted = append(cb.omitted, "“"+n+"”为零，图中未显示。")
			continue
		}
		if shares[i] == formatPct(0) && values[i] > 0 {
			// a sliver labelled 0.0% says nothing: named in the note with its value
			cb.omitted = append(cb.omitted, "“"+n+"”"+cb.valueWithUnit(values[i])+"，占比不足0.1%，图中未显示。")
			continue
		}
		data = append(data, opts.PieData{Name: n, Value: values[i], ItemStyle: &opts.ItemStyle{Color: col.colour(n)}})
		l, err := formatValue(values[i], s.format)
		if err != nil {
			l = plainValue(values[i])
		}
		labels = append(labels, l)
		drawnShares = append(drawnShares, shares[i])
	}
	c := charts.NewPie()
	c.SetGlobalOptions(cb.common(true, "item")...)
	pie := opts.PieChart{Radius: []string{"36%", "64%"}, Center: []string{"50%", "56%"}}
	if s.kind == "rose" {
		pie = opts.PieChart{RoseType: "radius", Radius: []string{"14%", "68%"}, Center: []string{"50%", "56%"}}
	}
	seriesName := s.y[0].name
	if len(s.seriesNames) > 0 {
		seriesName = s.seriesNames[0]
	}
	// The page's script labels each slice with its name and share (one decimal).
	c.AddSeries(seriesName, data, charts.WithPieChartOpts(pie),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Color: "#333", LineHeight: 18}),
		charts.WithItemStyleOpts(opts.ItemStyle{BorderColor: "#fff", BorderWidth: 1.5}))
	c.Validate()
	p := chartPayload{ID: id, Option: finish(c.JSON()), SeriesFmt: []string{s.format},
		Labels: [][]string{labels}, Shares: drawnShares}

	dt := dataTable{Head: []string{headerOr(s.xName, s.x.name), withUnit(seriesName, s.yName, s.format), "占比"}}
	for i, n := range names {
		if i > 0 && dt.RuleAt == 0 && isPlaceholder(n) {
			dt.RuleAt = i
		}
		dt.Rows = append(dt.Rows, []cellView{{Text: n}, cb.cell(values[i], s.format), {Text: shares[i], Num: true}})
	}
	return p, dt, true
}

func (cb *chartBuilder) heatmap(id string) (chartPayload, dataTable, bool) {
	s := cb.spec
	xi, yi, vi := cb.column(s.x), cb.column(s.y[0]), cb.column(s.value)
	if xi < 0 || yi < 0 || vi < 0 {
		return chartPayload{}, dataTable{}, false
	}
	var xs, ys []string
	xIdx, yIdx := map[string]int{}, map[string]int{}
	type cell struct{ x, y int }
	vals := map[cell]any{}
	lo, hi := math.Inf(1), math.Inf(-1)
	var data []opts.HeatMapData
	var labels []string
	// The rows (categories) in query order, the placeholders (其他, 未知) last.
	for _, row := range cb.t.Rows {
		if y := plainValue(row[yi]); !containsString(ys, y) {
			ys = append(ys, y)
		}
	}
	order, _ := placeholdersLast(len(ys), func(i int) string { return ys[i] })
	sortedYs := make([]string, len(ys))
	for k, i := range order {
		sortedYs[k] = ys[i]
		yIdx[ys[i]] = k
	}
	ys = sortedYs
	for _, row := range cb.t.Rows {
		x, y := plainValue(row[xi]), plainValue(row[yi])
		if _, ok := xIdx[x]; !ok {
			xIdx[x] = len(xs)
			xs = append(xs, x)
		}
		if _, ok := yIdx[y]; !ok {
			yIdx[y] = len(ys)
			ys = append(ys, y)
		}
		v, ok := cb.number(row, vi, s.value)
		if !ok {
			return chartPayload{}, dataTable{}, false
		}
		k := cell{xIdx[x], yIdx[y]}
		if _, dup := vals[k]; dup {
			cb.fail(s.value.at, "query %s has two rows for %s=%s, %s=%s", s.data, s.x.name, x, s.y[0].name, y)
			return chartPayload{}, dataTable{}, false
		}
		vals[k] = v
		if f, isNum := v.(float64); isNum {
			lo, hi = math.Min(lo, f), math.Max(hi, f)
		}
		data = append(data, opts.HeatMapData{Value: [3]any{k.x, k.y, chartValue(v)}})
		labels = append(labels, valueLabels([]any{v}, s.format)[0])
	}
	if math.IsInf(lo, 0) {
		lo, hi = 0, 1
	}
	c := charts.NewHeatMap()
	c.SetGlobalOptions(cb.common(false, "item")...)
	c.SetGlobalOptions(
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "28", Bottom: "56", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: xs,
			SplitArea: &opts.SplitArea{Show: opts.Bool(true)}, AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Color: "#333"}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: ys, Name: s.yName, Inverse: opts.Bool(true), NameLocation: "start",
			SplitArea: &opts.SplitArea{Show: opts.Bool(true)}, AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Color: "#333"}}),
		charts.WithVisualMapOpts(opts.VisualMap{Calculable: opts.Bool(true), Orient: "horizontal", Left: "center", Bottom: "0",
			InRange: &opts.VisualMapInRange{Color: []string{"#eef3fa", "#8fb0d9", "#1f3a68"}}}))
	name := s.value.name
	if len(s.seriesNames) > 0 {
		name = s.seriesNames[0]
	}
	c.AddSeries(name, data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(len(xs)*len(ys) <= 240)}))
	c.Validate()
	option := finish(c.JSON())
	// go-echarts drops a zero min and cannot say the range exactly: set it here.
	option["visualMap"] = []map[string]any{{"type": "continuous", "min": lo, "max": hi, "calculable": true,
		"orient": "horizontal", "left": "center", "bottom": 0, "itemHeight": 160,
		"inRange": map[string]any{"color": []string{"#eef3fa", "#8fb0d9", "#1f3a68"}}}}
	p := chartPayload{ID: id, Option: option, SeriesFmt: []string{s.format}, AxisFmt: []string{s.format}, ValueAxis: "visualMap",
		Labels: [][]string{labels}}

	dt := dataTable{Head: append([]string{headerOr(s.yName, s.y[0].name)}, xs...)}
	for yj, y := range ys {
		if yj > 0 && dt.RuleAt == 0 && isPlaceholder(y) {
			dt.RuleAt = yj
		}
		row := []cellView{{Text: y}}
		for xj := range xs {
			row = append(row, cb.cell(vals[cell{xj, yj}], s.format))
		}
		dt.Rows = append(dt.Rows, row)
	}
	return p, dt, true
}

// valueWithUnit renders a value for a sentence of a note: formatted, with the
// chart's unit when the format does not carry one (2户, 0.35万元).
func (cb *chartBuilder) valueWithUnit(v float64) string {
	s, err := formatValue(v, cb.spec.format)
	if err != nil {
		s = plainValue(v)
	}
	switch cb.spec.format {
	case "money", "pct":
		return s
	}
	return s + cb.spec.yName
}

// wideTable lays out a line or bar chart's data: a row per category, a
// column per series.
func (cb *chartBuilder) wideTable(d chartData) dataTable {
	s := cb.spec
	dt := dataTable{Head: []string{headerOr(s.xName, s.x.name)}}
	for k, n := range d.names {
		unit := s.yName
		if d.isLine[k] {
			unit = s.y2Name
		}
		dt.Head = append(dt.Head, withUnit(n, unit, d.fmts[k]))
	}
	for j, c := range d.cats {
		if j > 0 && dt.RuleAt == 0 && isPlaceholder(c) {
			dt.RuleAt = j
		}
		row := []cellView{{Text: c}}
		for k := range d.names {
			row = append(row, cb.cell(d.values[k][j], d.fmts[k]))
		}
		dt.Rows = append(dt.Rows, row)
	}
	return dt
}

// cell renders a chart value for its data table: exact numbers a reader can
// copy (counts in full rather than in 万), percentages as percentages.
func (cb *chartBuilder) cell(v any, format string) cellView {
	switch format {
	case "count":
		format = "int"
	case "money":
		format = "num2"
	}
	s, err := formatValue(v, format)
	if err != nil {
		s = plainValue(v)
	}
	return cellView{Text: s, Num: true}
}

// withUnit adds the unit to a column header, e.g. 存量（户）, unless the
// values carry their own (percentages).
func withUnit(name, unit, format string) string {
	if unit == "" || format == "pct" || unit == "%" {
		return name
	}
	return name + "（" + unit + "）"
}

func headerOr(name, fallback string) string {
	if name != "" {
		return name
	}
	return fallback
}

// anyInPalette reports whether names has a name with a colour of its own in
// the palette (a district). 其他 and 未知 alone do not count: every kind of
// category list may hold them.
func anyInPalette(palette map[string]string, names []string) bool {
	for _, n := range names {
		if n == "其他" || n == "未知" {
			continue
		}
		if _, ok := palette[n]; ok {
			return true
		}
	}
	return false
}

// chartValue turns a missing value into ECharts' "-" (a gap).
func chartValue(v any) any {
	if v == nil {
		return "-"
	}
	return v
}

func lineData(values []any) []opts.LineData {
	out := make([]opts.LineData, len(values))
	for i, v := range values {
		out[i] = opts.LineData{Value: chartValue(v)}
	}
	return out
}

// finish adds what go-echarts has no option for: the CJK font and a
// tooltip that stays inside the chart.
func finish(o map[string]any) map[string]any {
	o["textStyle"] = map[string]any{"fontFamily": fontStack}
	delete(o, "toolbox")
	if t, ok := o["tooltip"].(opts.Tooltip); ok {
		o["tooltip"] = struct {
			opts.Tooltip
			Confine bool `json:"confine"`
		}{t, true}
	}
	return o
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// choropleth draws a map chart over the district map: each district shaded by
// its value, its name and value as the label. Rows of no district on the map
// (其他, 未知 …) are named in the figure's note (cb.omitted); the data table
// lists every row as the bar chart would.
func (cb *chartBuilder) choropleth(id string, geo *DistrictMap) (chartPayload, dataTable, bool) {
	s := cb.spec
	d, ok := cb.collect()
	if !ok {
		return chartPayload{}, dataTable{}, false
	}
	d = d.placeholdersLast()
	onMap := map[string]bool{}
	for _, n := range geo.Names {
		onMap[n] = true
	}
	type item struct {
		Name  string         `json:"name"`
		Value any            `json:"value"`
		Label map[string]any `json:"label,omitempty"`
	}
	var data []item
	var vals []any
	var off []string
	lo, hi := math.Inf(1), math.Inf(-1)
	for j, c := range d.cats {
		v := d.values[0][j]
		if !onMap[c] {
			if f, isNum := v.(float64); isNum && f != 0 {
				off = append(off, fmt.Sprintf("%s（%s）", c, cb.valueWithUnit(f)))
			}
			continue
		}
		data = append(data, item{Name: c, Value: chartValue(v)})
		vals = append(vals, v)
		if f, isNum := v.(float64); isNum {
			lo, hi = math.Min(lo, f), math.Max(hi, f)
		}
	}
	if len(off) > 0 {
		cb.omitted = append(cb.omitted, "地图未标示"+strings.Join(off, "、")+"。")
	}
	if math.IsInf(lo, 0) {
		lo, hi = 0, 1
	}
	if lo == hi {
		lo = math.Min(0, lo)
	}
	// White labels on the darker districts.
	for i := range data {
		if f, isNum := vals[i].(float64); isNum && hi > lo && (f-lo)/(hi-lo) > 0.6 {
			data[i].Label = map[string]any{"color": "#ffffff", "textBorderWidth": 0}
		}
	}
	name := s.y[0].name
	if len(s.seriesNames) > 0 {
		name = s.seriesNames[0]
	}
	option := finish(map[string]any{
		"animation": false,
		"title":     map[string]any{"show": false, "text": cb.title},
		"aria":      map[string]any{"enabled": true},
		"tooltip":   map[string]any{"show": true, "trigger": "item", "confine": true},
		"visualMap": []map[string]any{{"type": "continuous", "min": lo, "max": hi, "calculable": false,
			"orient": "horizontal", "left": "center", "bottom": 0, "itemHeight": 160,
			"text": []string{cb.valueWithUnit(hi), cb.valueWithUnit(lo)}, "textStyle": map[string]any{"color": "#555"},
			"inRange": map[string]any{"color": []string{"#eef3fa", "#8fb0d9", "#1f3a68"}}}},
		"series": []map[string]any{{"type": "map", "map": "districts", "name": name, "roam": false,
			"top": 8, "bottom": 56, "left": "center", "aspectScale": 1,
			"label":     map[string]any{"show": true, "color": "#1a1a1a", "fontSize": 12, "textBorderColor": "#fff", "textBorderWidth": 2},
			"itemStyle": map[string]any{"borderColor": "#ffffff", "borderWidth": 1.2, "areaColor": "#f4f5f7"},
			"emphasis":  map[string]any{"label": map[string]any{"show": true}, "itemStyle": map[string]any{"areaColor": "#d0822e"}},
			"select":    map[string]any{"disabled": true},
			"data":      data}},
	})
	p := chartPayload{ID: id, Option: option, ValueAxis: "visualMap", AxisFmt: []string{s.format},
		SeriesFmt: []string{s.format}, Labels: [][]string{valueLabels(vals, s.format)}}
	return p, cb.wideTable(d), true
}
