// Package ingest loads the source files of a data folder into DuckDB.
package ingest
