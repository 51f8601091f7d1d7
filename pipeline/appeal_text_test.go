package pipeline

import (
	"context"
	"fmt"
	"io/fs"
	"math"
	"strings"
	"testing"

	"bluebook/pipeline/ingest"
	"bluebook/queries"
)

// zFixture is the z of a term or phrase in 10 of the 16 appeals with text of 2025 and in none
// of the 10 of 2024 (appealTextFixture), worked out by hand from docs/text-analysis.md.
var zFixture = (math.Log(10.5/6.5) - math.Log(0.5/10.5)) / math.Sqrt(1/10.5+1/6.5+1/0.5+1/10.5)

// appealTextFixture adds hand-written appeal texts (already masked, as ingest leaves them in
// content_masked) to the indicator fixture, whose own appeals have no text. Edition 2025.
//
// 2025, N = 16 appeals with text (T17 blank and T18 NULL do not count):
//
//	T01-T08 融资信贷 E01 E02 E03 E04 E05 E01 E02 E03: 企业融资难，银行要求续贷追加抵押物，数据出境评估难。
//	        → 融资难, 银行, 续贷, 抵押物 (企业 and 要求 are 不计)
//	T09-T10 融资信贷 E04 E05: 融资困难，转贷压力大，数据出境评估难。
//	        → 融资难 (synonym 融资困难), 续贷 (synonym 转贷)
//	T11-T14 账款拖欠 E06-E09: 某客户拖欠货款半年未付，资金周转困难。 → 拖欠货款 (拖欠 is inside
//	        it, so it does not count) and 资金周转 (4 enterprises: under the threshold of 5)
//	T15     账款拖欠 E10: 对方拖欠，货款拖欠至今。 → 拖欠 (standalone) and 拖欠货款 (synonym 货款拖欠)
//	T16     其他 E11: 园区停车难。 → no term
//
// 2024, M = 10: P01-P02 融资信贷 E01 E02: 融资难。 P03-P10 其他 E03-E10: 希望组织行业交流活动。
//
// Registry: E21 is renamed 示例市出境评估有限公司, whose name core is 出境评估.
var appealTextFixture = func() []string {
	var rows []string
	add := func(id, code, ts, cat, text string) {
		v := "NULL"
		if text != "<null>" {
			v = "'" + text + "'"
		}
		rows = append(rows, fmt.Sprintf("('%s', '%s', TIMESTAMP '%s', '%s', %s)", id, code, ts, cat, v))
	}
	codes := []string{"E01", "E02", "E03", "E04", "E05"}
	for i := 1; i <= 8; i++ {
		add(fmt.Sprintf("T%02d", i), codes[(i-1)%5], fmt.Sprintf("2025-03-%02d 10:00:00", i), "融资信贷", "企业融资难，银行要求续贷追加抵押物，数据出境评估难。")
	}
	add("T09", "E04", "2025-04-01 10:00:00", "融资信贷", "融资困难，转贷压力大，数据出境评估难。")
	add("T10", "E05", "2025-04-02 10:00:00", "融资信贷", "融资困难，转贷压力大，数据出境评估难。")
	for i := 11; i <= 14; i++ {
		add(fmt.Sprintf("T%02d", i), fmt.Sprintf("E%02d", i-5), "2025-05-01 10:00:00", "账款拖欠", "某客户拖欠货款半年未付，资金周转困难。")
	}
	add("T15", "E10", "2025-05-02 10:00:00", "账款拖欠", "对方拖欠，货款拖欠至今。")
	add("T16", "E11", "2025-06-01 10:00:00", "其他", "园区停车难。")
	add("T17", "E12", "2025-06-02 10:00:00", "其他", "   ")
	add("T18", "E13", "2025-06-03 10:00:00", "其他", "<null>")
	add("P01", "E01", "2024-03-01 10:00:00", "融资信贷", "融资难。")
	add("P02", "E02", "2024-03-02 10:00:00", "融资信贷", "融资难。")
	for i := 3; i <= 10; i++ {
		add(fmt.Sprintf("P%02d", i), fmt.Sprintf("E%02d", i), "2024-04-01 10:00:00", "其他", "希望组织行业交流活动。")
	}
	return []string{
		"INSERT INTO appeals (appeal_id, uscc, submitted_at, category, content_masked) VALUES " + strings.Join(rows, ",\n"),
		"UPDATE registry SET name = '示例市出境评估有限公司' WHERE uscc = 'E21'",
	}
}()

