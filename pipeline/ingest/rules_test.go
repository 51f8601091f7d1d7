package ingest

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// uscc completes 17 characters with their GB 32100 check character.
func uscc(first17 string) string {
	const alpha = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	w := []int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(alpha, first17[i]) * w[i]
	}
	return first17 + string(alpha[(31-sum%31)%31])
}

func gbk(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestUSCCHelper(t *testing.T) {
	for _, c := range []string{"914403001922038216", "91330100799655058B", "9144030071526726XG", "91310000741627329A", "91440101MA5CJQ4N59"} {
		if got := uscc(c[:17]); got != c {
			t.Errorf("uscc(%s) = %s, want %s", c[:17], got, c)
		}
	}
}

// TestRegistryRules feeds one bad row per rule, through the fast path (a.csv, UTF-8 with a
// BOM and CRLF) and the careful path (b.csv, GBK with malformed rows), and checks the exact
// rejects, the clean rows and the ledger.
func TestRegistryRules(t *testing.T) {
	dir := t.TempDir()
	u1, u2, u3, u4, u5 := uscc("91320505MA0000001"), uscc("91320505MA0000002"), uscc("91320505MA0000003"), uscc("92320506MA0000004"), uscc("91320505MA0000005")
	bad := u5[:17] + "0"
	if bad == u5 {
		bad = u5[:17] + "1"
	}
	hdr := "统一社会信用代码,企业名称,经济类型,行业代码,区划代码,成立日期,登记状态,注销日期,核准日期,注册资本（万元）,从业人数,营业收入（元）,专精特新等级,高新技术企业,所属商会编号"
	a := strings.Join([]string{
		hdr,
		" " + strings.ToLower(u1) + " ,甲公司,私营,C3911,320505,2020-03-07,存续（在营、开业、在册）,,2024/1/2,100.5,10,12345.67,专精特新\"小巨人\",是,",
		u2 + ",\"乙公司\n（第二行）\",个体工商户,5211,320599,2021/3/7,吊销，未注销,,,0,0,0,,否,",
		"",
		u3 + ",,民营,,,2020-01-01,,,,,,,,,",  // line 5: missing name (also missing nothing else)
		u3 + ",丙,民营,,,2020-13-01,,,,,,,,,", // 6: bad_value established_on
		"9132050,丁,民营,,,2020-01-01,,,,,,,,,",                         // 7: bad_uscc
		u3 + ",戊,其他,,,2020-01-01,,,,,,,,,",                           // 8: unknown_value ownership
		u3 + ",己,民营,,,2020-01-01,,,,-1,,,,,",                         // 9: out_of_range registered_capital
		u3 + ",庚,民营,,,2020-01-01,注销,2019-12-31,,,,,,,",               // 10: date_order cancelled_on
		u3 + ",辛,民营,,,2025-07-01,,,,,,,,,",                           // 11: future_date established_on
		u3 + ",,民营,,,2020-13-01,,,,,,,,,",                            // 12: missing_required wins over bad_value
		u3 + ",壬,民营,,,2020-01-01,,,,,,,,abc,",                        // 13: bad_value high_tech
		u3 + ",癸,民营,,,2020-01-01,,,,,1.5,,,,",                        // 14: bad_value employees
		bad + ",子,民营,A0111,320506,20200101,注销,2024年5月6日,,,,,单项冠军,Y,", // 15: loaded, uscc_valid=false
		u3 + ",丑,民营,,,2020-01-01,,,,,,,银牌,,",                         // 16: unknown_value specialized_level
		"",
	}, "\r\n")
	writeFile(t, dir, "registry/a.csv", append([]byte("\xEF\xBB\xBF"), a...))
	b := strings.Join([]string{
		"统一社会信用代码,企业名称,经济类型,成立日期,核准日期,登记状态,迁出日期",
		u4 + ",寅,个体,2019-01-01,2024-01-01,迁出,",  // 2: loses to line 6 (later approved_on)
		u4 + ",卯,个体,2019-01-01",                 // 3: malformed (too few fields)
		u4 + ",辰,个体,2019-01-01,2024-06-01,迁出,,", // 4: malformed (too many fields)
		u4 + ",巳,个体,2019-01-01,2024-06-01,迁出,2024-06-02",
		u4 + ",巳,个体,2019-01-01,2024-06-01,迁出,2024-06-02", // 6: identical to 5: one duplicate
		u1 + ",午,民营,2019-01-01,,,",                       // 7: u1 again, no approved_on: loses to a.csv
		"",
	}, "\n")
	writeFile(t, dir, "registry/b.csv", gbk(t, b))
	minimalSources(t, dir)
	db := openDB(t)
	if _, err := runIngest(t, db, dir, nil); err != nil {
		t.Fatal(err)
	}
	equal(t, "rejects", query(t, db, "SELECT file, line, column_name, rule, value FROM rejects WHERE source = 'registry' ORDER BY file, CAST(line AS INT)"), []string{
		"registry/a.csv|6|name|missing_required|NULL",
		"registry/a.csv|7|established_on|bad_value|2020-13-01",
		"registry/a.csv|8|uscc|bad_uscc|9132050",
		"registry/a.csv|9|ownership|unknown_value|其他",
		"registry/a.csv|10|registered_capital|out_of_range|-1",
		"registry/a.csv|11|cancelled_on|date_order|2019-12-31",
		"registry/a.csv|12|established_on|future_date|2025-07-01",
		"registry/a.csv|13|name|missing_required|NULL",
		"registry/a.csv|14|high_tech|bad_value|abc",
		"registry/a.csv|15|employees|bad_value|1.5",
		"registry/a.csv|17|specialized_level|unknown_value|银牌",
		"registry/b.csv|2|uscc|duplicate_uscc|" + u4,
		"registry/b.csv|3|NULL|malformed_row|NULL",
		"registry/b.csv|4|NULL|malformed_row|NULL",
		"registry/b.csv|5|uscc|duplicate_uscc|" + u4,
		"registry/b.csv|7|uscc|duplicate_uscc|" + u1,
	})
	equal(t, "raw text", query(t, db, "SELECT raw FROM rejects WHERE source = 'registry' AND (file, line) IN (('registry/a.csv', '8'), ('registry/b.csv', '3'), ('registry/b.csv', '4')) ORDER BY file, line"), []string{
		"9132050,丁,民营,,,2020-01-01,,,,,,,,,",
		u4 + ",卯,个体,2019-01-01",
		u4 + ",辰,个体,2019-01-01,2024-06-01,迁出,,",
	})
	equal(t, "clean", query(t, db, `SELECT uscc, name, ownership, industry_code, industry_division, industry_section, district_code, established_on,
		status, status_raw, cancelled_on, approved_on, registered_capital, employees, revenue, specialized_level, high_tech,
		uscc_valid, unknown_district, unknown_chamber, missing_cancelled_on, source_file, source_line FROM registry ORDER BY source_file, CAST(source_line AS INT)`), []string{
		u1 + "|甲公司|民营|C3911|39|C|320505|2020-03-07|active|存续（在营、开业、在册）|NULL|2024-01-02|100.5|10|1.234567|小巨人|true|true|false|false|false|registry/a.csv|2",
		u2 + "|乙公司\n（第二行）|个体|5211|52|F|320599|2021-03-07|revoked|吊销，未注销|NULL|NULL|0|0|0|NULL|false|true|true|false|true|registry/a.csv|3",
		bad + "|子|民营|A0111|01|A|320506|2020-01-01|cancelled|注销|2024-05-06|NULL|NULL|NULL|NULL|单项冠军|true|false|false|false|false|registry/a.csv|16",
		u4 + "|巳|个体|NULL|NULL|?|NULL|2019-01-01|moved_out|迁出|2024-06-02|2024-06-01|NULL|NULL|NULL|NULL|false|true|true|false|false|registry/b.csv|6",
	})
	equal(t, "ledger", query(t, db, "SELECT file, encoding, rows_read, rows_loaded, rows_rejected, rows_flagged FROM ingest_files WHERE source = 'registry' ORDER BY file"), []string{
		"registry/a.csv|utf-8-bom|14|3|11|2",
		"registry/b.csv|gb18030|6|1|5|1",
	})
	if got := query(t, db, "SELECT count(*) FROM raw.registry"); got[0] != "20" {
		t.Errorf("raw rows = %s, want 20", got[0])
	}
}

// TestUSCCCheck: the Go check agrees with the test helper; a wrong check character is
// usccBadCheck (flag), a wrong length, a character outside the alphabet or a letter in
// places 3-8 usccBadForm (reject).
func TestUSCCCheck(t *testing.T) {
	for _, c := range []string{"914403001922038216", "91330100799655058B", "9144030071526726XG", "91310000741627329A", "91440101MA5CJQ4N59"} {
		if got := usccCheck(c); got != usccOK {
			t.Errorf("%s: %d, want valid", c, got)
		}
		for _, bad := range []string{c[:17] + "I", c[:17], c + "0", "I" + c[1:], c[:4] + "A" + c[5:], "９" + c[1:]} {
			if got := usccCheck(bad); got != usccBadForm {
				t.Errorf("%s: %d, want bad form", bad, got)
			}
		}
		for i := 0; i < 31; i++ {
			if x := c[:17] + string(usccAlphabet[i]); x != c && usccCheck(x) != usccBadCheck {
				t.Errorf("%s: %d, want a wrong check character", x, usccCheck(x))
			}
		}
	}
}

// TestYuan: amounts in 元 become exact 万元, rounded to 6 decimals, also past 10¹² 元.
func TestYuan(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	u1 := uscc("914403001922038216"[:17])
	writeFile(t, dir, "donations/y.csv", []byte("捐赠编号,统一社会信用代码,捐赠日期,捐赠金额（元）\n"+
		"Y1,"+u1+",2025-01-01,0.5\nY2,"+u1+",2025-01-01,12.34565\nY3,"+u1+",2025-01-01,\"1,234,567,890,123.45\"\nY4,"+u1+",2025-01-01,-3\n"))
	db := openDB(t)
	if _, err := runIngest(t, db, dir, nil); err != nil {
		t.Fatal(err)
	}
	equal(t, "amounts", query(t, db, "SELECT donation_id, CAST(amount AS VARCHAR) FROM donations WHERE donation_id LIKE 'Y%' ORDER BY 1"), []string{
		"Y1|0.000050", "Y2|0.001235", "Y3|123456789.012345",
	})
	equal(t, "rejects", query(t, db, "SELECT line, rule, value FROM rejects"), []string{"5|out_of_range|-3"})
}

// TestNameTailExpr: the short way NameTailExpr cuts a name without brackets gives what the
// whole stem gives, right(NameStemExpr, 4), on the names hardest to cut: every suffix,
// suffixes inside suffixes, a name that is only a suffix or shorter than its tail, brackets
// of both widths (mixed, nested, unclosed, stray), characters outside the BMP, ASCII and an
// empty name.
func TestNameTailExpr(t *testing.T) {
	db := openDB(t)
	names := []string{
		"示例市数据出境评估有限公司", "示例市某某股份有限公司", "示例市某某有限责任公司", "示例市某某个人独资企业",
		"示例市某某普通合伙企业", "示例市某某有限合伙企业", "某某合伙企业", "示例市某某有限公司分公司", "某某商店", "某某门市部",
		"部", "店店", "有限公司", "股份有限公司", "有限合伙企业", "A公司", "A&B贸易有限公司", "𠀀𠀁𠀂𠀃实业有限公司", "𠀀店",
		"", "无后缀名称", "一二三", "示例市某某有限公司有限公司", "分公司", "司", "企业", "俱乐部",
		"示例省示例市（集团）数据出境评有限公司（筹）", "华信(上海)科技股份有限公司", "甲（乙)丙（丁）戊有限责任公司",
		"（未闭合名称有限公司", "名称）多余括号部", "((双重))开头分公司", "某某（有限公司）",
	}
	for _, name := range names {
		var short, whole string
		if err := db.QueryRow("SELECT "+NameTailExpr("n")+", right("+NameStemExpr("n")+", 4) FROM (SELECT ?::VARCHAR AS n)", name).Scan(&short, &whole); err != nil {
			t.Fatal(err)
		}
		if short != whole {
			t.Errorf("%q: name_tail %q, right(stem, 4) %q", name, short, whole)
		}
	}
}
