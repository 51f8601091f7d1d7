package ingest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maskFunc is the name of the scalar function that masks an appeal's text at ingest
// (docs/text-analysis.md): the clean column appeals.content_masked is maskText(content), written
// once per appeal when its file is read, and the only appeal text models may read.
const maskFunc = "bluebook_mask"

// maskToken replaces every piece of personal data; adjacent pieces become one token.
const maskToken = "〔已遮蔽〕"

// honorifics are the titles that, after a surname of 1-2 Han characters, name a person.
var honorifics = [][]rune{[]rune("先生"), []rune("女士"), []rune("小姐"), []rune("经理"), []rune("老板"), []rune("师傅"), []rune("总")}

// notTitleAfterZong are the characters that, right after 总, make a word (总额, 总量, 总部 …)
// rather than the title of a person (王总): 融资总额 must not lose 融资 to the mask.
const notTitleAfterZong = "额量数计体共部投包价和值成规结之算要局署站线则账"

// notSurname are characters a name does not start on: the last character of a word that
// comes before a name (联系人, 负责人, 工作人员, 项目部, 公司, 银行的 …) and function words (找, 请,
// 据, 这位 …), none of them a common surname. The surname + honorific rule takes two characters
// before an honorific only when the first is not one of these, so 联系人王先生 keeps 联系人 and
// masks 王先生. The price: a full name of a surname among these and a one-character given
// name (部华先生) keeps its surname visible; the given name and the title are masked.
const notSurname = "人员部司处科室局厂店的位是找给请让叫问称说与跟被把据"

// compoundSurnames start with a character of notSurname and are surnames all the same.
var compoundSurnames = []string{"司马", "司徒", "司空", "司寇"}

