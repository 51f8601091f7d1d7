package reports

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Colours of a band chart: the observed series, the expected one and the band around it.
const (
	bandValue    = "#1f4e8c"
	bandExpected = "#d0822e"
	bandFill     = "#dbe7f5"
	bandEdge     = "#8fa9cc"
)

// band draws a series against its expected value and band (the monitoring's expected ±
// k σ): y is value, expected, lower, upper, in that order. The band is the upper line's
// area with the lower line's area in the page colour over it, so the tooltip shows the
// true bounds; the value is drawn last, on top.
func (cb *chartBuilder) band(d chartData) map[string]any {
	c := cb.lineBase(true, d.cats)
	plain := opts.LineChart{ShowSymbol: opts.Bool(false), Symbol: "none"}
	for _, k := range []int{3, 2} { // upper, then lower over it
		fill := bandFill
		if k == 2 {
			fill = "#ffffff"
		}
		c.AddSeries(d.names[k], lineData(d.values[k]),
			charts.WithLineChartOpts(plain),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: bandEdge}),
			charts.WithLineStyleOpts(opts.LineStyle{Color: bandEdge, Width: 1, Type: "dashed"}),
			charts.WithAreaStyleOpts(opts.AreaStyle{Color: fill, Opacity: opts.Float(1)}))
	}
	c.AddSeries(d.names[1], lineData(d.values[1]),
		charts.WithLineChartOpts(plain),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: bandExpected}),
		charts.WithLineStyleOpts(opts.LineStyle{Color: bandExpected, Width: 2, Type: "dashed"}))
	c.AddSeries(d.names[0], lineData(d.values[0]),
		charts.WithLineChartOpts(opts.LineChart{Symbol: "circle", SymbolSize: 6, ShowSymbol: opts.Bool(true)}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: bandValue}),
		charts.WithLineStyleOpts(opts.LineStyle{Color: bandValue, Width: 2.5}))
	c.Validate()
	return c.JSON()
}
