package demo

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// maxCols bounds the number of fields of a row.
const maxCols = 16

// row is one CSV record under construction: each field is appended to buf
// and followed by a comma when closed; end records where each field stops. A
// row is reused from record to record so the hot loops do not allocate, and
// when no field needs quoting the buffer is already the CSV line.
type row struct {
	buf []byte
	end [maxCols]int
	n   int
}

// reset empties r.
func (r *row) reset() {
	r.buf = r.buf[:0]
	r.n = 0
}

// close ends the field appended since the previous close.
func (r *row) close() {
	r.end[r.n] = len(r.buf)
	r.n++
	r.buf = append(r.buf, ',')
}

// str appends s as a whole field.
func (r *row) str(s string) {
	r.buf = append(r.buf, s...)
	r.close()
}

// bytes appends b as a whole field.
func (r *row) bytes(b []byte) {
	r.buf = append(r.buf, b...)
	r.close()
}

// field returns field i.
func (r *row) field(i int) []byte {
	start := 0
	if i > 0 {
		start = r.end[i-1] + 1
	}
	return r.buf[start:r.end[i]]
}

// strings returns a copy of the fields of r; used only for the few planted rows.
func (r *row) strings() []string {
	out := make([]string, r.n)
	for i := range out {
		out[i] = string(r.field(i))
	}
	return out
}

// sinkBuffer is the size at which a sink hands its pending output to the file.
const sinkBuffer = 256 << 10

// sink writes the CSV file of one source and counts its lines, so that a
// planted row can be reported by the line a text editor shows (header = 1).
type sink struct {
	source string // e.g. "registry"
	rel    string // path below Options.Dir, slash-separated
	f      *os.File
	enc    io.WriteCloser // the GBK encoder between out and f, or nil
	out    io.Writer      // f or enc
	buf    []byte         // pending output; rows are appended here directly
	line   int64          // lines written so far
	rows   int64          // data rows written so far
	err    error          // the first write error
}

// newSink creates dir/rel and writes its header. With gbk the file is encoded
// in GBK through a streaming encoder.
func newSink(dir, source, rel string, gbk bool, header []string) (*sink, error) {
	path := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create folder of %s: %w", path, err)
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	s := &sink{source: source, rel: rel, f: f}
	var out io.Writer = f
	if gbk {
		s.enc = transform.NewWriter(f, simplifiedchinese.GBK.NewEncoder())
		out = s.enc
	}
	s.out = out
	s.buf = make([]byte, 0, sinkBuffer+4096)
	s.writeStrings(header)
	s.rows = 0 // the header is a line but not a row
	return s, nil
}

// needsQuote reports whether a CSV field must be quoted.
func needsQuote(b []byte) bool {
	return bytes.IndexByte(b, ',') >= 0 || bytes.IndexByte(b, '"') >= 0 ||
		bytes.IndexByte(b, '\n') >= 0 || bytes.IndexByte(b, '\r') >= 0
}

// appendField appends b to dst as a CSV field, quoted when needed.
func appendField(dst, b []byte) []byte {
	if !needsQuote(b) {
		return append(dst, b...)
	}
	dst = append(dst, '"')
	for _, c := range b {
		if c == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, c)
	}
	return append(dst, '"')
}

// endLine counts the line just appended to s.buf and flushes when the buffer
// is full. Write errors are kept for gen.check and finish.
func (s *sink) endLine() {
	s.line++
	s.rows++
	if len(s.buf) >= sinkBuffer {
		s.flush()
	}
}

// flush hands the pending output to the file, keeping the first error.
func (s *sink) flush() {
	if len(s.buf) == 0 {
		return
	}
	if _, err := s.out.Write(s.buf); err != nil && s.err == nil {
		s.err = err
	}
	s.buf = s.buf[:0]
}

// appendRow appends r to dst as one CSV line.
func appendRow(dst []byte, r *row) []byte {
	if r.n == 0 {
		return append(dst, '\n')
	}
	if bytes.Count(r.buf, []byte{','}) == r.n && bytes.IndexByte(r.buf, '"') < 0 &&
		bytes.IndexByte(r.buf, '\n') < 0 && bytes.IndexByte(r.buf, '\r') < 0 {
		// The common case: the only commas are the separators and nothing
		// needs quoting, so the buffer is the line.
		dst = append(dst, r.buf[:len(r.buf)-1]...)
		return append(dst, '\n')
	}
	for i := 0; i < r.n; i++ {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendField(dst, r.field(i))
	}
	return append(dst, '\n')
}

// writeRow writes r as one line.
func (s *sink) writeRow(r *row) {
	s.buf = appendRow(s.buf, r)
	s.endLine()
}

// writeLines writes n complete lines held in b.
func (s *sink) writeLines(b []byte, n int) {
	if len(s.buf)+len(b) > sinkBuffer {
		s.flush()
		if len(b) >= sinkBuffer {
			if _, err := s.out.Write(b); err != nil && s.err == nil {
				s.err = err
			}
			b = nil
		}
	}
	s.buf = append(s.buf, b...)
	s.line += int64(n)
	s.rows += int64(n)
}

// writeStrings writes fields as one line.
func (s *sink) writeStrings(fields []string) {
	b := s.buf
	for i, f := range fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendField(b, []byte(f))
	}
	s.buf = append(b, '\n')
	s.endLine()
}

// finish flushes and closes the file.
func (s *sink) finish() error {
	s.flush()
	err := s.err
	if s.enc != nil {
		if cerr := s.enc.Close(); err == nil {
			err = cerr
		}
	}
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", s.rel, err)
	}
	return nil
}

// abort closes the file after an error elsewhere; its own error is moot.
func (s *sink) abort() {
	if s != nil {
		s.f.Close() //nolint:errcheck // already failing
	}
}
