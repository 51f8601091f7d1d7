// Package ingest loads the source files of a data folder into DuckDB, as the contract in
// docs/sources.md says (generated from Sources and the checks by ContractDoc): one folder
// per source (registry, appeals, innovation, donations required; chambers,
// chamber_activities, chamber_fees, districts optional), every .csv, .xlsx and .parquet
// file in it unioned.
//
// What it leaves behind:
//
//   - raw.<source>_rows: every row read, written once: the canonical columns typed (those
//     mapped onto a closed list as ENUMs, the registry's status and industry division as
//     1-byte codes: see derivedColumns), the flag columns, source_file (an ENUM of the
//     source's file names), the unknown columns (a
//     header that maps to no canonical column, as VARCHAR under its normalised header) and
//     helper columns: _k (NULL for a row that passed every rule, else the index of the check
//     it failed first, 0 for a duplicate that lost), _base (see below) and _text, NULL on
//     almost every row, else the list of the row's line (see below), its offending value and
//     its original text where it is at hand. (Text columns cost to write even when empty:
//     see helperDDL and createRowsTable.)
//   - main.<source>: the clean table, a view of the rows that passed: the canonical columns
//     typed, the flag columns, source_file and source_line; CreateEmpty gives its exact schema
//     (testdata/schema.golden).
//   - raw.<source>: a view of every row read (the typed values, not the original text, which
//     rejects.raw keeps for the rejected rows), the unknown columns, source_line, source_row,
//     malformed, source_raw, rejected and rejected_value.
//   - rejects, ingest_files (with a note column), ingest_skipped_sheets and ingest_state
//     (the fingerprints of the incremental skip).
//
// How a CSV file is read: one Go pass hashes it, detects its encoding (UTF-8, with or without
// a BOM, else GB18030, a superset of GBK; see detectEncoding and misread), transcodes a GBK
// file to a UTF-8 temp file (in parallel chunks cut at line ends, by a table-driven decoder
// that leaves anything but plain two-byte codes to x/text), writes a UTF-8 file with invalid
// sequences (each as U+FFFD) or with lone carriage returns for line ends to such a copy too,
// holds the file to the Limits, and scans it with a quote-aware state machine for the editor
// line of every record (quoted line breaks and blank lines move it), the byte offset of
// every record (for rejects.raw), the records whose field count differs from the header's,
// and whether any value may need trimming. Then one INSERT … SELECT reads it with DuckDB's
// read_csv, in parallel, every column VARCHAR, and computes per row the trimmed and typed
// values, the flags and the first failing check in the order of the rule table (a CASE
// chain behind one OR of all the checks): the data is written once. CSV files that follow
// each other in name order with the same header are read by one read_csv of them all.
// Records with the wrong field count are read with null_padding (an empty field reads as
// empty text, a padded one as NULL) and marked malformed. Only a file DuckDB would split
// differently (a stray quote inside an unquoted field, a quote left open) is parsed in Go,
// appended to a temp table and inserted through the same SELECT.
//
// How rows are numbered: DuckDB appends rows in the order it reads them (through scans and
// projections; not through joins, so the INSERT has none), so rowid − _base (the rowid of
// the file's first row) is a row's record number and, unless blank lines or quoted line
// breaks move it, rowid − _base + 2 its editor line; no row number is materialised. A file
// with such breaks is read with ordinality (on one thread) and its lines stored in _text,
// as are workbook rows (Sheet1!17) and Parquet rows (1, 2, …). Rowid order is (file, line)
// order, which duplicate resolution uses.
//
// After the files: duplicates are resolved among the rows that passed every other check (an
// UPDATE of _k on the few keys that repeat); the flags that compare with another source
// (orphan, unknown_district, unknown_chamber) are set by one UPDATE, which probes the
// registry with a hash table of the source's codes; the rejects are copied out of the rows
// table and the ledger counted in one aggregate. The rows table is built under a staging
// name and swapped in, with the views, the rejects and the ledger rows, in one short
// transaction, so a failed run leaves a source as the last successful run left it.
//
// Credit codes are checked by a Go scalar function registered on the connection
// (bluebook_uscc_check, for the form and the check character at once): in SQL a regular
// expression and 17 weighted terms cost more than the rest of the registry's rules together.
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
//   - A row holding bytes that cannot be decoded in its file's encoding is rejected as
//     bad_value (column NULL, the first such value shown with U+FFFD), before any other rule
//     but malformed_row: nothing else can be judged on its text.
//   - A file over one of the Limits (field or cell length, columns, record length, workbook
//     size and compression ratio) fails the run as a diag.Error naming the key to raise; it
//     is not loaded in part.
package ingest
