package demo

import (
	"fmt"
	"strconv"
	"strings"
)

// The word lists below are invented for the fictional city 示例市; no name is
// meant to denote a real company. They are constants, parsed into a vocab
// once per Generate call, so the package holds no mutable state.

// List syntax: items are separated by spaces; an item may carry ":weight";
// alternatives inside an item are separated by "|".
const (
	// zihaoChars are the characters of a trade name (字号).
	zihaoChars = "华 信 恒 瑞 达 兴 盛 源 博 创 鑫 泰 宏 远 安 嘉 德 汇 诚 邦 正 和 丰 通 明 光 新 立 天 宇 海 润 金 鼎 辰 峰 锦 美 凯 乐 顺 隆 昌 晟 荣 益 升 腾 祥 福 永 聚 合 宝 林 星 航 睿 智 卓 优 联 科 利 佳 协 宁 康 中 云 启 越 展 众 威 豪 铭 璟 骏 舜 晖 旭 洲 川 岳 蓝 青 石 桥 湖 江"

	surnames = "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 肖 田 董 袁 潘 于 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 姜 崔 钟 谭 陆 汪 范 金 石 廖 贾 夏 韦 付 方 白 邹 孟 熊 秦 邱 江 尹 薛 闫 段 雷 侯 龙 史 陶 黎 贺 顾 毛 郝 龚 邵 万 钱 严 覃 武 戴 莫 孔 向 汤"

	// divisionWords gives, per GB/T 4754 division, the industry words of an
	// enterprise name.
	divisionWords = "01:农业发展|生态农业|种植 02:林业|苗木 03:养殖|畜牧 04:水产|渔业 05:农业服务|农机服务 " +
		"13:粮油食品|农副产品加工 14:食品|食品科技 17:纺织|织造 18:服饰|服装 26:化工|新材料 27:医药|生物医药 " +
		"29:塑料制品|橡胶制品 30:新型建材|建材 33:金属制品|五金制品 34:精密机械|机械|通用设备 35:智能装备|专用设备 " +
		"36:汽车零部件|汽车配件 38:电气|电器|电力设备 39:电子科技|电子|光电科技 40:仪器仪表|测控技术 " +
		"44:新能源|电力 45:燃气 46:水务 47:建设工程|建筑工程 48:路桥工程|市政工程 49:机电安装|安装工程 50:装饰工程|建筑装饰 " +
		"51:商贸|贸易|供应链管理 52:百货|超市|商业连锁 54:物流|运输 58:国际货运代理|货运代理 59:仓储|仓储物流 " +
		"61:酒店管理|宾馆 62:餐饮管理|餐饮 63:通信技术 64:网络科技|互联网科技 65:信息技术|软件|数据科技 " +
		"66:小额贷款 69:融资担保 70:房地产开发|置业|物业管理 71:设备租赁|租赁 72:企业管理咨询|商务咨询|人力资源|广告|会展服务 " +
		"73:生物技术研究|新材料研究 74:检测技术|工程设计|勘察设计 75:科技发展|技术服务|环保科技 77:环保工程|环境治理 78:园林绿化|市政管理 " +
		"80:家政服务|保洁服务 81:汽车维修|家电维修 82:洗涤服务|美容 83:教育科技|职业技能培训 84:医疗管理|门诊部 " +
		"86:文化传媒|影视传媒 88:文化艺术 89:体育发展|健身"

	// shopWords gives, per division, the shop words of a 个体工商户 name.
	shopWords = "01:家庭农场|种植场 03:养殖场 13:粮油加工坊 14:糕点坊|豆腐坊 18:裁缝店 33:五金加工厂 " +
		"50:装修队|装饰工作室 51:批发部|商行|经营部 52:便利店|超市|水果店|五金店|服装店|烟酒店|副食店|日用品店|母婴用品店|手机店 " +
		"54:货运部 59:仓储部 61:旅馆|民宿 62:餐馆|面馆|小吃店|早餐店|火锅店|烧烤店|饭店|奶茶店 65:电脑服务部 " +
		"72:广告部|图文设计部|咨询服务部 80:家政服务部|保洁服务部 81:汽车修理部|家电维修部|摩托车修理店|手机维修店 " +
		"82:理发店|美容美发店|洗衣店|足浴店 88:工作室 89:健身房|棋牌室"

	// enterpriseDivisions weights the divisions of enterprises; individualDivisions
	// those of 个体工商户.
	enterpriseDivisions = "13:1.2 14:1 17:0.8 18:1.2 26:0.8 27:0.5 29:1 30:1 33:1.5 34:2 35:1.5 36:0.8 38:1.5 39:1.8 40:0.5 " +
		"51:12 52:10 47:2 48:1.5 49:2 50:3 54:2 58:1 59:1 61:1 62:3 63:0.5 64:3 65:4 66:0.2 69:0.3 70:3 71:2 72:10 " +
		"73:1 74:3 75:4 77:0.7 78:1 80:1.2 81:1.2 82:0.6 83:0.5 84:0.4 86:0.6 88:0.5 89:0.4 " +
		"01:1 02:0.3 03:0.8 04:0.3 05:0.3 44:0.3 45:0.2 46:0.1"
	individualDivisions = "52:35 62:20 51:6 80:5 81:6 82:4 54:5 01:2 03:2 13:1 14:1 18:1 50:3 72:2 61:2 89:1 88:1 33:1 65:0.5 59:0.5"

	// Entity types per ownership: "type text|name suffix:weight". The suffix
	// "#branch" makes a branch name (…有限公司东湖分公司).
	typesPrivate = "1130|有限公司:14 有限责任公司（自然人投资或控股）|有限公司:22 1150|有限公司:6 1151|有限公司:4 " +
		"有限责任公司（自然人独资）|有限公司:8 1100|有限责任公司:5 1220|股份有限公司:2 股份有限公司（非上市、自然人投资或控股）|股份有限公司:2 " +
		"4540|个人独资企业:4 个人独资企业|个人独资企业:5 4533|合伙企业（有限合伙）:2 有限合伙企业|合伙企业（有限合伙）:2 " +
		"4531|合伙企业（普通合伙）:1 2130|#branch:3"
	typesState      = "3100|厂:3 全民所有制|公司:3 1110|有限公司:4 有限责任公司（国有独资）|有限公司:4 1200|股份有限公司:1"
	typesCollective = "3200|厂:3 集体所有制|公司:4 3200|有限公司:2"
	typesForeign    = "5100|有限公司:3 有限责任公司（外国法人独资）|有限公司:4 5130|有限公司:2 有限责任公司（中外合资）|有限公司:3"
	typesHMT        = "6100|有限公司:3 有限责任公司（台港澳法人独资）|有限公司:4 6150|有限公司:1"

	// Spellings of the ownership column.
	spellPrivate    = "民营:50 私营:25 民营企业:25"
	spellIndividual = "个体:70 个体工商户:30"
	spellForeign    = "外资:60 外商投资:40"

	// Spellings of 登记状态.
	spellActive    = "存续（在营、开业、在册）:35 存续:25 在业:20 开业:12 在营（开业）企业:8"
	spellCancelled = "注销:85 注销企业:10 撤销:5"
	spellRevoked   = "吊销，未注销:70 吊销:20 吊销,未注销:10"
	spellOther     = "停业:50 清算:50"

	// Appeals.
	appealCategories = "融资信贷:16 用工人才:11 市场准入:7 政策落实:14 知识产权:5 要素保障:10 账款拖欠:9 涉企执法:5 税费:8 法律权益:5 科技创新:4 其他:6"
	appealChannels   = "平台:40 热线:30 扫码:18 座谈会:7 其他:5"
	// appealDepartments gives the handling departments per category, in the
	// order of appealCategories; "@" stands for a district name.
	appealDepartments = "市金融工作局|人民银行示例市分行|市工信局 市人社局|市教育局|市委人才办 市市场监管局|市行政审批局|市发改委 " +
		"市发改委|市工信局|市财政局|市商务局 市市场监管局|市科技局 市自然资源局|市住建局|国网示例市供电公司|市交通运输局 " +
		"市工信局|市财政局|市国资委 市司法局|市市场监管局|市生态环境局|市应急管理局 市税务局|市人社局|市医保局 " +
		"市司法局|市工商联|市公安局 市科技局|市工信局 @人民政府|市工商联|市住建局|市城管局"
	// Donations.
	donationForms    = "现金:65 物资:25 服务:10"
	donationPrograms = "万企兴万村:20 光彩事业:10 教育:20 医疗:10 救灾:10 扶老助残:12 其他:18"
	// donationRecipients per program, in the order of donationPrograms; "@" is a
	// district name, "%" a village name.
	donationRecipients = "@%村村民委员会|@%村股份经济合作社 示例市光彩事业促进会 示例市教育发展基金会|@第一中学|@实验小学 " +
		"示例市红十字会|示例市人民医院|@人民医院 示例市慈善总会|示例市红十字会 示例市残疾人福利基金会|@敬老院|@社会福利院 " +
		"示例市慈善总会|示例市见义勇为基金会|示例市青少年发展基金会"
	villages = "石门 青溪 柳湾 桃源 枫林 杨家 李庄 下坝 上塘 龙潭 凤岭 白沙 黄泥 清水 马鞍 竹园 荷塘 新田 大坪 高桥 梅溪 双河 罗村 古城"

	// Chambers.
	chamberIndustries = "机械 电子信息 纺织服装 建筑装饰 餐饮 物流 汽车配件 家具 五金 新能源 医药 食品 软件 电子商务 建材 文化创意 旅游 农业产业化 跨境电商 模具 塑料 珠宝 美容美发 汽车销售 茶叶 酒店 印刷包装 环保 人力资源 光伏"
	chamberOrigins    = "浙江 福建 江西 湖南 四川 河南 安徽 广东 湖北 山东 江苏 贵州 云南 广西 重庆 陕西 山西 河北 黑龙江 吉林 辽宁 内蒙古 温州 泉州 潮汕 莆田 晋江 台州 义乌 宁波"
	chamberStreets    = "湖滨 城关 新港 北门 金桥 科技城 白鹭 江滨 望江 青石"
	chamberKinds      = "行业商会:50 异地商会:30 区域商会:20"
	activityKinds     = "理事会:25 品牌活动:25 培训:30 其他:20"
)

