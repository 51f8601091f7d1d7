package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"bluebook/diag"
)

// lineBreak records that from data record rec on, the editor line is rec + 2 + delta
// (the header being line 1). Blank lines and quoted newlines make delta grow.
type lineBreak struct {
	rec   int64
	delta int64
}

// csvScan is what one pass over a CSV file learns before DuckDB reads it.
type csvScan struct {
	sum         func() (string, error) // the file's SHA-256, waited for (computed while the file loads)
	bytes       int64                  // size of the input file
	encoding    string                 // utf-8, utf-8-bom, gbk, gb18030
	readPath    string                 // the UTF-8 file DuckDB reads: the input, or a transcoded temp copy
	temp        bool                   // readPath is a temp file to remove
	header      []string
	records     int64              // data records (header and blank lines not counted)
	spans       map[int64][2]int64 // data records over several lines: start and end offset in readPath
	longest     int64              // the longest record (or header), in bytes
	breaks      []lineBreak
	irregular   string       // why DuckDB cannot split the file ("" = RFC 4180 quoting throughout)
	malformed   []int64      // data records whose field count differs from the header's
	openQuote   int64        // the line of the record whose quoted field is still open at the end of the file (0 = none)
	maxFields   int          // the largest field count of any record
	multiline   bool         // some quoted field holds a line break
	spaces      bool         // some field may begin or end with a space (one sits next to a delimiter, quote or line end)
	quick       bool         // no quote in the file: a record is its line, its fields joined by commas
	limits      Limits       // checked while scanning (a zero field is not checked)
	limitErr    error        // the first limit the file passes: a *diag.Error without its path
	wide        []recordSpan // records longer than limits.FieldChars bytes, whose fields checkFields counts
	crOnly      bool         // lines end with a lone '\r' (classic Mac OS): readPath is a copy with '\n'
	checked     bool         // the whole file was checked as UTF-8, into a copy (see utf8Fixer)
	badText     bool         // some bytes could not be decoded: U+FFFD stands for them, and rejects the row
	badLines    int64        // lines holding such bytes
	firstBad    int64        // the first of them
	detectedBad int64        // the first line of the first megabyte that is not valid UTF-8 (0 = none)
	lastBadSlow int64        // the careful path (loadCSVSlow): the last line found not valid UTF-8
}

// recordSpan is where a record sits in the file read (readPath) and its editor line.
type recordSpan struct{ start, end, line int64 }

// maxLineSize returns the read_csv option max_line_size for the file, 0 for DuckDB's
// default (2 MB). DuckDB reads in buffers of 16 times that size: for a file of 64 MB and
// more, 16 MB (256 MB buffers) loads a third faster (measured on 10⁶ registry rows, 145 MB,
// file-backed); a smaller file reads faster with the default, on more threads. A record
// longer than 1 MB gets twice its length.
func (s *csvScan) maxLineSize() int64 {
	size := int64(0)
	if s.bytes >= 64<<20 {
		size = 16 << 20
	}
	if s.longest >= longLine {
		size = max(size, 4<<20, 2*s.longest)
	}
	return size
}

// lineSizeOption renders a maxLineSize as a read_csv option ("" for the default).
func lineSizeOption(n int64) string {
	if n == 0 {
		return ""
	}
	return ", max_line_size = " + strconv.FormatInt(n, 10)
}

// line returns the editor line of data record rec (0-based).
func (s *csvScan) line(rec int64) int64 {
	var d int64
	for _, b := range s.breaks {
		if b.rec > rec {
			break
		}
		d = b.delta
	}
	return rec + 2 + d
}

// scanState is the quote-aware state machine of a CSV pre-scan. It follows RFC 4180 (a
// quote opens a field only at its start; "" inside quotes is a quote) and counts fields,
// records and physical lines, the way DuckDB's read_csv splits the same bytes.
type scanState struct {
	res        *csvScan
	off        int64 // absolute offset of the next byte
	line       int64 // current physical line, 1-based
	state      int   // 0 normal, 1 inside quotes, 2 just after a closing quote
	fieldStart bool
	commas     int
	inRec      bool
	recStart   int64
	recLine    int64
	seenHeader bool
	nfields    int
	lastDelta  int64
	prev       byte // the byte before the next chunk
	bulk       bool // feedLines may take chunks whole
}

