package reports

import "testing"

func TestInlineHTML(t *testing.T) {
	tests := []struct {
		in   string
		vals []string
		want string
	}{
		{"存量**12万户**，*同比*增长", nil, "存量<strong>12万户</strong>，<em>同比</em>增长"},
		{"**加粗" + placeholder(0) + "户**", []string{"1.2万"}, "<strong>加粗1.2万户</strong>"},
		// A value is inserted as given (already escaped) and never read as Markdown.
		{"名称" + placeholder(0), []string{"**&lt;b&gt;**"}, "名称**&lt;b&gt;**"},
		{"a < b & c > d", nil, "a &lt; b &amp; c &gt; d"},
		{"<script>alert(1)</script>", nil, "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{`\*不是斜体\*`, nil, "*不是斜体*"},
		{"孤立的 ** 与 * 号", nil, "孤立的 ** 与 * 号"},
		{"见[附录](appendix.html#a)。", nil, `见<a href="appendix.html#a">附录</a>。`},
		{"[官网](https://example.org/?a=1&b=2)", nil, `<a href="https://example.org/?a=1&amp;b=2">官网</a>`},
		{"[点我](javascript:alert(1))", nil, "点我"},
		{"[点我](data:text/html,x)", nil, "点我"},
		{"代码`a*b*c`", nil, "代码<code>a*b*c</code>"},
		{"未闭合[链接", nil, "未闭合[链接"},
		// No space between a bold lead and the Chinese text after it (nor before a
		// bold or linked word): a source's space prints as a stray gap in Chinese.
		{"**本章要点。** 2025年商会开展活动", nil, "<strong>本章要点。</strong>2025年商会开展活动"},
		{"**" + placeholder(0) + "** " + placeholder(1) + "年", []string{"市场主体稳步增长。", "2025"}, "<strong>市场主体稳步增长。</strong>2025年"},
		{"**要点** 截至年末", nil, "<strong>要点</strong>截至年末"},
		{"详见 [附录](a.html) 说明", nil, `详见<a href="a.html">附录</a>说明`},
		// kept: between Chinese and Latin text or digits, and within plain text
		{"**要点** GDP增长", nil, "<strong>要点</strong> GDP增长"},
		{"**Note:** 见下", nil, "<strong>Note:</strong> 见下"},
	}
	for _, tc := range tests {
		if got := inlineHTML(tc.in, tc.vals, nil); got != tc.want {
			t.Errorf("inlineHTML(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestJoinLines(t *testing.T) {
	var errs errorList
	p := &parser{file: "f.md", errs: &errs, c: &chapter{names: map[string]int{}}}
	got := joinLines([]text{p.parseText("中文第一行", pos{1, 1}), p.parseText("第二行 and", pos{2, 1}), p.parseText("English", pos{3, 1})})
	var s string
	for _, sp := range got {
		s += sp.lit
	}
	if s != "中文第一行第二行 and English" {
		t.Errorf("joined %q", s)
	}
}
