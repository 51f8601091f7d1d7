package ingest

import (
	"encoding/binary"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// gbkPairs maps a two-byte GBK code (lead 0x81–0xFE, trail 0x40–0xFE) to its UTF-8 bytes,
// packed as length<<24 | bytes, or to 0 where x/text's GB18030 decoder does anything else
// with the pair (a four-byte sequence, an invalid code). Built on first use from x/text, so
// that decodeGBKChunk agrees with it byte for byte.
var (
	gbkPairsOnce sync.Once
	gbkPairs     []uint32
)

func buildGBKPairs() {
	gbkPairs = make([]uint32, 0x7F<<8)
	dec := simplifiedchinese.GB18030.NewDecoder()
	for c0 := 0x81; c0 <= 0xFE; c0++ {
		for c1 := 0x40; c1 <= 0xFE; c1++ {
			if c1 == 0x7F {
				continue
			}
			out, err := dec.Bytes([]byte{byte(c0), byte(c1)})
			if err != nil || len(out) == 0 || len(out) > 3 {
				continue
			}
			r, size := utf8.DecodeRune(out)
			if r == utf8.RuneError || size != len(out) {
				continue
			}
			var v uint32
			for _, b := range out {
				v = v<<8 | uint32(b)
			}
			gbkPairs[(c0-0x80)<<8|c1] = uint32(len(out))<<24 | v
		}
	}
}

// decodeGBKChunk decodes GBK text (ASCII, two-byte codes and 0x80 for €) to UTF-8,
// several times faster than x/text's transformer. It returns false when the chunk holds
// anything else (a GB18030 four-byte sequence, an invalid or cut code): the caller then
// decodes the chunk with x/text.
func decodeGBKChunk(in []byte) ([]byte, bool) {
	gbkPairsOnce.Do(buildGBKPairs)
	out := make([]byte, 0, len(in)+len(in)/2+16)
	i, n := 0, len(in)
	for i < n {
		// ASCII runs, eight bytes at a time.
		j := i
		for j+8 <= n && binary.LittleEndian.Uint64(in[j:])&0x8080808080808080 == 0 {
			j += 8
		}
		for j < n && in[j] < 0x80 {
			j++
		}
		out = append(out, in[i:j]...)
		i = j
		if i >= n {
			break
		}
		c0 := in[i]
		if c0 == 0x80 {
			out = append(out, "€"...)
			i++
			continue
		}
		if c0 == 0xFF || i+1 >= n {
			return nil, false
		}
		v := gbkPairs[int(c0-0x80)<<8|int(in[i+1])]
		if v == 0 {
			return nil, false
		}
		switch v >> 24 {
		case 3:
			out = append(out, byte(v>>16), byte(v>>8), byte(v))
		case 2:
			out = append(out, byte(v>>8), byte(v))
		default:
			out = append(out, byte(v))
		}
		i += 2
	}
	return out, true
}
