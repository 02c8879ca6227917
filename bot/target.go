package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	tg "github.com/go-telegram/bot"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/progress"
)

// /target walks a coordinator through department → task → metric → new
// value → reason → 确认. It keeps its place in the chat's dialog row like
// the report dialog, under steps of its own, and its buttons carry the
// dialog's version under their own prefix: "g:<version>:<op>[:<arg>]".
const targetPrefix = "g:"

const (
	stepTargetDept    step = "target_dept"
	stepTargetTasks   step = "target_tasks"
	stepTargetMetrics step = "target_metrics"
	stepTargetValue   step = "target_value"
	stepTargetReason  step = "target_reason"
	stepTargetConfirm step = "target_confirm"
)

// target answers /target: coordinators only, in a private chat.
func (b *Bot) target(ctx context.Context, r *request, _ string) error {
	if !r.contact.IsCoordinator() {
		return userError{msgCoordOnly}
	}
	if !r.private {
		return userError{msgPrivateOnly}
	}
	if _, err := b.requirePlan(ctx, msgNothingToReport); err != nil {
		return err
	}
	s, err := b.freshSession(ctx, r.chatID)
	if err != nil {
		return err
	}
	s.Step, s.Period = stepTargetDept, b.currentPeriod()
	return b.showTarget(ctx, r, s, true)
}

func targetData(s *session, op string, arg any) string {
	if arg == nil {
		return fmt.Sprintf("%s%d:%s", targetPrefix, s.version+1, op)
	}
	return fmt.Sprintf("%s%d:%s:%v", targetPrefix, s.version+1, op, arg)
}

// onTargetButton handles a press on a /target screen; a press on an older
// screen is stale, as in the report dialog.
func (b *Bot) onTargetButton(ctx context.Context, r *request) error {
	p, ok := parsePress(dialogPrefix + strings.TrimPrefix(r.query.Data, targetPrefix))
	if !ok || !r.contact.IsCoordinator() {
		return fmt.Errorf("target button %q: %w", r.query.Data, errForbidden)
	}
	s, err := b.pressedSession(ctx, r, p)
	if err != nil || s == nil {
		return err
	}
	if p.op == "x" {
		b.toast(ctx, r.query, "")
		return b.endTarget(ctx, r, s, tgtCancelled)
	}
	if p.op == "ok" {
		return b.confirmTarget(ctx, r, s)
	}
	if err := b.pickTarget(ctx, s, p); err != nil {
		return err
	}
	b.toast(ctx, r.query, "")
	return b.showTarget(ctx, r, s, false)
}

// pickTarget moves the session by a department, task or metric press, or
// back to typing the value.
func (b *Bot) pickTarget(ctx context.Context, s *session, p press) error {
	if p.op == "re" {
		s.Step, s.Value, s.Raw, s.Reason = stepTargetValue, nil, "", ""
		return nil
	}
	id, err := p.id()
	if err != nil {
		return err
	}
	switch p.op {
	case "d":
		s.Dept, s.Step = id, stepTargetTasks
		if _, err = b.deptPlan(ctx, s); errors.Is(err, models.ErrNotFound) {
			err = fmt.Errorf("department %d: %w", id, errForbidden)
		}
	case "t":
		d, derr := b.deptPlan(ctx, s)
		if _, ok := findTask(d, id); derr != nil || !ok {
			return errors.Join(derr, fmt.Errorf("task %d: %w", id, errForbidden))
		}
		s.Task, s.Step = id, stepTargetMetrics
	case "m":
		m, merr := b.targetMetric(ctx, s, id)
		if merr != nil {
			return merr
		}
		if m.Kind == string(progress.KindMilestone) {
			return fmt.Errorf("milestone %d: %w", id, errForbidden)
		}
		s.Metric, s.Step = id, stepTargetValue
	default:
		err = fmt.Errorf("target op %q: %w", p.op, errForbidden)
	}
	return err
}

// targetMetric finds a metric of the session's task.
func (b *Bot) targetMetric(ctx context.Context, s *session, id uint) (models.Metric, error) {
	d, err := b.deptPlan(ctx, s)
	if err != nil {
		return models.Metric{}, err
	}
	t, ok := findTask(d, s.Task)
	if !ok {
		return models.Metric{}, fmt.Errorf("task %d: %w", s.Task, errForbidden)
	}
	m, ok := findMetric(t, id)
	if !ok {
		return models.Metric{}, fmt.Errorf("metric %d: %w", id, errForbidden)
	}
	return m, nil
}

