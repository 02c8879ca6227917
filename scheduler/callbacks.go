package scheduler

import (
	"strconv"
	"strings"

	"github.com/duban-bot/duban/calendar"
)

// NoticeAction is what a button on a notice asks for. The bot parses the
// callback data with ParseNoticeData; the data is built here so that the
// renderer that writes it and the handler that reads it cannot drift apart.
type NoticeAction string

// The actions of a notice's buttons.
const (
	ActionAck    NoticeAction = "ack" // 收到: the recipient acknowledges the notice
	ActionExtend NoticeAction = "ext" // 申请延期: the department asks for more time
)

// ReportData is the callback data of the 开始填报 button on blue and
// last-call reminders; the bot's report button handler opens the dialog.
const ReportData = "go:report"

// AckData is the callback data of a notice's 收到 button: "ack:<id>".
func AckData(noticeID uint) string { return noticeData(ActionAck, noticeID) }

// ExtendData is the callback data of a notice's 申请延期 button: "ext:<id>".
func ExtendData(noticeID uint) string { return noticeData(ActionExtend, noticeID) }

// noticeData is at most 24 bytes, well within Telegram's 64.
func noticeData(a NoticeAction, id uint) string {
	return string(a) + ":" + strconv.FormatUint(uint64(id), 10)
}

// ParseNoticeData reads callback data made by AckData or ExtendData; ok is
// false for any other data, ReportData included.
func ParseNoticeData(data string) (action NoticeAction, noticeID uint, ok bool) {
	prefix, num, found := strings.Cut(data, ":")
	a := NoticeAction(prefix)
	if !found || (a != ActionAck && a != ActionExtend) {
		return "", 0, false
	}
	id, err := strconv.ParseUint(num, 10, 0)
	if err != nil || id == 0 || strconv.FormatUint(id, 10) != num {
		return "", 0, false
	}
	return a, uint(id), true
}

// ButtonLabels are the texts of the notice buttons, in the renderer's
// language; the callback data behind them is fixed here.
type ButtonLabels struct {
	Report string // 开始填报
	Ack    string // 收到
	Extend string // 申请延期
}

// ReminderButtons is the keyboard of a department reminder: 开始填报 on the
// rungs before the deadline (blue, last call), then 收到 and 申请延期.
func ReminderButtons(r Reminder, l ButtonLabels) [][]Button {
	var rows [][]Button
	if r.Rung == calendar.RungBlue || r.Rung == calendar.RungLastCall {
		rows = append(rows, []Button{{Text: l.Report, Data: ReportData}})
	}
	return append(rows, []Button{
		{Text: l.Ack, Data: AckData(r.NoticeID)},
		{Text: l.Extend, Data: ExtendData(r.NoticeID)},
	})
}

// OverdueButtons is the keyboard of an overdue list: 收到 only. The list is
// about several departments and goes to coordinators, so 申请延期 would
// have no department to ask for.
func OverdueButtons(o Overdue, l ButtonLabels) [][]Button {
	return [][]Button{{{Text: l.Ack, Data: AckData(o.NoticeID)}}}
}