// newScanState starts the scan of a file into res; bulk lets feedLines take runs of lines whole.
func newScanState(res *csvScan, bulk bool) *scanState {
	return &scanState{res: res, line: 1, fieldStart: true, prev: '\n', bulk: bulk}
}

// edgeByte reports whether a space next to c may begin or end a field.
func edgeByte(c byte) bool { return c == ',' || c == '\n' || c == '\r' || c == '"' }

// seeSpaces sets res.spaces when a space in chunk b sits next to a delimiter, a quote or a
// line end: only then can a value need trimming.
func (s *scanState) seeSpaces(b []byte) {
	if s.res.spaces || len(b) == 0 {
		return
	}
	if s.prev == ' ' && edgeByte(b[0]) {
		s.res.spaces = true
		return
	}
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], ' ')
		if j < 0 {
			break
		}
		k := i + j
		before := s.prev
		if k > 0 {
			before = b[k-1]
		}
		if edgeByte(before) || k+1 < len(b) && edgeByte(b[k+1]) {
			s.res.spaces = true
			return
		}
		i = k + 1
	}
	s.prev = b[len(b)-1]
}

const (
	stNormal = iota
	stQuoted
	stAfterQuote
)

// touch starts a record at offset at, unless one is under way.
func (s *scanState) touch(at int64) {
	if !s.inRec {
		s.inRec = true
		s.recStart = at
		s.recLine = s.line
	}
}

// irregular records the first reason DuckDB would split the file differently.
func (s *scanState) irregular(why string) {
	if s.res.irregular == "" {
		s.res.irregular = fmt.Sprintf("line %d: %s", s.line, why)
	}
}

// endRecord closes the record under way, which ends before offset end (a blank line is
// no record): the header, or a data record with its line break if its line is not the
// expected one, its span if it has several lines, and whether its field count is wrong.
func (s *scanState) endRecord(end int64) {
	if !s.inRec {
		s.fieldStart = true
		return
	}
	nf := s.commas + 1
	s.res.maxFields = max(s.res.maxFields, nf)
	s.res.longest = max(s.res.longest, end-s.recStart)
	s.checkRecord(nf, end)
	if !s.seenHeader {
		s.seenHeader = true
		s.nfields = nf
		s.lastDelta = s.recLine - 1
		if s.lastDelta != 0 {
			s.res.breaks = append(s.res.breaks, lineBreak{0, s.lastDelta})
		}
	} else {
		r := s.res.records
		if d := s.recLine - (r + 2); d != s.lastDelta {
			s.res.breaks = append(s.res.breaks, lineBreak{r, d})
			s.lastDelta = d
		}
		if s.line != s.recLine {
			if s.res.spans == nil {
				s.res.spans = map[int64][2]int64{}
			}
			s.res.spans[r] = [2]int64{s.recStart, end}
		}
		if nf != s.nfields {
			s.res.malformed = append(s.res.malformed, r)
		}
		s.res.records++
	}
	s.inRec = false
	s.commas = 0
	s.fieldStart = true
}

// fail records the first limit the file passes, at editor line line.
func (s *scanState) fail(line int64, err error) {
	if s.res.limitErr == nil {
		s.res.limitErr = &diag.Error{Line: int(line), Data: true, Err: err}
	}
}

// checkRecord holds the record under way, of nf fields and ending before offset end, to
// the limits: its field count, its length, and (when it is longer than a field may be) it
// is listed for checkFields.
func (s *scanState) checkRecord(nf int, end int64) {
	l := s.res.limits
	what := "a record"
	if !s.seenHeader {
		what = "a header"
	}
	if l.Columns > 0 && nf > l.Columns {
		s.fail(s.recLine, limitError(fmt.Sprintf("%s of %d fields", what, nf), "max_columns", l.Columns))
	}
	n := end - s.recStart
	if l.LineBytes > 0 && n > l.LineBytes {
		s.failLong(n)
	}
	if l.FieldChars > 0 && n > int64(l.FieldChars) {
		s.res.wide = append(s.res.wide, recordSpan{s.recStart, end, s.recLine})
	}
}

