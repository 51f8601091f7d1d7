// Package queries holds the analysts' SQL models, seeds and checks that bluebook ships.
// At run time bluebook reads the project's own queries/ folder from disk; these embedded
// copies are the defaults used when a project has none, and what `bluebook init` writes.
package queries

import (
	"embed"
	"io/fs"
)

//go:embed *.md */*.sql seeds/*.csv
var files embed.FS

// FS returns the shipped queries.
func FS() fs.FS { return files }