// choice is a weighted list of strings.
type choice struct {
	items []string
	cum   []float64 // cumulative weights, normalised to 1
}

// pick returns the item at u ∈ [0,1) of the cumulative distribution.
func (c *choice) pick(u float64) string {
	return c.items[c.index(u)]
}

// index returns the index of the item at u ∈ [0,1).
func (c *choice) index(u float64) int {
	for i, w := range c.cum {
		if u < w {
			return i
		}
	}
	return len(c.cum) - 1
}

// parseChoice parses "item:weight item:weight …"; a missing weight is 1.
func parseChoice(spec string) (*choice, error) {
	c := &choice{}
	total := 0.0
	for _, f := range strings.Fields(spec) {
		item, ws, ok := strings.Cut(f, ":")
		w := 1.0
		if ok {
			var err error
			if w, err = strconv.ParseFloat(ws, 64); err != nil || w <= 0 {
				return nil, fmt.Errorf("word list item %q: bad weight", f)
			}
		}
		total += w
		c.items = append(c.items, item)
		c.cum = append(c.cum, total)
	}
	if len(c.items) == 0 {
		return nil, fmt.Errorf("empty word list %q", spec)
	}
	for i := range c.cum {
		c.cum[i] /= total
	}
	return c, nil
}

// parser parses word lists, keeping the first error.
type parser struct{ err error }

