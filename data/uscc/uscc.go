// Package uscc implements the unified social credit code (统一社会信用代码) of
// GB 32100-2015 and the organization-code check character of GB 11714 that
// characters 9-17 of a credit code carry.
//
// A credit code has 18 characters: the registration-authority code (1), the
// organization type (2), the GB/T 2260 division code of the registering
// authority (3-8, digits), the organization code (9-17, whose 17th character is
// the GB 11714 check character) and the GB 32100 check character (18).
package uscc

// Alphabet is the 31-character set of a credit code; a character's value is
// its index. The letters I, O, S, V and Z are never used.
const Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// Len is the length of a credit code.
const Len = 18

// weights holds, as bytes, the GB 32100 weights 3^(i-1) mod 31 of characters
// 1-17: 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28.
const weights = "\x01\x03\x09\x1b\x13\x1a\x10\x11\x14\x1d\x19\x0d\x08\x18\x0a\x1e\x1c"

// orgWeights holds, as bytes, the GB 11714 weights 3,7,9,10,5,8,4,2 of the
// first 8 characters of an organization code.
const orgWeights = "\x03\x07\x09\x0a\x05\x08\x04\x02"

// values maps a byte to its value in Alphabet, 0xff for bytes outside it. A
// constant string keeps the lookup table immutable.
const values = "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\xff\xff\xff\xff\xff\xff" +
	"\xff\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\xff\x12\x13\x14\x15\x16\xff\x17\x18\x19\xff\x1a\x1b\xff\x1c\x1d\x1e\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"

// value returns the value of c in Alphabet, or -1 when c is not in it.
func value(c byte) int {
	v := values[c]
	if v == 0xff {
		return -1
	}
	return int(v)
}

// CheckChar returns the GB 32100 check character (the 18th) for the first 17
// characters of a credit code. It returns false when first17 is not 17
// characters long or holds a character outside Alphabet.
func CheckChar(first17 string) (byte, bool) {
	if len(first17) != Len-1 {
		return 0, false
	}
	sum := 0
	for i := 0; i < Len-1; i++ {
		v := values[first17[i]]
		if v == 0xff {
			return 0, false
		}
		sum += int(v) * int(weights[i])
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return Alphabet[c], true
}

// WellFormed reports whether code has 18 characters of Alphabet with digits in
// characters 3-8. It does not verify the check character: a code that is not
// well formed is rejected as bad_uscc by the pipeline, while a well-formed code
// with a wrong check character is only flagged.
func WellFormed(code string) bool {
	if len(code) != Len {
		return false
	}
	for i := 0; i < Len; i++ {
		c := code[i]
		if i >= 2 && i < 8 {
			if c < '0' || c > '9' {
				return false
			}
			continue
		}
		if value(c) < 0 {
			return false
		}
	}
	return true
}

// Valid reports whether code is well formed (see WellFormed) and its 18th
// character is the correct GB 32100 check character.
func Valid(code string) bool {
	if !WellFormed(code) {
		return false
	}
	c, ok := CheckChar(code[:Len-1])
	return ok && c == code[Len-1]
}

// Make returns the credit code made of prefix2 (registration authority and
// organization type, e.g. "91"), division6 (the registering authority's
// GB/T 2260 code) and body9 (the organization code), followed by the check
// character. The parts are not validated: a part of the wrong length or a
// character outside Alphabet yields a code that Valid rejects, with '?' as its
// check character.
func Make(prefix2, division6, body9 string) string {
	b := make([]byte, 0, Len)
	b = append(b, prefix2...)
	b = append(b, division6...)
	b = append(b, body9...)
	c, ok := CheckChar(string(b))
	if !ok {
		c = '?'
	}
	return string(append(b, c))
}

// orgValue returns the GB 11714 value of c: 0-9 for digits and 10-35 for the
// letters A-Z (the full Latin alphabet), or -1 for anything else.
func orgValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return -1
}

// OrgCheckChar returns the GB 11714 check character for the first 8
// characters of an organization code (characters 9-16 of a credit code): a
// digit or 'X'. It returns 0 when first8 is not 8 characters of 0-9 and A-Z.
func OrgCheckChar(first8 string) byte {
	if len(first8) != 8 {
		return 0
	}
	sum := 0
	for i := 0; i < 8; i++ {
		v := orgValue(first8[i])
		if v < 0 {
			return 0
		}
		sum += v * int(orgWeights[i])
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

// OrgValid reports whether body9, characters 9-17 of a credit code, ends with
// its correct GB 11714 check character.
func OrgValid(body9 string) bool {
	if len(body9) != 9 {
		return false
	}
	c := OrgCheckChar(body9[:8])
	return c != 0 && c == body9[8]
}
