package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/progress"
)

// nudgeGap is how often one department may be nudged (催办): often enough
// for a deadline day, rarely enough that the button cannot spam.
const nudgeGap = 4 * time.Hour

const nudgePrefix = "n:"

// deptMarks says, per department, whether it is overdue or on an extension
// for the snapshot's period, in one query for the extensions.
func (b *Bot) deptMarks(ctx context.Context, snap progress.Snapshot) (map[uint]string, error) {
	ext, err := b.st.ApprovedExtensions(ctx, []string{snap.Period})
	if err != nil {
		return nil, err
	}
	deadline, ok := b.deadline(snap.Period)
	marks := map[uint]string{}
	for _, d := range snap.Departments {
		switch e, extended := ext[snap.Period][d.ID]; {
		case d.ReportedThisPeriod >= d.Metrics():
		case extended:
			marks[d.ID] = markExtended + e.Until.In(b.set.Loc).Format("01-02")
		case ok && b.now().After(deadline):
			marks[d.ID] = markOverdue
		default:
			marks[d.ID] = fmt.Sprintf(markPending, d.ReportedThisPeriod, d.Metrics())
		}
	}
	return marks, nil
}

func (b *Bot) deadline(period string) (time.Time, bool) {
	p, err := b.set.Schedule.PeriodByKey(period)
	if err != nil {
		return time.Time{}, false
	}
	return b.set.Schedule.Deadline(b.set.Calendar, p), true
}

// overdue lists the departments that have not reported every metric for
// the current period, each with a 催办 button.
func (b *Bot) overdue(ctx context.Context, r *request, _ string) error {
	if !r.contact.IsCoordinator() {
		return userError{msgCoordOnly}
	}
	if _, err := b.requirePlan(ctx, msgNothingToReport); err != nil {
		return err
	}
	snap, err := b.snapshot(ctx)
	if err != nil {
		return err
	}
	marks, err := b.deptMarks(ctx, snap)
	if err != nil {
		return err
	}
	deadline, _ := b.deadline(snap.Period)
	var sb strings.Builder
	fmt.Fprintf(&sb, msgOverdueHead, snap.Period, deadline.In(b.set.Loc).Format("01-02 15:04"))
	people, err := b.st.ContactsByDepartment(ctx)
	if err != nil {
		return err
	}
	rs, err := b.receiptsOf(ctx, snap.Period)
	if err != nil {
		return err
	}
	sc := screen{}
	for _, d := range worstFirst(snap.Departments) {
		if marks[d.ID] == "" {
			continue
		}
		fmt.Fprintf(&sb, "• %s %s%s%s%s\n", d.Name, marks[d.ID], b.overdueNote(rs, d.ID),
			b.coverNote(people[d.ID]), noContactNote(d.Name, people[d.ID]))
		if len(sc.rows) < 30 {
			sc.rows = append(sc.rows, []button{{btnNudge + d.Name, nudgePrefix + strconv.Itoa(int(d.ID))}})
		}
	}
	if len(sc.rows) == 0 {
		sb.WriteString(msgOverdueNone)
	}
	sc.text = clip(sb.String())
	return b.sendScreen(ctx, r.chatID, sc)
}

// onNudge records a 催办 and queues a message to the department's contacts;
// a second press within nudgeGap is refused.
func (b *Bot) onNudge(ctx context.Context, r *request) error {
	if !r.contact.IsCoordinator() {
		return fmt.Errorf("nudge by a contact: %w", errForbidden)
	}
	id, err := strconv.ParseUint(strings.TrimPrefix(r.query.Data, nudgePrefix), 10, 32)
	if err != nil {
		return fmt.Errorf("nudge %q: %w", r.query.Data, errForbidden)
	}
	d, err := b.st.Department(ctx, uint(id))
	if err != nil {
		return fmt.Errorf("nudge department %d: %w", id, errForbidden)
	}
	contacts, err := b.st.DepartmentContacts(ctx, d.ID)
	if err != nil {
		return err
	}
	if len(contacts) == 0 {
		// Nobody to reach: say so and keep the window for when someone is bound.
		b.log.Info("nudge: nobody to reach", "department", d.Name, "by", r.user.ID)
		b.toast(ctx, r.query, fmt.Sprintf(msgNudgeNobody, d.Name, d.Name))
		return b.sendScreen(ctx, r.chatID, screen{text: fmt.Sprintf(msgNudgeNobody, d.Name, d.Name)})
	}
	n, ok, err := b.st.RecordNudge(ctx, d.ID, b.currentPeriod(), r.user.ID, nudgeGap)
	if err != nil {
		return err
	}
	if !ok {
		b.log.Info("nudge: too soon", "department", d.Name, "by", r.user.ID)
		b.toast(ctx, r.query, fmt.Sprintf(msgNudgeTooSoon, d.Name))
		return nil
	}
	sent, err := b.queueNudge(ctx, d, n, contacts)
	if err != nil {
		return err
	}
	b.log.Info("nudge", "department", d.Name, "by", r.user.ID, "recipients", sent)
	b.toast(ctx, r.query, fmt.Sprintf(msgNudgeSent, d.Name, sent))
	return nil
}

// queueNudge queues the 催办 to every contact and deputy of the department.
func (b *Bot) queueNudge(ctx context.Context, d models.Department, n models.Nudge, contacts []models.Contact) (int, error) {
	deadline, _ := b.deadline(n.Period)
	text := fmt.Sprintf(msgNudge, d.Name, n.Period, deadline.In(b.set.Loc).Format("01-02 15:04"))
	markup, err := reportButtonMarkup()
	if err != nil {
		return 0, err
	}
	var msgs []models.OutboxMessage
	for _, c := range contacts {
		msgs = append(msgs, models.OutboxMessage{ChatID: c.TelegramID, Text: text, Markup: markup,
			DedupKey: fmt.Sprintf("nudge:%d:%d", n.ID, c.TelegramID)})
	}
	queued, err := b.st.Enqueue(ctx, msgs...)
	b.wake()
	return queued, err
}

// coverNote says who covers a department, given its people, whose main
// contact is on leave, e.g. "（王芳休假，李四代办）"; "" when nobody is away.
func (b *Bot) coverNote(cs []models.Contact) string {
	var away string
	var cover []string
	for _, c := range cs {
		switch {
		case c.Role == models.RoleContact && b.onLeaveNow(c):
			away = contactLabel(c)
		case c.Role == models.RoleDeputy && !b.onLeaveNow(c):
			cover = append(cover, contactLabel(c))
		}
	}
	if away == "" {
		return ""
	}
	if len(cover) == 0 {
		return fmt.Sprintf(msgLeaveNoCover, away)
	}
	return fmt.Sprintf(msgLeaveCover, away, strings.Join(cover, "、"))
}

// noContactNote marks a department nobody can be nudged in, with the command
// that fixes it; "" when it has someone.
func noContactNote(dept string, cs []models.Contact) string {
	if len(cs) > 0 {
		return ""
	}
	return fmt.Sprintf(msgOverdueNoContact, dept)
}
