package uscc

import (
	"strings"
	"testing"
)

// domainExamples are published credit codes whose check characters (GB 32100 and GB 11714,
// see docs/domain.md) were recomputed by hand.
var domainExamples = []struct {
	code      string
	valid     bool // 18th character correct
	orgValid  bool // GB 11714 check of characters 9-17 correct
	wantCheck byte // the correct 18th character
}{
	{"914403001922038216", true, true, '6'},
	{"91330100799655058B", true, true, 'B'},
	{"9144030071526726XG", true, true, 'G'},
	{"91310000741627329A", true, true, 'A'},
	{"91440101MA5CJQ4N59", true, true, '9'},
	{"91350203M0001QAY9B", false, true, '9'},
}

func TestDomainExamples(t *testing.T) {
	for _, tc := range domainExamples {
		t.Run(tc.code, func(t *testing.T) {
			if got := Valid(tc.code); got != tc.valid {
				t.Errorf("Valid(%q) = %v, want %v", tc.code, got, tc.valid)
			}
			if !WellFormed(tc.code) {
				t.Errorf("WellFormed(%q) = false, want true", tc.code)
			}
			c, ok := CheckChar(tc.code[:17])
			if !ok || c != tc.wantCheck {
				t.Errorf("CheckChar(%q) = %q, %v, want %q, true", tc.code[:17], c, ok, tc.wantCheck)
			}
			if got := OrgValid(tc.code[8:17]); got != tc.orgValid {
				t.Errorf("OrgValid(%q) = %v, want %v", tc.code[8:17], got, tc.orgValid)
			}
			if got := OrgCheckChar(tc.code[8:16]); got != tc.code[16] {
				t.Errorf("OrgCheckChar(%q) = %q, want %q", tc.code[8:16], got, tc.code[16])
			}
			if tc.valid {
				if got := Make(tc.code[:2], tc.code[2:8], tc.code[8:17]); got != tc.code {
					t.Errorf("Make = %q, want %q", got, tc.code)
				}
			}
		})
	}
}

func TestOrgCheckChar(t *testing.T) {
	tests := []struct {
		first8 string
		want   byte
	}{
		{"74162732", '9'}, // Shanghai BYD 74162732-9 (an old organisation code)
		{"19220382", '1'},
		{"79965505", '8'},
		{"71526726", 'X'},
		{"MA5CJQ4N", '5'},
		{"M0001QAY", '9'},
		{"7416273", 0},   // too short
		{"7416273a", 0},  // lower case
		{"741627-3", 0},  // punctuation
		{"741627329", 0}, // too long
	}
	for _, tc := range tests {
		if got := OrgCheckChar(tc.first8); got != tc.want {
			t.Errorf("OrgCheckChar(%q) = %q, want %q", tc.first8, got, tc.want)
		}
	}
}

func TestWellFormed(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"914403001922038216", true},
		{"91350203M0001QAY9B", true},   // wrong check character, still well formed
		{"91440300192203821", false},   // 17 characters
		{"9144030019220382160", false}, // 19 characters
		{"", false},
		{"9144030O1922038216", false}, // letter O among the division digits
		{"91440300192203821O", false}, // letter O
		{"91440300192203821I", false}, // letter I
		{"91440300192203821S", false}, // letter S
		{"91440300192203821V", false}, // letter V
		{"91440300192203821Z", false}, // letter Z
		{"9144030019220382l6", false}, // lower case
		{"9144A300192203821B", false}, // letter in characters 3-8
		{"91440300 922038216", false}, // space
		{"Y1440300MA5CJQ4N5X", true},  // authority Y, any check character
	}
	for _, tc := range tests {
		if got := WellFormed(tc.code); got != tc.want {
			t.Errorf("WellFormed(%q) = %v, want %v", tc.code, got, tc.want)
		}
	}
}

func TestValidRejectsMalformed(t *testing.T) {
	for _, code := range []string{"", "91440300192203821", "9144030019220382160", "9144030O1922038216", "914403001922038216 "} {
		if Valid(code) {
			t.Errorf("Valid(%q) = true, want false", code)
		}
	}
}

func TestCheckCharRejects(t *testing.T) {
	for _, s := range []string{"", "9144030019220382", "914403001922038216", "9144030019220382O"} {
		if _, ok := CheckChar(s); ok {
			t.Errorf("CheckChar(%q) ok, want false", s)
		}
	}
}

func TestMakeBadParts(t *testing.T) {
	if got := Make("91", "440300", "19220382O"); Valid(got) || got[17] != '?' {
		t.Errorf("Make with letter O = %q, want an invalid code ending in '?'", got)
	}
	if got := Make("91", "4403", "192203821"); Valid(got) {
		t.Errorf("Make with a short division = %q, want an invalid code", got)
	}
}

// TestSingleCharacterChangeCaught changes every character of every valid code,
// to every other character of the alphabet, and expects Valid to fail.
func TestSingleCharacterChangeCaught(t *testing.T) {
	valid := []string{}
	for _, tc := range domainExamples {
		if tc.valid {
			valid = append(valid, tc.code)
		}
	}
	// Also a few codes built by Make, with letters in every non-digit position.
	valid = append(valid,
		Make("92", "990102", "MA0000009"[:8]+string(OrgCheckChar("MA000000"))),
		Make("Y9", "990100", "MAYXWUTRQ"[:8]+string(OrgCheckChar("MAYXWUTR"))),
		Make("51", "990111", "ABCDEFGH"+string(OrgCheckChar("ABCDEFGH"))),
	)
	changes := 0
	for _, code := range valid {
		if !Valid(code) {
			t.Fatalf("setup: %q is not valid", code)
		}
		for i := 0; i < Len; i++ {
			for j := 0; j < len(Alphabet); j++ {
				c := Alphabet[j]
				if c == code[i] {
					continue
				}
				changed := code[:i] + string(c) + code[i+1:]
				changes++
				if Valid(changed) {
					t.Errorf("Valid(%q) = true after changing character %d of %q", changed, i+1, code)
				}
			}
		}
	}
	if changes == 0 {
		t.Fatal("no changes tested")
	}
}

func TestAlphabet(t *testing.T) {
	if len(Alphabet) != 31 {
		t.Fatalf("len(Alphabet) = %d, want 31", len(Alphabet))
	}
	for i := 0; i < len(Alphabet); i++ {
		if value(Alphabet[i]) != i {
			t.Errorf("value(%q) = %d, want %d", Alphabet[i], value(Alphabet[i]), i)
		}
	}
	for _, c := range "IOSVZ" {
		if strings.ContainsRune(Alphabet, c) || value(byte(c)) >= 0 {
			t.Errorf("%q must not be in the alphabet", c)
		}
	}
}

func TestWeights(t *testing.T) {
	w := 1
	for i := 0; i < len(weights); i++ {
		if int(weights[i]) != w {
			t.Errorf("weight of character %d = %d, want 3^%d mod 31 = %d", i+1, weights[i], i, w)
		}
		w = w * 3 % 31
	}
	if len(weights) != Len-1 {
		t.Errorf("len(weights) = %d, want %d", len(weights), Len-1)
	}
}
