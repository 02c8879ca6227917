package draft_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/duban-bot/duban/draft"
	"github.com/duban-bot/duban/seeds"
)

// m is an expected metric; an empty name is not checked.
type m struct {
	name      string
	kind, dir string
	target    float64
	unit      string
}

func cum(name string, target float64, unit string) m {
	return m{name, "cumulative", "at_least", target, unit}
}
func rate(name string, target float64, unit string) m {
	return m{name, "rate", "at_least", target, unit}
}
func capped(kind, name string, target float64, unit string) m {
	return m{name, kind, "at_most", target, unit}
}
func rank(name string, target float64) m { return m{name, "rank", "at_most", target, "名"} }
func ms(name string) m                   { return m{name, "milestone", "at_least", 1, ""} }
func zero(name string) m                 { return m{name, "cumulative", "at_most", 0, "起"} }

type scenario struct {
	name string
	text string
	want []m
	warn string // a warning some note must carry
}

func run(t *testing.T, tests []scenario) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, notes := draft.Metrics(tc.text)
			if len(got) != len(tc.want) {
				t.Fatalf("Metrics(%q) = %s, want %d metrics", tc.text, show(got), len(tc.want))
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Kind != w.kind || g.Direction != w.dir || g.Target != w.target || g.Unit != w.unit ||
					(w.name != "" && g.Name != w.name) {
					t.Errorf("metric %d = %s, want %+v", i, show(got[i:i+1]), w)
				}
			}
			checkNotes(t, tc.text, got, notes)
			if tc.warn != "" && !hasWarning(notes, tc.warn) {
				t.Errorf("no note warns %q: %v", tc.warn, notes)
			}
		})
	}
}

// checkNotes: every metric is named by a note whose phrase is a piece of
// the text.
func checkNotes(t *testing.T, text string, got []seeds.Metric, notes []draft.Note) {
	t.Helper()
	for _, g := range got {
		found := false
		for _, n := range notes {
			if n.Metric == g.Name && n.Phrase != "" && strings.Contains(text, n.Phrase) {
				found = true
			}
		}
		if !found {
			t.Errorf("metric %q has no note with a phrase from the text: %v", g.Name, notes)
		}
	}
}

func hasWarning(notes []draft.Note, w string) bool {
	for _, n := range notes {
		if n.Warning == w {
			return true
		}
	}
	return false
}

func show(ms []seeds.Metric) string {
	var b strings.Builder
	for _, x := range ms {
		fmt.Fprintf(&b, "[%s %s %s %v %q] ", x.Name, x.Kind, x.Direction, x.Target, x.Unit)
	}
	return b.String()
}

func TestCountsWithUnitsAndMultipliers(t *testing.T) {
	run(t, []scenario{
		{"a count in 家", "新建市级博士创新站25家", []m{cum("新建市级博士创新站", 25, "家")}, ""},
		{"万 stays in the unit", "全市开展应急救护普及培训新增13.4万人", []m{cum("开展应急救护普及培训新增", 13.4, "万人")}, ""},
		{"亿元", "完成固定资产投资1800亿元", []m{cum("完成固定资产投资", 1800, "亿元")}, ""},
		{"full-width digits", "新增造血干细胞捐献入库志愿者４２０人", []m{cum("新增造血干细胞捐献入库志愿者", 420, "人")}, ""},
		{"grouped thousands", "年度签发产地证1,200份", []m{cum("签发产地证", 1200, "份")}, ""},
		{"人次 is not 人", "全年发送量达到4000人次", []m{cum("发送量", 4000, "人次")}, ""},
		{"the object after the number names it", "培育5个湖州样本，打造1个省示范村",
			[]m{cum("培育湖州样本", 5, "个"), cum("打造省示范村", 1, "个")}, ""},
		{"two figures in a row", "发送量达到15期4000人次", []m{cum("发送量", 15, "期"), cum("发送量（人次）", 4000, "人次")}, ""},
		{"a stock is read as a level", "“残疾人之家”建设总数达到100家以上", []m{rate("“残疾人之家”建设总数", 100, "家")}, ""},
		{"并超额完成 adds up", "提升建设规范化儿童康复机构3家（省政府民生实事任务），并超额完成2家",
			[]m{cum("提升建设规范化儿童康复机构", 5, "家")}, draft.WarnSumOvershoot},
		{"各 gives each its metric", "城市和县域风貌样板区各建成不少于4个",
			[]m{cum("建成城市风貌样板区", 4, "个"), cum("建成县域风貌样板区", 4, "个")}, ""},
		{"分别 gives each its metric", "分别举办1期夏令营和训练营", []m{cum("举办夏令营", 1, "期"), cum("举办训练营", 1, "期")}, ""},
	})
}