// choice parses spec, remembering the first error.
func (p *parser) choice(spec string) *choice {
	c, err := parseChoice(spec)
	if err != nil && p.err == nil {
		p.err = err
	}
	return c
}

// byDivision parses "dd:a|b dd:c" into a table indexed by division.
func (p *parser) byDivision(spec string) [100][]string {
	var t [100][]string
	for _, f := range strings.Fields(spec) {
		d, words, ok := strings.Cut(f, ":")
		n, err := strconv.Atoi(d)
		if !ok || err != nil || n < 1 || n > 99 {
			if p.err == nil {
				p.err = fmt.Errorf("division word list item %q", f)
			}
			continue
		}
		t[n] = strings.Split(words, "|")
	}
	return t
}

// groups splits "a|b c|d" into [[a b] [c d]].
func groups(spec string) [][]string {
	var out [][]string
	for _, f := range strings.Fields(spec) {
		out = append(out, strings.Split(f, "|"))
	}
	return out
}

// entityType is one choice of 企业类型 with the organisation form its name ends with.
type entityType struct {
	text, suffix string
}

// vocab holds the parsed word lists.
type vocab struct {
	zihao, surnames, villages                   []string
	divWords, shopWords                         [100][]string
	entDivisions, indDivisions                  *choice
	entDiv, indDiv                              []int                 // the divisions of entDivisions and indDivisions
	types                                       [numOwnership]*choice // items are indexes into typeList
	typeList                                    [numOwnership][]entityType
	spellPrivate, spellIndividual, spellForeign *choice
	spellActive, spellCancelled, spellRevoked   *choice
	spellOther                                  *choice
	categories, channels                        *choice
	departments, texts                          [][]string
	forms, programs                             *choice
	recipients                                  [][]string
	chamberIndustries, chamberOrigins           []string
	chamberStreets                              []string
	chamberKinds, activityKinds                 *choice
}