// TestAppealTextAnalysis builds the text models on appealTextFixture and compares them with
// the counts, the category scores and the emerging z worked out by hand (docs/text-analysis.md).
func TestAppealTextAnalysis(t *testing.T) {
	db, proj := buildIndicators(t, indicatorConfig("2026-03-31"), appealTextFixture...)

	// Matching: a shorter term inside a longer one that contains it does not count (T11: 拖欠
	// only inside 拖欠货款), a standalone one does (T15); synonyms count for their term.
	compareTable(t, db, "appeal_text_matches", `SELECT appeal_id, string_agg(term, ' ' ORDER BY term) FROM appeal_text_matches
		WHERE appeal_id IN ('T01', 'T09', 'T11', 'T15', 'T16', 'P01') GROUP BY appeal_id ORDER BY appeal_id`, [][]any{
		{"P01", "融资难"},
		{"T01", "抵押物 续贷 融资难 银行"},
		{"T09", "续贷 融资难"},
		{"T11", "拖欠货款 资金周转"},
		{"T15", "拖欠 拖欠货款"},
	})

	// Term counts: share = appeals / N (N = 16). 资金周转 (4 enterprises), 拖欠 (1) and 2024's
	// 融资难 (2) are under the threshold of 5 and absent.
	compareTable(t, db, "appeal_term_counts", "SELECT * FROM appeal_term_counts", [][]any{
		{2025, "续贷", "融资难融资贵", 10, 5, 10.0 / 16},  // T01-T10, E01-E05
		{2025, "融资难", "融资难融资贵", 10, 5, 10.0 / 16}, // T01-T10
		{2025, "抵押物", "担保", 8, 5, 8.0 / 16},       // T01-T08
		{2025, "银行", "融资难融资贵", 8, 5, 8.0 / 16},    // T01-T08
		{2025, "拖欠货款", "账款拖欠", 5, 5, 5.0 / 16},    // T11-T15, E06-E10
	})

	// Topics: change = 100 × (share 2025 − share 2024); 2024 shares 2/10 (融资难融资贵), 0, 0.
	// 融资难融资贵 is T01-T14 (资金周转 in T11-T14 belongs to it): 14 appeals, E01-E09.
	compareTable(t, db, "appeal_topics", "SELECT * FROM appeal_topics", [][]any{
		{2025, "融资难融资贵", 14, 9, 14.0 / 16, 100 * (14.0/16 - 0.2)}, // 67.5
		{2025, "担保", 8, 5, 0.5, 100 * (0.5 - 0)},                  // 50
		{2025, "账款拖欠", 5, 5, 0.3125, 100 * (0.3125 - 0)},          // 31.25
	})

	// Category key terms: score = (df(t,c) / N_c) × ln(1 + N / df(t)).
	//   融资信贷 (N_c = 10): 续贷 and 融资难 (10/10) × ln(1 + 16/10) = ln 2.6 = 0.955511,
	//   tied and ranked by term (续 U+7EED before 融 U+878D); 抵押物 and 银行
	//   (8/10) × ln(1 + 16/8) = 0.8 ln 3 = 0.878890.
	//   账款拖欠 (N_c = 5): 拖欠货款 (5/5) × ln(1 + 16/5) = ln 4.2 = 1.435085.
	compareTable(t, db, "appeal_category_terms", "SELECT * FROM appeal_category_terms ORDER BY category, rank", [][]any{
		{2025, "融资信贷", "续贷", math.Log(2.6), 1},
		{2025, "融资信贷", "融资难", math.Log(2.6), 2},
		{2025, "融资信贷", "抵押物", 0.8 * math.Log(3), 3},
		{2025, "融资信贷", "银行", 0.8 * math.Log(3), 4},
		{2025, "账款拖欠", "拖欠货款", math.Log(4.2), 1},
	})

	// Emerging: 续贷, y = 10 of N = 16, x = 0 of M = 10:
	//   δ = ln(10.5 / 6.5) − ln(0.5 / 10.5) = 0.479573 + 3.044522 = 3.524096
	//   σ² = 1/10.5 + 1/6.5 + 1/0.5 + 1/10.5 = 0.095238 + 0.153846 + 2 + 0.095238 = 2.344322
	//   z = 3.524096 / 1.531118 = 2.301649 ≥ 1.96.
	// 融资难 (x = 2) is not: δ = 0.479573 + 1.223775 = 1.703349, σ² = 0.766731, z = 1.945279.
	compareTable(t, db, "appeal_emerging_terms", "SELECT * FROM appeal_emerging_terms", [][]any{
		{2025, "续贷", 10, 0, 5, zFixture},
	})
	if z := zFixture; math.Abs(z-2.301649) > 1e-6 {
		t.Errorf("hand z = %f", z)
	}

	// New phrases: every run of 2-6 characters of 数据出境评估难 is in T01-T10 (y = 10, x = 0,
	// z = 2.301649 as above) and in no lexicon term but 数据 (in 数据共享). Those containing
	// the name core 出境评估 go first (数据出境评估, 据出境评估难, 出境评估 …); of the rest,
	// every phrase inside a longer one with as many appeals is dropped, leaving 数据出境评
	// and 境评估难 (ordered by z, then phrase: 境 U+5883 before 数 U+6570).
	z := zFixture
	compareTable(t, db, "appeal_new_phrases", "SELECT * FROM appeal_new_phrases", [][]any{
		{2025, "境评估难", 10, 0, 5, z},
		{2025, "数据出境评", 10, 0, 5, z},
	})
	checksPass(t, db, proj)
}

