package draft

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/duban-bot/duban/quantity"
)

// hitKind says what a phrase of a clause turned out to be.
type hitKind int

const (
	hitSkip       hitKind = iota // a number that is not a target (year, name, range)
	hitNumber                    // an amount or a rate: 25家, 13.4万人, 12%
	hitRank                      // 前三, 第1, 保五争三
	hitUnreadable                // looks like a target, has no readable number: 前列, 第一方阵
	hitImprove                   // 有进位
)

// hit is one phrase of a clause that carries (or looks like it carries) a
// target; start and end are rune offsets in the clause, hedges included.
type hit struct {
	start, end int
	kind       hitKind
	value      float64
	unit       string // with its multiplier: 万人, 亿元, %
	dir        string // at_least or at_most; "" when the words around decide
	count      bool   // 百余, 1300多: a count even without a unit
	warn       string
}

// units are the measure words a target number may carry, longest first so
// that 人次 is not read as 人. A number followed by none of them has no unit.
var units = strings.Fields(`个百分点 百分点 平方公里 万立方米 立方米 平方米 公里 千米 千瓦时 千瓦 千克 人次 户次 车次 标箱
	周年 个月 小时 公顷 国别 % ％ ‰ 个 家 场 次 件 份 期 台 套 间 户 座 幢 栋 亩 吨 斤 元 条 项 所 辆 艘 架 批 处 张 本 部 篇
	株 棵 瓦 度 天 倍 星 起 例 支 块 片 层 届 年 月 日 岁 种 类 对 组 轮 门 头 只 箱 班 列 笔 人 名 位 米 克 万 亿`)

// skipUnits mark a number that counts time or editions, never a target.
var skipUnits = map[string]string{"年": WarnSkipDuration, "周年": WarnSkipOrdinal, "个月": WarnSkipDuration,
	"月": WarnSkipDuration, "日": WarnSkipDuration, "届": WarnSkipOrdinal, "岁": WarnSkipDuration}

// multipliers may stand between a number and its unit; longest first.
var multipliers = []string{"万亿", "千万", "百万", "万", "亿", "千", "百"}

// findHits scans a clause left to right for target phrases.
func findHits(c clause) []hit {
	var hits []hit
	t := c.text
	for i := 0; i < len(t); {
		h, ok := hitAt(c, i)
		if !ok {
			i++
			continue
		}
		hits = append(hits, h)
		i = h.end
	}
	return hits
}

// hitAt tries every phrase reader at rune i, most specific first.
func hitAt(c clause, i int) (hit, bool) {
	for _, read := range []func(clause, int) (hit, bool){
		readSlogan, readImprove, readRank, readFraction, readApprox, readNumber,
	} {
		if h, ok := read(c, i); ok {
			return h, true
		}
	}
	return hit{}, false
}

// readSlogan reads 保五争三 / 保五拼三争第一: the committed figure (保 N) is
// the target. Read inside quotes too: the slogan is often quoted.
func readSlogan(c clause, i int) (hit, bool) {
	t := c.text
	if at(t, i) != '保' {
		return hit{}, false
	}
	n, l := smallNumeral(t, i+1)
	if l == 0 || n == 0 || !strings.ContainsRune("争拼冲", at(t, i+1+l)) {
		return hit{}, false
	}
	j := i + 1 + l
	for j < len(t) && strings.ContainsRune("争拼冲刺第前一二三四五六七八九十", t[j]) {
		j++
	}
	return hit{start: i, end: j, kind: hitRank, value: float64(n), unit: "名", dir: "at_most", warn: WarnSlogan}, true
}

// readImprove reads 有进位 / 争取进位: improve on last year's rank.
func readImprove(c clause, i int) (hit, bool) {
	if c.quoted[i] || !c.hasAt(i, "进位") {
		return hit{}, false
	}
	return hit{start: i, end: i + 2, kind: hitImprove, warn: WarnImprove}, true
}

