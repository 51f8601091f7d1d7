package duck

import (
	"fmt"
	"math/big"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// Plain converts a value the DuckDB driver scanned into nil, bool, int64, float64, string
// or time.Time: small and unsigned integers widen to int64, HUGEINT (*big.Int) stays an
// int64 when it fits and becomes a float64 otherwise, DECIMAL (duckdb.Decimal) becomes a
// float64, BLOB text a string, and anything else (lists, structs, intervals, UUIDs) its
// printed form.
func Plain(v any) any {
	switch x := v.(type) {
	case nil, bool, int64, float64, string, time.Time:
		return x
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case int:
		return int64(x)
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case uint64:
		return int64(x)
	case float32:
		return float64(x)
	case *big.Int:
		if x.IsInt64() {
			return x.Int64()
		}
		f, _ := new(big.Float).SetInt(x).Float64()
		return f
	case duckdb.Decimal:
		return x.Float64()
	case []byte:
		return string(x)
	default:
		return fmt.Sprint(x)
	}
}
