package planfile

import (
	"strconv"
	"strings"

	"github.com/duban-bot/duban/seeds"
)

// headerSearchRows is how far down a title row or two may push the header.
const headerSearchRows = 10

// builder turns the rows of one sheet into a plan, row by row, so a large
// sheet is read as a stream. The layout:
//   - a row whose 任务 or 目标 is filled starts a task; an empty 部门 takes
//     the department of the task above (merged cells read that way);
//   - the task row may carry the task's first metric (指标 … 单位);
//   - a row with 任务 and 目标 empty but a metric cell filled is a further
//     metric of the task above; its 部门 and 序号 may be empty or repeat
//     the task's;
//   - a task without metrics has them drafted from 目标 at the end.
type builder struct {
	sheet  string
	opts   Options
	cols   columns
	header int // row of the header, 0 until found
	done   bool
	rep    Report

	depts  []*deptRows
	byName map[string]*deptRows
	task   *taskRows // the task the next metric row belongs to
	// prevDept is the department of the task row read last, which a task
	// row with an empty 部门 takes.
	prevDept string
}

type deptRows struct {
	name  string
	tasks []*taskRows
	seqs  map[int]int // task number → its row
}

type taskRows struct {
	row     int
	dept    string
	task    seeds.Task
	metrics map[string]int // metric name → its row
}

func newBuilder(sheet string, opts Options) *builder {
	return &builder{sheet: sheet, opts: opts, byName: map[string]*deptRows{}}
}

func (b *builder) at(row int, f field) Position {
	return Position{Sheet: b.sheet, Row: row, Col: b.cols.letter(f)}
}

// add takes the sheet's next row (1-based n).
func (b *builder) add(n int, cells []string) {
	switch {
	case b.done:
	case b.header == 0:
		b.findHeader(n, cells)
	default:
		b.addRow(n, cells)
	}
}

func (b *builder) findHeader(n int, cells []string) {
	var cols columns
	for i := range cols {
		cols[i] = -1
	}
	found := 0
	for i, c := range cells {
		f, ok := fieldOf(c)
		if !ok {
			continue
		}
		found++
		if cols[f] >= 0 {
			b.rep.problem(Position{Sheet: b.sheet, Row: n, Col: colLetter(i)}, msgDupHeader, f.title(), colLetter(cols[f]))
			continue
		}
		cols[f] = i
	}
	if found < 2 { // a title row may hold a word such as 目标
		if n >= headerSearchRows {
			b.rep.problem(Position{Sheet: b.sheet, Row: 1}, msgNoHeader, headerSearchRows)
			b.done = true
		}
		return
	}
	b.cols, b.header = cols, n
	for _, f := range required {
		if !cols.has(f) {
			b.rep.problem(Position{Sheet: b.sheet, Row: n}, msgMissingHeader, f.title())
		}
	}
	for _, f := range metricFields[1:] {
		if cols.has(f) && !cols.has(fMetric) {
			b.rep.problem(b.at(n, f), msgNoMetricColumn, f.title())
		}
	}
	if len(b.rep.Problems) > 0 {
		b.done = true // rows cannot be read without their columns
	}
}

func (b *builder) addRow(n int, cells []string) {
	get := func(f field) string { return b.cols.get(cells, f) }
	if b.blank(cells) {
		return
	}
	b.longCells(n, cells)
	if get(fTitle) == "" && get(fText) == "" && b.hasMetric(cells) {
		b.addMetricRow(n, cells)
		return
	}
	b.addTaskRow(n, cells)
}

func (b *builder) blank(cells []string) bool {
	for f := range nFields {
		if b.cols.get(cells, field(f)) != "" {
			return false
		}
	}
	return true
}

func (b *builder) hasMetric(cells []string) bool {
	for _, f := range metricFields {
		if b.cols.get(cells, f) != "" {
			return true
		}
	}
	return false
}

