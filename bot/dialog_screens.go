package bot

import (
	"context"
	"fmt"
	"maps"
	"math"
	"strings"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/progress"
	"github.com/duban-bot/duban/quantity"
)

// render builds the screen of the session's current step.
func (b *Bot) render(ctx context.Context, r *request, s *session) (screen, error) {
	var sc screen
	var err error
	switch s.Step {
	case stepDept:
		sc, err = b.deptScreen(ctx, s)
	case stepPeriod:
		sc = b.periodScreen(s)
	case stepExtension:
		sc = b.extensionScreen(s)
	case stepEvidenceReason:
		sc = b.returnReasonScreen(s)
	default:
		sc, err = b.planScreen(ctx, r, s)
	}
	if err != nil {
		return screen{}, err
	}
	if s.Notice != "" {
		sc.text = s.Notice + "\n\n" + sc.text
	}
	return sc, nil
}

func (b *Bot) deptScreen(ctx context.Context, s *session) (screen, error) {
	depts, err := b.st.Plan(ctx, b.periodYear(s.Period))
	if err != nil {
		return screen{}, err
	}
	sc := screen{text: dlgChooseDept}
	var row []button
	for _, d := range depts {
		row = append(row, button{d.Name, s.data("d", d.ID)})
		if len(row) == 3 {
			sc.rows, row = append(sc.rows, row), nil
		}
	}
	if len(row) > 0 {
		sc.rows = append(sc.rows, row)
	}
	sc.rows = append(sc.rows, []button{{btnFinish, s.data("fin", nil)}})
	return sc, nil
}

// deptView is what the task, metric and value screens show about a department.
type deptView struct {
	dept   models.Department
	ids    []uint                 // the department's metrics, in plan order
	latest map[uint]models.Report // latest value up to the session's period (shared: read only)
	period map[uint]models.Report // values filed for the session's period
	share  float64
}

// loadView reads the department's values once per update, in one query:
// the latest current value of each metric up to the session's period is
// the period's own value when one was filed, so the period's values are
// the latest ones of that period.
func (b *Bot) loadView(ctx context.Context, s *session) (deptView, error) {
	d, err := b.deptPlan(ctx, s)
	if err != nil {
		return deptView{}, err
	}
	if s.view != nil && s.view.dept.ID == d.ID {
		return *s.view, nil
	}
	var ids []uint
	for _, t := range d.Tasks {
		ids = append(ids, metricIDs(t)...)
	}
	v := deptView{dept: d, share: b.shareAt(ctx, s.Period), ids: ids}
	if v.latest, err = b.st.DepartmentLatest(ctx, arrivedReports(ctx, d.ID), s.Period, ids); err != nil {
		return v, err
	}
	v.period = make(map[uint]models.Report, len(v.latest))
	for id, rep := range v.latest {
		if rep.Period == s.Period {
			v.period[id] = rep
		}
	}
	s.view = &v
	return v, nil
}

// with is the view once rep is stored: the latest value of its metric, and
// its period's (rep's period is the session's, the view's newest).
func (v deptView) with(rep models.Report) *deptView {
	latest := make(map[uint]models.Report, len(v.latest)+1)
	maps.Copy(latest, v.latest)
	period := make(map[uint]models.Report, len(v.period)+1)
	maps.Copy(period, v.period)
	latest[rep.MetricID], period[rep.MetricID] = rep, rep
	v.latest, v.period = latest, period
	return &v
}

func (b *Bot) planScreen(ctx context.Context, r *request, s *session) (screen, error) {
	v, err := b.loadView(ctx, s)
	if err != nil {
		return screen{}, err
	}
	switch s.Step {
	case stepTasks:
		return b.tasksScreen(r, s, v), nil
	case stepNote:
		return s.noteScreen(), nil
	}
	t, ok := findTask(v.dept, s.Task)
	if !ok {
		return screen{}, fmt.Errorf("task %d: %w", s.Task, errForbidden)
	}
	if s.Step == stepMetrics {
		return s.metricsScreen(t, v), nil
	}
	m, ok := findMetric(t, s.Metric)
	if !ok {
		return screen{}, b.missingMetric(ctx, s)
	}
	var sc screen
	if s.Step == stepValue {
		sc = s.valueScreen(m, v)
	} else {
		sc = s.confirmScreen(m, v, b.set.Thresholds)
	}
	if s.Period != b.currentPeriod() {
		// A late report, chosen with 补报往期 or left open while the period
		// ended: the value goes to s.Period, and the user must see which.
		sc.text = fmt.Sprintf(dlgLatePeriod, s.Period) + sc.text
	}
	return sc, nil
}