// TestNewPhrasesNameCoreOfBracketedName adds to appealTextFixture a registered name whose
// core only shows once its bracketed parts, its division prefix and its suffix are cut:
// 示例省示例市（集团）数据出境评有限公司（筹） → 数据出境评. appeal_new_phrases looks up only
// the names whose stem ends like a piece of an emerging phrase (a registry can hold 10^8
// names); this name must be among them. Worked out by hand from the phrases of
// 数据出境评估难 (see TestAppealTextAnalysis): the phrases holding 出境评估 or 数据出境评 go;
// of the rest, 数据出境 and 据出境评 are no longer inside a kept longer phrase, and every
// shorter phrase is inside 数据出境, 据出境评 or 境评估难 with as many appeals.
func TestNewPhrasesNameCoreOfBracketedName(t *testing.T) {
	db, _ := buildIndicators(t, indicatorConfig("2026-03-31"), append(appealTextFixture,
		"UPDATE registry SET name = '示例省示例市（集团）数据出境评有限公司（筹）' WHERE uscc = 'E22'")...)
	z := zFixture
	compareTable(t, db, "appeal_new_phrases", "SELECT * FROM appeal_new_phrases", [][]any{
		{2025, "境评估难", 10, 0, 5, z},
		{2025, "据出境评", 10, 0, 5, z},
		{2025, "数据出境", 10, 0, 5, z},
	})
}

// TestNewPhrasesJoinChains: without the registered name 示例市出境评估有限公司 (appealTextFixture
// without its last statement), nothing of 数据出境评估难 (7 characters, in T01-T10) is a
// name. Phrases stop at 6 characters, so the expression shows as two 6-character phrases
// that overlap by five, 数据出境评估 and 据出境评估难, each in the same 10 appeals: they are
// joined into 数据出境评估难, counted again over the texts (T01-T10: y = 10, x = 0, E01-E05),
// and every phrase inside it (all with y = 10) is dropped by the reduction to maximal
// phrases. Worked out by hand: one row, z as in TestAppealTextAnalysis.
func TestNewPhrasesJoinChains(t *testing.T) {
	db, _ := buildIndicators(t, indicatorConfig("2026-03-31"), appealTextFixture[:len(appealTextFixture)-1]...)
	z := zFixture
	compareTable(t, db, "appeal_new_phrases", "SELECT * FROM appeal_new_phrases", [][]any{
		{2025, "数据出境评估难", 10, 0, 5, z},
	})
}

