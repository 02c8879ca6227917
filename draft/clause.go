package draft

import (
	"strings"
	"unicode/utf8"

	"github.com/duban-bot/duban/seeds"
)

// atMostCues end the words before a number that must not be exceeded.
var atMostCues = []string{"不超过", "不高于", "控制在", "缩小至", "缩小到", "下降至", "下降到", "降至", "降到",
	"低于", "少于", "≤", "<=", "＜", "<"}

// atLeastCues end the words before a number that is a floor.
var atLeastCues = []string{"不少于", "不低于", "至少有", "至少", "超过", "超", "≥", ">=", "达到", "达"}

// clause drafts what one clause states.
func (d *drafter) clause(c clause) {
	if d.zeroGoal(c) {
		return
	}
	hits, dropped := d.dropContext(c, findHits(c))
	prev, drafted := 0, false
	var last *hit
	for i := range hits {
		h := &hits[i]
		region := strings.TrimSpace(string(c.text[prev:h.start]))
		for _, s := range dropped {
			region = strings.ReplaceAll(region, s, "")
		}
		after, covered := afterText(c, h.end, nextStart(hits, i, len(c.text)))
		phrase := strings.Trim(string(c.text[prev:h.end]), namePunct) + after
		switch h.kind {
		case hitSkip:
			d.skip(string(c.text[h.start:h.end]), h.warn)
			if h.warn == WarnSkipRange {
				dropped = append(dropped, string(c.text[h.start:h.end])) // 10-50万元 describes, names nothing
			}
			continue
		case hitNumber:
			if d.shareOf(c, h) {
				return
			}
			drafted = d.number(h, region, after, phrase) || drafted
		case hitRank:
			drafted = d.rank(h, last, region, phrase) || drafted
		case hitImprove:
			d.add(milestone(improveName(region, d.subject)), phrase, h.warn)
			drafted = true
		case hitUnreadable:
			name := cleanName(region + string(c.text[h.start:h.end]))
			d.add(milestone(orPhrase(name, phrase)), phrase, h.warn)
			drafted = true
		}
		prev, last = h.end+covered, h
	}
	if !drafted && hasMilestoneVerb(unquoted(c)) {
		for _, part := range milestoneParts(c) {
			d.add(milestone(orPhrase(cleanName(part), part)), string(c.text), "")
		}
	}
}

// milestoneParts splits "推进“三区三线”统筹划定和市县国土空间总体规划编制"
// into one outcome per part when every part names an outcome of its own;
// "举办线下巡展和线上云展览" stays one.
func milestoneParts(c clause) []string {
	text := string(c.text)
	if parts := splitOut(text, "和"); len(parts) > 1 && allOutcomes(parts) {
		return parts
	}
	return sharedVerb(text)
}

func allOutcomes(parts []string) bool {
	for _, p := range parts {
		if !hasMilestoneVerb(p) {
			return false
		}
	}
	return true
}

// sharedVerbs open a list of titles or events that each is an outcome:
// "争创A、B" is 争创A and 争创B.
var sharedVerbs = []string{"争创", "创成", "创建", "成立", "举办", "承办", "出台", "制定", "编制"}

// sharedVerb splits "争创国家多式联运示范工程、国家绿色货运配送示范城市" into
// one outcome per item when the clause opens with the verb and no other item
// has a verb of its own; anything else stays whole.
func sharedVerb(text string) []string {
	parts := splitOut(text, "、")
	if len(parts) < 2 {
		return []string{text}
	}
	first := cleanName(parts[0])
	verb := ""
	for _, v := range sharedVerbs {
		if strings.HasPrefix(first, v) {
			verb = v
		}
	}
	if verb == "" {
		return []string{text}
	}
	out := []string{parts[0]}
	for _, p := range parts[1:] {
		if hasMilestoneVerb(p) || containsAny(p, workVerbs) {
			return []string{text}
		}
		out = append(out, verb+p)
	}
	return out
}

// nextStart is where the hit after hits[i] starts, or end.
func nextStart(hits []hit, i, end int) int {
	if i+1 < len(hits) {
		return hits[i+1].start
	}
	return end
}