func (b *Bot) tasksScreen(r *request, s *session, v deptView) screen {
	late := ""
	if s.Period != b.currentPeriod() {
		late = dlgLateMark
	}
	sc := screen{text: fmt.Sprintf(dlgTasks, v.dept.Name, s.Period, late)}
	for _, t := range v.dept.Tasks {
		mark := "▫️"
		if taskDone(t, v.period) {
			mark = "✅"
		}
		sc.rows = append(sc.rows, []button{{fmt.Sprintf("%s %d. %s", mark, t.Seq, shorten(t.Title, 18)), s.data("t", t.ID)}})
	}
	nav := []button{{btnLate, s.data("late", nil)}}
	if late != "" {
		nav = []button{{btnCurrent, s.data("p", b.currentPeriod())}}
	}
	if r.contact.IsCoordinator() {
		nav = append(nav, button{btnBack, s.data("back", nil)})
	}
	sc.rows = append(sc.rows, append(nav, button{btnFinish, s.data("fin", nil)}))
	return sc
}

func taskDone(t models.Task, filed map[uint]models.Report) bool {
	for _, m := range t.Metrics {
		if _, ok := filed[m.ID]; !ok {
			return false
		}
	}
	return len(t.Metrics) > 0
}

func (s *session) metricsScreen(t models.Task, v deptView) screen {
	var text strings.Builder
	fmt.Fprintf(&text, dlgMetrics, t.Seq, t.Title)
	sc := screen{}
	for _, m := range t.Metrics {
		mark := "▫️"
		if _, ok := v.period[m.ID]; ok {
			mark = "✅"
		}
		fmt.Fprintf(&text, dlgMetricLine, mark, m.Name, targetText(m), latestText(m, v.latest))
		sc.rows = append(sc.rows, []button{{mark + " " + shorten(m.Name, 20), s.data("m", m.ID)}})
	}
	text.WriteString("\n" + dlgMetricTap)
	sc.text = text.String()
	sc.rows = append(sc.rows, []button{{btnNote, s.data("note", nil)}, {btnBackTasks, s.data("back", nil)}})
	return sc
}

func (s *session) valueScreen(m models.Metric, v deptView) screen {
	last := dlgNoLast
	if rep, ok := v.latest[m.ID]; ok {
		last = fmt.Sprintf(dlgLastValue, valueText(m, rep.Value), rep.Period)
	}
	back := []button{{btnBack, s.data("back", nil)}}
	if m.Kind == string(progress.KindMilestone) {
		return screen{
			text: fmt.Sprintf(dlgAskMile, m.Name) + "\n" + last,
			rows: [][]button{{
				{mileNotStarted, s.data("v", "0")}, {mileInProgress, s.data("v", "1")}, {mileDone, s.data("v", "2")},
			}, back},
		}
	}
	what := dlgLatestValue
	switch m.Kind {
	case string(progress.KindCumulative):
		what = dlgCumulative
	case string(progress.KindRank):
		what = dlgRankValue
	}
	text := fmt.Sprintf(dlgAskValue, m.Name, what, unitName(m.Unit), example(m), last)
	return screen{text: text, rows: [][]button{back}}
}

func (s *session) confirmScreen(m models.Metric, v deptView, th progress.Thresholds) screen {
	ev := progress.Evaluate(progress.MetricOf(m), s.Value, v.share, th)
	implies := impliesText(m, *s.Value, ev)
	if rep, ok := v.period[m.ID]; ok {
		implies += "\n" + fmt.Sprintf(dlgCorrects, valueText(m, rep.Value))
	}
	text := fmt.Sprintf(dlgConfirm, m.Name, valueText(m, *s.Value), implies)
	ok := btnConfirm
	if s.Warn != "" {
		text += "\n\n" + s.Warn
		ok = btnConfirmAnyw
	}
	return screen{text: text, rows: [][]button{
		{{ok, s.data("ok", nil)}},
		{{retypeLabel(m), s.data("re", nil)}, {btnBack, s.data("back", nil)}},
	}}
}

