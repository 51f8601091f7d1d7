package ingest

// Type is the canonical type of a source column.
type Type string

// The canonical column types and the DuckDB type each becomes in a clean table.
const (
	Text      Type = "text"      // VARCHAR, kept as given (trimmed)
	Code      Type = "code"      // VARCHAR credit code: trimmed and upper-cased first
	Date      Type = "date"      // DATE
	Timestamp Type = "timestamp" // TIMESTAMP
	Money     Type = "money"     // DECIMAL(18,6) in 万元; a 元 header is divided by 10,000
	Integer   Type = "integer"   // BIGINT
	Year      Type = "year"      // INTEGER
	Boolean   Type = "boolean"   // BOOLEAN
)

// SQLType returns the DuckDB type a column of type t has in its clean table.
func (t Type) SQLType() string {
	switch t {
	case Date:
		return "DATE"
	case Timestamp:
		return "TIMESTAMP"
	case Money:
		return "DECIMAL(18,6)"
	case Integer:
		return "BIGINT"
	case Year:
		return "INTEGER"
	case Boolean:
		return "BOOLEAN"
	}
	return "VARCHAR"
}

// Range is the allowed range of a number column; a value outside it is rejected as out_of_range.
type Range string

// The ranges a number column can require.
const (
	AnyNumber   Range = ""
	NonNegative Range = ">=0"
	Positive    Range = ">0"
)

// Column is one canonical column of a source: everything ingest does with it is read from
// here (validate.go generates the SQL, contractdoc.go the contract, refsources.go the table
// ref_sources, and the conformance test its hostile rows).
type Column struct {
	Name     string   // canonical name, also the clean-table column
	Aliases  []string // accepted Chinese headers; the first is the column's Chinese title
	Type     Type     // canonical type
	Required bool     // the header must be present and every value non-empty (missing_required)
	Range    Range    // for Money and Integer columns (out_of_range)
	Pattern  string   // a regular expression every non-empty value must match whole (bad_value)
	// Values is a closed list: accepted value → canonical value. Any other non-empty value is
	// rejected as unknown_value. The rows table stores the column as an ENUM of the canonical values.
	Values [][2]string
	// Fallback is a closed list whose other values (and an empty cell) become Other and set Flag.
	Fallback *Fallback
	AtLeast  string // the name of a number column this one may not be below (out_of_range)
	After    string // the name of a date column this one may not precede (date_order)
	Ref      *Ref   // the source whose clean rows must hold this value, and the flags it sets
	// IfAbsent is the value every row takes when a file lacks the column (with the flag
	// AbsentFlag set, and a note on the file in ingest_files); "" for NULL.
	IfAbsent   string
	AbsentFlag string
	AbsentNote string // what the note of such a file says happened, e.g. "counted as verified"
	// Masked names the clean column that holds this text with personal data masked (see
	// maskText); the rejected lines of the source are masked too.
	Masked string
	// Personal says why analyst SQL may not read the column (pipeline/access.go); "" when it may.
	Personal string
	// Rule names a rule that needs code (see codeRules in rules.go): it adds typed values,
	// checks, clean and derived columns of its own.
	Rule    string
	Example string // a valid value, used by the conformance test and printed in the contract
	Doc     string // what the column holds, for printed docs
}

// Fallback is a closed list with a fallback value (see Column.Fallback).
type Fallback struct {
	Values []string
	Other  string // the value that replaces an empty cell or a value outside the list
	Flag   string // the flag column set when the value was replaced
}

// Ref says that a value must exist in another source (see Column.Ref); a row whose value
// does not only sets the flags, it is never rejected.
type Ref struct {
	Source string   // the referenced source
	Column string   // its column
	Flags  []string // flag columns set to true when the value is not there
	// IfEmpty is the flags' value for an empty cell (an optional column).
	IfEmpty bool
	// Enum: the referenced values are few and loaded first, so the flags are computed while
	// the rows load, by a cast to an ENUM of them (see parentSetType); otherwise they are set
	// by one UPDATE once the source is in (see parentFlagsSet).
	Enum bool
}

