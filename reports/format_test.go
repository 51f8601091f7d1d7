package reports

import (
	"math"
	"math/big"
	"testing"
	"time"
)

func TestFormatValue(t *testing.T) {
	tests := []struct {
		format string
		in     any
		want   string
	}{
		// count: as is below 1万, then 万 and 亿 with two decimals.
		{"count", int64(0), "0"},
		{"count", int64(1234), "1234"},
		{"count", int64(9999), "9999"},
		{"count", int64(10000), "1.00万"},
		{"count", int64(12345), "1.23万"},
		{"count", int64(12355), "1.24万"},
		{"count", int64(99994999), "9999.50万"},
		{"count", int64(99999999), "1.00亿"}, // would round to 10000.00万
		{"count", int64(100000000), "1.00亿"},
		{"count", int64(123456789), "1.23亿"},
		{"count", int64(-1234), "-1234"},
		{"count", int64(-12345), "-1.23万"},
		{"count", 1234.6, "1235"},
		{"count", int32(42), "42"},
		// money: input in 万元.
		{"money", 8500.0, "8500.00万元"},
		{"money", 0.5, "0.50万元"},
		{"money", int64(0), "0.00万元"},
		{"money", 9999.994, "9999.99万元"},
		{"money", 9999.996, "1.00亿元"}, // would round to 10000.00万元
		{"money", 10000.0, "1.00亿元"},
		{"money", 123456.0, "12.35亿元"},
		{"money", -8500.0, "-8500.00万元"},
		{"money", -25000.0, "-2.50亿元"},
		// pct: a ratio, one decimal.
		{"pct", 0.1234, "12.3%"},
		{"pct", 0.0, "0.0%"},
		{"pct", 1.0, "100.0%"},
		{"pct", -0.032, "-3.2%"},
		{"pct", -0.0001, "0.0%"}, // no negative zero
		// change: a growth ratio as a signed phrase.
		{"change", 0.032, "增长3.2%"},
		{"change", -0.032, "下降3.2%"},
		{"change", 0.0, "持平"},
		{"change", 0.0004, "持平"},  // rounds to 0.0
		{"change", -0.0004, "持平"}, // never 下降0.0%
		{"change", 1.5, "增长150.0%"},
		{"change", int64(0), "持平"},
		// pp: the change of a rate, in percentage points.
		{"pp", 0.012, "上升1.2个百分点"},
		{"pp", -0.012, "回落1.2个百分点"},
		{"pp", 0.0, "持平"},
		{"pp", -0.0003, "持平"},
		// score: cut, not rounded, so that a label never crosses a grading threshold.
		{"score", 59.987, "59.9"},
		{"score", 60.0, "60.0"},
		{"score", 59.99999999999, "60.0"}, // floating-point noise below 60 is 60
		{"score", 79.96, "79.9"},
		{"score2", 79.996, "79.99"},
		{"score2", 80.0, "80.00"},
		{"score", int64(100), "100.0"},
		// int, num2, date
		{"int", 2025.4, "2025"},
		{"int", int64(-7), "-7"},
		{"num1", 3.14159, "3.1"},
		{"num1", -0.04, "0.0"},
		{"num2", 3.14159, "3.14"},
		{"num2", -0.001, "0.00"},
		{"date", time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), "2025年12月31日"},
		{"date", time.Date(2025, 6, 3, 0, 0, 0, 0, time.UTC), "2025年6月3日"},
		{"date", "2025-06-30", "2025年6月30日"},
		// NULL and non-finite values print as a dash whatever the format.
		{"change", nil, "—"},
		{"count", nil, "—"},
		{"pct", math.NaN(), "—"},
		{"money", math.Inf(1), "—"},
		// DuckDB HUGEINT and DECIMAL, should they reach the renderer unconverted
		{"count", big.NewInt(123456), "12.35万"},
		{"", big.NewInt(42), "42"},
		{"pct", decimal(0.9186), "91.9%"},
		{"", decimal(0.9186), "0.92"},
		// no format
		{"", int64(2025), "2025"},
		{"", 0.1234, "0.12"},
		{"", 2.5, "2.5"},
		{"", "示例区", "示例区"},
		{"", true, "是"},
		{"", time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC), "2025年1月2日"},
	}
	for _, tc := range tests {
		got, err := formatValue(tc.in, tc.format)
		if err != nil {
			t.Errorf("formatValue(%#v, %q): %v", tc.in, tc.format, err)
			continue
		}
		if got != tc.want {
			t.Errorf("formatValue(%#v, %q) = %q, want %q", tc.in, tc.format, got, tc.want)
		}
	}
}

// decimal stands in for duckdb.Decimal, which has a Float64 method.
type decimal float64

func (d decimal) Float64() float64 { return float64(d) }
func (d decimal) String() string   { return "decimal" }

func TestFormatValueErrors(t *testing.T) {
	for _, tc := range []struct {
		format string
		in     any
	}{
		{"count", "1234"},
		{"pct", true},
		{"date", int64(20251231)},
		{"date", "31/12/2025"},
		{"bogus", 1.0},
	} {
		if got, err := formatValue(tc.in, tc.format); err == nil {
			t.Errorf("formatValue(%#v, %q) = %q, want an error", tc.in, tc.format, got)
		}
	}
}