// readRank reads 前三, 前10, 第一, 第1名, and flags 前列 and 第一方阵 as ranks
// without a number. 第三届 and 第四期 are ordinals, not ranks.
func readRank(c clause, i int) (hit, bool) {
	t := c.text
	if (t[i] != '前' && t[i] != '第') || c.quoted[i] {
		return hit{}, false
	}
	if t[i] == '前' && at(t, i+1) == '列' {
		return hit{start: i, end: i + 2, kind: hitUnreadable, warn: WarnNoRankNumber}, true
	}
	n, l := smallNumeral(t, i+1)
	if l == 0 || n == 0 {
		return hit{}, false
	}
	j := i + 1 + l
	if strings.ContainsRune("名位", at(t, j)) {
		j++
	}
	next := at(t, j)
	switch {
	case next == 0 || strings.ContainsRune("、，,；;。）)", next):
		return hit{start: i, end: j, kind: hitRank, value: float64(n), unit: "名", dir: "at_most"}, true
	case c.hasAt(j, "方阵") || c.hasAt(j, "梯队") || c.hasAt(j, "档"):
		return hit{start: i, end: j + len([]rune(tierWord(c, j))), kind: hitUnreadable, warn: WarnNoRankNumber}, true
	}
	return hit{start: i, end: j, kind: hitSkip, warn: WarnSkipOrdinal}, true
}

func tierWord(c clause, j int) string {
	for _, w := range []string{"方阵", "梯队", "档"} {
		if c.hasAt(j, w) {
			return w
		}
	}
	return ""
}

// readFraction reads 三分之二(以上) as a percentage, rounded to 0.01.
func readFraction(c clause, i int) (hit, bool) {
	t := c.text
	den, l := smallNumeral(t, i)
	if l == 0 || den == 0 || !c.hasAt(i+l, "分之") || c.quoted[i] {
		return hit{}, false
	}
	num, l2 := smallNumeral(t, i+l+2)
	if l2 == 0 {
		return hit{}, false
	}
	h := hit{start: i, end: i + l + 2 + l2, kind: hitNumber, unit: "%",
		value: math.Round(float64(num)/float64(den)*10000) / 100}
	postHedge(c, &h)
	return h, true
}

// readApprox reads 百余名, 千余, 两百多个: at least the round figure.
func readApprox(c clause, i int) (hit, bool) {
	t := c.text
	if c.quoted[i] {
		return hit{}, false
	}
	if _, ok := digitValue(at(t, i-1)); ok {
		return hit{}, false // inside a longer numeral
	}
	j, mult := i, 1
	if d, ok := digitValue(t[i]); ok && d > 0 {
		mult, j = d, i+1
	}
	place := placeValue(at(t, j))
	if place == 0 || !strings.ContainsRune("余多", at(t, j+1)) {
		return hit{}, false
	}
	h := hit{start: i, end: j + 2, kind: hitNumber, value: float64(mult * place), dir: "at_least", count: true}
	if u := unitAt(c, h.end); u != "" {
		h.unit, h.end = u, h.end+len([]rune(u))
	}
	return h, true
}

// readNumber reads an Arabic number with its multiplier, unit and hedges, and
// has quantity read it as the report dialog would.
func readNumber(c clause, i int) (hit, bool) {
	t := c.text
	if _, ok := digit(t[i]); !ok {
		return hit{}, false
	}
	if _, ok := digit(at(t, i-1)); ok {
		return hit{}, false
	}
	j := numberEnd(t, i)
	if c.quoted[i] {
		return hit{start: i, end: j, kind: hitSkip, warn: WarnSkipQuoted}, true
	}
	if strings.ContainsRune("-+~～—－", at(t, i-1)) || strings.ContainsRune("-+~～—－", at(t, j)) {
		return rangeHit(c, i, j), true
	}
	if r := at(t, j); r < utf8.RuneSelf && unicode.IsLetter(r) {
		return oddNumber(c, i, j), true
	}
	digits := string(t[i:j])
	k := j
	for isSpace(at(t, k)) {
		k++
	}
	approx := strings.ContainsRune("余多", at(t, k))
	if approx {
		k++
	}
	mult, unit := "", unitAt(c, k)
	if unit == "" || unit == "万" || unit == "亿" {
		mult, unit = multiplierAt(c, k), ""
		k += len([]rune(mult))
		unit = unitAt(c, k)
	}
	k += len([]rune(unit))
	if !approx && strings.ContainsRune("余多", at(t, k)) {
		approx = true
		k++
	}
	h := hit{start: i, end: k, kind: hitNumber, count: approx}
	if approx {
		h.dir = "at_least"
	}
	if strings.ContainsRune("%％‰", at(t, k)) {
		h.end, h.kind, h.warn = k+1, hitUnreadable, WarnUnreadable // 12%%
		return h, true
	}
	if w, ok := skipUnits[unit]; ok {
		h.kind, h.warn = hitSkip, w
		return h, true
	}
	if mult == "" && unit == "" && len(digits) == 4 && (strings.HasPrefix(digits, "19") || strings.HasPrefix(digits, "20")) {
		h.kind, h.warn = hitSkip, WarnSkipYear
		return h, true
	}
	if unit == "％" {
		unit = "%"
	}
	if !readQuantity(&h, digits, mult, unit) {
		h.kind, h.warn = hitUnreadable, WarnUnreadable
		return h, true
	}
	postHedge(c, &h)
	return h, true
}

