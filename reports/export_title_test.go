package reports

import "testing"

// TestExportTitleOfTable: a title keyed "table.column" in Export.Titles is that table's own
// and wins over the column's common title; other tables keep the common one.
func TestExportTitleOfTable(t *testing.T) {
	titles := map[string]string{"level": "专精特新等级", "monitor_alerts.level": "预警等级代码", "month": "月份"}
	alerts := Export{Name: "monitor_alerts", Titles: titles}
	market := Export{Name: "market_specialized", Titles: titles}
	for _, c := range []struct {
		e         Export
		col, want string
	}{
		{alerts, "level", "预警等级代码"},
		{alerts, "month", "月份"},
		{alerts, "z", "z"},
		{market, "level", "专精特新等级"},
	} {
		if got := c.e.title(c.col); got != c.want {
			t.Errorf("%s.%s: title %q, want %q", c.e.Name, c.col, got, c.want)
		}
	}
}