// failLong refuses the record under way, n bytes long so far.
func (s *scanState) failLong(n int64) {
	what := fmt.Sprintf("a record of %d bytes", n)
	if s.line != s.recLine {
		what = fmt.Sprintf("a record of %d bytes over lines %d to %d (a quote left open?)", n, s.recLine, s.line)
	}
	s.fail(s.recLine, limitError(what, "max_line_bytes", s.res.limits.LineBytes))
}

// bulkLimit is the line length from which bulkLines leaves lines to feed: longLine, or
// less when a line that long could pass a limit.
func (s *scanState) bulkLimit() int {
	n := longLine
	if l := s.res.limits.FieldChars; l > 0 {
		n = min(n, l+1)
	}
	if l := s.res.limits.LineBytes; l > 0 {
		n = int(min(int64(n), l+1))
	}
	return n
}

// feedLines scans a chunk that ends with a line end (or ends the file). Where it can, it
// takes a run of lines whole (see bulk); a line with a quote, and the lines of a quoted
// field that holds line breaks, go through feed.
func (s *scanState) feedLines(b []byte) {
	if !s.bulk || !s.seenHeader || len(b) == 0 || b[len(b)-1] != '\n' {
		s.feed(b)
		return
	}
	for len(b) > 0 {
		if s.state == stNormal && !s.inRec {
			run := b
			if q := bytes.IndexByte(b, '"'); q >= 0 {
				run = b[:bytes.LastIndexByte(b[:q], '\n')+1]
			}
			if len(run) > 0 {
				s.bulkLines(run)
				b = b[len(run):]
				continue
			}
		}
		j := bytes.IndexByte(b, '\n')
		s.feed(b[:j+1])
		b = b[j+1:]
	}
}

// bulkLines scans lines with no quote, starting at a record's start. With no blank line,
// no line of longLine bytes or more, and as many commas as its lines have fields by the
// header, each line is one record with the header's field count (read_csv's strict mode
// confirms it), and a few vectorised counts replace the work per record. Else it goes
// through feed.
func (s *scanState) bulkLines(b []byte) {
	if b[0] == '\n' || bytes.HasPrefix(b, []byte("\r\n")) || bytes.Contains(b, []byte("\n\n")) || bytes.Contains(b, []byte("\n\r\n")) {
		s.feed(b)
		return
	}
	lines := int64(bytes.Count(b, []byte{'\n'}))
	if int64(bytes.Count(b, []byte{','})) != lines*int64(s.nfields-1) || hasLongLine(b, s.bulkLimit()) {
		s.feed(b)
		return
	}
	// The records sit on consecutive lines from the current one: one delta for all, which
	// changes here after a record over several lines (or blank lines) before them.
	if d := s.line - (s.res.records + 2); d != s.lastDelta {
		s.res.breaks = append(s.res.breaks, lineBreak{s.res.records, d})
		s.lastDelta = d
	}
	s.res.records += lines
	s.res.maxFields = max(s.res.maxFields, s.nfields)
	s.line += lines
	s.off += int64(len(b))
}

// hasLongLine reports whether chunk b, which starts at a line start, holds a line of
// long bytes or more, found block by block (a line within a block is shorter than it).
func hasLongLine(b []byte, long int) bool {
	block := min(256<<10, long)
	since := 0 // bytes since the last line end
	for p := 0; p < len(b); p += block {
		blk := b[p:min(p+block, len(b))]
		last := bytes.LastIndexByte(blk, '\n')
		if last < 0 {
			since += len(blk)
			if since >= long {
				return true
			}
			continue
		}
		if since+bytes.IndexByte(blk, '\n') >= long {
			return true
		}
		since = len(blk) - last - 1
	}
	return since >= long
}

