package reports

import (
	"strings"
)

// Placeholders are the names that stand for "no real category": 其他, 未知, 未注明 and
// the like. A ranked table or chart never ranks them (docs/methodology.md §9): they come
// last, after the ranked rows, under a rule line, without a rank number. The renderer
// enforces this for every table and chart, so a chapter cannot get it wrong.

// placeholderNames are the exact names of placeholder categories.
var placeholderNames = map[string]bool{
	"其他": true, "未知": true, "未注明": true, "未能划型": true, "不详": true,
	"未分类": true, "未填报": true, "未登记": true, "—": true,
}

// isPlaceholder reports whether a category name is a placeholder: one of
// placeholderNames, or a name starting with 其他 (其他区县, 其他地区, 其他渠道).
func isPlaceholder(name string) bool {
	name = strings.TrimSpace(name)
	return placeholderNames[name] || strings.HasPrefix(name, "其他")
}

// placeholdersLast returns the positions 0..n-1 reordered so that the positions
// whose name is a placeholder come last, each group in its order, and the
// number of real (non-placeholder) positions.
func placeholdersLast(n int, name func(i int) string) (order []int, real int) {
	var tail []int
	for i := range n {
		if isPlaceholder(name(i)) {
			tail = append(tail, i)
			continue
		}
		order = append(order, i)
	}
	real = len(order)
	return append(order, tail...), real
}

// isRankColumn reports whether a table column holds ranks: named rank or
// *_rank, or headed 排名, 序号 or 名次.
func isRankColumn(name, header string) bool {
	h := strings.TrimSpace(header)
	return name == "rank" || strings.HasSuffix(name, "_rank") || h == "排名" || h == "序号" || h == "名次"
}

// reranked gives the rank of a real row once the placeholder rows are left
// out of the ranking: its rank less the number of placeholders ranked before
// it. Ties (the same rank) stay ties, and a ranking without placeholders is
// unchanged.
func reranked(rank float64, placeholderRanks []float64) float64 {
	n := 0.0
	for _, p := range placeholderRanks {
		if p >= 1 && p < rank { // a placeholder without a rank (-1) moves nobody
			n++
		}
	}
	return rank - n
}
