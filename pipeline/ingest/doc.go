// Package ingest loads the source files of a data folder into DuckDB, as the contract in
// shared/docs/SOURCES.md says: one folder per source (registry, appeals, innovation,
// donations required; chambers, chamber_activities, chamber_fees, districts optional),
// every .csv, .xlsx and .parquet file in it unioned.
//
// What it leaves behind:
//
//   - raw.<source>: every column as VARCHAR under its canonical name (a header that maps to
//     no canonical column is kept under its normalised header), then source_file,
//     source_line, source_row (order within the file), malformed and source_raw (the
//     original row, for workbook, Parquet and irregular CSV rows).
//   - main.<source>: the clean table, canonical columns typed, flag columns, source_file and
//     source_line; CreateEmpty gives its exact schema (testdata/schema.golden).
//   - rejects, ingest_files (with a note column), ingest_skipped_sheets and ingest_state
//     (the fingerprints of the incremental skip).
//
// How a CSV file is read: one Go pass hashes it, detects its encoding (UTF-8, with or without
// a BOM, else GB18030, a superset of GBK), transcodes a GBK file to a UTF-8 temp file (in
// parallel chunks cut at line ends), and scans it with a quote-aware state machine for the
// editor line of every record (quoted line breaks and blank lines move it), the byte offset
// of every record (for rejects.raw) and the records whose field count differs from the
// header's. DuckDB's read_csv then reads the file in parallel, every column VARCHAR, with
// ordinality giving the record number; records with the wrong field count are read with
// null_padding and marked malformed. Only a file DuckDB would split differently (a stray
// quote inside an unquoted field, a quote left open) is parsed in Go and appended.
//
// How the rules run: one INSERT … SELECT over raw.<source> computes, per row, the trimmed
// and typed values, the flags, and the first failing check in the order of the rule
// table (a CASE chain); duplicates are resolved afterwards among the rows that passed every
// other check (an UPDATE on the few keys that repeat); the rejected rows are copied to
// rejects, then deleted from the clean table. The new tables are built under staging names
// and swapped in with the rejects and ledger rows in one short transaction, so a failed run
// leaves a source as the last successful run left it.
//
// Decisions the contract leaves open:
//
//   - A malformed row is rejected as malformed_row before any other rule: its fields are not
//     where the header says, so no other rule can be judged on it.
//   - future_date applies to every date and timestamp column (a timestamp by its date), not
//     only to registry.established_on.
//   - bad_uscc applies to the registry's credit codes only; in other sources a malformed
//     code simply finds no registry row and is flagged orphan.
//   - Closed lists without a fallback are rejected as unknown_value: registry.ownership,
//     registry.specialized_level, appeals.satisfaction. An empty category or program is
//     replaced by 其他 and flagged like any other value outside the list.
//   - An empty status becomes other. Numbers may carry thousands separators (1,234.5).
//   - The duplicate reject of (uscc, year) names column "uscc,year" and value "<uscc>,<year>".
//   - Parquet rows have line numbers 1, 2, … (there is no header line).
package ingest
