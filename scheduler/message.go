package scheduler

import (
	"encoding/json"
	"time"

	"github.com/duban-bot/duban/calendar"
	"github.com/duban-bot/duban/progress"
)

// Renderer turns the scheduler's domain values into messages. The bot
// implements it with its zh-CN catalog; PlainRenderer is a minimal stand-in.
// Every method is pure: it runs inside the transaction that records the
// notice, so it must not do I/O.
type Renderer interface {
	RenderReminder(Reminder) Message
	RenderOverdue(Overdue) Message
	RenderDigest(Digest) []Message
}

// Message is one rendered Telegram message.
type Message struct {
	Text      string
	ParseMode string // "" or "HTML"
	Buttons   [][]Button
}

// Button is an inline button; Data is its callback data, at most 64 bytes.
type Button struct {
	Text string
	Data string
}

// Audience says in which role a chat receives a notice.
type Audience string

// The audiences of the ladder's notices.
const (
	AudienceContact     Audience = "contact"     // the department's main contact
	AudienceDeputy      Audience = "deputy"      // a deputy, covering or copied
	AudienceCoordinator Audience = "coordinator" // a coordinator, privately
	AudienceGroup       Audience = "group"       // the coordinators' group chat
)

// Department names a department.
type Department struct {
	ID   uint
	Name string
}

// MetricRef names a metric that still lacks a value for the period.
type MetricRef struct {
	ID      uint
	TaskSeq int
	Task    string
	Name    string
	Unit    string
}

// Person is a contact as the texts name them.
type Person struct {
	TelegramID int64
	Name       string
}

// Reminder is one rung's notice to one person of a department.
type Reminder struct {
	NoticeID   uint // for the callback data of its buttons
	ChatID     int64
	Audience   Audience
	Rung       calendar.Rung
	Period     string
	Deadline   time.Time // in the schedule's location
	Extended   bool      // Deadline comes from an approved extension
	Department Department
	Metrics    int // active metrics of the department
	Missing    []MetricRef
	// OnLeave is the main contact while on leave; the deputies then cover.
	OnLeave *Person
}

// Overdue is the list of overdue departments sent to a coordinator (at the
// yellow and red rungs) and to the coordinators' group (at red).
type Overdue struct {
	NoticeID    uint
	ChatID      int64
	Audience    Audience
	Rung        calendar.Rung
	Period      string
	Departments []OverdueDepartment
}

// OverdueDepartment is one line of an overdue list.
type OverdueDepartment struct {
	Department Department
	Rung       calendar.Rung
	Deadline   time.Time
	Extended   bool
	Metrics    int
	Missing    int
	Notified   []Person // who got the department's notice
	OnLeave    *Person  // the main contact, when on leave
}

// Digest is the weekly summary for the coordinators' group.
type Digest struct {
	Week     string    // the Monday it is for, 2006-01-02
	At       time.Time // when it was built, in the schedule's location
	Snapshot progress.Snapshot
	// Previous holds each department's light counts a week before At, by
	// department id. Reports are read by period, so a value filed this week
	// for an earlier period already counts there.
	Previous map[uint]progress.Counts
	// ReportedThisWeek counts, by department id, the values filed in the
	// seven days before At.
	ReportedThisWeek map[uint]int
	OverduePeriod    string
	Overdue          []OverdueDepartment
	Extensions       []ExtensionInfo
	Risky            []Risk
}

// ExtensionInfo is an approved extension still running.
type ExtensionInfo struct {
	Department Department
	Period     string
	Until      time.Time
	Reason     string
}

// Risk is a metric far behind its pace.
type Risk struct {
	Department Department
	Task       string
	Metric     progress.MetricStatus
}

// maxText is Telegram's limit on a message's text, counted in UTF-16 code
// units (see splitText).
const maxText = 4096

// markup is the Bot API's InlineKeyboardMarkup with only the fields duban
// uses. The library's type sends an empty "copy_text" object on every
// button, so the outbox stores this plain form.
type markup struct {
	InlineKeyboard [][]markupButton `json:"inline_keyboard"`
}

type markupButton struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data"`
}

// markupJSON encodes buttons as reply_markup JSON, "" when there are none.
func markupJSON(rows [][]Button) (string, error) {
	if len(rows) == 0 {
		return "", nil
	}
	kb := markup{InlineKeyboard: make([][]markupButton, 0, len(rows))}
	for _, row := range rows {
		out := make([]markupButton, len(row))
		for i, b := range row {
			out[i] = markupButton{Text: b.Text, CallbackData: b.Data}
		}
		kb.InlineKeyboard = append(kb.InlineKeyboard, out)
	}
	data, err := json.Marshal(kb)
	return string(data), err
}
