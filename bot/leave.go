package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/duban-bot/duban/models"
)

// maxLeave bounds one leave; a longer absence is a new contact, not a leave.
const maxLeave = 90 * 24 * time.Hour

// leave answers /leave: "/leave 2022-05-01 2022-05-07" records an absence
// (both days included) during which reminders go to the deputies; "/leave
// 取消" ends it; "/leave" alone shows it.
func (b *Bot) leave(ctx context.Context, r *request, arg string) error {
	if r.contact.DepartmentID == nil {
		return userError{msgLeaveContactsOnly}
	}
	arg = strings.TrimSpace(arg)
	switch arg {
	case "":
		return b.showLeave(ctx, r)
	case leaveOff, "off", "cancel":
		if err := b.st.SetLeave(ctx, r.user.ID, nil, nil); err != nil {
			return err
		}
		b.answer(ctx, r, msgLeaveCleared)
		return nil
	}
	from, to, err := b.readLeave(arg)
	if err != nil {
		return err
	}
	if err := b.st.SetLeave(ctx, r.user.ID, &from, &to); err != nil {
		return err
	}
	deputies, err := b.deputies(ctx, *r.contact.DepartmentID, r.user.ID)
	if err != nil {
		return err
	}
	text := fmt.Sprintf(msgLeaveSet, from.Format("01-02"), to.Format("01-02"))
	if len(deputies) == 0 {
		text += msgLeaveNoDeputy
	} else {
		text += fmt.Sprintf(msgLeaveCovered, strings.Join(deputies, "、"))
	}
	b.answer(ctx, r, text)
	return nil
}

// readLeave reads two dates; the leave must not end before today.
func (b *Bot) readLeave(arg string) (from, to time.Time, err error) {
	from, rest, ok1 := parseDay(arg, b.now(), b.set.Loc)
	to, rest, ok2 := parseDay(strings.TrimLeft(rest, "至到~～- "), b.now(), b.set.Loc)
	if !ok1 || !ok2 || rest != "" {
		return from, to, userError{msgLeaveUsage}
	}
	now := b.now().In(b.set.Loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, b.set.Loc)
	if to.Before(from) || to.Before(today) || to.Sub(from) > maxLeave {
		return from, to, userError{msgLeaveBadRange}
	}
	return from, to, nil
}

func (b *Bot) showLeave(ctx context.Context, r *request) error {
	c := r.contact
	if c.LeaveFrom == nil || c.LeaveTo == nil {
		b.answer(ctx, r, msgLeaveNone+"\n"+msgLeaveUsage)
		return nil
	}
	b.answer(ctx, r, fmt.Sprintf(msgLeaveShow, c.LeaveFrom.In(b.set.Loc).Format("2006-01-02"),
		c.LeaveTo.In(b.set.Loc).Format("2006-01-02")))
	return nil
}

// deputies names the department's deputies other than the user.
func (b *Bot) deputies(ctx context.Context, dept uint, except int64) ([]string, error) {
	cs, err := b.st.DepartmentContacts(ctx, dept)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, c := range cs {
		if c.Role == models.RoleDeputy && c.TelegramID != except {
			names = append(names, contactLabel(c))
		}
	}
	return names, nil
}

// onLeaveNow reports whether c is on leave today.
func (b *Bot) onLeaveNow(c models.Contact) bool {
	if c.LeaveFrom == nil || c.LeaveTo == nil {
		return false
	}
	day := b.now().In(b.set.Loc).Format(time.DateOnly)
	return day >= c.LeaveFrom.In(b.set.Loc).Format(time.DateOnly) && day <= c.LeaveTo.In(b.set.Loc).Format(time.DateOnly)
}