// oddNumber reads a number glued to Latin letters: "1e5" is scientific
// notation, which the dialog refuses too, so it is unreadable; "5G" is a name.
func oddNumber(c clause, i, j int) hit {
	t := c.text
	k := j
	for k < len(t) && t[k] < utf8.RuneSelf && (unicode.IsLetter(t[k]) || unicode.IsDigit(t[k]) || t[k] == '.' || t[k] == '+' || t[k] == '-') {
		k++
	}
	if (t[j] == 'e' || t[j] == 'E') && isDigitAt(t, j+1) {
		return hit{start: i, end: k, kind: hitUnreadable, warn: WarnUnreadable}
	}
	return hit{start: i, end: k, kind: hitSkip, warn: WarnSkipName}
}

// readQuantity has quantity parse the number as a contact would type it, and
// keeps the multiplier in the unit as the plan does (13.4 万人).
func readQuantity(h *hit, digits, mult, unit string) bool {
	token := digits + mult + unit
	if _, err := quantity.Parse(token); err != nil {
		return false
	}
	v, err := quantity.In(token, mult+unit)
	if err != nil {
		return false
	}
	h.value, h.unit = v, mult+unit
	return true
}

// numberEnd returns where the digits, grouping commas and decimals starting
// at i end.
func numberEnd(t []rune, i int) int {
	j := i
	for {
		if _, ok := digit(at(t, j)); ok {
			j++
			continue
		}
		if (at(t, j) == '.' || at(t, j) == '．') && isDigitAt(t, j+1) {
			j++
			continue
		}
		if at(t, j) == ',' && isDigitAt(t, j+1) && isDigitAt(t, j+2) && isDigitAt(t, j+3) && !isDigitAt(t, j+4) {
			j++
			continue
		}
		return j
	}
}

func isDigitAt(t []rune, i int) bool {
	_, ok := digit(at(t, i))
	return ok
}

// rangeHit consumes a range or formula such as 10-50万元 or 2+8.
func rangeHit(c clause, i, j int) hit {
	t := c.text
	for strings.ContainsRune("-+~～—－", at(t, j)) || isDigitAt(t, j) || at(t, j) == '.' {
		j++
	}
	if m := multiplierAt(c, j); m != "" {
		j += len([]rune(m))
	}
	if u := unitAt(c, j); u != "" {
		j += len([]rune(u))
	}
	return hit{start: i, end: j, kind: hitSkip, warn: WarnSkipRange}
}

// unitAt returns the measure word at rune i, or "".
func unitAt(c clause, i int) string {
	for _, u := range units {
		if c.hasAt(i, u) {
			return u
		}
	}
	return ""
}

// multiplierAt returns the multiplier at rune i, or "". 百 and 千 are not
// multipliers when they begin a unit word (百分点, 千米).
func multiplierAt(c clause, i int) string {
	if c.hasAt(i, "百分点") || c.hasAt(i, "千米") || c.hasAt(i, "千克") || c.hasAt(i, "千瓦") {
		return ""
	}
	for _, m := range multipliers {
		if c.hasAt(i, m) {
			return m
		}
	}
	return ""
}

// postHedge reads 以上/以内/以下/之内/左右 right after the phrase.
func postHedge(c clause, h *hit) {
	for _, w := range []struct{ word, dir string }{
		{"以上", "at_least"}, {"左右", "at_least"}, {"以内", "at_most"}, {"之内", "at_most"}, {"以下", "at_most"},
	} {
		if c.hasAt(h.end, w.word) {
			h.dir, h.end = w.dir, h.end+2
			return
		}
	}
}