func (b *builder) addTaskRow(n int, cells []string) {
	get := func(f field) string { return restore(b.cols.get(cells, f)) }
	b.task = nil
	dept := get(fDept)
	if dept == "" {
		dept = b.prevDept
	}
	seq, seqOK := b.seq(n, get(fSeq))
	title := get(fTitle)
	switch {
	case title == "":
		b.rep.problem(b.at(n, fTitle), msgEmptyTitle)
	case strings.HasPrefix(title, examplePre):
		b.rep.problem(b.at(n, fTitle), msgExampleRow)
	}
	if dept == "" {
		b.rep.problem(b.at(n, fDept), msgEmptyDept)
		return
	}
	b.prevDept = dept
	d := b.department(n, dept)
	if seqOK {
		if prev, dup := d.seqs[seq]; dup {
			b.rep.problem(b.at(n, fSeq), msgDupSeq, dept, seq, prev)
		} else {
			d.seqs[seq] = n
		}
	}
	t := &taskRows{row: n, dept: dept, task: seeds.Task{Seq: seq, Title: title, Text: get(fText)}, metrics: map[string]int{}}
	d.tasks = append(d.tasks, t)
	b.task = t
	if b.hasMetric(cells) {
		b.addMetric(n, cells)
	}
}

func (b *builder) seq(n int, s string) (int, bool) {
	if s == "" {
		b.rep.problem(b.at(n, fSeq), msgEmptySeq)
		return 0, false
	}
	v, err := strconv.Atoi(s)
	if err != nil || v <= 0 {
		b.rep.problem(b.at(n, fSeq), msgBadSeq, s)
		return 0, false
	}
	return v, true
}

func (b *builder) department(n int, name string) *deptRows {
	if d, ok := b.byName[name]; ok {
		return d
	}
	d := &deptRows{name: name, seqs: map[int]int{}}
	b.depts = append(b.depts, d)
	b.byName[name] = d
	if b.opts.KnownDepartment != nil && !b.opts.KnownDepartment(name) {
		b.rep.notice(b.at(n, fDept), msgNewDept, name)
	}
	return d
}

func (b *builder) addMetricRow(n int, cells []string) {
	t := b.task
	if t == nil {
		b.rep.problem(b.at(n, fMetric), msgOrphanMetric)
		return
	}
	if d := restore(b.cols.get(cells, fDept)); d != "" && d != t.dept {
		b.rep.problem(b.at(n, fDept), msgMetricMismatch, fDept.title(), d, t.dept, t.task.Seq)
	}
	if s := b.cols.get(cells, fSeq); s != "" && s != strconv.Itoa(t.task.Seq) {
		b.rep.problem(b.at(n, fSeq), msgMetricMismatch, fSeq.title(), s, t.dept, t.task.Seq)
	}
	b.addMetric(n, cells)
}

// addMetric reads the metric cells of row n into the current task.
func (b *builder) addMetric(n int, cells []string) {
	var raw rawMetric
	for _, f := range metricFields {
		raw[f-fMetric] = restore(b.cols.get(cells, f))
	}
	m, problems := raw.metric()
	for _, p := range problems {
		b.rep.problem(b.at(n, p.field), "%s", p.msg)
	}
	if len(problems) > 0 || m.Name == "" {
		return
	}
	t := b.task
	if prev, dup := t.metrics[m.Name]; dup {
		b.rep.problem(b.at(n, fMetric), msgDupMetric, m.Name, prev)
		return
	}
	t.metrics[m.Name] = n
	t.task.Metrics = append(t.task.Metrics, m)
}

// plan finishes the sheet: drafts the metrics of tasks without any and
// assembles the plan in the order the rows came.
func (b *builder) plan() (seeds.Plan, Report) {
	if b.header == 0 && !b.done {
		b.rep.problem(Position{Sheet: b.sheet, Row: 1}, msgNoHeader, headerSearchRows)
	}
	p := seeds.Plan{Year: b.opts.Year}
	for _, d := range b.depts {
		dept := seeds.Department{Name: d.name}
		for _, t := range d.tasks {
			if len(t.task.Metrics) == 0 {
				t.task.Metrics = b.draft(t)
			}
			dept.Tasks = append(dept.Tasks, t.task)
		}
		p.Departments = append(p.Departments, dept)
	}
	if b.header > 0 && len(p.Departments) == 0 && len(b.rep.Problems) == 0 {
		b.rep.problem(Position{Sheet: b.sheet}, msgNoTasks)
	}
	return p, b.rep
}
