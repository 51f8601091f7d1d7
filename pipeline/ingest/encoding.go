package ingest

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"bluebook/diag"
)

// detection is what the first megabyte of a CSV file says of its encoding.
type detection struct {
	enc     string // utf-8, utf-8-bom or gb18030
	badLine int64  // the first line of the sample that is not valid UTF-8; 0 when none
	ascii   bool   // the sample has no byte of 0x80 or more
	crOnly  bool   // lines end with a lone carriage return (classic Mac OS): no '\n' in the sample
}

// detectEncoding names the encoding of a file from its first bytes: utf-8-bom; utf-8 when
// they are valid UTF-8, or when their invalid sequences are few beside the valid
// multi-byte characters (a UTF-8 file with a few broken bytes, whose rows with them are
// rejected: see utf8Fixer); else gb18030, a superset of GBK (GBK text read as UTF-8 is
// mostly invalid sequences).
func detectEncoding(sample []byte, atEOF bool) detection {
	d := detection{crOnly: bytes.IndexByte(sample, '\n') < 0 && bytes.IndexByte(sample, '\r') >= 0}
	if bytes.HasPrefix(sample, []byte("\xEF\xBB\xBF")) {
		d.enc = "utf-8-bom"
	}
	if !atEOF {
		// Do not hold a character cut at the end of the sample against the file.
		for k := 0; k < utf8.UTFMax && len(sample) > 0; k++ {
			r, _ := utf8.DecodeLastRune(sample)
			if r != utf8.RuneError {
				break
			}
			sample = sample[:len(sample)-1]
		}
	}
	d.ascii = true
	for _, c := range sample {
		if c >= 0x80 {
			d.ascii = false
			break
		}
	}
	if d.ascii || utf8.Valid(sample) {
		if d.enc == "" {
			d.enc = "utf-8"
		}
		return d
	}
	var fx utf8Fixer
	fx.fix(sample, true, d.crOnly)
	d.badLine = fx.firstBad
	if d.enc == "" {
		d.enc = "gb18030"
		if fx.valid >= 4*fx.invalid {
			d.enc = "utf-8"
		}
	}
	return d
}

// utf8Fixer replaces every invalid UTF-8 sequence of a stream with U+FFFD (so that DuckDB
// reads the file, and the rows holding one are rejected as bad_value: see
// fileRules.badText) and counts them, with their lines.
type utf8Fixer struct {
	tail     []byte // an incomplete sequence at the end of the last chunk
	line     int64  // lines ended so far
	valid    int64  // multi-byte characters
	invalid  int64  // invalid sequences
	badLines int64  // lines holding one
	firstBad int64  // the first such line
	lastBad  int64
	out      []byte
}

// fix returns chunk b with its invalid sequences replaced; the bytes of a character cut at
// its end wait for the next chunk unless final. eolCR counts lines by '\r' instead of '\n'.
// The result is valid until the next call.
func (f *utf8Fixer) fix(b []byte, final, eolCR bool) []byte {
	data := b
	if len(f.tail) > 0 {
		data = append(f.tail, b...)
		f.tail = nil
	}
	if !final {
		j := len(data) - 1
		for j > 0 && len(data)-j < utf8.UTFMax && !utf8.RuneStart(data[j]) {
			j--
		}
		if j >= 0 && j < len(data) && !utf8.FullRune(data[j:]) {
			f.tail = append([]byte(nil), data[j:]...)
			data = data[:j]
		}
	}
	eol := byte('\n')
	if eolCR {
		eol = '\r'
	}
	out := f.out[:0]
	start := 0   // data[start:i] is not in out yet
	counted := 0 // the line ends of data[:counted] are counted
	for i := 0; i < len(data); {
		for i+8 <= len(data) && binary.LittleEndian.Uint64(data[i:])&0x8080808080808080 == 0 {
			i += 8
		}
		if i >= len(data) {
			break
		}
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r != utf8.RuneError || size > 1 {
			f.valid++
			i += size
			continue
		}
		f.line += int64(bytes.Count(data[counted:i], []byte{eol}))
		counted = i
		f.invalid++
		if line := f.line + 1; line != f.lastBad {
			f.badLines++
			f.lastBad = line
			if f.firstBad == 0 {
				f.firstBad = line
			}
		}
		out = append(out, data[start:i]...)
		out = append(out, "\uFFFD"...)
		i++
		start = i
	}
	f.line += int64(bytes.Count(data[counted:], []byte{eol}))
	if start == 0 {
		return data // nothing replaced
	}
	out = append(out, data[start:]...)
	f.out = out
	return out
}

