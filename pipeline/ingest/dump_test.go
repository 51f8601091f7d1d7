package ingest

import (
	"fmt"
	"os"
	"testing"
)

func TestDumpSQL(t *testing.T) {
	if os.Getenv("DUMP") == "" {
		t.Skip()
	}
	src := Sources()[2]
	v := buildValidation(src, ruleContext{asOf: asOf()})
	fmt.Println(v.trimmed, v.inner)
	for _, c := range v.checks {
		fmt.Println(c.rule, c.column, c.cond)
	}
	fmt.Println(v.params.args...)
}