// afterText is the object that follows a number ("培育5个湖州样本"), up to
// the next enumeration comma or the next hit; a leading parenthesis such as
// "（省政府民生实事任务）" or "（间）" is dropped.
// It returns the object and how many runes of the clause it covers.
func afterText(c clause, from, to int) (string, int) {
	s := string(c.text[from:to])
	skipped := 0
	if strings.HasPrefix(s, "（") || strings.HasPrefix(s, "(") {
		if k := strings.IndexAny(s, "）)"); k >= 0 {
			_, size := utf8.DecodeRuneInString(s[k:])
			skipped = utf8.RuneCountInString(s[:k+size])
			s = s[k+size:]
		}
	}
	if k := strings.Index(s, "、"); k >= 0 {
		s = s[:k]
	}
	return s, skipped + utf8.RuneCountInString(s)
}

// number drafts an amount or a rate. It reports whether a metric was added
// (a 并超额完成 figure is added to the one before instead).
func (d *drafter) number(h *hit, region, after, phrase string) bool {
	if d.overshoot(h, region, phrase) {
		return false
	}
	dir, decline := direction(region, h.dir)
	name := numberName(region, after, d.subject)
	if h.value == 0 && dir != "at_most" {
		d.add(milestone(orPhrase(name, phrase)), phrase, WarnZeroTarget)
		return true
	}
	if strings.HasSuffix(after, "以上") {
		dir = "at_least"
	}
	kind := "cumulative"
	if (isRateUnit(h.unit) && !h.count) || isStock(name) || levelCue(region) {
		kind = "rate"
	}
	warn := ""
	if decline {
		warn = WarnDecline
	}
	for _, n := range splitNames(region, after, name) {
		d.add(seeds.Metric{Name: n, Kind: kind, Direction: dir, Target: h.value, Unit: h.unit}, phrase, warn)
	}
	return true
}

// overshoot adds "并超额完成2家" to the figure before it (3家 → 5家).
func (d *drafter) overshoot(h *hit, region, phrase string) bool {
	if !strings.Contains(region, "超额完成") || len(d.metrics) == 0 {
		return false
	}
	m := &d.metrics[len(d.metrics)-1]
	if m.Unit != h.unit || m.Kind != "cumulative" {
		return false
	}
	m.Target += h.value
	d.notes = append(d.notes, Note{Phrase: phrase, Metric: m.Name, Warning: WarnSumOvershoot})
	return true
}

// direction reads the cue before the number and the hedge after it. A bare
// "下降12%" is a decline of at least 12 (the size of the fall is reported).
func direction(region, hedge string) (dir string, decline bool) {
	if cue := longestCue(region); cue != "" {
		return cueDirection(cue), false
	}
	if strings.HasSuffix(region, "下降") || strings.HasSuffix(region, "减少") {
		return "at_least", true
	}
	if hedge != "" {
		return hedge, false
	}
	return "at_least", false
}

// levelCue: "下降至0.5吨", "缩小至1.64" name a level to reach, read as
// its latest value rather than summed.
func levelCue(region string) bool {
	for _, cue := range []string{"下降至", "下降到", "降至", "降到", "缩小至", "缩小到"} {
		if strings.HasSuffix(region, cue) {
			return true
		}
	}
	return false
}

// longestCue returns the longest hedge word region ends with: 不超过 is an
// at-most cue although it ends with the at-least cue 超过.
func longestCue(region string) string {
	best := ""
	for _, cue := range append(atLeastCues[:len(atLeastCues):len(atLeastCues)], atMostCues...) {
		if strings.HasSuffix(region, cue) && len(cue) > len(best) {
			best = cue
		}
	}
	return best
}

func cueDirection(cue string) string {
	for _, c := range atMostCues {
		if c == cue {
			return "at_most"
		}
	}
	return "at_least"
}

// shareOf reads "80%的行政村年经营性收入80万元以上": a share of units that
// meet a threshold. The rest of the clause is the definition, not a target.
func (d *drafter) shareOf(c clause, h *hit) bool {
	if h.unit != "%" || at(c.text, h.end) != '的' {
		return false
	}
	rest := string(c.text[h.end+1:])
	d.add(seeds.Metric{Name: cleanName(rest) + "占比", Kind: "rate", Direction: "at_least", Target: h.value, Unit: "%"},
		strings.Trim(string(c.text), namePunct), "")
	return true
}