// Title is the column's Chinese title: its first accepted header.
func (c Column) Title() string {
	if len(c.Aliases) == 0 {
		return ""
	}
	return c.Aliases[0]
}

// Flag is a column a clean table adds to its canonical columns: derived values and flags.
type Flag struct {
	Name string // column name in the clean table
	Type string // DuckDB type
	Doc  string
	// Flags, for a flag column, is the condition over it under which it flags a row ("%s"
	// stands for the column): counted in ingest_files.rows_flagged. "" for a column that
	// flags nothing.
	Flags string
	Title string // Chinese title (ref_sources.column_title)
}

// Source describes one source folder and the clean table it becomes.
type Source struct {
	Name     string   // folder name and clean-table name
	Title    string   // Chinese name, as the report and the contract print it
	Order    int      // the order the report lists the sources in (1 first)
	Required bool     // Run fails when the folder is missing
	Columns  []Column // canonical columns in clean-table order
	Extra    []Flag   // derived and flag columns that follow the canonical ones
	Key      []string // duplicate key (nil: none)
	// DupRule is the reject rule of a duplicate that lost ("" is duplicate_id); KeepLatest,
	// a date column: the row with its latest value wins (a missing date is the oldest), then
	// the last row read; without it the first row read wins.
	DupRule    string
	KeepLatest string
	// WhenAbsent names the code (see absentFills) that fills the clean table of a missing
	// optional source; "" leaves it empty.
	WhenAbsent string
	Doc        string
}

