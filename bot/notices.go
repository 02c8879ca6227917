package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/duban-bot/duban/calendar"
	"github.com/duban-bot/duban/progress"
	"github.com/duban-bot/duban/scheduler"
)

// Renderer writes the scheduler's reminders, overdue lists and digest in
// zh-CN. It is pure, as the scheduler requires: it runs inside the
// transaction that records the notice.
type Renderer struct {
	loc *time.Location
}

var _ scheduler.Renderer = Renderer{}

// NewRenderer renders times in loc.
func NewRenderer(loc *time.Location) Renderer {
	if loc == nil {
		loc = time.UTC
	}
	return Renderer{loc: loc}
}

// noticeLabels are the notice buttons' texts.
func noticeLabels() scheduler.ButtonLabels {
	return scheduler.ButtonLabels{Report: btnStartReport, Ack: btnAck, Extend: btnExtend}
}

// missingShown is how many missing metrics a reminder lists by name; a
// phone screen holds about that many lines.
const missingShown = 8

// RenderReminder is one rung's notice to one person of a department.
func (rd Renderer) RenderReminder(r scheduler.Reminder) scheduler.Message {
	var sb strings.Builder
	fmt.Fprintf(&sb, rungHead(r.Rung), r.Department.Name, r.Period, rd.when(r.Deadline))
	if r.Extended {
		sb.WriteString(ntcExtended)
	}
	sb.WriteString("\n")
	if r.OnLeave != nil {
		fmt.Fprintf(&sb, ntcCovering+"\n", personLabel(*r.OnLeave))
	}
	fmt.Fprintf(&sb, ntcMissing, r.Metrics-len(r.Missing), r.Metrics)
	for i, m := range r.Missing {
		if i == missingShown {
			fmt.Fprintf(&sb, ntcMore, len(r.Missing)-missingShown)
			break
		}
		fmt.Fprintf(&sb, "• %d. %s — %s\n", m.TaskSeq, shorten(m.Task, 18), m.Name)
	}
	sb.WriteString(rungTail(r.Rung))
	rows := scheduler.ReminderButtons(r, noticeLabels())
	if r.Rung == calendar.RungYellow || r.Rung == calendar.RungRed {
		// Overdue is when 开始填报 matters most: keep it on every rung.
		rows = append([][]scheduler.Button{{{Text: btnStartReport, Data: scheduler.ReportData}}}, rows...)
	}
	return scheduler.Message{Text: strings.TrimSpace(sb.String()), Buttons: rows}
}

// RenderOverdue is the list of overdue departments for coordinators and,
// at red, the coordinators' group.
func (rd Renderer) RenderOverdue(o scheduler.Overdue) scheduler.Message {
	var sb strings.Builder
	fmt.Fprintf(&sb, ntcOverdueHead, rungEmoji(o.Rung), o.Period, len(o.Departments))
	for _, d := range o.Departments {
		fmt.Fprintf(&sb, ntcOverdueLine, d.Department.Name, d.Metrics-d.Missing, d.Metrics, rd.when(d.Deadline))
		if d.Extended {
			sb.WriteString(ntcExtended)
		}
		if d.OnLeave != nil {
			fmt.Fprintf(&sb, ntcOnLeave, personLabel(*d.OnLeave), peopleLabel(d.Notified))
		} else if len(d.Notified) == 0 {
			sb.WriteString(ntcNobody)
		}
		sb.WriteString("\n")
	}
	return scheduler.Message{
		Text:    strings.TrimSpace(sb.String()),
		Buttons: scheduler.OverdueButtons(o, noticeLabels()),
	}
}

func (rd Renderer) when(t time.Time) string {
	t = t.In(rd.loc)
	return fmt.Sprintf(txtWhen, t.Format("01-02"), weekdayName(t.Weekday()), t.Format("15:04"))
}

func rungEmoji(r calendar.Rung) string {
	switch r {
	case calendar.RungYellow:
		return "🟡"
	case calendar.RungRed:
		return "🔴"
	}
	return "🔵"
}

func personLabel(p scheduler.Person) string {
	if name := quote(p.Name, maxQuotedName); name != "" {
		return name
	}
	return fmt.Sprintf(msgUserID, p.TelegramID)
}

func peopleLabel(ps []scheduler.Person) string {
	if len(ps) == 0 {
		return txtNobody
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = personLabel(p)
	}
	return strings.Join(names, "、")
}

// lightCounts is a department's lights as a compact line, e.g. 🟢3 🟡1 🔴0 ⚪2.
func lightCounts(c progress.Counts) string {
	return fmt.Sprintf("🟢%d 🟡%d 🔴%d ⚪%d", c.Green, c.Yellow, c.Red, c.Grey)
}
