package planfile

import (
	"fmt"
	"unicode/utf8"

	"github.com/duban-bot/duban/seeds"
)

// maxLen bounds each text of a plan, in characters. The bot shows a task's
// title, its target text and its metrics' names on one screen, and Telegram
// refuses a message over 4,096 characters: a longer cell would leave the
// department unable to report. The 2022 plan's longest are 9, 51, 190, 25
// and 4 characters.
var maxLen = map[field]int{fDept: 30, fTitle: 120, fText: 1000, fMetric: 60, fUnit: 10}

// lengthFields are the fields maxLen bounds, in column order.
var lengthFields = []field{fDept, fTitle, fText, fMetric, fUnit}

// longCells reports every cell of row n longer than its field allows.
func (b *builder) longCells(n int, cells []string) {
	for _, f := range lengthFields {
		if l := utf8.RuneCountInString(b.cols.get(cells, f)); l > maxLen[f] {
			b.rep.problem(b.at(n, f), msgTooLong, f.title(), l, maxLen[f])
		}
	}
}

// longTexts reports every text of a plan file (YAML) longer than its field
// allows, located by department and task.
func longTexts(name string, p seeds.Plan, rep *Report) {
	check := func(f field, s, where string) {
		if l := utf8.RuneCountInString(s); l > maxLen[f] {
			rep.problem(Position{Sheet: name}, "%s：%s", where, fmt.Sprintf(msgTooLong, f.title(), l, maxLen[f]))
		}
	}
	for _, d := range p.Departments {
		check(fDept, d.Name, shortText(d.Name))
		for _, t := range d.Tasks {
			where := fmt.Sprintf("%s 第%d项", shortText(d.Name), t.Seq)
			check(fTitle, t.Title, where)
			check(fText, t.Text, where)
			for _, m := range t.Metrics {
				check(fMetric, m.Name, where)
				check(fUnit, m.Unit, where)
			}
		}
	}
}

// shortText is the start of a long text, to name it in a problem.
func shortText(s string) string {
	if utf8.RuneCountInString(s) <= 30 {
		return s
	}
	return string([]rune(s)[:30]) + "…"
}
