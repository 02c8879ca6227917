package bot

import (
	"context"
	"crypto/rand"
	"fmt"
	"slices"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/progress"
)

// apply moves the session by one button press and shows the result.
func (b *Bot) apply(ctx context.Context, r *request, s *session, p press) error {
	var err error
	switch p.op {
	case "d":
		err = b.pickDept(ctx, r, s, p)
	case "t":
		err = b.pickTask(ctx, s, p)
	case "m":
		err = b.pickMetric(ctx, s, p)
	case "v":
		err = b.pickMilestone(ctx, s, p)
	case "ok":
		return b.confirm(ctx, r, s)
	case "re":
		s.Step, s.Value, s.Raw, s.Warn = stepValue, nil, "", ""
	case "back":
		b.back(s)
	case "late":
		s.Step = stepPeriod
	case "p":
		err = b.pickPeriod(s, p.arg)
	case "note":
		s.Step = stepNote
	case "fin":
		return b.finish(ctx, r, s)
	default:
		err = fmt.Errorf("unknown op %q: %w", p.op, errForbidden)
	}
	if err != nil {
		return err
	}
	b.toast(ctx, r.query, "")
	return b.show(ctx, r, s, false)
}

func (b *Bot) back(s *session) {
	switch s.Step {
	case stepValue, stepConfirm:
		s.Step, s.Value, s.Raw, s.Warn = stepMetrics, nil, "", ""
	case stepMetrics, stepNote, stepPeriod:
		s.Step, s.Task = stepTasks, 0
	case stepTasks:
		s.Step = stepDept
	}
}

func (b *Bot) pickDept(ctx context.Context, r *request, s *session, p press) error {
	id, err := p.id()
	if err != nil {
		return err
	}
	if err := b.authorize(r, id); err != nil {
		return err
	}
	if _, err := b.st.Department(ctx, id); err != nil {
		return fmt.Errorf("pick department %d: %w", id, errForbidden)
	}
	s.Dept, s.Step = id, stepTasks
	return nil
}

// pickTask accepts only a task of the session's department, whatever the
// callback data says.
func (b *Bot) pickTask(ctx context.Context, s *session, p press) error {
	id, err := p.id()
	if err != nil {
		return err
	}
	d, err := b.deptPlan(ctx, s)
	if err != nil {
		return err
	}
	if _, ok := findTask(d, id); !ok {
		return fmt.Errorf("task %d is not in department %d: %w", id, s.Dept, errForbidden)
	}
	s.Task, s.Step = id, stepMetrics
	return nil
}

func (b *Bot) pickMetric(ctx context.Context, s *session, p press) error {
	id, err := p.id()
	if err != nil {
		return err
	}
	d, err := b.deptPlan(ctx, s)
	if err != nil {
		return err
	}
	t, ok := findTask(d, s.Task)
	if !ok {
		return fmt.Errorf("task %d is not in department %d: %w", s.Task, s.Dept, errForbidden)
	}
	if _, ok := findMetric(t, id); !ok {
		s.Metric = id // not stored: the press is answered, the screen stays
		return b.missingMetric(ctx, s)
	}
	s.Metric, s.Step, s.Value, s.Raw, s.Warn = id, stepValue, nil, "", ""
	return nil
}

// milestoneStates are the values a milestone button stores, by button code.
var milestoneStates = map[string]float64{
	"0": progress.MilestoneNotStarted, "1": progress.MilestoneInProgress, "2": progress.MilestoneDone,
}

func (b *Bot) pickMilestone(ctx context.Context, s *session, p press) error {
	v, ok := milestoneStates[p.arg]
	if s.Step != stepValue || !ok {
		return fmt.Errorf("milestone %q at step %s: %w", p.arg, s.Step, errForbidden)
	}
	m, err := b.sessionMetric(ctx, s)
	if err != nil {
		return err
	}
	if m.Kind != string(progress.KindMilestone) {
		return fmt.Errorf("metric %d is not a milestone: %w", m.ID, errForbidden)
	}
	s.Value, s.Raw, s.Step, s.Key = &v, milestoneLabel(v), stepConfirm, newKey()
	return nil
}

// pickPeriod switches the dialog to a past period open for late reports,
// or back to the current one (本期). A period that stopped being open since
// the screen was drawn (the month turned) is answered as outdated.
func (b *Bot) pickPeriod(s *session, key string) error {
	if key == b.currentPeriod() || slices.Contains(b.lateChoices(), key) {
		s.Period, s.Step, s.Task = key, stepTasks, 0
		return nil
	}
	if _, err := b.set.Schedule.PeriodByKey(key); err == nil {
		return userError{msgStale}
	}
	return fmt.Errorf("period %q is not open for late reports: %w", key, errForbidden)
}

