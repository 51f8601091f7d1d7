package reports

import (
	"html"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The Markdown here is deliberately small: the chapter templates need
// paragraphs, headings, lists, quotes, simple pipe tables, **bold**,
// *italic*, `code` and [links](url). Raw HTML is not passed through: every
// character of a template and of a value is escaped.

// placeholder marks where the value of reference i goes in a string that
// is about to be rendered as inline Markdown. NUL never occurs in a
// template (parseChapter rejects it), so the marker cannot be forged.
func placeholder(i int) string { return "\x00" + strconv.Itoa(i) + "\x00" }

// inlineHTML renders s as inline Markdown; vals are the HTML (already
// escaped) of the placeholders in s. link, when not nil, rewrites the
// address of every link (the single-file book turns page links into
// anchors).
func inlineHTML(s string, vals []string, link func(string) string) string {
	var b strings.Builder
	in := inliner{b: &b, vals: vals, link: link}
	in.render(s)
	return dropCJKSpaces(b.String())
}

// dropCJKSpaces removes the spaces a source puts between Chinese text and the
// start or end of an inline element (**本章要点。** 2025年…): written Chinese has
// no word spaces, and one there prints as a stray gap. A space next to a tag goes
// when the text on both sides of it is Chinese, or when the text before it ends
// with full-width punctuation (which carries its own space). Spaces within plain
// text, and next to Latin text and digits after a Chinese word, are kept.
func dropCJKSpaces(h string) string {
	if !strings.Contains(h, "> ") && !strings.Contains(h, " <") {
		return h
	}
	var out strings.Builder
	inTag := false
	for i := 0; i < len(h); {
		c := h[i]
		switch {
		case c == '<':
			inTag = true
		case c == '>':
			inTag = false
		case c == ' ' && !inTag:
			j := i
			for j < len(h) && h[j] == ' ' {
				j++
			}
			if (i > 0 && h[i-1] == '>') || (j < len(h) && h[j] == '<') {
				before, after := textBefore(h[:i]), textAfter(h[j:])
				if wide(before) && (wide(after) || fullWidthPunct(before)) {
					i = j
					continue
				}
			}
			out.WriteString(h[i:j])
			i = j
			continue
		}
		out.WriteByte(c)
		i++
	}
	return out.String()
}

// textBefore returns the last character of text in h, skipping tags ('x' when
// there is none or it is an entity, which is never Chinese here).
func textBefore(h string) rune {
	for len(h) > 0 && h[len(h)-1] == '>' {
		k := strings.LastIndexByte(h, '<')
		if k < 0 {
			return 'x'
		}
		h = h[:k]
	}
	if h == "" {
		return 'x'
	}
	r, _ := utf8.DecodeLastRuneInString(h)
	return r
}

// textAfter returns the first character of text in h, skipping tags.
func textAfter(h string) rune {
	for strings.HasPrefix(h, "<") {
		k := strings.IndexByte(h, '>')
		if k < 0 {
			return 'x'
		}
		h = h[k+1:]
	}
	if h == "" {
		return 'x'
	}
	r, _ := utf8.DecodeRuneInString(h)
	return r
}

// fullWidthPunct reports whether r is Chinese punctuation that closes a phrase.
func fullWidthPunct(r rune) bool {
	return strings.ContainsRune("。，、；：！？）】」』”’》〉…", r)
}

// inliner renders inline Markdown into b.
type inliner struct {
	b    *strings.Builder
	vals []string
	link func(string) string
}

func (in inliner) render(s string) {
	b, vals := in.b, in.vals
	for len(s) > 0 {
		switch c := s[0]; {
		case c == '\\' && len(s) > 1 && strings.IndexByte("\\`*_[]()#+-.!|{}", s[1]) >= 0:
			b.WriteString(html.EscapeString(s[1:2]))
			s = s[2:]
		case c == 0:
			j := strings.IndexByte(s[1:], 0)
			i, _ := strconv.Atoi(s[1 : 1+j])
			if i >= 0 && i < len(vals) {
				b.WriteString(vals[i])
			}
			s = s[j+2:]
		case strings.HasPrefix(s, "**"):
			if k := strings.Index(s[2:], "**"); k > 0 {
				b.WriteString("<strong>")
				in.render(s[2 : 2+k])
				b.WriteString("</strong>")
				s = s[4+k:]
				continue
			}
			b.WriteString("**")
			s = s[2:]
		case c == '*':
			if k := strings.IndexByte(s[1:], '*'); k > 0 {
				b.WriteString("<em>")
				in.render(s[1 : 1+k])
				b.WriteString("</em>")
				s = s[2+k:]
				continue
			}
			b.WriteString("*")
			s = s[1:]
		case c == '`':
			if k := strings.IndexByte(s[1:], '`'); k > 0 {
				b.WriteString("<code>")
				in.render(strings.NewReplacer("*", "\\*", "[", "\\[", "\\", "\\\\").Replace(s[1 : 1+k]))
				b.WriteString("</code>")
				s = s[2+k:]
				continue
			}
			b.WriteString("`")
			s = s[1:]
		case c == '[':
			if label, url, rest, ok := cutLink(s); ok {
				if safeURL(url) {
					if in.link != nil {
						url = in.link(url)
					}
					b.WriteString(`<a href="` + html.EscapeString(url) + `">`)
					in.render(label)
					b.WriteString("</a>")
				} else {
					in.render(label)
				}
				s = rest
				continue
			}
			b.WriteString("[")
			s = s[1:]
		default:
			k := strings.IndexAny(s[1:], "\\\x00*`[")
			if k < 0 {
				k = len(s) - 1
			}
			b.WriteString(html.EscapeString(s[:k+1]))
			s = s[k+1:]
		}
	}
}

// cutLink splits "[label](url)rest".
func cutLink(s string) (label, url, rest string, ok bool) {
	end := strings.Index(s, "](")
	if end < 0 {
		return "", "", "", false
	}
	depth := 0
	for i := end + 2; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return s[1:end], strings.TrimSpace(s[end+2 : i]), s[i+1:], true
			}
			depth--
		}
	}
	return "", "", "", false
}

// safeURL accepts links within the site, to anchors, and to web or mail
// addresses; anything else (javascript:, data:) is dropped.
func safeURL(u string) bool {
	if strings.ContainsRune(u, 0) {
		return false
	}
	l := strings.ToLower(u)
	if strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "mailto:") {
		return true
	}
	colon := strings.IndexByte(l, ':')
	return colon < 0 || strings.IndexAny(l[:colon], "/?#") >= 0
}
