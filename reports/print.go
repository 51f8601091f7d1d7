package reports

import (
	"fmt"
	"html/template"
	"strings"
)

// runningHeads is the printed book's CSS that puts each chapter on pages of its own name,
// whose running header carries the chapter's title (CSS paged media: named pages and
// @page margin boxes), beside the book's title (with 演示数据 on demo data).
func runningHeads(book string, demo bool, chapters []*chapterView) template.CSS {
	var b strings.Builder
	if demo {
		book += " · 演示数据"
	}
	for _, c := range chapters {
		name := "ch-" + c.Stem // stems are [0-9]{2}_[a-z0-9_]+: a valid identifier after "ch-"
		fmt.Fprintf(&b, "article[id=%s] { page: %s; }\n", cssString(c.Stem), name)
		fmt.Fprintf(&b, "@page %s { @top-left { content: %s; } @top-right { content: %s; } }\n", name, cssString(book), cssString(c.Title))
	}
	return template.CSS(b.String())
}

// cssString quotes s as a CSS string; the characters that could end the string, the
// declaration or the style element are escaped.
func cssString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\', '<', '>', '&', '\n', '\r', '\f', '{', '}', ';':
			fmt.Fprintf(&b, "\\%x ", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
