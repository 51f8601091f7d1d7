package duck

import (
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/duckdb/duckdb-go/v2"
)

// Type is a DuckDB type a Go function may return.
type Type int

// The result types RegisterTextFunc supports.
const (
	Integer Type = iota // INTEGER; f returns an int, int32 or int64
	Varchar             // VARCHAR; f returns a string
)

// RegisterTextFunc registers the scalar function name(VARCHAR) → result, computed by f
// row by row, on the database of conn (registering again replaces it). DuckDB returns
// NULL for a NULL argument without calling f.
func RegisterTextFunc(conn *sql.Conn, name string, result Type, f func(string) any) error {
	if err := duckdb.RegisterScalarUDF(conn, name, textFunc{result, f}); err != nil {
		return fmt.Errorf("register %s: %w", name, err)
	}
	return nil
}

// textFunc is a scalar function of one VARCHAR.
type textFunc struct {
	result Type
	f      func(string) any
}

// Config implements duckdb.ScalarFunc.
func (t textFunc) Config() duckdb.ScalarFuncConfig {
	in, _ := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	out, _ := duckdb.NewTypeInfo(map[Type]duckdb.Type{Integer: duckdb.TYPE_INTEGER, Varchar: duckdb.TYPE_VARCHAR}[t.result])
	return duckdb.ScalarFuncConfig{InputTypeInfos: []duckdb.TypeInfo{in}, ResultTypeInfo: out}
}

// Executor implements duckdb.ScalarFunc.
func (t textFunc) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: func(values []driver.Value) (any, error) {
		s, _ := values[0].(string)
		return t.f(s), nil
	}}
}

var _ duckdb.ScalarFunc = textFunc{}
