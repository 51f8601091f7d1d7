package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
)

// pdfDestPages reads a PDF that Chromium printed and returns, for each named destination
// (every element a link of the document points to: a chapter, a figure, a table), the
// number of the page it is on, counting from 1. Chromium (Skia) writes a classic
// cross-reference table and a /Dests dictionary in the catalog; this reads only that much
// of the format.
func pdfDestPages(path string) (map[string]int, error) {
	pages, _, err := pdfDests(path)
	return pages, err
}

// pdfDests is pdfDestPages with, for each destination, its height on the page in points
// as Chromium writes it: the top of the page's content area is the page's height (841.92
// on A4), and y falls from there.
func pdfDests(path string) (map[string]int, map[string]float64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	r := &pdfReader{data: data, xref: map[int]int{}}
	trailer, err := r.readXref()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	cat, ok := r.resolve(trailer["Root"]).(pdfDict)
	if !ok {
		return nil, nil, fmt.Errorf("%s: no document catalog", path)
	}
	// Number the pages in the order of the page tree.
	pageNo := map[int]int{}
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		ref, ok := v.(pdfRef)
		if !ok || depth > 64 {
			return
		}
		node, _ := r.resolve(ref).(pdfDict)
		if kids, ok := r.resolve(node["Kids"]).(pdfArray); ok {
			for _, k := range kids {
				walk(k, depth+1)
			}
			return
		}
		pageNo[int(ref)] = len(pageNo) + 1
	}
	walk(cat["Pages"], 0)
	if len(pageNo) == 0 {
		return nil, nil, fmt.Errorf("%s: no pages", path)
	}
	out, ys := map[string]int{}, map[string]float64{}
	add := func(name string, v any) {
		if d, ok := r.resolve(v).(pdfDict); ok {
			v = d["D"]
		}
		if arr, ok := r.resolve(v).(pdfArray); ok && len(arr) > 0 {
			if ref, ok := arr[0].(pdfRef); ok && pageNo[int(ref)] > 0 {
				out[name] = pageNo[int(ref)]
				if len(arr) > 3 {
					ys[name], _ = arr[3].(float64)
				}
			}
		}
	}
	if dests, ok := r.resolve(cat["Dests"]).(pdfDict); ok {
		for name, v := range dests {
			add(name, v)
		}
	}
	// PDF 1.2 and later may keep them in a name tree instead.
	if names, ok := r.resolve(cat["Names"]).(pdfDict); ok {
		var tree func(v any, depth int)
		tree = func(v any, depth int) {
			node, ok := r.resolve(v).(pdfDict)
			if !ok || depth > 64 {
				return
			}
			if kv, ok := r.resolve(node["Names"]).(pdfArray); ok {
				for i := 0; i+1 < len(kv); i += 2 {
					if s, ok := kv[i].(pdfString); ok {
						add(string(s), kv[i+1])
					}
				}
			}
			if kids, ok := r.resolve(node["Kids"]).(pdfArray); ok {
				for _, k := range kids {
					tree(k, depth+1)
				}
			}
		}
		tree(names["Dests"], 0)
	}
	return out, ys, nil
}

type (
	pdfDict   map[string]any
	pdfArray  []any
	pdfName   string
	pdfString string
	pdfRef    int
)

type pdfReader struct {
	data []byte
	pos  int
	xref map[int]int // object number → byte offset
}

var errPDF = errors.New("not a PDF this reader understands")

// readXref reads the cross-reference table at startxref (and any /Prev tables) and
// returns the trailer dictionary.
func (r *pdfReader) readXref() (pdfDict, error) {
	i := bytes.LastIndex(r.data, []byte("startxref"))
	if i < 0 {
		return nil, errPDF
	}
	r.pos = i + len("startxref")
	off, ok := r.next().(float64)
	if !ok {
		return nil, errPDF
	}
	var trailer pdfDict
	for seen := 0; seen < 32; seen++ {
		r.pos = int(off)
		r.skipSpace()
		if !bytes.HasPrefix(r.data[r.pos:], []byte("xref")) {
			return nil, fmt.Errorf("%w (a cross-reference stream)", errPDF)
		}
		r.pos += 4
		for {
			r.skipSpace()
			if bytes.HasPrefix(r.data[r.pos:], []byte("trailer")) {
				r.pos += len("trailer")
				break
			}
			first, ok1 := r.next().(float64)
			count, ok2 := r.next().(float64)
			if !ok1 || !ok2 {
				return nil, errPDF
			}
			r.skipSpace()
			for n := 0; n < int(count); n++ {
				if r.pos+18 > len(r.data) {
					return nil, errPDF
				}
				line := r.data[r.pos : r.pos+18]
				o, err := strconv.Atoi(string(line[:10]))
				if err != nil {
					return nil, errPDF
				}
				num := int(first) + n
				if _, dup := r.xref[num]; !dup && line[17] == 'n' {
					r.xref[num] = o
				}
				r.pos += 18
				r.skipSpace()
			}
		}
		t, ok := r.next().(pdfDict)
		if !ok {
			return nil, errPDF
		}
		if trailer == nil {
			trailer = t
		}
		prev, ok := t["Prev"].(float64)
		if !ok {
			break
		}
		off = prev
	}
	return trailer, nil
}