// newVocab parses the word lists.
func newVocab() (*vocab, error) {
	p := &parser{}
	v := &vocab{
		zihao:             strings.Fields(zihaoChars),
		surnames:          strings.Fields(surnames),
		villages:          strings.Fields(villages),
		divWords:          p.byDivision(divisionWords),
		shopWords:         p.byDivision(shopWords),
		entDivisions:      p.choice(enterpriseDivisions),
		indDivisions:      p.choice(individualDivisions),
		spellPrivate:      p.choice(spellPrivate),
		spellIndividual:   p.choice(spellIndividual),
		spellForeign:      p.choice(spellForeign),
		spellActive:       p.choice(spellActive),
		spellCancelled:    p.choice(spellCancelled),
		spellRevoked:      p.choice(spellRevoked),
		spellOther:        p.choice(spellOther),
		categories:        p.choice(appealCategories),
		channels:          p.choice(appealChannels),
		departments:       groups(appealDepartments),
		texts:             appealTexts(),
		forms:             p.choice(donationForms),
		programs:          p.choice(donationPrograms),
		recipients:        groups(donationRecipients),
		chamberIndustries: strings.Fields(chamberIndustries),
		chamberOrigins:    strings.Fields(chamberOrigins),
		chamberStreets:    strings.Fields(chamberStreets),
		chamberKinds:      p.choice(chamberKinds),
		activityKinds:     p.choice(activityKinds),
	}
	specs := [numOwnership]string{
		ownPrivate: typesPrivate, ownState: typesState, ownCollective: typesCollective,
		ownForeign: typesForeign, ownHMT: typesHMT, ownIndividual: "个体工商户|:70 |:30",
	}
	for o, spec := range specs {
		c := p.choice(spec)
		if c == nil {
			continue
		}
		for i, item := range c.items {
			text, suffix, _ := strings.Cut(item, "|")
			v.typeList[o] = append(v.typeList[o], entityType{text, suffix})
			c.items[i] = strconv.Itoa(i)
		}
		v.types[o] = c
	}
	if p.err != nil {
		return nil, fmt.Errorf("demo word lists: %w", p.err)
	}
	if len(v.departments) != len(v.categories.items) || len(v.texts) != len(v.categories.items) {
		return nil, fmt.Errorf("demo word lists: %d categories but %d department groups and %d text groups",
			len(v.categories.items), len(v.departments), len(v.texts))
	}
	if len(v.recipients) != len(v.programs.items) {
		return nil, fmt.Errorf("demo word lists: %d programs but %d recipient groups", len(v.programs.items), len(v.recipients))
	}
	for d := 1; d < 100; d++ {
		if len(v.shopWords[d]) > 0 && len(v.divWords[d]) == 0 {
			return nil, fmt.Errorf("demo word lists: division %02d has shop words but no industry words", d)
		}
	}
	for _, c := range [2]*choice{v.entDivisions, v.indDivisions} {
		for _, it := range c.items {
			n, _ := strconv.Atoi(it)
			if len(v.divWords[n]) == 0 {
				return nil, fmt.Errorf("demo word lists: division %s has no industry words", it)
			}
		}
	}
	for _, it := range v.entDivisions.items {
		n, _ := strconv.Atoi(it)
		v.entDiv = append(v.entDiv, n)
	}
	for _, it := range v.indDivisions.items {
		n, _ := strconv.Atoi(it)
		v.indDiv = append(v.indDiv, n)
		if len(v.shopWords[n]) == 0 {
			return nil, fmt.Errorf("demo word lists: individual division %s has no shop words", it)
		}
	}
	return v, nil
}