// feed scans the next chunk of the file.
func (s *scanState) feed(b []byte) {
	if s.res.quick && bytes.IndexByte(b, '"') >= 0 {
		s.res.quick = false
	}
	i, n := 0, len(b)
	for i < n {
		switch s.state {
		case stNormal:
			j := bytes.IndexByte(b[i:], '\n')
			seg := b[i:]
			if j >= 0 {
				seg = b[i : i+j]
			}
			q := bytes.IndexByte(seg, '"')
			pre := seg
			if q >= 0 {
				pre = seg[:q]
			}
			content := pre
			if q < 0 && j >= 0 && len(content) > 0 && content[len(content)-1] == '\r' {
				content = content[:len(content)-1]
			}
			if len(content) > 0 {
				s.touch(s.off + int64(i))
				s.commas += bytes.Count(pre, []byte{','})
				s.fieldStart = pre[len(pre)-1] == ','
			}
			if q >= 0 {
				s.touch(s.off + int64(i))
				if s.fieldStart {
					s.state = stQuoted
				} else {
					s.irregular("a quote inside an unquoted field")
				}
				s.fieldStart = false
				i += q + 1
				continue
			}
			if j < 0 {
				i = n
				continue
			}
			s.endRecord(s.off + int64(i+j))
			s.line++
			i += j + 1
		case stQuoted:
			j := bytes.IndexByte(b[i:], '"')
			seg := b[i:]
			if j >= 0 {
				seg = b[i : i+j]
			}
			if n := int64(bytes.Count(seg, []byte{'\n'})); n > 0 {
				s.line += n
				s.res.multiline = true
			}
			if j < 0 {
				i = n
				continue
			}
			s.state = stAfterQuote
			i += j + 1
		case stAfterQuote:
			c := b[i]
			i++
			switch c {
			case '"':
				s.state = stQuoted
			case ',':
				s.state = stNormal
				s.commas++
				s.fieldStart = true
			case '\n':
				s.state = stNormal
				s.endRecord(s.off + int64(i-1))
				s.line++
			case '\r':
				s.state = stNormal
				s.fieldStart = false
			default:
				s.state = stNormal
				s.fieldStart = false
				s.irregular("text after a closing quote")
			}
		}
	}
	s.off += int64(n)
	// A record too long is refused before its end (a quote left open would make the rest
	// of the file one record).
	if l := s.res.limits.LineBytes; l > 0 && s.inRec && s.off-s.recStart > l {
		s.failLong(s.off - s.recStart)
	}
}

// finish ends the scan at the end of the file.
func (s *scanState) finish() {
	if s.prev == ' ' {
		s.res.spaces = true
	}
	if s.state == stQuoted {
		s.irregular("a quoted field is not closed before the end of the file")
		s.res.openQuote = s.recLine
	}
	s.endRecord(s.off)
}

// scanOptions say how scanCSV reads a file.
type scanOptions struct {
	enc      string                 // the configured encoding ("" = detect)
	tmpDir   string                 // where a UTF-8 copy is written; "" = os.TempDir()
	limits   Limits                 // checked while scanning
	check    bool                   // validate the UTF-8 of the whole file (see utf8Fixer)
	sum      func() (string, error) // the file's hash when known or under way; nil = hash it
	progress func(int64)            // if not nil, told the bytes read
}

