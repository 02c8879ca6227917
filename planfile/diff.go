package planfile

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/duban-bot/duban/seeds"
)

// Change is one difference between two plans, keyed as the store keys the
// plan: departments by name, tasks by number, metrics by name.
type Change struct {
	Op         string // OpAdded, OpChanged or OpRemoved
	Department string
	Seq        int    // 0 for a department or the year
	Metric     string // "" for a task or department
	line       string
}

func (c Change) String() string { return printable(c.line) }

// MetricRef names a metric the new plan no longer has.
type MetricRef struct {
	Department string
	Seq        int
	Metric     string
}

// Changes is what importing new over old would add, change and remove.
type Changes struct {
	List []Change
	// Removed is every metric the new plan drops, including those of
	// dropped tasks and departments: the ones whose reports are at stake.
	Removed []MetricRef
}

// Count returns how many changes of op there are.
func (c Changes) Count(op string) int {
	n := 0
	for _, ch := range c.List {
		if ch.Op == op {
			n++
		}
	}
	return n
}

// Diff compares two plans. Order is not compared: the store keeps the
// order of the plan loaded last.
func Diff(old, new seeds.Plan) Changes {
	var c Changes
	if len(old.Departments) > 0 && old.Year != new.Year {
		c.add(Change{Op: OpChanged, line: fmt.Sprintf(diffYear, OpChanged, old.Year, new.Year)})
	}
	olds := map[string]seeds.Department{}
	for _, d := range old.Departments {
		olds[d.Name] = d
	}
	news := map[string]bool{}
	for _, d := range new.Departments {
		news[d.Name] = true
		if o, ok := olds[d.Name]; ok {
			c.diffTasks(d.Name, o.Tasks, d.Tasks)
			continue
		}
		c.add(Change{Op: OpAdded, Department: d.Name, line: fmt.Sprintf(diffDept, OpAdded, d.Name, len(d.Tasks))})
	}
	for _, d := range old.Departments {
		if !news[d.Name] {
			c.add(Change{Op: OpRemoved, Department: d.Name, line: fmt.Sprintf(diffDept, OpRemoved, d.Name, len(d.Tasks))})
			for _, t := range d.Tasks {
				c.removeMetrics(d.Name, t)
			}
		}
	}
	return c
}

func (c *Changes) add(ch Change) { c.List = append(c.List, ch) }

func (c *Changes) removeMetrics(dept string, t seeds.Task) {
	for _, m := range t.Metrics {
		c.Removed = append(c.Removed, MetricRef{Department: dept, Seq: t.Seq, Metric: m.Name})
	}
}

func (c *Changes) diffTasks(dept string, old, new []seeds.Task) {
	olds := map[int]seeds.Task{}
	for _, t := range old {
		olds[t.Seq] = t
	}
	news := map[int]bool{}
	for _, t := range new {
		news[t.Seq] = true
		o, ok := olds[t.Seq]
		if !ok {
			c.add(Change{Op: OpAdded, Department: dept, Seq: t.Seq,
				line: fmt.Sprintf(diffTask, OpAdded, dept, t.Seq, t.Title, len(t.Metrics))})
			continue
		}
		if o.Title != t.Title {
			c.add(Change{Op: OpChanged, Department: dept, Seq: t.Seq,
				line: fmt.Sprintf(diffTaskTitle, OpChanged, dept, t.Seq, o.Title, t.Title)})
		}
		if o.Text != t.Text {
			c.add(Change{Op: OpChanged, Department: dept, Seq: t.Seq,
				line: fmt.Sprintf(diffTaskText, OpChanged, dept, t.Seq, t.Title)})
		}
		c.diffMetrics(dept, t.Seq, o.Metrics, t.Metrics)
	}
	for _, t := range old {
		if !news[t.Seq] {
			c.add(Change{Op: OpRemoved, Department: dept, Seq: t.Seq,
				line: fmt.Sprintf(diffTask, OpRemoved, dept, t.Seq, t.Title, len(t.Metrics))})
			c.removeMetrics(dept, t)
		}
	}
}

func (c *Changes) diffMetrics(dept string, seq int, old, new []seeds.Metric) {
	olds := map[string]seeds.Metric{}
	for _, m := range old {
		olds[m.Name] = m
	}
	news := map[string]bool{}
	for _, m := range new {
		news[m.Name] = true
		o, ok := olds[m.Name]
		switch {
		case !ok:
			c.add(Change{Op: OpAdded, Department: dept, Seq: seq, Metric: m.Name,
				line: fmt.Sprintf(diffMetric, OpAdded, dept, seq, m.Name, describe(m))})
		case o != m:
			c.add(Change{Op: OpChanged, Department: dept, Seq: seq, Metric: m.Name,
				line: fmt.Sprintf(diffMetric, OpChanged, dept, seq, m.Name, fieldChanges(o, m))})
		}
	}
	for _, m := range old {
		if !news[m.Name] {
			c.add(Change{Op: OpRemoved, Department: dept, Seq: seq, Metric: m.Name,
				line: fmt.Sprintf(diffMetricBrief, OpRemoved, dept, seq, m.Name)})
			c.Removed = append(c.Removed, MetricRef{Department: dept, Seq: seq, Metric: m.Name})
		}
	}
}

// describe is a metric as the sheet shows it: 累计 不低于 5 家.
func describe(m seeds.Metric) string {
	return strings.TrimSpace(fmt.Sprintf("%s %s %s %s", kindLabels[m.Kind], directionLabels[m.Direction],
		strconv.FormatFloat(m.Target, 'f', -1, 64), m.Unit))
}

func fieldChanges(o, m seeds.Metric) string {
	var parts []string
	change := func(name, from, to string) {
		if from != to {
			parts = append(parts, fmt.Sprintf(diffField, name, quoted(from), quoted(to)))
		}
	}
	change(fKind.title(), kindLabels[o.Kind], kindLabels[m.Kind])
	change(fDirection.title(), directionLabels[o.Direction], directionLabels[m.Direction])
	change(fTarget.title(), strconv.FormatFloat(o.Target, 'f', -1, 64), strconv.FormatFloat(m.Target, 'f', -1, 64))
	change(fUnit.title(), o.Unit, m.Unit)
	return strings.Join(parts, "，")
}

func quoted(s string) string { return "「" + s + "」" }