// rank drafts a rank; a second rank right after a first one ("前三、冲刺第一")
// is the stretch and is left out.
func (d *drafter) rank(h, last *hit, region, phrase string) bool {
	if last != nil && last.kind == hitRank && cleanName(region) == "" {
		d.notes = append(d.notes, Note{Phrase: phrase, Warning: WarnStretch})
		return false
	}
	for _, n := range rankNames(region, d.subject) {
		d.add(seeds.Metric{Name: n, Kind: "rank", Direction: "at_most", Target: h.value, Unit: "名"}, phrase, h.warn)
	}
	return true
}

// zeroGoal reads 不发生…事故 and …不出事/不垮坝, counts that must stay at 0,
// and 保持负增长, a growth that must stay at or below 0 %.
// The clause's other numbers (3人以上) belong to the names.
func (d *drafter) zeroGoal(c clause) bool {
	for _, w := range []string{"不发生", "不出现"} {
		k := c.indexOut(w, 0)
		if k < 0 {
			continue
		}
		subject := cleanName(string(c.text[:k]))
		for _, item := range splitOut(string(c.text[k+len([]rune(w)):]), "、和") {
			if item = strings.TrimSpace(item); item != "" {
				d.add(zero(subject+item), string(c.text), "")
			}
		}
		return true
	}
	if k := c.indexOut("负增长", 0); k >= 0 {
		subject := string(c.text[:k])
		if j := strings.Index(subject, "连续"); j >= 0 {
			subject = subject[:j] // 连续4年保持负增长: the history, not the target
		}
		d.add(seeds.Metric{Name: cleanName(strings.TrimSuffix(subject, "保持")) + "增长", Kind: "rate", Direction: "at_most", Unit: "%"},
			string(c.text), "")
		return true
	}
	for _, w := range []string{"不出事", "不垮坝", "不溃坝", "不溃堤", "不决堤"} {
		if k := c.indexOut(w, 0); k >= 0 {
			d.add(zero(cleanName(string(c.text[:k]))+strings.TrimPrefix(w, "不")), string(c.text), "")
			return true
		}
	}
	return false
}

func zero(name string) seeds.Metric {
	return seeds.Metric{Name: name, Kind: "cumulative", Direction: "at_most", Target: 0, Unit: "起"}
}

// dropContext leaves out a count that only says what a rank is counted in:
// "在全国1300多个内河港排名跨进前10".
// It returns the hits left and the phrases dropped, which the rank's name
// leaves out.
func (d *drafter) dropContext(c clause, hits []hit) ([]hit, []string) {
	out := hits[:0:0]
	var dropped []string
	for i, h := range hits {
		if h.kind == hitNumber && i+1 < len(hits) && hits[i+1].kind == hitRank && !isRateUnit(h.unit) &&
			strings.Contains(string(c.text[h.end:hits[i+1].start]), "排名") &&
			!strings.Contains(string(c.text[h.end:hits[i+1].start]), "、") {
			phrase := string(c.text[h.start:h.end])
			d.skip(phrase, WarnSkipContext)
			dropped = append(dropped, phrase)
			continue
		}
		out = append(out, h)
	}
	return out, dropped
}

func isRateUnit(u string) bool {
	switch u {
	case "%", "‰", "个百分点", "百分点", "倍", "":
		return true
	}
	return false
}

// isStock: a total that exists at a moment (建设总数, 森林蓄积量) is read as
// its latest value, not summed over the year.
func isStock(name string) bool {
	for _, w := range []string{"总数", "蓄积量", "保有量", "存量"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

func orPhrase(name, phrase string) string {
	if name != "" {
		return name
	}
	return strings.TrimSpace(phrase)
}

// unquoted returns the clause's text with quoted stretches blanked, so that a
// verb inside a name (“实干争先”) is not read as the clause's verb.
func unquoted(c clause) string {
	var b strings.Builder
	for i, r := range c.text {
		if c.quoted[i] {
			b.WriteRune(' ')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