// scanCSV scans path for records and lines, and starts hashing it (see csvScan.sum). It
// reads it as the configured encoding or, without one, as detectEncoding says from the
// first megabyte. DuckDB reads a UTF-8 copy, written on the way to a temp file that becomes
// readPath, of a GBK/GB18030 file (transcoded), of a file with lone carriage returns for
// line ends (turned into '\n'), and of a UTF-8 file with invalid sequences (each replaced
// by U+FFFD, and the rows holding one rejected: see csvScan.badText): with o.check, or when
// the first megabyte has one. When the whole file is checked, is detected, its first
// megabyte is plain ASCII and the rest mostly invalid UTF-8, it is read again as GB18030.
func scanCSV(path string, o scanOptions) (res *csvScan, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	res = &csvScan{bytes: st.Size(), readPath: path, limits: o.limits}
	buf := make([]byte, 4<<20)
	n, err := io.ReadFull(f, buf[:1<<20])
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, err
	}
	d := detectEncoding(buf[:n], err != nil)
	res.crOnly, res.detectedBad = d.crOnly, d.badLine
	switch strings.ToLower(strings.ReplaceAll(o.enc, "_", "-")) {
	case "":
		res.encoding = d.enc
	case "utf-8", "utf8":
		res.encoding = "utf-8"
		if d.enc == "utf-8-bom" {
			res.encoding = d.enc
		}
	case "gbk", "cp936":
		res.encoding = "gbk"
	case "gb18030":
		res.encoding = "gb18030"
	default:
		return nil, fmt.Errorf("unknown encoding %q (use utf-8, gbk or gb18030)", o.enc)
	}
	gb := res.encoding == "gbk" || res.encoding == "gb18030"
	res.checked = !gb && (o.check || d.badLine > 0)
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	// The hash reads the file a second time, from the page cache, beside the scan and
	// then beside DuckDB's read: nothing needs it before the file is loaded.
	if o.sum != nil {
		res.sum = o.sum
	} else {
		type hashed struct {
			sum string
			err error
		}
		ch := make(chan hashed, 1)
		go func() {
			h, err := hashFile(path)
			ch <- hashed{h, err}
		}()
		res.sum = sync.OnceValues(func() (string, error) {
			h := <-ch
			return h.sum, h.err
		})
	}
	var w *bufio.Writer
	if gb || res.checked || res.crOnly {
		// Not `tmp, err :=`: the deferred removal must see the function's error, not this
		// one (a full temp folder left the copy behind).
		tmp, terr := os.CreateTemp(o.tmpDir, "bluebook-ingest-*.csv")
		if terr != nil {
			return nil, fmt.Errorf("create a temp file for the UTF-8 copy: %w", terr)
		}
		res.readPath, res.temp = tmp.Name(), true
		defer func() {
			if cerr := tmp.Close(); cerr != nil && err == nil {
				err = cerr
			}
			if err != nil {
				os.Remove(tmp.Name())
			}
		}()
		w = bufio.NewWriterSize(tmp, 1<<20)
	}
	s := newScanState(res, true)
	res.quick = true
	var lines lineAligner
	var read int64
	consume := func(b []byte, in int) error {
		if res.crOnly {
			crToLF(b)
		}
		lines.feed(s, b)
		if res.limitErr != nil {
			return res.limitErr
		}
		s.seeSpaces(b)
		if w != nil {
			if _, err := w.Write(b); err != nil {
				return fmt.Errorf("write the UTF-8 copy: %w", err)
			}
		}
		read += int64(in)
		if o.progress != nil {
			o.progress(read)
		}
		return nil
	}
	eol := byte('\n')
	if res.crOnly {
		eol = '\r'
	}
	var fx utf8Fixer
	switch {
	case gb:
		// x/text decodes an invalid sequence as U+FFFD: the rows holding one are rejected.
		var line int64
		err = decodeGB18030(f, runtime.GOMAXPROCS(0), eol, func(b []byte, in int) error {
			if i := bytes.Index(b, []byte("\uFFFD")); i >= 0 {
				first := line + 1 + int64(bytes.Count(b[:i], []byte{eol}))
				if !res.badText {
					res.badText, res.firstBad = true, first
				}
				for _, l := range bytes.Split(b, []byte{eol}) {
					if bytes.Contains(l, []byte("\uFFFD")) {
						res.badLines++
					}
				}
			}
			line += int64(bytes.Count(b, []byte{eol}))
			return consume(b, in)
		})
	case res.checked:
		err = readChunks(f, buf, func(b []byte) error { return consume(fx.fix(b, false, res.crOnly), len(b)) })
		if err == nil {
			if t := fx.fix(nil, true, res.crOnly); len(t) > 0 {
				err = consume(t, 0)
			}
		}
		res.badText, res.badLines, res.firstBad = fx.invalid > 0, fx.badLines, fx.firstBad
	default:
		err = readChunks(f, buf, func(b []byte) error { return consume(b, len(b)) })
	}
	if err != nil {
		return nil, err
	}
	if w != nil {
		if err := w.Flush(); err != nil {
			return nil, fmt.Errorf("write the UTF-8 copy: %w", err)
		}
	}
	lines.finish(s)
	s.finish()
	if res.limitErr != nil {
		return nil, res.limitErr
	}
	if o.enc == "" && res.checked && d.ascii && fx.invalid > 0 && fx.valid < 4*fx.invalid {
		os.Remove(res.readPath)
		o.enc, o.check, o.sum, o.progress = "gb18030", false, res.sum, nil
		return scanCSV(path, o)
	}
	if err := res.checkFields(); err != nil {
		return nil, err
	}
	if !s.seenHeader {
		return res, nil
	}
	hdr, err := readHeader(res.readPath)
	if err != nil {
		return nil, err
	}
	res.header = hdr
	return res, nil
}

