package reports

import "regexp"

var echartsVersionRe = regexp.MustCompile(`version="(\d+\.\d+\.\d+)"`)

// EChartsVersion is the version of the ECharts carried in the binary, read from the
// library itself (npm's lockfile pins it).
func EChartsVersion() string {
	if m := echartsVersionRe.FindStringSubmatch(echartsJS); m != nil {
		return m[1]
	}
	return "unknown"
}
