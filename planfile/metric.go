package planfile

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/duban-bot/duban/quantity"
	"github.com/duban-bot/duban/seeds"
)

// rawMetric is a metric's cells as typed, in the order of metricFields.
type rawMetric [5]string

// fieldProblem is a problem with one cell of a metric row.
type fieldProblem struct {
	field field
	msg   string
}

// metric reads the cells. An empty 类型 is a milestone when 目标值 is empty
// too, else cumulative; an empty 方向 is at_most for a rank, else at_least.
func (r rawMetric) metric() (seeds.Metric, []fieldProblem) {
	name, kindS, dirS, targetS, unit := r[0], r[1], r[2], r[3], r[4]
	if name == "" {
		for _, v := range r[1:] {
			if v != "" {
				return seeds.Metric{}, []fieldProblem{{fMetric, fmt.Sprintf(msgEmptyMetricName, v)}}
			}
		}
		return seeds.Metric{}, nil
	}
	var ps []fieldProblem
	m := seeds.Metric{Name: name, Kind: "cumulative", Direction: "at_least", Unit: unit}
	if targetS == "" {
		m.Kind = "milestone"
	}
	if kindS != "" {
		k, ok := lookupWord(kindWords, kindS)
		if !ok {
			ps = append(ps, fieldProblem{fKind, fmt.Sprintf(msgUnknownKind, kindS)})
		}
		m.Kind = k
	}
	if m.Kind == "rank" {
		m.Direction = "at_most"
	}
	if dirS != "" {
		d, ok := lookupWord(directionWords, dirS)
		if !ok {
			ps = append(ps, fieldProblem{fDirection, fmt.Sprintf(msgUnknownDir, dirS)})
		}
		m.Direction = d
	}
	if (m.Kind == "cumulative" || m.Kind == "rate") && !usableUnit(unit) {
		ps = append(ps, fieldProblem{fUnit, fmt.Sprintf(msgBadUnit, unit)})
	}
	if len(ps) > 0 {
		return m, ps // the target's rules depend on kind, direction and unit
	}
	target, p := parseTarget(targetS, m)
	if p != "" {
		return m, append(ps, fieldProblem{fTarget, p})
	}
	m.Target = target
	return m, append(ps, checkMetric(m, targetS)...)
}

// parseTarget reads 目标值 in the metric's unit, as the report dialog reads
// a value: "13.4", "13.4万人" for a metric in 万人, "12%".
func parseTarget(s string, m seeds.Metric) (float64, string) {
	if s == "" {
		if m.Kind == "milestone" {
			return 1, ""
		}
		return 0, fmt.Sprintf(msgEmptyTarget, kindLabels[m.Kind])
	}
	if m.Kind == "milestone" || m.Kind == "rank" {
		// a milestone's 1 and a rank's place have no unit to convert
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Sprintf(msgBadTarget, s)
		}
		return v, ""
	}
	v, err := quantity.In(s, m.Unit)
	if errors.Is(err, quantity.ErrUnit) {
		return 0, fmt.Sprintf(msgTargetUnit, s, m.Unit)
	}
	if err != nil {
		return 0, fmt.Sprintf(msgBadTarget, s)
	}
	return v, ""
}

// usableUnit tells whether the report dialog can read values in unit.
func usableUnit(unit string) bool {
	_, err := quantity.In("1", unit)
	return err == nil
}

// rankUnits are the units a rank may carry.
var rankUnits = []string{"", "名", "位"}

// checkMetric finds what contradicts itself in a metric read from a row or
// drafted from a text; shown is the target as the user wrote it.
func checkMetric(m seeds.Metric, shown string) []fieldProblem {
	if shown == "" {
		shown = strconv.FormatFloat(m.Target, 'f', -1, 64)
	}
	var ps []fieldProblem
	switch m.Kind {
	case "milestone":
		if m.Target != 1 {
			ps = append(ps, fieldProblem{fTarget, fmt.Sprintf(msgMilestoneTarget, shown)})
		}
		if m.Unit != "" {
			ps = append(ps, fieldProblem{fUnit, fmt.Sprintf(msgMilestoneUnit, m.Unit)})
		}
	case "rank":
		if !slices.Contains(rankUnits, m.Unit) {
			ps = append(ps, fieldProblem{fUnit, fmt.Sprintf(msgRankUnit, m.Unit)})
		}
		if m.Target < 1 || m.Target != math.Trunc(m.Target) {
			ps = append(ps, fieldProblem{fTarget, fmt.Sprintf(msgRankTarget, shown)})
		}
	default:
		if m.Target < 0 || (m.Target == 0 && m.Direction != "at_most") {
			ps = append(ps, fieldProblem{fTarget, fmt.Sprintf(msgTargetPositive, shown)})
		}
	}
	return ps
}

// draftedProblems checks a metric the drafter made.
func draftedProblems(m seeds.Metric) []string {
	var out []string
	if _, ok := kindLabels[m.Kind]; !ok {
		out = append(out, fmt.Sprintf(msgUnknownKind, m.Kind))
	}
	if _, ok := directionLabels[m.Direction]; !ok {
		out = append(out, fmt.Sprintf(msgUnknownDir, m.Direction))
	}
	for _, p := range checkMetric(m, "") {
		out = append(out, p.msg)
	}
	return out
}

// draft drafts the metrics of a task that has none. It never returns
// nothing: a text the drafter cannot read becomes one milestone named after
// the task, with a note, so no task is silently left unmeasured.
func (b *builder) draft(t *taskRows) []seeds.Metric {
	if t.task.Title == "" {
		return nil // already a problem
	}
	var ms []seeds.Metric
	var notes []string
	if b.opts.Drafter != nil {
		ms, notes = b.opts.Drafter(t.task.Text)
		ms, notes = slices.Clone(ms), slices.Clone(notes)
	}
	if len(ms) == 0 {
		ms = []seeds.Metric{{Name: t.task.Title, Kind: "milestone", Direction: "at_least", Target: 1}}
		notes = append(notes, fmt.Sprintf(msgNoDraft, t.task.Title))
	}
	at := b.at(t.row, fText)
	seen := map[string]bool{}
	for _, m := range ms {
		for _, p := range draftedProblems(m) {
			b.rep.problem(at, msgDraftedProblem, m.Name, p)
		}
		if seen[m.Name] {
			b.rep.problem(at, msgDraftedProblem, m.Name, fmt.Sprintf(msgDupMetric, m.Name, t.row))
		}
		seen[m.Name] = true
	}
	b.rep.Drafted = append(b.rep.Drafted, Drafted{Position: at, Department: t.dept, Seq: t.task.Seq,
		Title: t.task.Title, Metrics: ms, Notes: notes})
	return ms
}
