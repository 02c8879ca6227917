// Package draft reads a task's metrics from its target text (目标), the way
// a Chinese municipal target list states them: "新建市级博士创新站25家",
// "增长12%以上", "缩小至1.64以内", "全省前三", "保五争三", "不发生较大森林火灾",
// "建成运营湖杭高铁". What it drafts is for a person to review: every metric
// comes with a Note naming the phrase it was read from, and a phrase that looks
// like a target but cannot be read becomes a milestone with a warning rather
// than disappearing.
//
// Numbers are read by quantity, the reader the report dialog uses (digits,
// full-width digits, 百/千/万/亿, %, ‰); this package finds where a number
// and its unit start and end in running text, decides the kind and direction
// from the words around it, and names the metric after its clause. Chinese
// numerals are read only where targets use them: ranks (前三, 第一, 保五争三),
// 百余/千余, and fractions (三分之二).
package draft

import (
	"fmt"
	"strings"

	"github.com/duban-bot/duban/seeds"
)

// Note ties a drafted metric to the phrase of the text it came from, or
// explains a phrase that was not read as a number.
type Note struct {
	// Phrase is the part of the text the note is about, as written.
	Phrase string
	// Metric is the name of the metric drafted from the phrase; "" when the
	// phrase was recognised as not being a target (a year, a name in quotes).
	Metric string
	// Warning says, in English, why the phrase needs a reviewer's eye; "" when
	// it was read plainly.
	Warning string
}

// String writes the note on one line, for logs and the import's review list.
func (n Note) String() string {
	s := fmt.Sprintf("%q", n.Phrase)
	if n.Metric != "" {
		s += " → " + n.Metric
	}
	if n.Warning != "" {
		s += " (" + n.Warning + ")"
	}
	return s
}

// Warnings a Note may carry. They are English for logs and review lists; a
// zh-CN wording belongs to whoever shows them to a user.
const (
	WarnUnreadable   = "could not read a number here; drafted as a milestone"
	WarnZeroTarget   = "a target of 0 that is not a cap; drafted as a milestone"
	WarnNoRankNumber = "a rank without a number; drafted as a milestone"
	WarnNoNumber     = "no number in the text; drafted one milestone named after the clause"
	WarnImprove      = "improve on last year's rank: no number is stated, drafted as a milestone"
	WarnDecline      = "a decline: drafted as the size of the fall (report 2.1 for a fall of 2.1 %)"
	WarnSumOvershoot = "并超额完成: added to the figure before it"
	WarnStretch      = "a stretch figure after the committed one; only the committed one is a metric"
	WarnSlogan       = "保N争M: the committed figure N is the metric"
	WarnSkipYear     = "not a target: a year"
	WarnSkipOrdinal  = "not a target: an ordinal (第N届/期)"
	WarnSkipQuoted   = "not a target: part of a name in quotes"
	WarnSkipName     = "not a target: part of a name (5G)"
	WarnSkipRange    = "not a target: a range or a formula"
	WarnSkipDuration = "not a target: a duration"
	WarnSkipContext  = "not a target: the field a rank is counted in"
)

// maxTextRunes bounds the text read; a task's target paragraph is a few
// hundred characters, and a pasted essay should not cost more than that.
const maxTextRunes = 4000

// MaxNameRunes bounds a drafted metric's name: a clause without punctuation
// can run to hundreds of characters, and a name is shown on buttons and in
// spreadsheet cells. The longest name in the 2022 plan has 25.
const MaxNameRunes = 48

// Metrics drafts the metrics of one task from its target text. Every metric
// has a Note; notes without a metric explain numbers that were skipped. A text
// with no target at all gets one milestone named after its main clause.
func Metrics(text string) ([]seeds.Metric, []Note) {
	r := []rune(strings.TrimSpace(text))
	if len(r) > maxTextRunes {
		r = r[:maxTextRunes]
	}
	d := &drafter{}
	for _, c := range clauses(r) {
		d.clause(c)
	}
	if len(d.metrics) == 0 {
		d.fallback(r)
	}
	return d.result()
}

// drafter collects what the clauses of one text yield.
type drafter struct {
	metrics []seeds.Metric
	notes   []Note
	subject string          // the subject of the last metric, for "，增长12%"
	names   map[string]bool // the names taken so far
	suffix  map[string]int  // the last （N） given to a repeated name
}

func (d *drafter) add(m seeds.Metric, phrase, warning string) {
	if strings.TrimSpace(m.Name) == "" {
		m.Name = strings.TrimSpace(phrase) // "百余名" alone: the phrase is the best name there is
	}
	if strings.TrimSpace(m.Name) == "" {
		m.Name = "指标"
	}
	if r := []rune(m.Name); len(r) > MaxNameRunes {
		m.Name = string(r[:MaxNameRunes-1]) + "…"
	}
	m.Name = d.unique(m.Name, m.Unit)
	d.metrics = append(d.metrics, m)
	d.notes = append(d.notes, Note{Phrase: phrase, Metric: m.Name, Warning: warning})
	if m.Kind != "milestone" {
		d.subject = subjectOf(m.Name)
	}
}

func (d *drafter) skip(phrase, warning string) {
	d.notes = append(d.notes, Note{Phrase: phrase, Warning: warning})
}

// unique keeps names unique within a task (the plan requires it): a second
// "发送量" becomes "发送量（人次）", then "发送量（2）".
func (d *drafter) unique(name, unit string) string {
	if d.names == nil {
		d.names = map[string]bool{}
	}
	if d.suffix == nil {
		d.suffix = map[string]int{}
	}
	pick := name
	if d.names[pick] && unit != "" {
		pick = name + "（" + unit + "）"
	}
	for d.names[pick] {
		d.suffix[name] = max(d.suffix[name], 1) + 1 // resume where the last duplicate stopped
		pick = fmt.Sprintf("%s（%d）", name, d.suffix[name])
	}
	d.names[pick] = true
	return pick
}

func (d *drafter) result() ([]seeds.Metric, []Note) {
	return d.metrics, d.notes
}

// fallback drafts the one milestone of a text that states no target: named
// after its first clause with an outcome verb, else its first clause.
func (d *drafter) fallback(r []rune) {
	cs := clauses(r)
	best := ""
	for _, c := range cs {
		if hasMilestoneVerb(unquoted(c)) || hasWorkVerb(c.text) {
			best = string(c.text)
			break
		}
	}
	if best == "" && len(cs) > 0 {
		best = string(cs[0].text)
	}
	name := cleanName(best)
	if name == "" {
		name = "完成年度目标"
	}
	d.add(milestone(name), best, WarnNoNumber)
}

func milestone(name string) seeds.Metric {
	return seeds.Metric{Name: name, Kind: "milestone", Direction: "at_least", Target: 1}
}