// TestNewPhrasesGrowChainLeft: ten more appeals of 2025 (G01-G10, E06-E10 twice each) read
// 数据出境评估难且周期长。, and twenty of 2024 (Q01-Q20) read 园区停车难。, so N = 26 and M = 30
// (appealTextFixture without its registered name, as in TestNewPhrasesJoinChains).
// 数据出境评估难 is now in 20 appeals (T01-T10, G01-G10) and the rest of the new expression
// in 10, so the link from 据出境评估难 (y = 20) to 出境评估难且 (y = 10) fails and the second
// chain, 出境评估难且 → 境评估难且周 → 评估难且周期 → 估难且周期长, spells 出境评估难且周期长,
// which starts inside a word. Grown to the left over 据出境评估难 and then 数据出境评估 (each the
// only phrase before, and more frequent), it becomes 据出境评估难且周期长 and then
// 数据出境评估难且周期长, where it stops: no phrase precedes 数据出境评估 (a comma does). That
// is counted again: 10 appeals, not less than 0.8 × 10, so it replaces the joined
// expression. Worked out by hand:
//
//	数据出境评估难且周期长: y = 10, x = 0, E06-E10;
//	  δ = ln(10.5 / 16.5) − ln(0.5 / 30.5) = −0.451985 + 4.110874 = 3.658889,
//	  σ² = 1/10.5 + 1/16.5 + 1/0.5 + 1/30.5 = 2.188631, z = 3.658889 / 1.479402 = 2.47322;
//	数据出境评估难 (the first chain, joined as in TestNewPhrasesJoinChains): y = 20, x = 0,
//	  E01-E10; δ = ln(20.5 / 6.5) + 4.110874 = 1.148623 + 4.110874 = 5.259497,
//	  σ² = 1/20.5 + 1/6.5 + 2 + 1/30.5 = 2.235414, z = 5.259497 / 1.495130 = 3.51775.
//
// The reduction keeps both (10 < 0.8 × 20) and drops every shorter phrase inside them with
// as many appeals, 出境评估难且周期长 included.
func TestNewPhrasesGrowChainLeft(t *testing.T) {
	var g, q []string
	for i := 1; i <= 10; i++ {
		g = append(g, fmt.Sprintf("('G%02d', 'E%02d', TIMESTAMP '2025-08-%02d 10:00:00', '其他', '数据出境评估难且周期长。')", i, (i-1)%5+6, i))
	}
	for i := 1; i <= 20; i++ {
		q = append(q, fmt.Sprintf("('Q%02d', 'E%02d', TIMESTAMP '2024-08-%02d 10:00:00', '其他', '园区停车难。')", i, (i-1)%10+1, i))
	}
	edits := append(append([]string(nil), appealTextFixture[:len(appealTextFixture)-1]...),
		"INSERT INTO appeals (appeal_id, uscc, submitted_at, category, content_masked) VALUES "+strings.Join(g, ", "),
		"INSERT INTO appeals (appeal_id, uscc, submitted_at, category, content_masked) VALUES "+strings.Join(q, ", "))
	db, _ := buildIndicators(t, indicatorConfig("2026-03-31"), edits...)
	zLong := (math.Log(10.5/16.5) - math.Log(0.5/30.5)) / math.Sqrt(1/10.5+1/16.5+1/0.5+1/30.5)
	zShort := (math.Log(20.5/6.5) - math.Log(0.5/30.5)) / math.Sqrt(1/20.5+1/6.5+1/0.5+1/30.5)
	if math.Abs(zLong-2.47322) > 1e-5 || math.Abs(zShort-3.51775) > 1e-5 {
		t.Errorf("hand z = %f, %f", zLong, zShort)
	}
	compareTable(t, db, "appeal_new_phrases", "SELECT * FROM appeal_new_phrases", [][]any{
		{2025, "数据出境评估难", 20, 0, 10, zShort},
		{2025, "数据出境评估难且周期长", 10, 0, 5, zLong},
	})
}

