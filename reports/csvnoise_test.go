package reports

import "testing"

// TestCSVNumbersWithoutNoise: a CSV cell shows a number as the data have it, without the
// floating-point noise of a sum or a ratio.
func TestCSVNumbersWithoutNoise(t *testing.T) {
	for in, want := range map[float64]string{
		13.200000000000017:   "13.2",
		6.400000000000006:    "6.4",
		12.499999999999995:   "12.5",
		1867.020849:          "1867.020849",
		0.08253590783579035:  "0.0825359078358",
		-0.30000000000000004: "-0.3",
		123456789012:         "123456789012",
		0:                    "0",
	} {
		if got := csvValue(in); got != want {
			t.Errorf("csvValue(%v) = %q, want %q", in, got, want)
		}
	}
}