// confirm saves the read-back value together with the dialog's next step,
// and only then says "saved". The next screen is rendered inside the
// transaction, after the save, so it shows what was committed. The key of
// the read-back screen makes a repeated confirm store one value.
func (b *Bot) confirm(ctx context.Context, r *request, s *session) error {
	if s.Step != stepConfirm || s.Value == nil || s.Key == "" {
		return fmt.Errorf("confirm at step %s: %w", s.Step, errForbidden)
	}
	m, err := b.sessionMetric(ctx, s)
	if err != nil {
		return err
	}
	if err := recheckValue(s, m); err != nil {
		return err
	}
	key := "dlg:" + s.Key
	rep := &models.Report{
		MetricID: m.ID, Period: s.Period, Value: *s.Value, Raw: s.Raw, ReporterID: r.user.ID,
		OnBehalf: r.contact.IsCoordinator(), Late: b.isLate(s.Period), RequestKey: &key,
	}
	s.Value, s.Raw, s.Warn, s.Key = nil, "", "", ""
	before, err := b.loadView(ctx, s)
	if err != nil {
		return err
	}
	stamp := arrivedReports(ctx, s.Dept)
	var sc screen
	var saved int64
	err = b.st.Tx(ctx, func(tx *models.Store) error {
		res, err := tx.SaveReportOnce(ctx, rep, repeatWindow)
		if err != nil {
			return err
		}
		saved = res.Revision
		s.view = nil // read again: the screen shows what was committed
		if stamp.Department != 0 && saved == stamp.Revision+1 {
			// Nothing else was written for the department since the
			// arrival: what was committed is the values before and this one.
			s.view = before.with(*rep)
		}
		committed := b.withStore(tx)
		if err := committed.nextAfterSave(ctx, s); err != nil {
			return err
		}
		s.Notice = b.savedNotice(m, rep, res)
		if sc, err = committed.render(ctx, r, s); err != nil {
			return err
		}
		s.Notice = ""
		s.showing(sc)
		row, err := s.row()
		if err != nil {
			return err
		}
		// The "saved" screen is owed with the value, so that a crash
		// before the edit does not leave the user guessing.
		row.Handled, row.OwedText, row.OwedMarkup = r.handled, sc.text, sc.markupJSON()
		return tx.SaveDialogMarked(ctx, row, r.upd.ID)
	})
	if err != nil {
		return err
	}
	if saved != 0 && s.view != nil {
		b.st.RememberLatest(stamp.After(saved), s.Period, s.view.ids, s.view.latest)
	}
	b.set.Telemetry.ReportStored()
	r.marked = true
	b.log.Info("report saved", "report", rep.ID, "metric", m.ID, "period", rep.Period, "user", r.user.ID, "late", rep.Late)
	b.toast(ctx, r.query, "")
	return b.edit(ctx, s.chatID, s.messageID, sc)
}

// savedNotice says what was stored, what it replaced when it corrects an
// earlier value of the same period, or when the same value was saved.
func (b *Bot) savedNotice(m models.Metric, rep *models.Report, res models.SaveResult) string {
	switch {
	case res.Earlier != nil:
		return fmt.Sprintf(dlgSavedBefore, res.Earlier.ReportedAt.In(b.set.Loc).Format("15:04"), m.Name, valueText(m, rep.Value))
	case res.Replaced != nil && res.Replaced.ID != rep.ID:
		return fmt.Sprintf(dlgCorrected, m.Name, valueText(m, res.Replaced.Value), valueText(m, rep.Value))
	}
	return fmt.Sprintf(dlgSaved, m.Name, valueText(m, rep.Value))
}

// withStore is the bot reading and writing through st, for work that must
// see a transaction's own writes.
func (b *Bot) withStore(st Store) *Bot {
	c := *b
	c.st = st
	return &c
}

// nextAfterSave asks for the task's next metric without a value for the
// period (after the one saved, in plan order, wrapping round), as most forms
// do; once every metric has one it goes to the note and evidence step, whose
// 跳过 leads back to the task list (✅ on completed tasks).
func (b *Bot) nextAfterSave(ctx context.Context, s *session) error {
	d, err := b.deptPlan(ctx, s)
	if err != nil {
		return err
	}
	t, _ := findTask(d, s.Task)
	v, err := b.loadView(ctx, s)
	if err != nil {
		return err
	}
	if next, ok := nextUnreported(metricIDs(t), s.Metric, v.period); ok {
		s.Metric, s.Step, s.Value, s.Raw, s.Warn = next, stepValue, nil, "", ""
		return nil
	}
	s.Step = stepNote
	return nil
}

// nextUnreported is the first metric after current (wrapping round) with no
// value in done.
func nextUnreported(ids []uint, current uint, done map[uint]models.Report) (uint, bool) {
	start := slices.Index(ids, current) + 1
	for i := range ids {
		id := ids[(start+i)%len(ids)]
		if _, ok := done[id]; !ok && id != current {
			return id, true
		}
	}
	return 0, false
}

func (b *Bot) finish(ctx context.Context, r *request, s *session) error {
	if err := b.endDialog(ctx, r); err != nil {
		return err
	}
	b.toast(ctx, r.query, "")
	return b.edit(ctx, s.chatID, s.messageID, screen{text: dlgFinished})
}

func (b *Bot) sessionMetric(ctx context.Context, s *session) (models.Metric, error) {
	d, err := b.deptPlan(ctx, s)
	if err != nil {
		return models.Metric{}, err
	}
	t, ok := findTask(d, s.Task)
	if !ok {
		return models.Metric{}, fmt.Errorf("task %d: %w", s.Task, errForbidden)
	}
	m, ok := findMetric(t, s.Metric)
	if !ok {
		return models.Metric{}, b.missingMetric(ctx, s)
	}
	return m, nil
}

func findTask(d models.Department, id uint) (models.Task, bool) {
	for _, t := range d.Tasks {
		if t.ID == id {
			return t, true
		}
	}
	return models.Task{}, false
}

func findMetric(t models.Task, id uint) (models.Metric, bool) {
	for _, m := range t.Metrics {
		if m.ID == id {
			return m, true
		}
	}
	return models.Metric{}, false
}

func metricIDs(t models.Task) []uint {
	ids := make([]uint, len(t.Metrics))
	for i, m := range t.Metrics {
		ids[i] = m.ID
	}
	return ids
}

// newKey draws the nonce of a read-back screen (128 random bits).
func newKey() string { return rand.Text() }
