package ingest

import (
	"bufio"
	"bytes"
	"io"
	"os"
)

// longLine is the record length from which read_csv needs a larger max_line_size.
const longLine = 1 << 20

// quickScan is the bulk pre-scan of a CSV file that, as most exports are, is free of quotes,
// blank lines and lines of longLine bytes or more: per chunk it counts line ends and commas
// with a few vectorised searches, with no work per record. Such a file has one record per
// line, the header on line 1, and (when the comma count matches) the header's field count
// in every record, which DuckDB's strict read confirms. Any other file is scanned again by
// the quote-aware scanState, which knows every record.
type quickScan struct {
	ok           bool
	why          string // why the file needs the full scan
	lines        int64  // line ends seen
	headerEnded  bool
	headerCommas int64
	dataCommas   int64
	sinceNL      int64   // bytes since the last line end
	tail         [2]byte // the last two bytes seen; the start counts as a line end
	size         int64
}

func newQuickScan() *quickScan { return &quickScan{ok: true, tail: [2]byte{0, '\n'}} }

func (q *quickScan) fail(why string) {
	if q.ok {
		q.ok, q.why = false, why
	}
}

// feed scans the next chunk of the file.
func (q *quickScan) feed(b []byte) {
	if !q.ok || len(b) == 0 {
		return
	}
	if bytes.IndexByte(b, '"') >= 0 {
		q.fail("quotes")
		return
	}
	// A blank line, also across the chunk boundary (the start counts as a line end).
	var edge [4]byte
	k := copy(edge[:2], q.tail[:])
	k += copy(edge[k:], b[:min(2, len(b))])
	if bytes.Contains(edge[:k], []byte("\n\n")) || bytes.Contains(edge[:k], []byte("\n\r\n")) ||
		bytes.Contains(b, []byte("\n\n")) || bytes.Contains(b, []byte("\n\r\n")) {
		q.fail("blank lines")
		return
	}
	rest := b
	if !q.headerEnded {
		j := bytes.IndexByte(b, '\n')
		if j < 0 {
			q.headerCommas += int64(bytes.Count(b, []byte{','}))
			rest = nil
		} else {
			q.headerCommas += int64(bytes.Count(b[:j], []byte{','}))
			q.headerEnded = true
			rest = b[j:]
		}
	}
	q.dataCommas += int64(bytes.Count(rest, []byte{','}))
	q.lines += int64(bytes.Count(b, []byte{'\n'}))
	// Long lines, found block by block: a line within a block is shorter than the block.
	const block = 256 << 10
	for p := 0; p < len(b); p += block {
		blk := b[p:min(p+block, len(b))]
		last := bytes.LastIndexByte(blk, '\n')
		if last < 0 {
			q.sinceNL += int64(len(blk))
			continue
		}
		if q.sinceNL+int64(bytes.IndexByte(blk, '\n')) >= longLine {
			q.fail("a line of 1 MB or more")
			return
		}
		q.sinceNL = int64(len(blk) - last - 1)
	}
	if q.sinceNL >= longLine {
		q.fail("a line of 1 MB or more")
		return
	}
	if len(b) >= 2 {
		q.tail = [2]byte{b[len(b)-2], b[len(b)-1]}
	} else {
		q.tail = [2]byte{q.tail[1], b[0]}
	}
	q.size += int64(len(b))
}

// finish completes res from a quick scan, or reports false when the file needs the full scan.
func (q *quickScan) finish(res *csvScan) bool {
	if !q.ok {
		return false
	}
	if q.size == 0 {
		q.fail("empty")
		return false
	}
	records := q.lines - 1
	if q.tail[1] != '\n' {
		records++ // the last line has no line end
	}
	records = max(records, 0)
	fields := q.headerCommas + 1
	if q.dataCommas != records*(fields-1) {
		q.fail("records with another field count than the header")
		return false
	}
	res.records = records
	res.maxFields = int(fields)
	res.quick = true
	return true
}

// lineText returns the text of the given editor lines (1-based, ascending) of the file at
// path, without the line end: the raw text of rejected records of a quickly scanned file,
// whose record r sits on line r + 2.
func lineText(path string, lines []int64) (map[int64]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := make(map[int64]string, len(lines))
	rd := bufio.NewReaderSize(f, 4<<20)
	buf := make([]byte, 4<<20)
	cur := int64(1) // the line the next byte belongs to
	var pending []byte
	collecting := false
	i := 0
	for i < len(lines) {
		n, rerr := io.ReadFull(rd, buf)
		chunk := buf[:n]
		if !collecting && lines[i] > cur+int64(bytes.Count(chunk, []byte{'\n'})) {
			cur += int64(bytes.Count(chunk, []byte{'\n'}))
		} else {
			for pos := 0; pos < len(chunk) && i < len(lines); {
				if !collecting && cur == lines[i] {
					collecting, pending = true, pending[:0]
				}
				j := bytes.IndexByte(chunk[pos:], '\n')
				if j < 0 {
					if collecting {
						pending = append(pending, chunk[pos:]...)
					}
					break
				}
				if collecting {
					pending = append(pending, chunk[pos:pos+j]...)
					out[lines[i]] = string(bytes.TrimRight(pending, "\r"))
					collecting = false
					i++
				}
				cur++
				pos += j + 1
			}
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			if collecting {
				out[lines[i]] = string(bytes.TrimRight(pending, "\r"))
			}
			break
		}
		if rerr != nil {
			return nil, rerr
		}
	}
	return out, nil
}
