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
	if err := b.authorizeSession(ctx, r, s); err != nil {
		return err
	}
	switch s.Step {
	case stepValue:
		return b.typedValue(ctx, r, s)
	case stepNote:
		return b.noteOrEvidence(ctx, r, s)
	case stepExtension:
		return b.extensionInput(ctx, r, s)
	case stepEvidenceReason:
		return b.returnReasonInput(ctx, r, s)
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
	s.Value, s.Raw, s.Step, s.Key = &v, text, stepConfirm, newKey()
	if s.Warn, err = b.sanityWarning(ctx, s, m, v); err != nil {
		return err
	}
	return b.show(ctx, r, s, true)
}

// readValue parses what a user typed for metric m. Rates may be negative
// (a growth rate can fall), everything else may not; only a rank may be
// written "第3"; and no value may be absurd (see maxValue).
func readValue(text string, m models.Metric) (float64, error) {
	read := quantity.In
	switch m.Kind {
	case string(progress.KindRate):
		read = quantity.Signed
	case string(progress.KindRank):
		read = quantity.Rank
	}
	v, err := read(text, m.Unit)
	if err != nil {
		return 0, valueError(text, m, err)
	}
	if m.Kind == string(progress.KindRank) && (v < 1 || v != math.Trunc(v)) {
		return 0, userError{dlgBadWhole}
	}
	if math.Abs(v) > maxValue(m) {
		return 0, userErrorf(dlgBadRange, quote(text, maxQuotedValue), example(m))
	}
	return v, nil
}

// maxValue is the hard cap on a reported value, in the metric's unit: no
// ranking in a plan has more than 10,000 places (China has fewer than 3,000
// counties), and 1e12 is above any figure of a city's plan in any unit (a
// city's GDP is below 1e12 元). A value above it is refused, not confirmed.
func maxValue(m models.Metric) float64 {
	if m.Kind == string(progress.KindRank) {
		return 10_000
	}
	return 1e12
}

func valueError(text string, m models.Metric, err error) error {
	shown := quote(text, maxQuotedValue)
	var qe *quantity.Error
	switch {
	case errors.Is(err, quantity.ErrUnit) && m.Unit == "":
		return userErrorf(dlgBadNoUnit, example(m))
	case errors.Is(err, quantity.ErrUnit) && errors.As(err, &qe):
		return userErrorf(dlgBadUnit, quote(qe.Unit, maxQuotedValue), unitName(m.Unit), example(m))
	case errors.Is(err, quantity.ErrOrdinal):
		return userErrorf(dlgBadOrdinal, unitName(m.Unit), example(m))
	case errors.Is(err, quantity.ErrRange):
		return userErrorf(dlgBadRange, shown, example(m))
	}
	return userErrorf(dlgBadSyntax, shown, example(m))
}

// sanityWarning asks for a second confirmation when a cumulative total falls
// below the last one, a value is more than three times the target, or a rank
// is far behind its target (see rankSane).
func (b *Bot) sanityWarning(ctx context.Context, s *session, m models.Metric, v float64) (string, error) {
	if m.Kind == string(progress.KindCumulative) {
		view, err := b.loadView(ctx, s)
		if err != nil {
			return "", err
		}
		if rep, ok := view.latest[m.ID]; ok && rep.Period != s.Period && v < rep.Value {
			return fmt.Sprintf(dlgWarnBelow, valueText(m, rep.Value)), nil
		}
	}
	if m.Kind == string(progress.KindRank) && v > rankSane(m) {
		return fmt.Sprintf(dlgWarnRank, valueText(m, v), targetText(m)), nil
	}
	// A target of 0 (不发生…) has no size to be three times of.
	if m.Kind != string(progress.KindRank) && m.Target > 0 && v > 3*m.Target {
		return fmt.Sprintf(dlgWarnHigh, targetText(m)), nil
	}
	return "", nil
}

// maxNote bounds a stored note or caption, in characters.
const maxNote = 2000

// noteOrEvidence stores a note (text) or evidence (a photo or document) for
// the session's task, then goes back to the task list.
func (b *Bot) noteOrEvidence(ctx context.Context, r *request, s *session) error {
	if s.Task == 0 {
		return fmt.Errorf("note without a task in chat %d: %w", s.chatID, errForbidden)
	}
	n := &models.TaskNote{TaskID: s.Task, Period: s.Period, ReporterID: r.user.ID}
	done := dlgNoteSaved
	switch m := r.msg; {
	case len(m.Photo) > 0:
		n.FileID, n.FileKind, n.Note, done = m.Photo[len(m.Photo)-1].FileID, "photo", shorten(m.Caption, maxNote), dlgFileSaved
	case m.Document != nil:
		n.FileID, n.FileKind, n.Note, done = m.Document.FileID, "document", shorten(m.Caption, maxNote), dlgFileSaved
		n.FileName = shorten(m.Document.FileName, maxStoredName)
	case strings.TrimSpace(m.Text) != "":
		n.Note = shorten(strings.TrimSpace(m.Text), maxNote)
	default:
		return userError{dlgTaskDone}
	}
	if err := b.st.AddTaskNote(ctx, n); err != nil {
		return err
	}
	s.Step, s.Task, s.Notice = stepTasks, 0, done
	return b.show(ctx, r, s, true)
}

// rankSane is the worst rank that needs no second look: three times the
// target place, and at least 20, since most rankings in a plan are among a
// province's cities (11 in Zhejiang) or a few dozen peers. 第50名 for a
// target of 前3名 is more often a slip for 第5名 than the truth.
func rankSane(m models.Metric) float64 {
	return max(3*m.Target, 20)
}
