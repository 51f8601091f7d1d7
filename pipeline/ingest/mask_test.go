package ingest

import (
	"context"
	"strings"
	"testing"
)

// fullWidth writes the ASCII letters, digits and signs of s in their full-width forms.
func fullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > ' ' && r < 0x7F {
			r += 0xFEE0
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestMaskText checks every pattern of docs/text-analysis.md on its own, next to Chinese text,
// inside longer numbers and in full-width characters, and what must stay as it is.
func TestMaskText(t *testing.T) {
	const m = maskToken
	cases := []struct{ in, want string }{
		// Mobile numbers, plain, starred, with a country code, next to Han characters.
		{"请联系13912345678尽快处理", "请联系" + m + "尽快处理"},
		{"电话151****0203。", "电话" + m + "。"},
		{"手机+8618612345678", "手机+" + m},
		{"号码139-1234-5678", "号码" + m},
		{"手机+86 138 1234 5678。", "手机+" + m + "。"},
		{"手机+86-13812345678", "手机+" + m},
		{"号码139 1234 5678谢谢", "号码" + m + "谢谢"},
		// Landlines with and without the dash.
		{"座机0571-87654321转", "座机" + m + "转"},
		{"座机010-1234567", "座机" + m},
		{"座机02112345678", "座机" + m},
		{"电话(0571)87654321转8001", "电话" + m + "转8001"},
		{"电话（010）12345678，", "电话" + m + "，"},
		{"见附件(2)3份", "见附件(2)3份"},
		// Identity numbers, with a digit or X at the end.
		{"身份证号330102199003071234，", "身份证号" + m + "，"},
		{"身份证33010219900307123X办理", "身份证" + m + "办理"},
		{"身份证33010219900307123x办理", "身份证" + m + "办理"},
		// Credit codes (letters of the alphabet inside).
		{"信用代码91330100MA2H3K4X5Y被列入", "信用代码" + m + "被列入"},
		{"代码91330100ma2h3k4x5y被列入", "代码" + m + "被列入"},
		// Bank cards of 16 to 19 digits, and inside a longer number.
		{"卡号6222021234567890123到账", "卡号" + m + "到账"},
		{"卡号6222 0212 3456 7890", "卡号" + m},
		{"账号NO6222021234567890123456", "账号" + m},
		// E-mail.
		{"邮箱zhang.san@example.com.cn回复", "邮箱" + m + "回复"},
		{"邮箱li_si+bb@mail-x.cn", "邮箱" + m},
		// An internationalised address: the Han side takes the words next to it too.
		{"邮箱：张三@例子.中国，请回复", "邮箱：" + m + "，请回复"},
		{"发至zhang@例子.公司谢谢", "发至" + m},
		{"联系张三@example.com", m},
		{"在@群里说过", "在@群里说过"}, // no dotted domain: no address
		// A name after a label and a colon, half- or full-width, spaces allowed.
		{"联系人：王小明，电话待补", "联系人：" + m + "，电话待补"},
		{"负责人: 欧阳娜娜 反映", "负责人: " + m + " 反映"},
		{"姓名：李四", "姓名：" + m},
		{"联系人 ：张晓", "联系人 ：" + m},
		{"经办人态度差：多次推诿", "经办人态度差：多次推诿"},     // no colon right after the label
		{"联系人：请尽快回复我司诉求", "联系人：请尽快回复我司诉求"}, // more than 4 Han characters: not a name
		{"问题：审批慢", "问题：审批慢"},               // not a label
		// Surname with an honorific: 1-2 Han characters before it, from the left, not starting
		// on a word's last character (TestMaskHonorificBoundary).
		{"张先生反映", m + "反映"},
		{"联系人王女士", "联系人" + m},
		{"欧阳小姐来电", m + "来电"},
		{"找李总协调", "找" + m + "协调"},
		{"项目部刘经理说", "项目部" + m + "说"},
		{"陈老板", m},
		{"请赵师傅上门", "请" + m + "上门"},
		{"联系人张先生13912345678", "联系人" + m},
		// 总 making a word is not a title.
		{"融资总额较大", "融资总额较大"},
		{"企业总部搬迁", "企业总部搬迁"},
		// What is no personal data stays.
		{"拖欠货款120万元，合同编号2025-031", "拖欠货款120万元，合同编号2025-031"},
		{"2024年10月申请，已等待45个工作日", "2024年10月申请，已等待45个工作日"},
		{"订单1380000元", "订单1380000元"},
		{"", ""},
		{"融资难融资贵", "融资难融资贵"},
	}
	for _, c := range cases {
		if got := maskText(c.in); got != c.want {
			t.Errorf("maskText(%q) = %q, want %q", c.in, got, c.want)
		}
		// The same text in full-width digits and letters masks the same pieces.
		fw := fullWidth(c.in)
		want := fullWidth(c.want)
		if got := maskText(fw); got != want {
			t.Errorf("maskText(%q) = %q, want %q (full-width)", fw, got, want)
		}
	}
}

// TestMaskHonorificBoundary checks where the surname + honorific rule starts a name: never on
// a character that ends the word before it (联系人, 工作人员, 项目部, 公司 …) or on a function
// word (的, 找, 请 …), so those characters stay, while the name itself, of one or two characters
// (a compound surname, a full name), is masked as before.
func TestMaskHonorificBoundary(t *testing.T) {
	const m = maskToken
	cases := []struct{ in, want string }{
		// A role word ending in 人 or 员 keeps its last character.
		{"联系人王先生", "联系人" + m},
		{"负责人刘女士", "负责人" + m},
		{"经办人陈先生", "经办人" + m},
		{"人王先生表示", "人" + m + "表示"},
		{"法人代表是李总", "法人代表是" + m},
		{"联系人张先生13912345678", "联系人" + m},
		{"工作人员赵经理答复", "工作人员" + m + "答复"},
		{"客服人员孙小姐", "客服人员" + m},
		// An organisation word or a function word before the surname stays too.
		{"项目部刘经理说", "项目部" + m + "说"},
		{"对方公司王总不接电话", "对方公司" + m + "不接电话"},
		{"找李总协调", "找" + m + "协调"},
		{"请赵师傅上门", "请" + m + "上门"},
		{"银行的周经理", "银行的" + m},
		{"这位吴老板", "这位" + m},
		// Names of two characters are masked whole, also after those words.
		{"联系人欧阳小姐", "联系人" + m},
		{"负责人司马先生", "负责人" + m},
		{"司马先生", m},
		{"联系人王伟先生", "联系人" + m},
		{"经办人陈立女士来电", "经办人" + m + "来电"},
		// A common surname that is also a word keeps its place in the name: 向 is a surname.
		{"向华先生", m},
		// Names alone, at the start, in the middle and at the end.
		{"王先生", m},
		{"李女士反映", m + "反映"},
		{"据张经理介绍", "据" + m + "介绍"},
		{"欧阳小姐来电", m + "来电"},
		{"陈老板", m},
	}
	for _, c := range cases {
		if got := maskText(c.in); got != c.want {
			t.Errorf("maskText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestMaskIngest checks that ingest writes appeals.content_masked from content, and that
// no planted personal detail is left in it.
func TestMaskIngest(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "appeals/a.csv", []byte("诉求编号,统一社会信用代码,提报时间,诉求内容\n"+
		"A1,914403001922038216,2025-01-02 10:00,货款被拖欠半年，联系人张先生13912345678\n"+
		"A2,914403001922038216,2025-01-03 10:00,身份证号３３０１０２１９９００３０７１２３４，电话０５７１－８７６５４３２１\n"+
		"A3,914403001922038216,2025-01-04 10:00,\n"+
		"A4,914403001922038216,2025-01-05 10:00,融资难，贷款审批慢\n"+
		"A4,914403001922038216,2025-01-06 10:00,重复提交，联系电话13812345678\n"))
	minimalSources(t, dir)
	db := openDB(t)
	if _, err := runIngest(t, db, dir, nil); err != nil {
		t.Fatal(err)
	}
	got := query(t, db, "SELECT appeal_id, content_masked FROM main.appeals ORDER BY appeal_id")
	equal(t, "content_masked", got, []string{
		"A1|货款被拖欠半年，联系人" + maskToken,
		"A2|身份证号" + maskToken + "，电话" + maskToken,
		"A3|NULL",
		"A4|融资难，贷款审批慢",
	})
	for _, secret := range []string{"13912345678", "３３０１０２１９９００３０７１２３４", "８７６５４３２１", "张先生"} {
		if n := query(t, db, "SELECT count(*) FROM main.appeals WHERE contains(content_masked, $1)", secret); n[0] != "0" {
			t.Errorf("%s left in content_masked", secret)
		}
	}
	// The rejected duplicate's line in rejects is masked too.
	equal(t, "rejects", query(t, db, "SELECT rule, contains(raw, '重复提交'), contains(raw, '13812345678') FROM main.rejects WHERE source = 'appeals'"),
		[]string{"duplicate_id|true|false"})
}

func BenchmarkMaskText(b *testing.B) {
	texts := []string{
		"我公司为本市一家精密机械制造企业，近期某国有企业拖欠我司货款约120万元，已逾期8个月，多次催收无果，影响资金周转，恳请协调解决。",
		"申请的创业担保贷款审批已超过45个工作日仍未放款，银行客户经理表示需补充材料。联系人张先生13912345678",
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = maskText(texts[i%len(texts)])
	}
}

// BenchmarkMaskUDF measures what bluebook_mask adds to reading 10⁶ appeal texts in DuckDB
// (the demo's texts, a third with contact details): compare with BenchmarkMaskUDF/none.
func BenchmarkMaskUDF(b *testing.B) {
	db := openDB(b)
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	if err := registerFunctions(conn); err != nil {
		b.Fatal(err)
	}
	texts := []string{
		"我公司为本市一家精密机械制造企业，近期某国有企业拖欠我司货款约120万元，已逾期8个月，多次催收无果，恳请协调解决。",
		"申请的创业担保贷款审批已超过45个工作日仍未放款，银行客户经理表示需补充材料。联系人张先生13912345678",
		"办理食品经营许可证材料多次退回，希望明确办理要求。盼复。",
		"厂区用电容量不足，增容申请已提交5个月，希望加快办理。联系电话0571-87654321",
		"咨询研发费用加计扣除的申报口径。邮箱finance123@example.com",
		"园区道路破损，货车进出困难，请求维修。",
	}
	if _, err := conn.ExecContext(ctx, "CREATE TABLE t AS SELECT ($1::VARCHAR[])[1 + i % 6] AS txt FROM range(1000000) r(i)", texts); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct{ name, expr string }{{"none", "txt"}, {"mask", maskFunc + "(txt)"}} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				var n int64
				if err := conn.QueryRowContext(ctx, "SELECT sum(length("+c.expr+")) FROM t").Scan(&n); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
