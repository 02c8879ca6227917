package bot

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/progress"
	"github.com/duban-bot/duban/quantity"
)

// onInput handles a message that is not a command: a typed value, a note,
// or evidence.
func (b *Bot) onInput(ctx context.Context, r *request) error {
	if !r.private {
		return nil // group chatter is not for the bot
	}
	s, err := b.loadSession(ctx, r.chatID)
	if errors.Is(err, models.ErrNotFound) {
		return userError{msgUnknownInput}
	}
	if err != nil {
		return err
	}
	if err := b.authorize(r, s.Dept); err != nil && s.Step != stepDept {
		return err
	}
	switch s.Step {
	case stepValue:
		return b.typedValue(ctx, r, s)
	case stepNote:
		return b.noteOrEvidence(ctx, r, s)
	case stepExtension:
		return b.extensionInput(ctx, r, s)
	case stepTargetValue, stepTargetReason:
		return b.targetInput(ctx, r, s)
	}
	return userError{dlgWaitButtons}
}

// typedValue reads a value; anything unreadable is answered and stores nothing.
func (b *Bot) typedValue(ctx context.Context, r *request, s *session) error {
	m, err := b.sessionMetric(ctx, s)
	if err != nil {
		return err
	}
	if m.Kind == string(progress.KindMilestone) {
		return userError{dlgBadNotMile}
	}
	text := strings.TrimSpace(r.msg.Text)
	if text == "" {
		return userErrorf(dlgBadNotText, example(m))
	}
	v, err := readValue(text, m)
	if err != nil {
		return err
	}
	s.Value, s.Raw, s.Step = &v, text, stepConfirm
	if s.Warn, err = b.sanityWarning(ctx, s, m, v); err != nil {
		return err
	}
	return b.show(ctx, r, s, true)
}

// readValue parses what a user typed for metric m. Rates may be negative
// (a growth rate can fall), everything else may not.
func readValue(text string, m models.Metric) (float64, error) {
	sign := 1.0
	if m.Kind == string(progress.KindRate) {
		for _, p := range []string{"-", "－", "负", "下降"} {
			if rest, ok := strings.CutPrefix(text, p); ok {
				sign, text = -1, strings.TrimSpace(rest)
				break
			}
		}
	}
	v, err := quantity.In(text, m.Unit)
	if err != nil {
		return 0, valueError(text, m, err)
	}
	if m.Kind == string(progress.KindRank) && (v < 1 || v != math.Trunc(v)) {
		return 0, userError{dlgBadWhole}
	}
	return sign * v, nil
}

func valueError(text string, m models.Metric, err error) error {
	shown := shorten(text, 20)
	var qe *quantity.Error
	switch {
	case errors.Is(err, quantity.ErrUnit) && errors.As(err, &qe):
		return userErrorf(dlgBadUnit, qe.Unit, unitName(m.Unit), example(m))
	case errors.Is(err, quantity.ErrRange):
		return userErrorf(dlgBadRange, shown, example(m))
	}
	return userErrorf(dlgBadSyntax, shown, example(m))
}

// sanityWarning asks for a second confirmation when a cumulative total falls
// below the last one, or a value is more than three times the target.
func (b *Bot) sanityWarning(ctx context.Context, s *session, m models.Metric, v float64) (string, error) {
	if m.Kind == string(progress.KindCumulative) {
		prev, err := b.st.LatestReports(ctx, s.Period, m.ID)
		if err != nil {
			return "", err
		}
		if rep, ok := prev[m.ID]; ok && rep.Period != s.Period && v < rep.Value {
			return fmt.Sprintf(dlgWarnBelow, valueText(m, rep.Value)), nil
		}
	}
	if m.Kind != string(progress.KindRank) && v > 3*m.Target {
		return fmt.Sprintf(dlgWarnHigh, targetText(m)), nil
	}
	return "", nil
}

// noteOrEvidence stores a note (text) or evidence (a photo or document) for
// the session's task, then goes back to the task list.
func (b *Bot) noteOrEvidence(ctx context.Context, r *request, s *session) error {
	n := &models.TaskNote{TaskID: s.Task, Period: s.Period, ReporterID: r.user.ID}
	done := dlgNoteSaved
	switch m := r.msg; {
	case len(m.Photo) > 0:
		n.FileID, n.FileKind, n.Note, done = m.Photo[len(m.Photo)-1].FileID, "photo", m.Caption, dlgFileSaved
	case m.Document != nil:
		n.FileID, n.FileKind, n.Note, done = m.Document.FileID, "document", m.Caption, dlgFileSaved
	case strings.TrimSpace(m.Text) != "":
		n.Note = shorten(strings.TrimSpace(m.Text), 2000)
	default:
		return userError{dlgTaskDone}
	}
	if err := b.st.AddTaskNote(ctx, n); err != nil {
		return err
	}
	s.Step, s.Task, s.Notice = stepTasks, 0, done
	return b.show(ctx, r, s, true)
}
