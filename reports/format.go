package reports

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// missing is what a NULL, NaN or infinite value prints as.
const missing = "—"

// formatNames lists the formats a template may name after "|", in the order
// error messages list them.
const formatNames = "count, money, pct, change, pp, int, num1, num2, score, score2, date"

// knownFormat reports whether name is a format a template may use.
func knownFormat(name string) bool {
	switch name {
	case "count", "money", "pct", "change", "pp", "int", "num1", "num2", "score", "score2", "date":
		return true
	}
	return false
}

// chartFormat reports whether name is a format that makes sense for the
// values of a chart axis (a plain number, not a phrase or a date).
func chartFormat(name string) bool {
	switch name {
	case "count", "money", "pct", "int", "num1", "num2", "score", "score2":
		return true
	}
	return false
}

// Format renders v as a template's {{… | format}} prints it (format "" for the default).
// Tests outside the package compare the figures of a sentence built in SQL with it.
func Format(v any, format string) (string, error) { return formatValue(v, format) }

// formatValue renders one cell value for a reader. An empty format gives the
// default rendering of the value's type. A NULL prints as "—" whatever the
// format; a value of the wrong type for the format is an error.
func formatValue(v any, format string) (string, error) {
	if v == nil {
		return missing, nil
	}
	switch format {
	case "":
		return plainValue(v), nil
	case "date":
		switch d := v.(type) {
		case time.Time:
			return chineseDate(d), nil
		case string:
			t, err := time.Parse(time.DateOnly, d)
			if err != nil {
				return "", fmt.Errorf("format date needs a date, got %q", d)
			}
			return chineseDate(t), nil
		}
		return "", fmt.Errorf("format date needs a date, got %s", describe(v))
	}
	x, ok := toFloat(v)
	if !ok {
		return "", fmt.Errorf("format %s needs a number, got %s", format, describe(v))
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return missing, nil
	}
	switch format {
	case "count":
		return formatCount(x), nil
	case "money":
		return formatMoney(x), nil
	case "pct":
		return formatPct(x), nil
	case "change":
		return formatChange(x), nil
	case "pp":
		return formatPP(x), nil
	case "int":
		return strconv.FormatInt(int64(math.Round(x))+0, 10), nil
	case "num1":
		return fixed(x, 1), nil
	case "num2":
		return fixed(x, 2), nil
	case "score":
		return formatScore(x, 1), nil
	case "score2":
		return formatScore(x, 2), nil
	}
	return "", fmt.Errorf("unknown format %q (known: %s)", format, formatNames)
}

// formatCount renders a count of entities the Chinese way: as is below 1万,
// in 万 with two decimals below 1亿, in 亿 with two decimals above.
func formatCount(x float64) string {
	n := math.Round(x)
	sign, a := splitSign(n)
	if a < 1e4 {
		return sign + strconv.FormatFloat(a, 'f', 0, 64)
	}
	if w := fixed(a/1e4, 2); w != "10000.00" && a < 1e8 {
		return sign + w + "万"
	}
	return sign + fixed(a/1e8, 2) + "亿"
}

// formatMoney renders an amount given in 万元: in 万元 below 1亿元, in 亿元
// from there on, both with two decimals.
func formatMoney(x float64) string {
	sign, a := splitSign(x)
	if w := fixed(a, 2); a < 1e4 && w != "10000.00" {
		return sign + w + "万元"
	}
	return sign + fixed(a/1e4, 2) + "亿元"
}

// formatPct renders a ratio as a percentage with one decimal: 0.1234 → 12.3%.
func formatPct(x float64) string {
	return fixed(x*100, 1) + "%"
}

// formatChange renders a growth ratio as a signed phrase: 增长3.2%, 下降3.2%,
// or 持平 when it rounds to zero.
func formatChange(x float64) string {
	m := fixed(math.Abs(x)*100, 1)
	switch {
	case m == "0.0":
		return "持平"
	case x > 0:
		return "增长" + m + "%"
	default:
		return "下降" + m + "%"
	}
}