// crToLF turns every carriage return of b into a line feed.
func crToLF(b []byte) {
	for i := bytes.IndexByte(b, '\r'); i >= 0; {
		b[i] = '\n'
		j := bytes.IndexByte(b[i+1:], '\r')
		if j < 0 {
			break
		}
		i += 1 + j
	}
}

// rescan scans the file again record by record (no chunk taken whole, see feedLines): for
// a file whose records read_csv split otherwise than the scan said.
func (s *csvScan) rescan() (*csvScan, error) {
	res := &csvScan{sum: s.sum, bytes: s.bytes, encoding: s.encoding, readPath: s.readPath,
		temp: s.temp, header: s.header, spaces: s.spaces, limits: s.limits, crOnly: s.crOnly,
		checked: s.checked, badText: s.badText, badLines: s.badLines, firstBad: s.firstBad, detectedBad: s.detectedBad}
	st := newScanState(res, false)
	f, err := os.Open(res.readPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := readChunks(f, make([]byte, 4<<20), func(b []byte) error { st.feed(b); return nil }); err != nil {
		return nil, err
	}
	st.finish()
	if res.limitErr != nil {
		return nil, res.limitErr
	}
	return res, nil
}

// checkFields refuses the first field longer than limits.FieldChars characters: only the
// records listed in wide (longer than that in bytes) can hold one, and each is parsed
// again from the file (it is at most limits.LineBytes long).
func (s *csvScan) checkFields() error {
	if len(s.wide) == 0 {
		return nil
	}
	f, err := os.Open(s.readPath)
	if err != nil {
		return err
	}
	defer f.Close()
	for _, w := range s.wide {
		cr := csv.NewReader(io.NewSectionReader(f, w.start, w.end-w.start))
		cr.FieldsPerRecord = -1
		cr.LazyQuotes = true
		rec, err := cr.Read()
		if err != nil && err != io.EOF {
			return fmt.Errorf("line %d: %w", w.line, err)
		}
		for i, v := range rec {
			if overChars(v, s.limits.FieldChars) {
				return &diag.Error{Line: int(w.line), Col: i + 1, Data: true,
					Err: limitError(fmt.Sprintf("a field of %d characters", utf8.RuneCountInString(v)), "max_field_chars", s.limits.FieldChars)}
			}
		}
	}
	s.wide = nil
	return nil
}

// readChunks reads r to its end in chunks of buf's size, handing each to emit.
func readChunks(r io.Reader, buf []byte, emit func([]byte) error) error {
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if err := emit(buf[:n]); err != nil {
				return err
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// lineAligner hands a scanState chunks that end at a line end: the bytes after the last
// line end of a chunk wait for the next one.
type lineAligner struct {
	carry []byte
}

func (a *lineAligner) feed(s *scanState, b []byte) {
	if len(a.carry) > 0 {
		j := bytes.IndexByte(b, '\n')
		if j < 0 {
			a.carry = append(a.carry, b...)
			a.bound(s)
			return
		}
		s.feed(append(a.carry, b[:j+1]...))
		a.carry = a.carry[:0]
		b = b[j+1:]
	}
	last := bytes.LastIndexByte(b, '\n')
	s.feedLines(b[:last+1])
	a.carry = append(a.carry, b[last+1:]...)
	a.bound(s)
}

// bound refuses a line longer than limits.LineBytes while it is carried, so that a file
// without line ends is not held in memory whole.
func (a *lineAligner) bound(s *scanState) {
	if l := s.res.limits.LineBytes; l > 0 && int64(len(a.carry)) > l {
		s.fail(s.line, limitError(fmt.Sprintf("a line of at least %d bytes", len(a.carry)), "max_line_bytes", l))
		a.carry = a.carry[:0]
	}
}

func (a *lineAligner) finish(s *scanState) {
	s.feed(a.carry)
	a.carry = nil
}

// decodeGB18030 decodes a GB18030 (or GBK) stream to UTF-8 on several goroutines and
// hands the decoded chunks to emit in order, with the number of input bytes each came
// from. Chunks are cut after a line end eol ('\n', or '\r' for a file whose lines end with
// it): no GB18030 sequence contains the byte 0x0A or 0x0D, so each chunk decodes on its own. Memory stays bounded (a few chunks per worker).
func decodeGB18030(r io.Reader, workers int, eol byte, emit func(decoded []byte, in int) error) error {
	const chunkSize = 4 << 20
	type job struct {
		in  []byte
		out chan []byte
	}
	jobs := make(chan job)
	queue := make(chan job, 2*workers)
	for i := 0; i < max(workers, 1); i++ {
		go func() {
			for j := range jobs {
				b, ok := decodeGBKChunk(j.in)
				if !ok {
					var err error
					if b, err = simplifiedchinese.GB18030.NewDecoder().Bytes(j.in); err != nil {
						b = nil
					}
				}
				j.out <- b
			}
		}()
	}
	readErr := make(chan error, 1)
	stop := make(chan struct{})
	go func() {
		defer close(queue)
		defer close(jobs)
		var carry []byte
		for {
			buf := make([]byte, len(carry), len(carry)+chunkSize)
			copy(buf, carry)
			n, err := io.ReadFull(r, buf[len(carry):cap(buf)])
			buf = buf[:len(carry)+n]
			eof := err == io.EOF || err == io.ErrUnexpectedEOF
			if err != nil && !eof {
				readErr <- err
				return
			}
			cut := len(buf)
			if !eof {
				if i := bytes.LastIndexByte(buf, eol); i >= 0 {
					cut = i + 1
				}
			}
			carry = append([]byte(nil), buf[cut:]...)
			if cut > 0 {
				j := job{in: buf[:cut], out: make(chan []byte, 1)}
				select {
				case queue <- j:
				case <-stop:
					return
				}
				jobs <- j
			}
			if eof {
				readErr <- nil
				return
			}
		}
	}()
	var emitErr error
	for j := range queue {
		b := <-j.out
		if emitErr != nil {
			continue
		}
		if b == nil && len(j.in) > 0 {
			emitErr = errors.New("cannot decode as GB18030")
		} else {
			emitErr = emit(b, len(j.in))
		}
		if emitErr != nil {
			close(stop)
		}
	}
	if emitErr != nil {
		return emitErr
	}
	return <-readErr
}

// readHeader returns the first record of a UTF-8 CSV file.
func readHeader(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(bufio.NewReader(f))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	rec, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("read the header: %w", err)
	}
	if len(rec) > 0 {
		rec[0] = strings.TrimPrefix(rec[0], "\uFEFF")
	}
	return rec, nil
}

// recordText returns the text of data records recs (0-based) of a scanned file, without
// the line end, for the raw column of the rejects table.
func (s *csvScan) recordText(recs []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(recs))
	var lines []int64
	for _, r := range recs {
		if _, ok := s.spans[r]; !ok {
			lines = append(lines, s.line(r))
		}
	}
	texts, err := lineText(s.readPath, lines)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(s.readPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	for _, r := range recs {
		sp, ok := s.spans[r]
		if !ok {
			out[r] = texts[s.line(r)]
			continue
		}
		b := make([]byte, sp[1]-sp[0])
		if _, err := f.ReadAt(b, sp[0]); err != nil && err != io.EOF {
			return nil, err
		}
		out[r] = string(bytes.TrimRight(b, "\r\n"))
	}
	return out, nil
}