// targetInput reads the new value, then the reason.
func (b *Bot) targetInput(ctx context.Context, r *request, s *session) error {
	if !r.contact.IsCoordinator() {
		return fmt.Errorf("target input: %w", errForbidden)
	}
	m, err := b.targetMetric(ctx, s, s.Metric)
	if err != nil {
		return err
	}
	text := strings.TrimSpace(r.msg.Text)
	if s.Step == stepTargetReason {
		reason := quote(text, 200) // shown to every reader of the history
		if len([]rune(reason)) < 2 {
			return userError{tgtNoReason}
		}
		s.Reason, s.Step = reason, stepTargetConfirm
		return b.showTarget(ctx, r, s, true)
	}
	if text == "" {
		return userErrorf(dlgBadNotText, example(m))
	}
	v, err := readValue(text, m)
	if err != nil {
		return err
	}
	if err := checkTarget(m, v); err != nil {
		return err
	}
	s.Value, s.Raw, s.Step = &v, text, stepTargetReason
	return b.showTarget(ctx, r, s, true)
}

// checkTarget words progress.CheckTarget's refusals for the chat.
func checkTarget(m models.Metric, v float64) error {
	switch err := progress.CheckTarget(progress.MetricOf(m), v); {
	case errors.Is(err, progress.ErrTargetSame):
		return userError{tgtSame}
	case errors.Is(err, progress.ErrTargetRank):
		return userError{tgtBadRank}
	case err != nil:
		return userError{tgtBadRange}
	}
	return nil
}

// confirmTarget stores the change and ends the dialog.
func (b *Bot) confirmTarget(ctx context.Context, r *request, s *session) error {
	m, err := b.targetMetric(ctx, s, s.Metric)
	if err != nil {
		return err
	}
	if s.Step != stepTargetConfirm || s.Value == nil {
		return fmt.Errorf("confirm target at step %s: %w", s.Step, errForbidden)
	}
	c := models.TargetChange{MetricID: m.ID, NewTarget: *s.Value, Reason: s.Reason, ChangedBy: r.user.ID}
	if err := b.st.ChangeTarget(ctx, &c); err != nil {
		return err
	}
	d, err := b.deptPlan(ctx, s)
	if err != nil {
		return err
	}
	b.log.Info("target changed", "metric", m.ID, "from", c.OldTarget, "to", c.NewTarget, "user", r.user.ID)
	b.toast(ctx, r.query, "")
	after := m
	after.Target = c.NewTarget
	return b.endTarget(ctx, r, s, fmt.Sprintf(tgtDone, d.Name, m.Name, targetText(m), targetText(after)))
}

// endTarget closes the dialog's message with a last line.
func (b *Bot) endTarget(ctx context.Context, r *request, s *session, text string) error {
	if err := b.endDialog(ctx, r); err != nil {
		return err
	}
	return b.edit(ctx, s.chatID, s.messageID, screen{text: text})
}

// showTarget renders the session's /target screen, sends it (or edits the
// dialog's message) and stores the session.
func (b *Bot) showTarget(ctx context.Context, r *request, s *session, fresh bool) error {
	sc, err := b.targetScreen(ctx, s)
	if err != nil {
		return err
	}
	if fresh || s.messageID == 0 {
		msg, err := b.api.SendMessage(ctx, &tg.SendMessageParams{ChatID: s.chatID, Text: sc.text, ReplyMarkup: sc.markup()})
		if err != nil {
			return fmt.Errorf("send target screen: %w", err)
		}
		s.messageID = msg.ID
	} else if err := b.edit(ctx, s.chatID, s.messageID, sc); err != nil {
		return err
	}
	s.showing(sc)
	return b.saveSession(ctx, r, s)
}

