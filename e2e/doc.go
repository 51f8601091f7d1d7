// Package e2e holds bluebook's end-to-end tests: each builds nothing itself but runs the
// bluebook binary, built once by TestMain, on fixture folders in testdata/ (a hand-made
// data folder, projects with the error output expected of them side by side) or on
// generated demo data, and checks what it prints, writes and stores.
//
// `go test -short ./e2e/` skips the slow tests (those that generate demo data or render
// the whole report); `go test ./e2e/ -run TestCheckGolden -update` rewrites the expected
// error output of testdata/check. The tests that need the CLI in-process (a pause hook to
// kill a run at a known point, signals, the preview server) stay in the root package.
package e2e