// impliesText is the read-back's verdict, each kind in its own terms: only
// an at-least cumulative metric has a 序时进度 to compare with.
func impliesText(m models.Metric, v float64, ev progress.Evaluation) string {
	light := ev.Light.Emoji() + " " + lightName(ev.Light)
	switch {
	case m.Kind == string(progress.KindMilestone):
		return fmt.Sprintf(dlgImpliesMile, milestoneLabel(v), light)
	case m.Kind == string(progress.KindCumulative) && m.Direction != string(progress.AtMost):
		return fmt.Sprintf(dlgImplies, percent(ev.Progress), percent(ev.Pace), light)
	}
	st := progress.MetricStatus{Metric: m, Latest: &models.Report{Value: v}, Eval: ev}
	return fmt.Sprintf(dlgImpliesLevel, standingText(st), light)
}

// retypeLabel offers to type a value again, or to choose again for a
// milestone, whose states are buttons.
func retypeLabel(m models.Metric) string {
	if m.Kind == string(progress.KindMilestone) {
		return btnReselect
	}
	return btnRetype
}

func (s *session) noteScreen() screen {
	return screen{text: dlgTaskDone, rows: [][]button{
		{{btnSkip, s.data("back", nil)}, {btnFinish, s.data("fin", nil)}},
	}}
}

func (b *Bot) periodScreen(s *session) screen {
	sc := screen{text: dlgChoosePer}
	var row []button
	for _, p := range b.lateChoices() {
		row = append(row, button{p, s.data("p", p)})
		if len(row) == 3 {
			sc.rows, row = append(sc.rows, row), nil
		}
	}
	if len(row) > 0 {
		sc.rows = append(sc.rows, row)
	}
	sc.rows = append(sc.rows, []button{{btnBack, s.data("back", nil)}})
	return sc
}

func targetText(m models.Metric) string {
	switch {
	case m.Kind == string(progress.KindMilestone):
		return mileDone
	case m.Kind == string(progress.KindRank):
		return fmt.Sprintf(txtTopRank, quantity.Format(m.Target, ""))
	case m.Direction == string(progress.AtMost):
		return "≤" + quantity.Format(m.Target, m.Unit)
	}
	return "≥" + quantity.Format(m.Target, m.Unit)
}

func latestText(m models.Metric, latest map[uint]models.Report) string {
	rep, ok := latest[m.ID]
	if !ok {
		return txtNotReported
	}
	return fmt.Sprintf(txtValueOfPeriod, valueText(m, rep.Value), rep.Period)
}

func valueText(m models.Metric, v float64) string {
	switch m.Kind {
	case string(progress.KindMilestone):
		return milestoneLabel(v)
	case string(progress.KindRank):
		return fmt.Sprintf(txtRank, quantity.Format(v, ""))
	}
	return quantity.Format(v, m.Unit)
}

func milestoneLabel(v float64) string {
	switch {
	case v >= progress.MilestoneDone:
		return mileDone
	case v > progress.MilestoneNotStarted:
		return mileInProgress
	}
	return mileNotStarted
}

func lightName(l progress.Light) string {
	switch l {
	case progress.Green:
		return txtLightGreen
	case progress.Yellow:
		return txtLightYellow
	case progress.Red:
		return txtLightRed
	}
	return txtNotReported
}

func percent(f float64) string { return quantity.Format(round1(f*100), "%") }

func round1(f float64) float64 {
	if f < 0 {
		return -round1(-f)
	}
	return float64(int64(f*10+0.5)) / 10
}

func unitName(u string) string {
	if u == "" {
		return txtNoUnit
	}
	return u
}

// example is a value of the metric's unit the user could type.
func example(m models.Metric) string {
	switch m.Kind {
	case string(progress.KindRank):
		return txtRankExample
	case string(progress.KindRate):
		return quantity.Format(m.Target, m.Unit)
	}
	half := m.Target / 2
	if half >= 1 {
		half = math.Floor(half)
	}
	return quantity.Format(half, m.Unit)
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