func (b *Bot) targetScreen(ctx context.Context, s *session) (screen, error) {
	cancel := []button{{btnTgtCancel, targetData(s, "x", nil)}}
	if s.Step == stepTargetDept {
		depts, err := b.st.Plan(ctx, b.periodYear(s.Period))
		if err != nil {
			return screen{}, err
		}
		sc := screen{text: tgtChooseDept}
		for _, d := range depts {
			sc.rows = append(sc.rows, []button{{d.Name, targetData(s, "d", d.ID)}})
		}
		sc.rows = append(sc.rows, cancel)
		return sc, nil
	}
	d, err := b.deptPlan(ctx, s)
	if err != nil {
		return screen{}, err
	}
	if s.Step == stepTargetTasks {
		sc := screen{text: fmt.Sprintf(tgtChooseTask, d.Name)}
		for _, t := range d.Tasks {
			sc.rows = append(sc.rows, []button{{fmt.Sprintf("%d. %s", t.Seq, shorten(t.Title, 20)), targetData(s, "t", t.ID)}})
		}
		sc.rows = append(sc.rows, cancel)
		return sc, nil
	}
	t, ok := findTask(d, s.Task)
	if !ok {
		return screen{}, fmt.Errorf("task %d: %w", s.Task, errForbidden)
	}
	if s.Step == stepTargetMetrics {
		return metricChoice(s, d, t, cancel), nil
	}
	m, ok := findMetric(t, s.Metric)
	if !ok {
		return screen{}, fmt.Errorf("metric %d: %w", s.Metric, errForbidden)
	}
	return valueScreens(s, d, t, m, cancel), nil
}

func metricChoice(s *session, d models.Department, t models.Task, cancel []button) screen {
	sc := screen{text: fmt.Sprintf(tgtChooseMetic, d.Name, t.Seq, t.Title)}
	for _, m := range t.Metrics {
		if m.Kind != string(progress.KindMilestone) {
			sc.rows = append(sc.rows, []button{{m.Name + " " + targetText(m), targetData(s, "m", m.ID)}})
		}
	}
	if len(sc.rows) == 0 {
		sc.text += "\n" + tgtNoMetrics
	}
	sc.rows = append(sc.rows, cancel)
	return sc
}

// valueScreens are the value, reason and confirm screens of metric m.
func valueScreens(s *session, d models.Department, t models.Task, m models.Metric, cancel []button) screen {
	if s.Step == stepTargetValue || s.Value == nil {
		return screen{text: fmt.Sprintf(tgtAskValue, d.Name, m.Name, targetShown(m), unitName(m.Unit), example(m)),
			rows: [][]button{cancel}}
	}
	after := m
	after.Target = *s.Value
	if s.Step == stepTargetReason {
		return screen{text: fmt.Sprintf(tgtAskReason, d.Name, m.Name, targetText(m), targetText(after)),
			rows: [][]button{{{btnTgtRetype, targetData(s, "re", nil)}}, cancel}}
	}
	return screen{
		text: fmt.Sprintf(tgtConfirm, d.Name, t.Seq, t.Title, m.Name, targetText(m), targetText(after), s.Reason),
		rows: [][]button{{{btnTgtConfirm, targetData(s, "ok", nil)}}, {{btnTgtRetype, targetData(s, "re", nil)}}, cancel},
	}
}

// targetShown is a metric's target with the one it replaced, if changed.
func targetShown(m models.Metric) string {
	if m.PriorTarget == nil {
		return targetText(m)
	}
	before := m
	before.Target = *m.PriorTarget
	return fmt.Sprintf(txtPriorTarget, targetText(m), targetText(before))
}

// targetHistory writes a metric's target changes: when, from, to, who, why.
func (b *Bot) targetHistory(ctx context.Context, sb *strings.Builder, m models.Metric) error {
	changes, err := b.st.TargetChanges(ctx, m.ID)
	if err != nil {
		return err
	}
	for _, c := range changes {
		before, after := m, m
		before.Target, after.Target = c.OldTarget, c.NewTarget
		who := txtCommandLine
		if c.ChangedBy != 0 {
			who = strconv.FormatInt(c.ChangedBy, 10)
			if ct, err := b.st.ContactByTelegramID(ctx, c.ChangedBy); err == nil && ct.Name != "" {
				who = quote(ct.Name, maxQuotedName)
			}
		}
		fmt.Fprintf(sb, txtTargetChange, c.ChangedAt.In(b.set.Loc).Format("2006-01-02"),
			targetText(before), targetText(after), who, quote(c.Reason, 60))
	}
	if len(changes) > 0 {
		sb.WriteString("\n")
	}
	return nil
}