// foldWidth maps a full-width ASCII form (０-９, Ａ-Ｚ, ＠, －, ＊ …) to its ASCII character
// and the ideographic space to a space; any other rune is returned unchanged.
func foldWidth(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == 0x3000:
		return ' '
	}
	return r
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isAlnum(r rune) bool { return isDigit(r) || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' }

// isUSCCChar reports whether r (folded, any case) is in the credit-code alphabet.
func isUSCCChar(r rune) bool {
	if r >= 'a' && r <= 'z' {
		r -= 'a' - 'A'
	}
	return r < 128 && usccValues[byte(r)] >= 0
}

// isEmailLocal and isEmailDomain are the characters of the two sides of an e-mail address.
func isEmailLocal(r rune) bool  { return isAlnum(r) || strings.ContainsRune("._%+-", r) }
func isEmailDomain(r rune) bool { return isAlnum(r) || r == '.' || r == '-' }

// isWideLetter reports whether r is a letter or digit beyond ASCII, which an
// internationalised e-mail address may hold.
func isWideLetter(r rune) bool {
	return r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// maskText returns s with its personal data replaced by 〔已遮蔽〕 (docs/text-analysis.md):
//
//   - within a run of letters and digits (half- or full-width; '*' and '-' and single spaces
//     between digits belong to the run, so 151****0203 and 0571-87654321 are one run), the
//     whole run when it contains a mobile number (1[3-9] and 9 digits, the middle four may be
//     starred), a landline (0, 2-3 digits, 7-8 digits: a 0 followed by at least 9 digits once
//     the '-' is dropped), an identity number (17 digits and a digit or X), a bank card
//     (16-19 digits) or a credit code (18 characters of its alphabet). A run is masked whole:
//     a number inside a longer number (+86 139…, an account number with a prefix) is gone
//     with the digits around it, so no fragment of it survives;
//   - e-mail addresses;
//   - a name after a label and a colon (联系人：王小明): 2-4 Han characters followed by a
//     character that is not Han, or by the end;
//   - a surname with an honorific: 1-2 Han characters followed by 先生, 女士, 小姐, 总, 经理,
//     老板 or 师傅, as the regular expression \p{Han}{1,2}(先生|…) finds them from the left
//     (so 2 characters when both are Han), except that two characters never start on one of
//     notSurname (联系人王先生 → 联系人〔已遮蔽〕, not 联系〔已遮蔽〕). 总 followed by a character
//     that makes a word with it (总额, 总量, 总部, see notTitleAfterZong) is not a title.
//
// Text with none of these is returned as it is, without a copy.
func maskText(s string) string {
	if !mayNeedMask(s) {
		return s
	}
	rs := []rune(s)
	f := make([]rune, len(rs))
	for i, r := range rs {
		f[i] = foldWidth(r)
	}
	masked := make([]bool, len(rs))
	any := false
	mark := func(from, to int) {
		for k := from; k < to; k++ {
			masked[k] = true
		}
		any = true
	}

	// E-mail addresses, around each '@'.
	for i, r := range f {
		if r != '@' {
			continue
		}
		// An internationalised address (张三@例子.中国) has letters of any script on a side
		// whose character next to the '@' is not ASCII: that side takes them, and may then
		// take Chinese words next to it too (masking more, never less).
		wideLocal := i > 0 && isWideLetter(f[i-1])
		wideDomain := i+1 < len(f) && isWideLetter(f[i+1])
		a := i
		for a > 0 && (isEmailLocal(f[a-1]) || wideLocal && isWideLetter(f[a-1])) {
			a--
		}
		b := i + 1
		for b < len(f) && (isEmailDomain(f[b]) || wideDomain && isWideLetter(f[b])) {
			b++
		}
		if a < i && b > i+1 && strings.ContainsRune(string(f[i+1:b]), '.') {
			mark(a, b)
		}
	}

	// Runs of letters and digits.
	for i := 0; i < len(f); {
		start := i
		if bracketedAreaCode(f, i) {
			i++ // the run starts at the bracket and is scanned from the area code
		} else if !isAlnum(f[i]) && f[i] != '*' {
			i++
			continue
		}
		j := i
		for j < len(f) {
			r := f[j]
			if isAlnum(r) || r == '*' || r == '-' && j+1 < len(f) && (isAlnum(f[j+1]) || f[j+1] == '*') {
				j++
				continue
			}
			if r == ' ' && j > i && isDigit(f[j-1]) && j+1 < len(f) && isDigit(f[j+1]) {
				j++
				continue
			}
			// The closing bracket of an area code, (0571)87654321, between digits.
			if (r == ')' || r == '）') && start < i && j > i && isDigit(f[j-1]) && j+1 < len(f) && isDigit(f[j+1]) {
				j++
				continue
			}
			break
		}
		if runIsPersonal(f[start:j]) {
			mark(start, j)
		}
		i = j
	}

	// A name after a label and a colon (联系人：王小明，): 2-4 Han characters up to the next
	// character that is not Han. Without the colon the characters after such a word are as
	// often the complaint itself (经办人态度差), which must stay readable.
	for i := 0; i < len(f); i++ {
		if f[i] != ':' || i == 0 || !afterNameLabel(rs[:i]) {
			continue
		}
		j := i + 1
		for j < len(f) && f[j] == ' ' {
			j++
		}
		k := j
		for k < len(rs) && k-j <= 4 && isHan(rs[k]) {
			k++
		}
		if n := k - j; n >= 2 && n <= 4 && (k == len(rs) || !isHan(rs[k])) {
			mark(j, k)
		}
	}

	// Surname + honorific, from the left, as \p{Han}{1,2}(先生|女士|…) would match.
	for i := 0; i < len(rs); {
		if !(i+1 < len(rs) && honorificFirst(rs[i+1]) || i+2 < len(rs) && honorificFirst(rs[i+2])) || masked[i] || !isHan(rs[i]) {
			i++
			continue
		}
		n := 0
		if i+1 < len(rs) && !masked[i+1] && isHan(rs[i+1]) && mayStartName(rs, i) {
			if h := honorificAt(rs, masked, i+2); h > 0 {
				n = 2 + h
			}
		}
		if n == 0 {
			if h := honorificAt(rs, masked, i+1); h > 0 {
				n = 1 + h
			}
		}
		if n > 0 {
			mark(i, i+n)
			i += n
			continue
		}
		i++
	}

	if !any {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(rs); i++ {
		if !masked[i] {
			b.WriteRune(rs[i])
			continue
		}
		b.WriteString(maskToken)
		for i+1 < len(rs) && masked[i+1] {
			i++
		}
	}
	return b.String()
}

// mayNeedMask is a fast test on the bytes of s: false when s holds no digit (half- or
// full-width), no '@', no colon and no first character of an honorific, so maskText has
// nothing to do.
func mayNeedMask(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= '0' && c <= '9' || c == '@' || c == ':' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' {
				return true
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r >= 0xFF10 && r <= 0xFF19, r >= 0xFF21 && r <= 0xFF3A, r >= 0xFF41 && r <= 0xFF5A, r == 0xFF20, r == 0xFF1A:
			return true
		case honorificFirst(r):
			return true
		}
		i += n
	}
	return false
}

// bracketedAreaCode reports whether f[i:] starts with an area code in brackets followed by a
// digit: (0571)8…, （010）6….
func bracketedAreaCode(f []rune, i int) bool {
	if f[i] != '(' && f[i] != '（' || i+1 >= len(f) || f[i+1] != '0' {
		return false
	}
	j := i + 1
	for j < len(f) && isDigit(f[j]) {
		j++
	}
	return j < len(f) && (f[j] == ')' || f[j] == '）') && j+1 < len(f) && isDigit(f[j+1])
}

// nameLabels are the words after which, with a colon, a form gives a person's name.
var nameLabels = []string{"联系人", "联络人", "负责人", "经办人", "法定代表人", "法人代表", "申请人", "投诉人", "反映人", "来电人", "姓名"}

// afterNameLabel reports whether text ends with one of nameLabels (spaces before the colon
// allowed).
func afterNameLabel(text []rune) bool {
	for len(text) > 0 && (text[len(text)-1] == ' ' || text[len(text)-1] == 0x3000) {
		text = text[:len(text)-1]
	}
	for _, l := range nameLabels {
		k := len(text)
		for l != "" && k > 0 {
			r, size := utf8.DecodeLastRuneInString(l)
			if text[k-1] != r {
				break
			}
			l, k = l[:len(l)-size], k-1
		}
		if l == "" {
			return true
		}
	}
	return false
}

// honorificFirst reports whether r is the first character of an honorific.
func honorificFirst(r rune) bool {
	switch r {
	case '先', '女', '小', '总', '经', '老', '师':
		return true
	}
	return false
}

// isHan reports whether r is a Han character (the common block first, without a table search).
func isHan(r rune) bool {
	if r >= 0x4E00 && r <= 0x9FFF {
		return true
	}
	return r >= 0x2E80 && unicode.Is(unicode.Han, r)
}

// mayStartName reports whether a two-character name may start at rs[i] (rs[i+1] exists): not
// on a character of notSurname unless a compound surname starts there.
func mayStartName(rs []rune, i int) bool {
	if !strings.ContainsRune(notSurname, rs[i]) {
		return true
	}
	for _, c := range compoundSurnames {
		if string(rs[i:i+2]) == c {
			return true
		}
	}
	return false
}

// honorificAt returns the length of the honorific that starts at rs[i] (0 if none).
func honorificAt(rs []rune, masked []bool, i int) int {
	for _, h := range honorifics {
		if i+len(h) > len(rs) {
			continue
		}
		ok := true
		for k, r := range h {
			if rs[i+k] != r || masked[i+k] {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		if h[0] == '总' && len(h) == 1 && i+1 < len(rs) && strings.ContainsRune(notTitleAfterZong, rs[i+1]) {
			continue
		}
		return len(h)
	}
	return 0
}

// runIsPersonal reports whether a run of letters, digits, '*', '-' and spaces (folded)
// contains a mobile number, a landline, an identity number, a bank card or a credit code.
func runIsPersonal(run []rune) bool {
	// Credit codes: 18 consecutive characters of the alphabet.
	k := 0
	for _, r := range run {
		if isUSCCChar(r) {
			if k++; k >= 18 {
				return true
			}
		} else {
			k = 0
		}
	}
	// The digit patterns, with separators dropped.
	t := make([]rune, 0, len(run))
	for _, r := range run {
		if r != '-' && r != ' ' && r != '(' && r != ')' && r != '（' && r != '）' {
			t = append(t, r)
		}
	}
	digits := 0 // consecutive digits ending at i
	for i, r := range t {
		if isDigit(r) {
			digits++
		} else {
			// Identity number ending in X: 17 digits then X.
			if (r == 'X' || r == 'x') && digits >= 17 {
				return true
			}
			digits = 0
		}
		if digits >= 16 { // bank card (16-19 digits), identity number (18)
			return true
		}
		// Landline: 0 then at least 9 digits.
		if digits >= 10 {
			for b := i - digits + 1; b <= i-9; b++ {
				if t[b] == '0' {
					return true
				}
			}
		}
		// Mobile: 1, 3-9, a digit, four digits or stars, four digits.
		if i >= 10 && t[i-10] == '1' && t[i-9] >= '3' && t[i-9] <= '9' && isDigit(t[i-8]) {
			ok := true
			for q := i - 7; q <= i-4; q++ {
				if !isDigit(t[q]) && t[q] != '*' {
					ok = false
				}
			}
			for q := i - 3; q <= i; q++ {
				if !isDigit(t[q]) {
					ok = false
				}
			}
			if ok {
				return true
			}
		}
	}
	return false
}
