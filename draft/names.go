package draft

import (
	"strings"
	"unicode/utf8"
)

// A metric is named after its clause, the way the 2022 plan names them: the
// words before the number (and the object after it, "培育5个湖州样本" →
// 培育湖州样本) with the time, scope and hedge words dropped, the action verb
// kept ("新建市级博士创新站").

// leadingFillers are dropped from the start of a name, repeatedly.
var leadingFillers = []string{"全年", "年内", "年度", "今年", "全市", "我市", "力争", "确保", "争取", "努力", "坚决",
	"其中", "同时", "以及", "并", "和", "及", "在", "实现", "高水平", "高质量", "高标准", "高规格", "高效能", "高品质"}

// trailingFillers are dropped from the end of a name, repeatedly.
var trailingFillers = []string{"不少于", "不低于", "至少有", "至少", "不超过", "不高于", "控制在", "缩小至", "缩小到",
	"下降至", "下降到", "降至", "降到", "保持在", "达到", "超过", "力争", "确保", "争取", "力拼", "冲刺", "进入", "跨进",
	"位列", "处在", "处于", "以上", "以内", "以下", "左右", "达", "为", "至", "超", "约", "保", "的", "在", "居", "要",
	"有", "≤", "≥", "<", ">", "="}

// punctuation trimmed from both ends of a name.
const namePunct = "，,、；;。：: \t\u3000"

// growthWords name a change of something named just before: "完成固定资产投资
// 1800亿元，增长12%" is 固定资产投资增长.
var growthWords = []string{"增长", "同比增长", "增速", "增幅", "提高", "下降", "减少", "占比", "比重", "比例", "增加"}

// cleanName trims a clause fragment down to a metric name.
func cleanName(s string) string {
	for {
		before := s
		s = strings.Trim(s, namePunct)
		for _, w := range leadingFillers {
			s = strings.TrimPrefix(s, w)
		}
		for _, w := range trailingFillers {
			s = strings.TrimSuffix(s, w)
		}
		if s == before {
			return s
		}
	}
}

// numberName names an amount or rate from the words before and after it.
func numberName(region, after, subject string) string {
	r, a := cleanName(region), cleanName(after)
	if a == "" && (r == "" || isGrowthWord(r)) {
		return subject + r
	}
	if a != "" && strings.HasSuffix(strings.TrimSpace(region), "为") && !strings.HasSuffix(r, "为") {
		r += "为" // "为600名残疾儿童提供康复服务": 为 is the verb's preposition here
	}
	return r + a
}

func isGrowthWord(s string) bool {
	for _, w := range growthWords {
		if s == w {
			return true
		}
	}
	return false
}

// subjectOf is what a following "增长12%" or "全省前三" is about: the name
// without its leading verb and its trailing growth word.
func subjectOf(name string) string {
	for _, w := range []string{"完成", "实现"} {
		name = strings.TrimPrefix(name, w)
	}
	for _, w := range growthWords {
		name = strings.TrimSuffix(name, w)
	}
	return name
}

// splitNames splits "分别举办1期A和B" and "城市和县域风貌样板区各建成4个" into
// one name per item; any other name stays whole.
func splitNames(region, after, name string) []string {
	if k := strings.Index(region, "分别"); k >= 0 && strings.Contains(after, "和") {
		verb := cleanName(region[k+len("分别"):])
		var out []string
		for _, item := range splitOut(cleanName(after), "和、") {
			out = append(out, verb+cleanName(item))
		}
		return out
	}
	if k := strings.Index(region, "各"); k >= 0 {
		items := splitOut(cleanName(region[:k]), "和、")
		if len(items) == 2 {
			verb := cleanName(region[k+len("各"):])
			left, right := cleanName(items[0]), cleanName(items[1])
			return []string{verb + sharedHead(left, right), verb + right}
		}
	}
	return []string{name}
}