// formatPP renders the change of a rate (in ratio units) in percentage
// points: 上升1.2个百分点, 回落1.2个百分点, or 持平 when it rounds to zero.
func formatPP(x float64) string {
	m := fixed(math.Abs(x)*100, 1)
	switch {
	case m == "0.0":
		return "持平"
	case x > 0:
		return "上升" + m + "个百分点"
	default:
		return "回落" + m + "个百分点"
	}
}

// formatScore renders a score (创新积分, 公益指数) cut, not rounded, to the given
// decimals: 59.987 → 59.9. A score is compared with grading thresholds (60分, the stars at
// 80/60/40/20), always on its exact value; cutting keeps every label on the same side of a
// threshold of whole or tenth points as the exact value (59.987 is never shown as 60.0). A
// difference below 1e-9 points from the next step counts as floating-point noise.
func formatScore(x float64, decimals int) string {
	p := math.Pow(10, float64(decimals))
	return fixed(math.Floor(x*p+1e-9)/p, decimals)
}

// fixed formats x with the given decimals and never prints a negative zero.
func fixed(x float64, decimals int) string {
	s := strconv.FormatFloat(x, 'f', decimals, 64)
	if strings.HasPrefix(s, "-") && strings.Trim(s, "-0.") == "" {
		return s[1:]
	}
	return s
}

// splitSign returns "-" and the magnitude for a negative x, "" and x otherwise.
func splitSign(x float64) (string, float64) {
	if x < 0 {
		return "-", -x
	}
	return "", x
}

// chineseDate renders a date as 2025年12月31日.
func chineseDate(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// plainValue renders a value without a format: integers as they are, other
// numbers with at most two decimals, dates in Chinese, booleans as 是/否.
func plainValue(v any) string {
	switch x := v.(type) {
	case nil:
		return missing
	case string:
		return visible(x)
	case bool:
		if x {
			return "是"
		}
		return "否"
	case time.Time:
		return chineseDate(x)
	case float32, float64:
		f, _ := toFloat(x)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return missing
		}
		s := fixed(f, 2)
		if strings.Contains(s, ".") {
			s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		}
		return s
	case *big.Int:
		return x.String()
	}
	if f, ok := toFloat(v); ok {
		if _, isDecimal := v.(interface{ Float64() float64 }); isDecimal {
			return plainValue(f)
		}
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	if x, ok := v.(fmt.Stringer); ok {
		return x.String()
	}
	return fmt.Sprint(v)
}

// toFloat converts any Go number to float64.
func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int8:
		return float64(x), true
	case int16:
		return float64(x), true
	case int32:
		return float64(x), true
	case int64:
		return float64(x), true
	case uint:
		return float64(x), true
	case uint8:
		return float64(x), true
	case uint16:
		return float64(x), true
	case uint32:
		return float64(x), true
	case uint64:
		return float64(x), true
	case float32:
		return float64(x), true
	case float64:
		return x, true
	case *big.Int: // DuckDB HUGEINT, e.g. sum() of a BIGINT column
		if x == nil {
			return 0, false
		}
		f, _ := new(big.Float).SetInt(x).Float64()
		return f, true
	case interface{ Float64() float64 }: // DuckDB DECIMAL (duckdb.Decimal)
		return x.Float64(), true
	}
	return 0, false
}

// describe names the kind of a cell value for an error message.
func describe(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("text %q", x)
	case bool:
		return "a boolean"
	case time.Time:
		return "a date"
	}
	return fmt.Sprintf("%T", v)
}

// visible shows the characters of a text from the data that a reader could not see or that
// would reorder what follows them as escapes (\u202E): control characters and the
// bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069, and the
// marks U+200E, U+200F, U+061C). An enterprise named "甲公司\u202E司公乙" is then shown as
// it is, not as another name. Downloads keep the text as it is (Parquet and Arrow are
// data; CSV is defused separately, see csvText).
func visible(s string) string {
	hidden := func(r rune) bool {
		return unicode.IsControl(r) || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) ||
			r == 0x200E || r == 0x200F || r == 0x061C
	}
	if strings.IndexFunc(s, hidden) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if hidden(r) {
			fmt.Fprintf(&b, "\\u%04X", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