// TestNewPhrasesLeaveOutFiller: twenty more appeals of 2025 (F01-F20, E01-E06) read only
// 企业不。, so N = 36 appeals with text in 2025. 企业 is a 不计 entry of the lexicon, and
// 企业不 says nothing of what the appeals are about: it is not a new phrase, although it is
// emerging (y = 20, x = 0, M = 10: δ = ln(20.5 / 16.5) − ln(0.5 / 10.5) = 3.2621,
// σ² = 1/20.5 + 1/16.5 + 1/0.5 + 1/10.5 = 2.2046, z = 2.197 ≥ 1.96), and its piece 业不
// (the same appeals) goes with it in the reduction to maximal phrases instead of standing in
// for it. 数据出境评估难 (y = 10) is no longer emerging at N = 36 (z = 1.42). So: no row.
func TestNewPhrasesLeaveOutFiller(t *testing.T) {
	var vals []string
	for i := 1; i <= 20; i++ {
		vals = append(vals, fmt.Sprintf("('F%02d', 'E%02d', TIMESTAMP '2025-07-%02d 10:00:00', '其他', '企业不。')", i, (i-1)%6+1, i))
	}
	edits := append(append([]string(nil), appealTextFixture[:len(appealTextFixture)-1]...),
		"INSERT INTO appeals (appeal_id, uscc, submitted_at, category, content_masked) VALUES "+strings.Join(vals, ", "))
	db, _ := buildIndicators(t, indicatorConfig("2026-03-31"), edits...)
	if z := (math.Log(20.5/16.5) - math.Log(0.5/10.5)) / math.Sqrt(1/20.5+1/16.5+1/0.5+1/10.5); math.Abs(z-2.197) > 1e-3 {
		t.Errorf("hand z of 企业不 = %f", z)
	}
	// 企业不 and 业不 are counted (20 appeals, 6 enterprises) and left out by the model.
	compareTable(t, db, "appeal_text_phrase_counts", "SELECT phrase, appeals, prev_appeals, enterprises FROM appeal_text_phrase_counts WHERE phrase IN ('企业不', '业不') ORDER BY phrase", [][]any{
		{"业不", 20, 0, 6},
		{"企业不", 20, 0, 6},
	})
	compareTable(t, db, "appeal_new_phrases", "SELECT * FROM appeal_new_phrases", [][]any{})
}

// TestNewPhrasesShortNameCore: the name core parameter below the 4 characters registry.name_tail
// holds. appealTextFixture with E22 renamed 示例市出境评有限公司, whose core 出境评 has 3
// characters. With name_core_min_chars = 4 that core is too short to count, and the phrases
// are those of TestAppealTextAnalysis. With 3, every phrase holding 出境评 goes too (数据出境评,
// 据出境评, 出境评估难 …): of 数据出境评估难, whose pieces are the emerging phrases (all in
// T01-T10, E01-E05), what holds neither 出境评 nor 出境评估 lies inside 数据出境 or 境评估难,
// with as many appeals, so those two are left (worked out by hand; z as in
// TestAppealTextAnalysis).
func TestNewPhrasesShortNameCore(t *testing.T) {
	db, proj := buildIndicators(t, indicatorConfig("2026-03-31"), append(appealTextFixture,
		"UPDATE registry SET name = '示例市出境评有限公司' WHERE uscc = 'E22'")...)
	z := zFixture
	compareTable(t, db, "appeal_new_phrases, core of 4", "SELECT * FROM appeal_new_phrases", [][]any{
		{2025, "境评估难", 10, 0, 5, z},
		{2025, "数据出境评", 10, 0, 5, z},
	})
	if _, err := db.Exec("UPDATE appeal_text_params SET value = 3 WHERE name = 'name_core_min_chars'"); err != nil {
		t.Fatal(err)
	}
	var m []*Model
	for _, x := range proj.Models {
		if x.Name == "appeal_new_phrases" {
			m = append(m, x)
		}
	}
	if _, err := buildModels(context.Background(), db, m, nil); err != nil {
		t.Fatal(err)
	}
	compareTable(t, db, "appeal_new_phrases, core of 3", "SELECT * FROM appeal_new_phrases", [][]any{
		{2025, "境评估难", 10, 0, 5, z},
		{2025, "数据出境", 10, 0, 5, z},
	})
}

// TestNameCoreSuffixesAgree: appeal_new_phrases cuts the organisational suffix of a candidate
// name with the same list ingest uses for registry.name_tail (ingest.NameSuffixes). Were one
// list changed without the other, a name whose core is a new phrase could fail the tail
// look-up and be published through that phrase.
func TestNameCoreSuffixesAgree(t *testing.T) {
	b, err := fs.ReadFile(queries.FS(), "appeals/appeal_new_phrases.sql")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "'"+ingest.NameSuffixes+"'") {
		t.Errorf("queries/appeals/appeal_new_phrases.sql does not cut the suffixes %s of ingest.NameSuffixes", ingest.NameSuffixes)
	}
}