// sharedHead gives "城市" the head noun of "县域风貌样板区" when the two
// modifiers are the same length: 城市风貌样板区.
func sharedHead(left, right string) string {
	l := utf8.RuneCountInString(left)
	rr := []rune(right)
	if l == 0 || l >= len(rr) {
		return left
	}
	return left + string(rr[l:])
}

// scopes are where a rank is counted.
var scopes = []string{"全省", "全国", "全市"}

// measureEnds are the last characters of what can be ranked (…率, …占比,
// …量): a list of them before one rank word ranks each.
const measureEnds = "率比量值额数度价效"

// rankNames names a rank ("全省排名前3" after 城乡居民收入倍差 →
// 城乡居民收入倍差全省排名); "A率、B量全省第1" gives one rank for each.
func rankNames(region, subject string) []string {
	r := strings.Trim(cleanName(strings.NewReplacer("“", "", "”", "").Replace(region)), namePunct)
	items := splitOut(r, "、")
	if len(items) > 1 {
		scope := scopeOf(items[len(items)-1])
		if allMeasures(items) {
			var out []string
			for _, it := range items {
				out = append(out, rankBase(it, subject)+scope+"排名")
			}
			return out
		}
		last := items[len(items)-1]
		if rankBase(last, "") == "" {
			last = items[0]
		}
		r = last
	}
	return []string{rankBase(r, subject) + scopeOf(r) + "排名"}
}

// scopeOf is where a rank is counted; 全省 when the text does not say, as a
// city's targets are ranked among the province's cities.
func scopeOf(s string) string {
	for _, sc := range scopes {
		if strings.Contains(s, sc) {
			return sc
		}
	}
	return "全省"
}

func allMeasures(items []string) bool {
	for _, it := range items {
		b := []rune(rankBase(it, ""))
		if len(b) == 0 || !strings.ContainsRune(measureEnds, b[len(b)-1]) {
			return false
		}
	}
	return true
}

// rankBase is what is ranked, without scope and rank words; a bare growth
// word or nothing takes the subject of the metric before.
func rankBase(s, subject string) string {
	for _, w := range []string{"在全省", "在全国", "在全市", "全省", "全国", "全市", "排名", "名次", "力争", "争取", "确保", "力拼", "冲刺"} {
		s = strings.ReplaceAll(s, w, "")
	}
	s = cleanName(s)
	if s == "" || isGrowthWord(s) {
		return subject + s
	}
	return s
}

// improveName names an 有进位 milestone: "单位GDP用水量综合排名在全省争取进位" →
// 单位GDP用水量综合排名有进位.
func improveName(region, subject string) string {
	s := region
	for _, w := range []string{"在全省", "在全国", "在全市"} {
		s = strings.ReplaceAll(s, w, "")
	}
	s = cleanName(s)
	if s == "" || s == "全省排名" || s == "排名" {
		s = subject + s
	}
	if !strings.Contains(s, "排名") {
		s += "排名"
	}
	return s + "有进位"
}

// milestoneVerbs mark a clause that states a one-off outcome of the year.
var milestoneVerbs = []string{"建成", "开工", "成立", "组建", "设立", "创建", "创成", "争创", "出台", "制定", "编制", "划定",
	"举办", "承办", "举行", "获得", "获评", "入围", "投放", "淘汰", "全覆盖", "清零", "贯通", "启动", "实现", "考核优秀",
	"全省优秀", "新高", "连增", "连优", "获省", "获全国", "处于", "首个", "首艘", "率先"}

// workVerbs mark a clause that says what the task does; they name the one
// milestone of a text that states no target.
var workVerbs = []string{"开展", "建立", "打造", "推进", "深化", "提升", "强化", "加快", "实施", "推动", "做好"}

func hasMilestoneVerb(s string) bool { return containsAny(s, milestoneVerbs) }

func hasWorkVerb(s []rune) bool { return containsAny(string(s), workVerbs) }

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