// resolve follows a reference to its object.
func (r *pdfReader) resolve(v any) any {
	for depth := 0; depth < 8; depth++ {
		ref, ok := v.(pdfRef)
		if !ok {
			return v
		}
		off, ok := r.xref[int(ref)]
		if !ok || off >= len(r.data) {
			return nil
		}
		r.pos = off
		r.next() // number
		r.next() // generation
		r.skipSpace()
		if !bytes.HasPrefix(r.data[r.pos:], []byte("obj")) {
			return nil
		}
		r.pos += 3
		v = r.next()
	}
	return nil
}

func (r *pdfReader) skipSpace() {
	for r.pos < len(r.data) {
		switch c := r.data[r.pos]; {
		case c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0:
			r.pos++
		case c == '%':
			for r.pos < len(r.data) && r.data[r.pos] != '\n' && r.data[r.pos] != '\r' {
				r.pos++
			}
		default:
			return
		}
	}
}

func isDelim(c byte) bool {
	return bytes.IndexByte([]byte(" \t\r\n\f\x00()<>[]{}/%"), c) >= 0
}

// next parses one object at r.pos: a number or a reference "n g R", a name, a string,
// an array, a dictionary, or a keyword (returned as nil).
func (r *pdfReader) next() any {
	r.skipSpace()
	if r.pos >= len(r.data) {
		return nil
	}
	switch c := r.data[r.pos]; {
	case c == '/':
		start := r.pos + 1
		r.pos++
		for r.pos < len(r.data) && !isDelim(r.data[r.pos]) {
			r.pos++
		}
		return pdfName(unescapeName(r.data[start:r.pos]))
	case c == '<' && r.pos+1 < len(r.data) && r.data[r.pos+1] == '<':
		r.pos += 2
		d := pdfDict{}
		for {
			r.skipSpace()
			if r.pos >= len(r.data) {
				return d
			}
			if bytes.HasPrefix(r.data[r.pos:], []byte(">>")) {
				r.pos += 2
				return d
			}
			k, ok := r.next().(pdfName)
			if !ok {
				return d
			}
			d[string(k)] = r.next()
		}
	case c == '<':
		end := bytes.IndexByte(r.data[r.pos:], '>')
		if end < 0 {
			r.pos = len(r.data)
			return nil
		}
		hex := bytes.Map(func(c rune) rune {
			if c == ' ' || c == '\n' || c == '\r' || c == '\t' {
				return -1
			}
			return c
		}, r.data[r.pos+1:r.pos+end])
		r.pos += end + 1
		if len(hex)%2 == 1 {
			hex = append(hex, '0')
		}
		b := make([]byte, len(hex)/2)
		for i := range b {
			n, _ := strconv.ParseUint(string(hex[2*i:2*i+2]), 16, 8)
			b[i] = byte(n)
		}
		return pdfString(b)
	case c == '[':
		r.pos++
		var a pdfArray
		for {
			r.skipSpace()
			if r.pos >= len(r.data) {
				return a
			}
			if r.data[r.pos] == ']' {
				r.pos++
				return a
			}
			a = append(a, r.next())
		}
	case c == '(':
		r.pos++
		var b []byte
		for depth := 1; r.pos < len(r.data); r.pos++ {
			c := r.data[r.pos]
			if c == '\\' && r.pos+1 < len(r.data) {
				r.pos++
				b = append(b, r.data[r.pos])
				continue
			}
			if c == '(' {
				depth++
			} else if c == ')' {
				if depth--; depth == 0 {
					r.pos++
					break
				}
			}
			b = append(b, c)
		}
		return pdfString(b)
	case c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9'):
		start := r.pos
		for r.pos < len(r.data) && !isDelim(r.data[r.pos]) {
			r.pos++
		}
		f, _ := strconv.ParseFloat(string(r.data[start:r.pos]), 64)
		// "n g R" is a reference.
		save := r.pos
		r.skipSpace()
		gstart := r.pos
		for r.pos < len(r.data) && r.data[r.pos] >= '0' && r.data[r.pos] <= '9' {
			r.pos++
		}
		if r.pos > gstart {
			r.skipSpace()
			if r.pos < len(r.data) && r.data[r.pos] == 'R' && (r.pos+1 == len(r.data) || isDelim(r.data[r.pos+1])) {
				r.pos++
				return pdfRef(int(f))
			}
		}
		r.pos = save
		return f
	default:
		start := r.pos
		for r.pos < len(r.data) && !isDelim(r.data[r.pos]) {
			r.pos++
		}
		if r.pos == start {
			r.pos++ // a stray delimiter
		}
		return nil
	}
}

// unescapeName decodes the #xx escapes of a PDF name.
func unescapeName(b []byte) string {
	if bytes.IndexByte(b, '#') < 0 {
		return string(b)
	}
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] == '#' && i+2 < len(b) {
			if n, err := strconv.ParseUint(string(b[i+1:i+3]), 16, 8); err == nil {
				out = append(out, byte(n))
				i += 2
				continue
			}
		}
		out = append(out, b[i])
	}
	return string(out)
}
