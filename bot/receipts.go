package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/duban-bot/duban/calendar"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/progress"
)

// receipts is who acknowledged (✅ 收到) a period's notices, per department,
// and which departments were sent any.
type receipts struct {
	acked   map[uint]models.Receipt
	noticed map[uint]bool
	names   map[int64]string
}

func (b *Bot) receiptsOf(ctx context.Context, period string) (receipts, error) {
	acked, err := b.st.Receipts(ctx, period)
	if err != nil {
		return receipts{}, err
	}
	noticed, err := b.st.NoticedDepartments(ctx, period)
	if err != nil {
		return receipts{}, err
	}
	names, err := b.st.ContactNames(ctx)
	if err != nil {
		return receipts{}, err
	}
	return receipts{acked: acked, noticed: noticed, names: names}, nil
}

// who names the person who acknowledged rc.
func (rs receipts) who(rc models.Receipt) string {
	if n := rs.names[rc.AckedBy]; n != "" {
		return quote(n, maxQuotedName)
	}
	return fmt.Sprintf("ID %d", rc.AckedBy)
}

// overdueNote tells 已收到未报送 from 未读未报 on an /overdue line; "" when
// the department was sent no notice yet.
func (b *Bot) overdueNote(rs receipts, dept uint) string {
	if rc, ok := rs.acked[dept]; ok {
		return fmt.Sprintf(txtOverdueAcked, rs.who(rc), rc.AckedAt.In(b.set.Loc).Format("01-02 15:04"))
	}
	if rs.noticed[dept] {
		return txtOverdueUnread
	}
	return ""
}

// receiptLine is the drill-down's line on the period's notices.
func (b *Bot) receiptLine(rs receipts, period string, dept uint) string {
	if rc, ok := rs.acked[dept]; ok {
		return fmt.Sprintf(txtReceiptAcked, period, rs.who(rc),
			rc.AckedAt.In(b.set.Loc).Format("01-02 15:04"), rungLabel(rc.Rung))
	}
	if rs.noticed[dept] {
		return fmt.Sprintf(txtReceiptUnread, period)
	}
	return fmt.Sprintf(txtReceiptNone, period)
}

// rungLabel names a rung of the ladder as the notices do.
func rungLabel(r string) string {
	switch calendar.Rung(r) {
	case calendar.RungBlue:
		return rungBlueLabel
	case calendar.RungLastCall:
		return rungLastCallLabel
	case calendar.RungYellow:
		return rungYellowLabel
	case calendar.RungRed:
		return rungRedLabel
	}
	return rungOtherLabel
}

// deptRecord is the drill-down's record of a department for coordinators:
// the period's receipts and the year's reporting discipline.
func (b *Bot) deptRecord(ctx context.Context, snap progress.Snapshot, d progress.DepartmentStatus) (string, error) {
	rs, err := b.receiptsOf(ctx, snap.Period)
	if err != nil {
		return "", err
	}
	one := snap
	one.Departments = []progress.DepartmentStatus{d}
	disc, err := progress.BuildDiscipline(ctx, deptCompletion{b.st, d.ID}, one, b.set.Schedule, b.set.Calendar)
	if err != nil {
		return "", err
	}
	line := b.receiptLine(rs, snap.Period, d.ID)
	if len(disc.Departments) == 1 {
		c := disc.Departments[0].Counts()
		line += "\n" + fmt.Sprintf(txtDisciplineLine, c.OnTime, c.Late, c.Missed)
	}
	return line + "\n", nil
}

// deptCompletion reads one department's completion for BuildDiscipline.
type deptCompletion struct {
	st   Store
	dept uint
}

func (c deptCompletion) PeriodCompletion(ctx context.Context, periods []string, asOf time.Time) ([]models.DeptPeriodRow, error) {
	return c.st.DepartmentPeriodCompletion(ctx, c.dept, periods, asOf)
}
