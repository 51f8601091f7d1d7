package ingest

import (
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/duckdb/duckdb-go/v2"
)

// usccFunc is the name of the scalar function registered by registerFunctions.
const usccFunc = "bluebook_uscc_valid"

// usccAlphabet is the GB 32100 alphabet of credit codes (DOMAIN.md §1), in value order.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccValues maps a byte to its value in usccAlphabet, −1 outside it.
var usccValues = func() (v [256]int8) {
	for i := range v {
		v[i] = -1
	}
	for i := 0; i < len(usccAlphabet); i++ {
		v[usccAlphabet[i]] = int8(i)
	}
	return v
}()

// usccCheckOK reports whether code is 18 characters of the alphabet whose 18th is the
// GB 32100 check character of the first 17: 31 − (Σ wᵢ·vᵢ mod 31), weights 3^(i−1) mod 31.
func usccCheckOK(code string) bool {
	if len(code) != 18 {
		return false
	}
	sum, w := 0, 1
	for i := 0; i < 17; i++ {
		v := usccValues[code[i]]
		if v < 0 {
			return false
		}
		sum += int(v) * w
		w = w * 3 % 31
	}
	return usccAlphabet[(31-sum%31)%31] == code[17]
}

// usccUDF is bluebook_uscc_valid(code VARCHAR) → BOOLEAN (NULL for NULL): usccCheckOK in
// Go, several times cheaper than the 17 weighted terms in SQL it replaces.
type usccUDF struct{}

// Config implements duckdb.ScalarFunc.
func (usccUDF) Config() duckdb.ScalarFuncConfig {
	in, _ := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	out, _ := duckdb.NewTypeInfo(duckdb.TYPE_BOOLEAN)
	return duckdb.ScalarFuncConfig{InputTypeInfos: []duckdb.TypeInfo{in}, ResultTypeInfo: out}
}

// Executor implements duckdb.ScalarFunc.
func (usccUDF) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: func(values []driver.Value) (any, error) {
		s, _ := values[0].(string)
		return usccCheckOK(s), nil
	}}
}

// registerFunctions registers the scalar functions the rules use on the database of conn
// (registering again replaces them).
func registerFunctions(conn *sql.Conn) error {
	if err := duckdb.RegisterScalarUDF(conn, usccFunc, usccUDF{}); err != nil {
		return fmt.Errorf("ingest: register %s: %w", usccFunc, err)
	}
	return nil
}