// Column returns the canonical column called name, and whether it exists.
func (s Source) Column(name string) (Column, bool) {
	for _, c := range s.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// dupRule is the reject rule of a duplicate of s that lost.
func (s Source) dupRule() string {
	if s.DupRule != "" {
		return s.DupRule
	}
	return "duplicate_id"
}

// appealCategories is the closed list of appeal categories.
func appealCategories() []string {
	return []string{"融资信贷", "用工人才", "市场准入", "政策落实", "知识产权", "要素保障", "账款拖欠", "涉企执法", "税费", "法律权益", "科技创新", "其他"}
}

// donationPrograms is the closed list of donation programs.
func donationPrograms() []string {
	return []string{"万企兴万村", "光彩事业", "教育", "医疗", "救灾", "扶老助残", "其他"}
}

// ownershipValues maps an accepted ownership value to its canonical value.
func ownershipValues() [][2]string {
	return [][2]string{
		{"民营", "民营"}, {"私营", "民营"}, {"民营企业", "民营"},
		{"个体", "个体"}, {"个体工商户", "个体"},
		{"国有", "国有"}, {"集体", "集体"},
		{"外资", "外资"}, {"外商投资", "外资"},
		{"港澳台", "港澳台"},
	}
}

// specializedValues maps an accepted 专精特新 level to its canonical value.
func specializedValues() [][2]string {
	return [][2]string{
		{"创新型中小企业", "创新型中小企业"},
		{"专精特新中小企业", "专精特新中小企业"},
		{`专精特新"小巨人"`, "小巨人"}, {"专精特新“小巨人”", "小巨人"}, {"专精特新小巨人", "小巨人"},
		{"小巨人", "小巨人"}, {`"小巨人"`, "小巨人"}, {"“小巨人”", "小巨人"},
		{"单项冠军", "单项冠军"}, {"制造业单项冠军", "单项冠军"},
	}
}

// satisfactionValues maps an accepted satisfaction value to its canonical value.
func satisfactionValues() [][2]string {
	return [][2]string{
		{"满意", "满意"}, {"5", "满意"}, {"4", "满意"},
		{"基本满意", "基本满意"}, {"3", "基本满意"},
		{"不满意", "不满意"}, {"2", "不满意"}, {"1", "不满意"},
	}
}

// The references between sources (see Ref).
var (
	refRegistry  = &Ref{Source: "registry", Column: "uscc", Flags: []string{"orphan"}}
	refChambers  = &Ref{Source: "chambers", Column: "chamber_id", Flags: []string{"orphan", "unknown_chamber"}}
	refDistricts = &Ref{Source: "districts", Column: "district_code", Flags: []string{"unknown_district"}, IfEmpty: true, Enum: true}
	refChamber   = &Ref{Source: "chambers", Column: "chamber_id", Flags: []string{"unknown_chamber"}, Enum: true}
)

// orphanFlag is the flag a Ref to another source's key sets.
var orphanFlag = Flag{"orphan", "BOOLEAN", "uscc not in the clean registry", "%s", "登记中查无此企业"}

// Sources returns the source contract: the definition of every source, in the order Run
// processes them (the sources others are checked against, districts, chambers and the
// registry, come first). It is the one place a source, a column or a rule is declared:
// ingest, the generated docs/sources.md, the table ref_sources, the report's labels and
// the conformance test all read it.
func Sources() []Source {
	return []Source{
		{
			Name: "districts", Title: "区县名录", Order: 8, WhenAbsent: "configured_districts",
			Doc: "optional; when present it replaces the configured list of districts",
			Columns: []Column{
				{Name: "district_code", Aliases: []string{"区划代码", "行政区划代码", "区县代码"}, Type: Text, Required: true, Pattern: "[0-9]{6}", Example: "990102", Doc: "6 digits, unique"},
				{Name: "name", Aliases: []string{"区县名称", "名称"}, Type: Text, Required: true, Example: "东湖区"},
			},
			Key: []string{"district_code"},
		},
		{
			Name: "chambers", Title: "商会名录", Order: 5,
			Columns: []Column{
				{Name: "chamber_id", Aliases: []string{"商会编号"}, Type: Text, Required: true, Example: "C001", Doc: "unique"},
				{Name: "name", Aliases: []string{"商会名称"}, Type: Text, Example: "示例市服装商会"},
				{Name: "kind", Aliases: []string{"商会类型"}, Type: Text, Example: "行业商会", Doc: "行业商会, 异地商会, 区域商会"},
				{Name: "established_on", Aliases: []string{"成立日期"}, Type: Date, Example: "2010-05-01"},
				{Name: "member_count", Aliases: []string{"会员数"}, Type: Integer, Range: NonNegative, Example: "120"},
			},
			Key: []string{"chamber_id"},
		},
		{
			Name: "registry", Title: "市场主体登记", Order: 1, Required: true,
			Doc: "one row per market entity; full snapshot",
			Columns: []Column{
				{Name: "uscc", Aliases: []string{"统一社会信用代码", "信用代码"}, Type: Code, Required: true, Rule: "uscc_check", Example: "91990100MA12345675"},
				{Name: "name", Aliases: []string{"企业名称", "名称", "主体名称"}, Type: Text, Required: true, Rule: "name_tail", Example: "示例市某某科技有限公司"},
				{Name: "ownership", Aliases: []string{"经济类型", "经济性质", "所有制"}, Type: Text, Required: true, Values: ownershipValues(), Example: "民营"},
				{Name: "entity_type", Aliases: []string{"企业类型", "主体类型"}, Type: Text, Example: "有限责任公司"},
				{Name: "industry_code", Aliases: []string{"行业代码", "国民经济行业代码"}, Type: Text, Rule: "industry_code", Example: "C3911", Doc: "GB/T 4754-2017, 2-4 digits, optional section letter"},
				{Name: "district_code", Aliases: []string{"区划代码", "所属区县代码", "行政区划代码"}, Type: Text, Ref: refDistricts, Example: "990102"},
				{Name: "established_on", Aliases: []string{"成立日期"}, Type: Date, Required: true, Example: "2020-01-15"},
				{Name: "status", Aliases: []string{"登记状态", "经营状态"}, Type: Text, Rule: "registration_status", Example: "存续"},
				{Name: "cancelled_on", Aliases: []string{"注销日期", "吊销日期", "注销吊销日期", "迁出日期"}, Type: Date, After: "established_on", Rule: "closed_needs_date"},
				{Name: "approved_on", Aliases: []string{"核准日期"}, Type: Date, Example: "2020-01-15"},
				{Name: "registered_capital", Aliases: []string{"注册资本"}, Type: Money, Range: NonNegative, Example: "500"},
				{Name: "employees", Aliases: []string{"从业人数", "从业人员"}, Type: Integer, Range: NonNegative, Example: "25"},
				{Name: "revenue", Aliases: []string{"营业收入"}, Type: Money, Range: NonNegative, Example: "1200.5"},
				{Name: "specialized_level", Aliases: []string{"专精特新等级", "专精特新"}, Type: Text, Values: specializedValues(), Example: "小巨人"},
				{Name: "high_tech", Aliases: []string{"高新技术企业", "是否高企"}, Type: Boolean, Example: "否", Doc: "default false"},
				{Name: "chamber_id", Aliases: []string{"所属商会编号"}, Type: Text, Ref: refChamber, Example: "C001"},
			},
			Extra: []Flag{
				{"status_raw", "VARCHAR", "登记状态 as given", "", "登记状态（原文）"},
				{"industry_division", "VARCHAR", "2-digit GB/T 4754 division", "", "行业大类"},
				{"industry_section", "VARCHAR", "section letter; '?' when the division is unknown", "(%s) = '?'", "行业门类"},
				{"uscc_valid", "BOOLEAN", "check character is right", "NOT %s", "信用代码校验通过"},
				{"unknown_district", "BOOLEAN", "district_code not a configured district", "%s", "区划代码不在名录"},
				{"unknown_chamber", "BOOLEAN", "chamber_id not in chambers", "%s", "商会编号不在名录"},
				{"missing_cancelled_on", "BOOLEAN", "revoked/cancelled/moved_out without cancelled_on", "%s", "缺少注销日期"},
				{"name_tail", "VARCHAR", "last 4 characters of the name without bracketed parts and organisational suffix, for the text analysis", "", "企业名称尾字"},
			},
			Key: []string{"uscc"}, DupRule: "duplicate_uscc", KeepLatest: "approved_on",
		},
		{
			Name: "appeals", Title: "企业诉求", Order: 2, Required: true,
			Columns: []Column{
				{Name: "appeal_id", Aliases: []string{"诉求编号", "工单编号"}, Type: Text, Required: true, Example: "A2024000001", Doc: "unique"},
				{Name: "uscc", Aliases: []string{"统一社会信用代码"}, Type: Code, Required: true, Ref: refRegistry, Example: "91990100MA12345675"},
				{Name: "submitted_at", Aliases: []string{"提报时间", "受理时间"}, Type: Timestamp, Required: true, Example: "2024-03-01 09:00:00"},
				{Name: "category", Aliases: []string{"诉求类别", "问题类别"}, Type: Text, Fallback: &Fallback{Values: appealCategories(), Other: "其他", Flag: "unknown_category"}, Example: "税费"},
				{Name: "is_common", Aliases: []string{"是否共性诉求", "共性诉求"}, Type: Boolean, Example: "否", Doc: "default false"},
				{Name: "channel", Aliases: []string{"提报渠道", "来源渠道"}, Type: Text, Example: "12345热线"},
				{Name: "department", Aliases: []string{"承办部门", "承办单位"}, Type: Text, Example: "市税务局"},
				{Name: "responded_at", Aliases: []string{"首次响应时间", "反馈时间"}, Type: Timestamp, After: "submitted_at", Example: "2024-03-02 10:00:00"},
				{Name: "closed_at", Aliases: []string{"办结时间"}, Type: Timestamp, After: "submitted_at", Example: "2024-03-05 17:00:00"},
				{Name: "satisfaction", Aliases: []string{"满意度", "评价结果"}, Type: Text, Values: satisfactionValues(), Example: "满意"},
				{Name: "content", Aliases: []string{"诉求内容"}, Type: Text, Masked: "content_masked",
					Personal: "an appeal's text may hold names, phone and identity numbers; read content_masked (the masked text) instead", Example: "希望简化出口退税手续"},
			},
			Extra: []Flag{
				{"content_masked", "VARCHAR", "content with personal data replaced by 〔已遮蔽〕 (docs/text-analysis.md; see maskText): the only appeal text models may read", "", "诉求内容（已遮蔽）"},
				orphanFlag,
				{"unknown_category", "BOOLEAN", "category replaced by 其他", "%s", "类别不规范"},
			},
			Key: []string{"appeal_id"},
		},
		{
			Name: "innovation", Title: "创新积分申报", Order: 3, Required: true,
			Doc: "one row per enterprise per year",
			Columns: []Column{
				{Name: "uscc", Aliases: []string{"统一社会信用代码"}, Type: Code, Required: true, Ref: refRegistry, Example: "91990100MA12345675"},
				{Name: "year", Aliases: []string{"年度", "申报年度"}, Type: Year, Required: true, Example: "2024", Doc: "(uscc, year) unique"},
				{Name: "rd_expense", Aliases: []string{"研发费用", "研发投入"}, Type: Money, Required: true, Range: NonNegative, Example: "80"},
				{Name: "revenue", Aliases: []string{"营业收入"}, Type: Money, Required: true, Range: NonNegative, Example: "1200.5"},
				{Name: "rd_staff", Aliases: []string{"研发人员数"}, Type: Integer, Range: NonNegative, Example: "6"},
				{Name: "staff", Aliases: []string{"职工总数", "从业人数"}, Type: Integer, Range: NonNegative, AtLeast: "rd_staff", Example: "25"},
				{Name: "invention_patents", Aliases: []string{"发明专利授权数"}, Type: Integer, Range: NonNegative, Example: "2"},
				{Name: "other_ip", Aliases: []string{"其他知识产权数"}, Type: Integer, Range: NonNegative, Example: "3"},
				{Name: "standards", Aliases: []string{"主导制定标准数"}, Type: Integer, Range: NonNegative, Example: "0"},
				{Name: "tech_contract_amount", Aliases: []string{"技术合同成交额"}, Type: Money, Range: NonNegative, Example: "15"},
				{Name: "equity_financing", Aliases: []string{"股权融资额"}, Type: Money, Range: NonNegative, Example: "0"},
			},
			Extra: []Flag{orphanFlag},
			Key:   []string{"uscc", "year"},
		},
		{
			Name: "donations", Title: "公益捐赠", Order: 4, Required: true,
			Columns: []Column{
				{Name: "donation_id", Aliases: []string{"捐赠编号"}, Type: Text, Required: true, Example: "D2024000001", Doc: "unique"},
				{Name: "uscc", Aliases: []string{"统一社会信用代码"}, Type: Code, Required: true, Ref: refRegistry, Example: "91990100MA12345675"},
				{Name: "donated_on", Aliases: []string{"捐赠日期"}, Type: Date, Required: true, Example: "2024-04-10"},
				{Name: "amount", Aliases: []string{"捐赠金额"}, Type: Money, Required: true, Range: Positive, Example: "5"},
				{Name: "form", Aliases: []string{"捐赠形式"}, Type: Text, Example: "现金", Doc: "现金, 物资, 服务"},
				{Name: "program", Aliases: []string{"公益项目类别", "项目类别"}, Type: Text, Fallback: &Fallback{Values: donationPrograms(), Other: "其他", Flag: "unknown_program"}, Example: "教育"},
				{Name: "recipient", Aliases: []string{"受赠方"}, Type: Text, Personal: "a recipient may be a person; count or sum the donations instead", Example: "示例市慈善总会"},
				{Name: "verified", Aliases: []string{"是否到账", "已核实"}, Type: Boolean, IfAbsent: "true", AbsentFlag: "verified_assumed", AbsentNote: "counted as verified",
					Example: "是", Doc: "an empty cell → false"},
			},
			Extra: []Flag{
				orphanFlag,
				{"unknown_program", "BOOLEAN", "program replaced by 其他", "%s", "项目类别不规范"},
				{"verified_assumed", "BOOLEAN", "the file had no verified column, so verified was set true", "", "视为已核实"},
			},
			Key: []string{"donation_id"},
		},
		{
			Name: "chamber_activities", Title: "商会活动", Order: 6,
			Columns: []Column{
				{Name: "chamber_id", Aliases: []string{"商会编号"}, Type: Text, Required: true, Ref: refChambers, Example: "C001"},
				{Name: "held_on", Aliases: []string{"活动日期"}, Type: Date, Example: "2024-05-20"},
				{Name: "kind", Aliases: []string{"活动类型"}, Type: Text, Example: "培训", Doc: "会员大会, 理事会, 品牌活动, 培训, 其他"},
				{Name: "participants", Aliases: []string{"参加人数"}, Type: Integer, Range: NonNegative, Example: "60"},
			},
			Extra: []Flag{
				{"orphan", "BOOLEAN", "chamber_id not in chambers", "%s", "商会名录中查无此商会"},
				{"unknown_chamber", "BOOLEAN", "chamber_id not in chambers", "%s", "商会编号不在名录"},
			},
		},
		{
			Name: "chamber_fees", Title: "商会会费", Order: 7,
			Columns: []Column{
				{Name: "chamber_id", Aliases: []string{"商会编号"}, Type: Text, Required: true, Example: "C001"},
				{Name: "year", Aliases: []string{"年度"}, Type: Year, Required: true, Example: "2024"},
				{Name: "due", Aliases: []string{"应收会费"}, Type: Money, Range: NonNegative, Example: "10"},
				{Name: "collected", Aliases: []string{"实收会费"}, Type: Money, Range: NonNegative, Example: "8"},
			},
		},
	}
}

// RejectRule is a reason a row is rejected, as rejects.rule names it.
type RejectRule struct {
	Name  string
	Title string // the Chinese label the data-quality appendix prints
	Doc   string
}

// RejectRules returns every reason a row can be rejected for, in the order a row is judged
// (the duplicates last). TestRejectRulesComplete checks that every rule ingest can give is here.
func RejectRules() []RejectRule {
	return []RejectRule{
		{"malformed_row", "行格式错误", "a CSV line with more or fewer fields than the header, or whose quoted field is still open at the end of the file; judged before anything else"},
		{"missing_required", "必填项为空", "a required value is empty"},
		{"bad_value", "取值无法识别", "a value cannot be read as its type"},
		{"bad_uscc", "信用代码格式错误", "a registry credit code of the wrong length or characters (in other sources such a code finds no registry row and flags `orphan`)"},
		{"unknown_value", "取值不在允许范围", "a value outside a closed list without a fallback"},
		{"out_of_range", "数值超出合理范围", "a number outside its range"},
		{"date_order", "日期先后矛盾", "a date before the one it must follow"},
		{"future_date", "日期晚于提取日", "a date (or the date of a date-time) after the extraction date"},
		{"duplicate_uscc", "信用代码重复", "a registry row that lost duplicate resolution"},
		{"duplicate_id", "编号重复", "a repeated key in any other source"},
	}
}

// commonExtra returns the columns every clean table ends with.
func commonExtra() []Flag {
	return []Flag{
		{"source_file", "VARCHAR", "path below the data folder", "", "来源文件"},
		{"source_line", "VARCHAR", "editor line (header = 1), Sheet!row for a workbook, row number for Parquet", "", "来源行号"},
	}
}

// sectionRange is one GB/T 4754-2017 section with its first and last division.
type sectionRange struct {
	Section     string
	First, Last int
}

// sectionRanges lists the GB/T 4754-2017 sections (docs/domain.md).
func sectionRanges() []sectionRange {
	return []sectionRange{
		{"A", 1, 5}, {"B", 6, 12}, {"C", 13, 43}, {"D", 44, 46}, {"E", 47, 50}, {"F", 51, 52},
		{"G", 53, 60}, {"H", 61, 62}, {"I", 63, 65}, {"J", 66, 69}, {"K", 70, 70}, {"L", 71, 72},
		{"M", 73, 75}, {"N", 76, 79}, {"O", 80, 82}, {"P", 83, 83}, {"Q", 84, 85}, {"R", 86, 90},
		{"S", 91, 96}, {"T", 97, 97},
	}
}