func TestHedges(t *testing.T) {
	run(t, []scenario{
		{"以上", "新建市级院士专家工作站5家以上", []m{cum("新建市级院士专家工作站", 5, "家")}, ""},
		{"不少于", "全市公共场所增配AED不少于37台", []m{cum("公共场所增配AED", 37, "台")}, ""},
		{"力争 … 不少于", "力争民企投入各类帮扶资金不少于1亿元", []m{cum("民企投入各类帮扶资金", 1, "亿元")}, ""},
		{"至少", "年度举办相关推介活动和会展活动至少4次", []m{cum("举办相关推介活动和会展活动", 4, "次")}, ""},
		{"约 and 超", "启动征收约200万平方米，总投资超1000亿元",
			[]m{cum("启动征收", 200, "万平方米"), cum("总投资", 1000, "亿元")}, ""},
		{"百余名", "邀请百余名院士专家参加学术交流", []m{cum("邀请院士专家参加学术交流", 100, "名")}, ""},
		{"千余 without a unit is still a count", "引进人才千余", []m{cum("引进人才", 1000, "")}, ""},
		{"两百多个", "建成两百多个驿站", []m{cum("建成驿站", 200, "个")}, ""},
		{"1300多个 as a target", "服务企业1300多家", []m{cum("服务企业", 1300, "家")}, ""},
	})
}

func TestRates(t *testing.T) {
	run(t, []scenario{
		{"growth after an amount takes its subject", "完成固定资产投资1800亿元，增长12%",
			[]m{cum("完成固定资产投资", 1800, "亿元"), rate("固定资产投资增长", 12, "%")}, ""},
		{"增幅 … 以上", "全市低收入农户人均可支配收入增幅达12%以上", []m{rate("低收入农户人均可支配收入增幅", 12, "%")}, ""},
		{"占比达到", "二星级及以上绿色建筑占比达到35%以上", []m{rate("二星级及以上绿色建筑占比", 35, "%")}, ""},
		{"full-width percent", "覆盖率达到１００％", []m{rate("覆盖率", 100, "%")}, ""},
		{"percentage points", "中等收入群体比例提高3个百分点", []m{rate("中等收入群体比例提高", 3, "个百分点")}, ""},
		{"a fraction", "确保财政支出的三分之二以上用于民生", []m{rate("", 66.67, "%")}, ""},
		{"a share of units meeting a threshold", "力争全市80%的行政村年经营性收入80万元以上",
			[]m{rate("行政村年经营性收入80万元占比", 80, "%")}, ""},
	})
}

func TestAtMost(t *testing.T) {
	run(t, []scenario{
		{"控制在 … 以内", "城乡居民收入倍差控制在1.64以内", []m{capped("rate", "城乡居民收入倍差", 1.64, "")}, ""},
		{"缩小至 is a level", "城乡居民收入倍差缩小至1.64以内", []m{capped("rate", "城乡居民收入倍差", 1.64, "")}, ""},
		{"≤ per mille", "全年森林火灾受害率≤0.3‰", []m{capped("rate", "森林火灾受害率", 0.3, "‰")}, ""},
		{"不超过 is not 超过", "新增债务不超过20亿元", []m{capped("cumulative", "新增债务", 20, "亿元")}, ""},
		{"下降至 a level", "单位GDP能耗下降至0.5吨", []m{capped("rate", "单位GDP能耗", 0.5, "吨")}, ""},
		{"下降 by a share is the size of the fall", "单位GDP能耗下降3.5%", []m{rate("单位GDP能耗下降", 3.5, "%")}, draft.WarnDecline},
		{"不发生 several incidents", "全年地质灾害不发生系统责任亡人事故、3人以上责任重伤事故",
			[]m{zero("地质灾害系统责任亡人事故"), zero("地质灾害3人以上责任重伤事故")}, ""},
		{"不发生 … 和 …", "不发生较大及以上森林火灾和扑救伤亡事故", []m{zero("较大及以上森林火灾"), zero("扑救伤亡事故")}, ""},
		{"不出事 and 不垮坝", "确保标准内洪水不出事，超标准洪水不垮坝", []m{zero("标准内洪水出事"), zero("超标准洪水垮坝")}, ""},
		{"负增长 is growth at most 0", "生活垃圾总量连续4年保持负增长", []m{capped("rate", "生活垃圾总量增长", 0, "%")}, ""},
	})
}

