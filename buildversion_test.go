package main

import (
	"strings"
	"testing"
)

// TestBuildVersion: a development build names itself by its build, so that the run's
// fingerprint changes with a new build (a new build of bluebook is never a no-op).
func TestBuildVersion(t *testing.T) {
	v := buildVersion()
	if !strings.HasPrefix(v, "dev-") || len(v) < len("dev-20060102T150405") {
		t.Errorf("buildVersion() = %q, want dev- and the commit or the executable's build time", v)
	}
}
