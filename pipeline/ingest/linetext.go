package ingest

import (
	"bufio"
	"bytes"
	"io"
	"os"
)

// longLine is the record length from which read_csv needs a larger max_line_size.
const longLine = 1 << 20

// lineText returns the text of the given editor lines (1-based, ascending) of the file at
// path, without the line end: the raw text of rejected records that sit on one line (see
// csvScan.recordText).
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