func TestRanks(t *testing.T) {
	run(t, []scenario{
		{"全省前三", "增速力争全省前三", []m{rank("增速全省排名", 3)}, ""},
		{"rank after a rate takes its subject", "住房保障覆盖率达到29%，排名全省第一",
			[]m{rate("住房保障覆盖率", 29, "%"), rank("住房保障覆盖率全省排名", 1)}, ""},
		{"前3 in digits", "城乡居民收入倍差缩小至1.64以内、全省排名前3",
			[]m{capped("rate", "城乡居民收入倍差", 1.64, ""), rank("城乡居民收入倍差全省排名", 3)}, ""},
		{"第1 nationally", "集装箱量力争全国同类港口第1", []m{rank("集装箱量同类港口全国排名", 1)}, ""},
		{"保五争三 commits to 5", "重点项目投资完成率保五争三", []m{rank("重点项目投资完成率全省排名", 5)}, draft.WarnSlogan},
		{"a quoted slogan", "锚定“保五拼三争第一”目标", []m{rank("", 5)}, draft.WarnSlogan},
		{"the stretch figure is left out", "数字农业农村平均发展水平评价争取全省前三、冲刺第一",
			[]m{rank("数字农业农村平均发展水平评价全省排名", 3)}, draft.WarnStretch},
		{"two measures share a rank", "力争水稻耕种收综合机械化率、劳动生产率全省前三",
			[]m{rank("水稻耕种收综合机械化率全省排名", 3), rank("劳动生产率全省排名", 3)}, ""},
		{"a field count before a rank is context", "湖州港在全国1300多个内河港排名跨进前10",
			[]m{rank("湖州港内河港全国排名", 10)}, draft.WarnSkipContext},
		{"有进位 is a milestone", "单位GDP用水量综合排名在全省争取进位", []m{ms("单位GDP用水量综合排名有进位")}, draft.WarnImprove},
		{"前列 has no number", "“争先创优”排名走在全省前列", []m{ms("")}, draft.WarnNoRankNumber},
		{"第一方阵 is a tier", "预算绩效管理水平处在全省第一方阵", []m{ms("")}, draft.WarnNoRankNumber},
	})
}

func TestMilestones(t *testing.T) {
	run(t, []scenario{
		{"建成 and 开工", "建成运营湖杭高铁，力争年内开工通苏湖城际铁路", []m{ms("建成运营湖杭高铁"), ms("开工通苏湖城际铁路")}, ""},
		{"完成…编制", "完成国土空间总体规划编制", []m{ms("完成国土空间总体规划编制")}, ""},
		{"two outcomes joined by 和", "高质量推进“三区三线”统筹划定和市县国土空间总体规划编制",
			[]m{ms("推进“三区三线”统筹划定"), ms("市县国土空间总体规划编制")}, ""},
		{"one outcome with 和 inside", "举办功勋科学家精神展线下巡展和线上云展览", []m{ms("举办功勋科学家精神展线下巡展和线上云展览")}, ""},
		{"a shared verb before a list", "争创国家多式联运示范工程、国家绿色货运配送示范城市",
			[]m{ms("争创国家多式联运示范工程"), ms("争创国家绿色货运配送示范城市")}, ""},
		{"a list before the verb stays one", "确保吴兴区、南浔区创成“四好农村路”全国示范县",
			[]m{ms("吴兴区、南浔区创成“四好农村路”全国示范县")}, ""},
		{"成立 next to numbers", "新建市级院士专家工作站5家以上，成立“南太湖院士之家”",
			[]m{cum("新建市级院士专家工作站", 5, "家"), ms("成立“南太湖院士之家”")}, ""},
		{"a year is part of the name", "举办2022中国绿色低碳创新大会", []m{ms("举办2022中国绿色低碳创新大会")}, draft.WarnSkipYear},
		{"no number: one milestone after the clause", "深化学会“三服务”，推动学会服务科技治理",
			[]m{ms("深化学会“三服务”")}, draft.WarnNoNumber},
		{"no verb at all", "一地创新、全省示范", []m{ms("一地创新、全省示范")}, draft.WarnNoNumber},
	})
}

