package reports

import (
	"fmt"
	"testing"
)

// TestCategoryAxisLabelsFit: labels that fit side by side are all shown upright; labels
// that fit turned are all shown turned; a long series (36 months) is labelled at regular
// steps rather than with every month printed over the next.
func TestCategoryAxisLabelsFit(t *testing.T) {
	months := func(n int) []string {
		var m []string
		for i := 0; i < n; i++ {
			m = append(m, fmt.Sprintf("%d-%02d", 2023+(i+10)/12, (i+10)%12+1))
		}
		return m
	}
	cb := &chartBuilder{}
	for _, c := range []struct {
		name     string
		cats     []string
		rotate   float64
		interval string
	}{
		{"five years", []string{"2021", "2022", "2023", "2024", "2025"}, 0, "0"},
		{"twelve months", months(12), 0, "0"},
		{"eighteen months", months(18), 30, "0"},
		{"thirty-six months", months(36), 30, "auto"},
	} {
		l := cb.categoryAxisX(c.cats).AxisLabel
		if l.Rotate != c.rotate || l.Interval != c.interval {
			t.Errorf("%s: rotate %v, interval %q; want %v, %q", c.name, l.Rotate, l.Interval, c.rotate, c.interval)
		}
	}
}
