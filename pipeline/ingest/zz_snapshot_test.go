package ingest

import (
	"fmt"
	"os"
	"sort"
	"testing"
	"time"
)

func TestZZSnapshot(t *testing.T) {
	out := os.Getenv("SNAP")
	if out == "" {
		t.Skip()
	}
	f, _ := os.Create(out)
	defer f.Close()
	asOf := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	for _, src := range Sources() {
		for i, fc := range []fileRules{
			{asOf: asOf},
			{asOf: asOf, absent: map[string]bool{"verified": true}, noTrim: true, scaled: map[string]bool{"amount": true, "registered_capital": true}},
			{asOf: asOf, parentSets: map[string]bool{"district_code": true, "chamber_id": true}, badText: true, badExtras: []string{"x"}},
		} {
			ps := &params{}
			v := buildValidation(src, fc, ps)
			fmt.Fprintf(f, "== %s %d\ntrimmed %q\ninner %q\n", src.Name, i, v.trimmed, v.inner)
			for _, c := range v.checks {
				fmt.Fprintf(f, "check %+v\n", c)
			}
			var ks []string
			for k := range v.clean {
				ks = append(ks, k)
			}
			sort.Strings(ks)
			for _, k := range ks {
				fmt.Fprintf(f, "clean %s = %s\n", k, v.clean[k])
			}
			fmt.Fprintf(f, "args %q\n", ps.args)
		}
		fmt.Fprintf(f, "rowsDDL %s\ncleanView %s\nrawView %s\nparentFlagsSet %s\nflagCondition %s\ndupOrder %s\nparents %q\nstored %+v\n",
			rowsDDL(src, "t", "VARCHAR", true), cleanView(src), rawView(src), parentFlagsSet(src, "T", true), flagCondition(src), dupOrder(src), parentsOf(src.Name), storedColumns(src))
	}
	f.Write(ContractDoc())
}
