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

// Column is one canonical column of a source.
type Column struct {
	Name     string   // canonical name, also the clean-table column
	Aliases  []string // accepted Chinese headers
	Type     Type     // canonical type
	Required bool     // the header must be present and every value non-empty
	Range    Range    // for Money and Integer columns
	Doc      string   // what the column holds and the rule it follows (for printed docs)
}

// Flag is a flag column a clean table adds to its canonical columns.
type Flag struct {
	Name string // column name in the clean table
	Type string // DuckDB type
	Doc  string
}

// Source describes one source folder and the clean table it becomes.
type Source struct {
	Name     string   // folder name and clean-table name
	Title    string   // Chinese name
	Required bool     // Run fails when the folder is missing
	Columns  []Column // canonical columns in clean-table order
	Extra    []Flag   // derived and flag columns that follow the canonical ones
	Key      []string // duplicate key (nil: none)
	Doc      string
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

// appealCategories is the closed list of appeal categories (docs/sources.md).
func appealCategories() []string {
	return []string{"融资信贷", "用工人才", "市场准入", "政策落实", "知识产权", "要素保障", "账款拖欠", "涉企执法", "税费", "法律权益", "科技创新", "其他"}
}

// donationPrograms is the closed list of donation programs (docs/sources.md).
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

// Sources returns the source definitions in the order Run processes them: the sources
// others are checked against (districts, chambers, registry) come first.
func Sources() []Source {
	return []Source{
		{
			Name: "districts", Title: "区县名录",
			Doc: "optional; when present it replaces the configured list of districts",
			Columns: []Column{
				{Name: "district_code", Aliases: []string{"区划代码", "行政区划代码", "区县代码"}, Type: Text, Required: true, Doc: "6 digits, unique"},
				{Name: "name", Aliases: []string{"区县名称", "名称"}, Type: Text, Required: true},
			},
			Key: []string{"district_code"},
		},
		{
			Name: "chambers", Title: "商会名录",
			Columns: []Column{
				{Name: "chamber_id", Aliases: []string{"商会编号"}, Type: Text, Required: true, Doc: "unique"},
				{Name: "name", Aliases: []string{"商会名称"}, Type: Text},
				{Name: "kind", Aliases: []string{"商会类型"}, Type: Text, Doc: "行业商会, 异地商会, 区域商会"},
				{Name: "established_on", Aliases: []string{"成立日期"}, Type: Date},
				{Name: "member_count", Aliases: []string{"会员数"}, Type: Integer, Range: NonNegative},
			},
			Key: []string{"chamber_id"},
		},
		{
			Name: "registry", Title: "企业登记", Required: true,
			Doc: "one row per market entity; full snapshot",
			Columns: []Column{
				{Name: "uscc", Aliases: []string{"统一社会信用代码", "信用代码"}, Type: Code, Required: true, Doc: "wrong length or characters → reject; wrong check character → uscc_valid=false"},
				{Name: "name", Aliases: []string{"企业名称", "名称", "主体名称"}, Type: Text, Required: true},
				{Name: "ownership", Aliases: []string{"经济类型", "经济性质", "所有制"}, Type: Text, Required: true, Doc: "民营, 个体, 国有, 集体, 外资, 港澳台; other → reject"},
				{Name: "entity_type", Aliases: []string{"企业类型", "主体类型"}, Type: Text},
				{Name: "industry_code", Aliases: []string{"行业代码", "国民经济行业代码"}, Type: Text, Doc: "GB/T 4754-2017, 2-4 digits, optional section letter"},
				{Name: "district_code", Aliases: []string{"区划代码", "所属区县代码", "行政区划代码"}, Type: Text},
				{Name: "established_on", Aliases: []string{"成立日期"}, Type: Date, Required: true},
				{Name: "status", Aliases: []string{"登记状态", "经营状态"}, Type: Text, Doc: "active, revoked, cancelled, moved_out, other"},
				{Name: "cancelled_on", Aliases: []string{"注销日期", "吊销日期", "注销吊销日期", "迁出日期"}, Type: Date},
				{Name: "approved_on", Aliases: []string{"核准日期"}, Type: Date},
				{Name: "registered_capital", Aliases: []string{"注册资本"}, Type: Money, Range: NonNegative},
				{Name: "employees", Aliases: []string{"从业人数", "从业人员"}, Type: Integer, Range: NonNegative},
				{Name: "revenue", Aliases: []string{"营业收入"}, Type: Money, Range: NonNegative},
				{Name: "specialized_level", Aliases: []string{"专精特新等级", "专精特新"}, Type: Text, Doc: "创新型中小企业, 专精特新中小企业, 小巨人, 单项冠军; other → reject"},
				{Name: "high_tech", Aliases: []string{"高新技术企业", "是否高企"}, Type: Boolean, Doc: "default false"},
				{Name: "chamber_id", Aliases: []string{"所属商会编号"}, Type: Text},
			},
			Extra: []Flag{
				{"status_raw", "VARCHAR", "登记状态 as given"},
				{"industry_division", "VARCHAR", "2-digit GB/T 4754 division"},
				{"industry_section", "VARCHAR", "section letter; '?' when the division is unknown"},
				{"uscc_valid", "BOOLEAN", "check character is right"},
				{"unknown_district", "BOOLEAN", "district_code not a configured district"},
				{"unknown_chamber", "BOOLEAN", "chamber_id not in chambers"},
				{"missing_cancelled_on", "BOOLEAN", "revoked/cancelled/moved_out without cancelled_on"},
			},
			Key: []string{"uscc"},
		},
		{
			Name: "appeals", Title: "企业诉求", Required: true,
			Columns: []Column{
				{Name: "appeal_id", Aliases: []string{"诉求编号", "工单编号"}, Type: Text, Required: true, Doc: "unique"},
				{Name: "uscc", Aliases: []string{"统一社会信用代码"}, Type: Code, Required: true},
				{Name: "submitted_at", Aliases: []string{"提报时间", "受理时间"}, Type: Timestamp, Required: true},
				{Name: "category", Aliases: []string{"诉求类别", "问题类别"}, Type: Text, Doc: "closed list; other → 其他 and unknown_category"},
				{Name: "is_common", Aliases: []string{"是否共性诉求", "共性诉求"}, Type: Boolean, Doc: "default false"},
				{Name: "channel", Aliases: []string{"提报渠道", "来源渠道"}, Type: Text},
				{Name: "department", Aliases: []string{"承办部门", "承办单位"}, Type: Text},
				{Name: "responded_at", Aliases: []string{"首次响应时间", "反馈时间"}, Type: Timestamp},
				{Name: "closed_at", Aliases: []string{"办结时间"}, Type: Timestamp},
				{Name: "satisfaction", Aliases: []string{"满意度", "评价结果"}, Type: Text, Doc: "满意, 基本满意, 不满意 or NULL; 5/4, 3, 1/2 accepted"},
				{Name: "content", Aliases: []string{"诉求内容"}, Type: Text},
			},
			Extra: []Flag{
				{"content_masked", "VARCHAR", "content with personal data replaced by 〔已遮蔽〕 (docs/text-analysis.md; see maskText): the only appeal text models may read"},
				{"orphan", "BOOLEAN", "uscc not in the clean registry"},
				{"unknown_category", "BOOLEAN", "category replaced by 其他"},
			},
			Key: []string{"appeal_id"},
		},
		{
			Name: "innovation", Title: "创新积分申报", Required: true,
			Doc: "one row per enterprise per year",
			Columns: []Column{
				{Name: "uscc", Aliases: []string{"统一社会信用代码"}, Type: Code, Required: true},
				{Name: "year", Aliases: []string{"年度", "申报年度"}, Type: Year, Required: true, Doc: "(uscc, year) unique"},
				{Name: "rd_expense", Aliases: []string{"研发费用", "研发投入"}, Type: Money, Required: true, Range: NonNegative},
				{Name: "revenue", Aliases: []string{"营业收入"}, Type: Money, Required: true, Range: NonNegative},
				{Name: "rd_staff", Aliases: []string{"研发人员数"}, Type: Integer, Range: NonNegative},
				{Name: "staff", Aliases: []string{"职工总数", "从业人数"}, Type: Integer, Range: NonNegative, Doc: "≥ rd_staff"},
				{Name: "invention_patents", Aliases: []string{"发明专利授权数"}, Type: Integer, Range: NonNegative},
				{Name: "other_ip", Aliases: []string{"其他知识产权数"}, Type: Integer, Range: NonNegative},
				{Name: "standards", Aliases: []string{"主导制定标准数"}, Type: Integer, Range: NonNegative},
				{Name: "tech_contract_amount", Aliases: []string{"技术合同成交额"}, Type: Money, Range: NonNegative},
				{Name: "equity_financing", Aliases: []string{"股权融资额"}, Type: Money, Range: NonNegative},
			},
			Extra: []Flag{
				{"orphan", "BOOLEAN", "uscc not in the clean registry"},
			},
			Key: []string{"uscc", "year"},
		},
		{
			Name: "donations", Title: "公益捐赠", Required: true,
			Columns: []Column{
				{Name: "donation_id", Aliases: []string{"捐赠编号"}, Type: Text, Required: true, Doc: "unique"},
				{Name: "uscc", Aliases: []string{"统一社会信用代码"}, Type: Code, Required: true},
				{Name: "donated_on", Aliases: []string{"捐赠日期"}, Type: Date, Required: true},
				{Name: "amount", Aliases: []string{"捐赠金额"}, Type: Money, Required: true, Range: Positive},
				{Name: "form", Aliases: []string{"捐赠形式"}, Type: Text, Doc: "现金, 物资, 服务"},
				{Name: "program", Aliases: []string{"公益项目类别", "项目类别"}, Type: Text, Doc: "closed list; other → 其他 and unknown_program"},
				{Name: "recipient", Aliases: []string{"受赠方"}, Type: Text},
				{Name: "verified", Aliases: []string{"是否到账", "已核实"}, Type: Boolean, Doc: "missing column → every row verified; empty cell → false"},
			},
			Extra: []Flag{
				{"orphan", "BOOLEAN", "uscc not in the clean registry"},
				{"unknown_program", "BOOLEAN", "program replaced by 其他"},
				{"verified_assumed", "BOOLEAN", "the file had no verified column, so verified was set true"},
			},
			Key: []string{"donation_id"},
		},
		{
			Name: "chamber_activities", Title: "商会活动",
			Columns: []Column{
				{Name: "chamber_id", Aliases: []string{"商会编号"}, Type: Text, Required: true},
				{Name: "held_on", Aliases: []string{"活动日期"}, Type: Date},
				{Name: "kind", Aliases: []string{"活动类型"}, Type: Text, Doc: "会员大会, 理事会, 品牌活动, 培训, 其他"},
				{Name: "participants", Aliases: []string{"参加人数"}, Type: Integer, Range: NonNegative},
			},
			Extra: []Flag{
				{"orphan", "BOOLEAN", "chamber_id not in chambers"},
				{"unknown_chamber", "BOOLEAN", "chamber_id not in chambers"},
			},
		},
		{
			Name: "chamber_fees", Title: "商会会费",
			Columns: []Column{
				{Name: "chamber_id", Aliases: []string{"商会编号"}, Type: Text, Required: true},
				{Name: "year", Aliases: []string{"年度"}, Type: Year, Required: true},
				{Name: "due", Aliases: []string{"应收会费"}, Type: Money, Range: NonNegative},
				{Name: "collected", Aliases: []string{"实收会费"}, Type: Money, Range: NonNegative},
			},
		},
	}
}

// commonExtra returns the columns every clean table ends with.
func commonExtra() []Flag {
	return []Flag{
		{"source_file", "VARCHAR", "path below the data folder"},
		{"source_line", "VARCHAR", "editor line (header = 1), Sheet!row for a workbook, row number for Parquet"},
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