func TestNotTargets(t *testing.T) {
	run(t, []scenario{
		{"an edition", "举办第三届“赵孟頫杯”全国书法篆刻展", []m{ms("")}, draft.WarnSkipOrdinal},
		{"an anniversary", "举办湖州书画院40周年专题展", []m{ms("")}, draft.WarnSkipOrdinal},
		{"a name in quotes", "重点实施“1211”综合交通重大项目促开工行动", []m{ms("")}, draft.WarnSkipQuoted},
		{"income bands", "10-50万元、20-60万元中等收入群体比例提高3个百分点",
			[]m{rate("中等收入群体比例提高", 3, "个百分点")}, draft.WarnSkipRange},
		{"a duration", "用1年左右时间，力争开工建设21个重大项目", []m{cum("开工建设重大项目", 21, "个")}, draft.WarnSkipDuration},
		{"5G is a name", "建设5G基站100个", []m{cum("建设5G基站", 100, "个")}, draft.WarnSkipName},
	})
}

// TestUnreadablePhrasesBecomeMilestones: a number the dialog's reader
// refuses is never dropped silently.
func TestUnreadablePhrasesBecomeMilestones(t *testing.T) {
	run(t, []scenario{
		{"a doubled percent", "开展活动12%%", []m{ms("")}, draft.WarnUnreadable},
		{"scientific notation", "全年完成固定资产投资1e5亿元", []m{ms("")}, draft.WarnUnreadable},
		{"a number too large for the dialog", "完成投资9999999999999999亿元", []m{ms("")}, draft.WarnUnreadable},
		{"a floor of 0 is no target", "新建0家", []m{ms("")}, draft.WarnZeroTarget},
		{"a cap of 0 is", "新增债务不超过0亿元", []m{capped("cumulative", "新增债务", 0, "亿元")}, ""},
	})
}

// TestDraftsAlwaysValidate: whatever the text, what is drafted is a valid
// plan task (names present and unique, kinds, directions and targets the
// loader accepts), so an import never fails on a draft.
func TestDraftsAlwaysValidate(t *testing.T) {
	p, err := seeds.Parse(seeds.Huzhou2022())
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"", "   ", "。；，", "\xff\xfe", strings.Repeat("建成", 3000), strings.Repeat("新建25家，", 2000), "１２３４５６７８９０万亿元",
		"前前前第第第", "保五争", "三分之", "百余", "不发生", "负增长", "进位进位", "2022", "“未闭合的引号 25家"}
	for _, unit := range []string{"进位", "百余", "1、", "25家", "不发生a、", "12%、前3", "三分之二", "建成和", "0"} {
		texts = append(texts, strings.Repeat(unit, 4000)) // each repeated past the 4,000-character cap
	}
	for _, d := range p.Departments {
		for _, tk := range d.Tasks {
			texts = append(texts, tk.Text, tk.Title)
		}
	}
	for _, text := range texts {
		validDraft(t, text)
	}
}

func FuzzMetrics(f *testing.F) {
	for _, s := range []string{"新建市级博士创新站25家", "增长12%、力争全省排名前3", "不发生较大森林火灾和扑救伤亡事故",
		"保五拼三争第一", "三分之二以上", "百余名", "1,200份", "第一方阵", "“1211”", "10-50万元"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) { validDraft(t, text) })
}

func validDraft(t *testing.T, text string) {
	t.Helper()
	got, notes := draft.Metrics(text)
	if len(got) == 0 {
		t.Fatalf("Metrics(%.40q) drafted nothing", text)
	}
	plan := seeds.Plan{Year: 2023, Departments: []seeds.Department{{Name: "市测试办",
		Tasks: []seeds.Task{{Seq: 1, Title: "任务", Text: text, Metrics: got}}}}}
	if err := plan.Validate(); err != nil {
		t.Fatalf("Metrics(%.40q) = %s: %v", text, show(got), err)
	}
	for _, g := range got {
		if n := utf8.RuneCountInString(g.Name); n > draft.MaxNameRunes+8 { // + a （N） suffix
			t.Fatalf("Metrics(%.40q): name of %d characters: %.60q", text, n, g.Name)
		}
	}
	for _, n := range notes {
		if !utf8.ValidString(n.Phrase) && utf8.ValidString(text) {
			t.Fatalf("note phrase %q is not valid UTF-8", n.Phrase)
		}
	}
}