// validUTF8 returns s with each byte that is not part of a valid UTF-8 sequence replaced by
// U+FFFD, as utf8Fixer does.
func validUTF8(s string) string {
	return strings.Map(func(r rune) rune { return r }, s)
}

// headerAs returns the first record of the file at path decoded as enc (utf-8: invalid
// sequences replaced; gb18030), reading at most limit bytes; eolCR reads lines ended by '\r'.
func headerAs(path, enc string, limit int64, eolCR bool) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	eol := byte('\n')
	if eolCR {
		eol = '\r'
	}
	line, err := bufio.NewReaderSize(io.LimitReader(f, limit), 64<<10).ReadSlice(eol)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	line = bytes.TrimPrefix(line, []byte("\xEF\xBB\xBF"))
	switch enc {
	case "gb18030":
		if line, err = simplifiedchinese.GB18030.NewDecoder().Bytes(line); err != nil {
			return nil, err
		}
	default:
		line = bytes.ToValidUTF8(line, []byte("\uFFFD"))
	}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimRight(line, "\r\n")))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	return cr.Read()
}

// encodingName is how messages name an encoding.
func encodingName(enc string) string {
	switch enc {
	case "gb18030", "gbk":
		return "GBK/GB18030"
	}
	return "UTF-8"
}

// misread tells a header that lacks a required column because the file was decoded in the
// wrong encoding from one that really lacks it. Given the mapping error of the header as
// read in sc.encoding, it decodes the header the other way: when that maps, the result
// names the encoding to use (declared: the [encoding] key is wrong; detected: the caller
// reads the file again in it). Otherwise it returns the mapping error, saying how the file
// was read when detection chose GB18030.
func misread(src Source, fl *fileLoad, declared string, sc *csvScan, mapErr error) (other string, err error) {
	gb := sc.encoding == "gb18030" || sc.encoding == "gbk"
	other = "gb18030"
	if gb {
		other = "utf-8"
	}
	hdr, herr := headerAs(fl.abs, other, max(sc.limits.LineBytes, 1<<20), sc.crOnly)
	if herr == nil {
		if _, e := mapHeader(src, fl.rel, "", 1, hdr); e == nil {
			if declared == "" {
				return other, nil
			}
			return "", &diag.Error{Path: fl.rel, Line: 1, Col: 1, Data: true, Err: fmt.Errorf(
				"the header reads as %s, not as %s: encoding.%s = %q in bluebook.toml does not fit this file (set it to %q, or remove it to detect the encoding); read as %s, %v",
				encodingName(other), encodingName(sc.encoding), src.Name, declared, other, encodingName(sc.encoding), withoutPlace(mapErr))}
		}
	}
	if gb && declared == "" && sc.detectedBad > 0 {
		var fe *diag.Error
		if errors.As(mapErr, &fe) {
			fe.Err = fmt.Errorf("%w (the file was read as GBK/GB18030: line %d is not valid UTF-8)", fe.Err, sc.detectedBad)
		}
	}
	return "", mapErr
}

// withoutPlace is the message of err without its position.
func withoutPlace(err error) error {
	var fe *diag.Error
	if errors.As(err, &fe) {
		return fe.Err
	}
	return err
}

// badTextNote is the ingest_files note of a file with undecodable lines.
func badTextNote(sc *csvScan) string {
	if sc.badLines == 0 {
		return ""
	}
	s := "s"
	if sc.badLines == 1 {
		s = ""
	}
	return fmt.Sprintf("%d line%s not valid %s (first: line %d), rejected as bad_value", sc.badLines, s, strings.ToUpper(strings.TrimSuffix(sc.encoding, "-bom")), sc.firstBad)
}
