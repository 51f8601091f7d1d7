package duck

import (
	"context"
	"os"
	"regexp"
	"testing"
)

// TestVersions: the library names itself vX.Y.Z, and go.mod requires the driver by the
// module path DriverVersion looks for. (A library package's test binary carries no
// dependency versions in its build information; the root package's TestVersionFromBuild
// checks DriverVersion against the go.mod pin through `bluebook version`.)
func TestVersions(t *testing.T) {
	t.Parallel()
	mod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(DriverModule) + ` v\S+$`).Match(mod) {
		t.Fatalf("go.mod does not require %s", DriverModule)
	}
	lib, err := LibraryVersion(context.Background(), memDB(t))
	if err != nil || !regexp.MustCompile(`^v\d+\.\d+\.\d+$`).MatchString(lib) {
		t.Errorf("LibraryVersion() = %q, %v", lib, err)
	}
}
