package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"

	tg "github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/scheduler"
)

// step is where a chat is in the report dialog.
type step string

const (
	stepDept    step = "dept"    // a coordinator picks the department
	stepTasks   step = "tasks"   // pick a task
	stepMetrics step = "metrics" // pick a metric of the task
	stepValue   step = "value"   // type the value (or press a milestone button)
	stepConfirm step = "confirm" // read-back, confirm
	stepNote    step = "note"    // optional note or evidence after a task
	stepPeriod  step = "period"  // pick a past period to report late
	// stepExtension waits for "日期 理由" after 申请延期 on a notice.
	stepExtension step = "extension"
)

// dialog is the report dialog's state, stored as JSON per chat.
type dialog struct {
	Step   step     `json:"step"`
	Dept   uint     `json:"dept,omitempty"`
	Task   uint     `json:"task,omitempty"`
	Metric uint     `json:"metric,omitempty"`
	Period string   `json:"period"`
	Value  *float64 `json:"value,omitempty"`
	Raw    string   `json:"raw,omitempty"`
	// Warn is set when the value needs a second, explicit confirmation.
	Warn string `json:"warn,omitempty"`
	// Notice is a one-line result shown on top of the next screen.
	Notice string `json:"notice,omitempty"`
	// Key is a random nonce of the read-back screen, drawn when the value
	// is read. It makes the save's request key unique for ever: a repeated
	// confirm of this screen stores one value, and no later screen can
	// collide with it (a counter would restart with the dialog).
	Key string `json:"key,omitempty"`
	// Buttons holds the callback data of every button on the screen shown
	// last: a press is accepted only when its data is one of them, so a
	// crafted or out-of-step button changes nothing.
	Buttons []string `json:"buttons,omitempty"`
	// Shown is a checksum of the text of the screen shown last. With the
	// version and Buttons it recognises a copy of that screen in another
	// message (see pressedSession).
	Shown string `json:"shown,omitempty"`
	// Reason is why a /target change is made (see target.go).
	Reason string `json:"reason,omitempty"`
	// Evidence is the evidence a 退回 reason is asked for (see evidence.go).
	Evidence uint `json:"evidence,omitempty"`
}

// session is a chat's dialog as stored: its state, version and message.
type session struct {
	dialog
	chatID    int64
	version   int
	messageID int
	plan      *models.Department // the department's plan, loaded once per update
	view      *deptView          // the screen's values, read once per update
}

// deptPlan loads the session department's tasks and metrics once per update:
// a screen and its checks read them several times.
func (b *Bot) deptPlan(ctx context.Context, s *session) (models.Department, error) {
	if s.plan != nil && s.plan.ID == s.Dept {
		return *s.plan, nil
	}
	d, err := b.st.DepartmentPlan(ctx, b.periodYear(s.Period), s.Dept)
	if err != nil {
		return d, err
	}
	s.plan = &d
	return d, nil
}

func (b *Bot) loadSession(ctx context.Context, chatID int64) (*session, error) {
	row, err := b.dialogRow(ctx, chatID)
	if err != nil {
		return nil, err
	}
	s := &session{chatID: chatID, version: row.Version, messageID: row.MessageID}
	if err := json.Unmarshal([]byte(row.State), &s.dialog); err != nil {
		return nil, fmt.Errorf("decode dialog of chat %d: %w", chatID, err)
	}
	return s, nil
}

// row is the session's next stored form: every change bumps the version, so
// buttons of older screens become stale.
func (s *session) row() (*models.DialogState, error) {
	data, err := json.Marshal(s.dialog)
	if err != nil {
		return nil, fmt.Errorf("encode dialog: %w", err)
	}
	row := &models.DialogState{ChatID: s.chatID, State: string(data), Version: s.version + 1, MessageID: s.messageID}
	if s.Dept != 0 {
		dept := s.Dept
		row.DepartmentID = &dept
	}
	return row, nil
}

// callback data: "r:<version>:<op>[:<arg>]", at most 64 bytes.
const dialogPrefix = "r:"

func (s *session) data(op string, arg any) string {
	if arg == nil {
		return fmt.Sprintf("%s%d:%s", dialogPrefix, s.version+1, op)
	}
	return fmt.Sprintf("%s%d:%s:%v", dialogPrefix, s.version+1, op, arg)
}

type press struct {
	version int
	op, arg string
}

func parsePress(data string) (press, bool) {
	rest, ok := strings.CutPrefix(data, dialogPrefix)
	if !ok {
		return press{}, false
	}
	parts := strings.SplitN(rest, ":", 3)
	if len(parts) < 2 {
		return press{}, false
	}
	v, err := strconv.Atoi(parts[0])
	if err != nil {
		return press{}, false
	}
	p := press{version: v, op: parts[1]}
	if len(parts) == 3 {
		p.arg = parts[2]
	}
	return p, true
}

func (p press) id() (uint, error) {
	n, err := strconv.ParseUint(p.arg, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("callback %s:%q: %w", p.op, p.arg, errForbidden)
	}
	return uint(n), nil
}

// startReportIn opens the dialog on period with a fresh message.
func (b *Bot) startReportIn(ctx context.Context, r *request, period string) error {
	if !r.private {
		return userError{msgPrivateOnly}
	}
	s, err := b.freshSession(ctx, r.chatID)
	if err != nil {
		return err
	}
	s.Period = period
	if r.contact.IsCoordinator() {
		s.Step = stepDept
	} else {
		s.Step, s.Dept = stepTasks, *r.contact.DepartmentID
	}
	return b.show(ctx, r, s, true)
}

// freshSession starts a new dialog in chatID. It keeps counting versions
// from the old one, so the old screen's buttons stay stale.
func (b *Bot) freshSession(ctx context.Context, chatID int64) (*session, error) {
	s := &session{chatID: chatID}
	old, err := b.loadSession(ctx, chatID)
	switch {
	case err == nil:
		s.version = old.version
	case errors.Is(err, models.ErrNotFound):
		s.version = arrivedVersion(ctx, chatID) // an ended dialog's row
	default:
		return nil, err
	}
	return s, nil
}

func (b *Bot) cancel(ctx context.Context, r *request) error {
	if _, err := b.dialogRow(ctx, r.chatID); errors.Is(err, models.ErrNotFound) {
		b.answer(ctx, r, msgNoDialog)
		return nil
	}
	if err := b.endDialog(ctx, r); err != nil {
		return err
	}
	b.answer(ctx, r, msgCancelled)
	return nil
}

// onButton handles a button press on a dialog screen.
func (b *Bot) onButton(ctx context.Context, r *request) error {
	p, ok := parsePress(r.query.Data)
	if !ok {
		if h, ok := b.buttonHandler(r.query.Data); ok {
			return h(ctx, r)
		}
		return fmt.Errorf("callback %q: %w", r.query.Data, errForbidden)
	}
	s, err := b.pressedSession(ctx, r, p)
	if err != nil || s == nil {
		return err
	}
	if err := b.authorizeSession(ctx, r, s); err != nil {
		return err
	}
	return b.apply(ctx, r, s, p)
}

// pressedSession loads the dialog a button press belongs to. A press on an
// older screen or another message is answered as stale (nil session); a
// press whose data is not on the screen shown last (crafted, or a button of
// another step) is refused.
func (b *Bot) pressedSession(ctx context.Context, r *request, p press) (*session, error) {
	s, err := b.loadSession(ctx, r.chatID)
	if errors.Is(err, models.ErrNotFound) || (err == nil && p.version != s.version) {
		b.toast(ctx, r.query, msgStale)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	m := r.query.Message.Message
	// Stale too: a screen stored before buttons were kept (none recorded),
	// and another message unless it is a copy of the screen shown last.
	if m == nil || len(s.Buttons) == 0 || m.ID != s.messageID && !s.copyShown(m) {
		b.toast(ctx, r.query, msgStale)
		return nil, nil
	}
	// A copy goes on where it was pressed.
	s.messageID = m.ID
	if !slices.Contains(s.Buttons, r.query.Data) {
		return nil, fmt.Errorf("button %q is not on the screen of step %s: %w", r.query.Data, s.Step, errForbidden)
	}
	return s, nil
}

// buttonHandler finds the handler of a non-dialog button (status drill-down,
// nudges, notices) by its prefix.
func (b *Bot) buttonHandler(data string) (func(context.Context, *request) error, bool) {
	switch {
	case data == startReportData:
		return b.startReportButton, true
	case strings.HasPrefix(data, statusPrefix):
		return b.onStatusButton, true
	case strings.HasPrefix(data, targetPrefix):
		return b.onTargetButton, true
	case strings.HasPrefix(data, nudgePrefix):
		return b.onNudge, true
	case strings.HasPrefix(data, approvePrefix), strings.HasPrefix(data, rejectPrefix):
		return b.onDecision, true
	}
	if _, _, ok := scheduler.ParseNoticeData(data); ok {
		return b.onNoticeButton, true
	}
	return nil, false
}

// startReportData is the "开始填报" button on reminders and nudges.
const startReportData = "go:report"

func (b *Bot) startReportButton(ctx context.Context, r *request) error {
	period, err := b.reportingPeriod(ctx, r)
	if err != nil {
		return err // answered as the press's toast
	}
	b.toast(ctx, r.query, "")
	return b.startReportIn(ctx, r, period)
}

// reportButtonMarkup is the reply_markup JSON of a message whose one button
// opens the report dialog.
func reportButtonMarkup() (string, error) {
	return screen{rows: [][]button{{{btnStartReport, startReportData}}}}.markupJSON(), nil
}

// authorizeSession checks the session's department on every step. The
// dialog of a private chat was opened by its owner, so a department that
// is no longer theirs means a coordinator moved them (or took their role)
// while it was open: the dialog ends, with a word why, instead of being
// refused as a crafted request.
func (b *Bot) authorizeSession(ctx context.Context, r *request, s *session) error {
	err := b.authorize(r, s.Dept)
	if err == nil || s.Step == stepDept {
		return nil
	}
	if !r.private || r.contact.IsCoordinator() || s.Dept == 0 {
		return err
	}
	b.log.Info("dialog ended: the contact's department or role changed", "err", err)
	if err := b.endDialog(ctx, r); err != nil {
		return err
	}
	return userError{msgRoleChanged}
}

// authorize lets coordinators act for any department and everybody else
// for their own only. It runs on every step, not just the first.
func (b *Bot) authorize(r *request, dept uint) error {
	c := r.contact
	if c.IsCoordinator() {
		return nil
	}
	if c.DepartmentID == nil || *c.DepartmentID != dept {
		return fmt.Errorf("user %d (department %s) asked for department %d: %w", c.TelegramID, deptLabel(c.DepartmentID), dept, errForbidden)
	}
	return nil
}

// show renders the session's screen, sends it (as a new message, or by
// editing the dialog's message), then stores the session.
func (b *Bot) show(ctx context.Context, r *request, s *session, fresh bool) error {
	sc, err := b.render(ctx, r, s)
	if err != nil {
		return err
	}
	s.Notice = ""
	s.showing(sc)
	if fresh || s.messageID == 0 {
		msg, err := b.api.SendMessage(ctx, &tg.SendMessageParams{ChatID: s.chatID, Text: sc.text, ReplyMarkup: sc.markup()})
		if err != nil {
			return fmt.Errorf("send dialog screen: %w", err)
		}
		s.messageID = msg.ID
	} else if err := b.edit(ctx, s.chatID, s.messageID, sc); err != nil {
		return err
	}
	return b.saveSession(ctx, r, s)
}

// saveSession stores the session and marks the update handled in the same
// transaction: one write per update.
func (b *Bot) saveSession(ctx context.Context, r *request, s *session) error {
	row, err := s.row()
	if err != nil {
		return err
	}
	row.Handled = r.handled
	if err := b.st.SaveDialogMarked(ctx, row, r.upd.ID); err != nil {
		return err
	}
	r.marked, r.handled = true, row.Handled
	return nil
}

// endDialog ends the chat's dialog and marks the update handled with it.
func (b *Bot) endDialog(ctx context.Context, r *request) error {
	ok, err := b.st.EndDialogMarked(ctx, r.chatID, r.handled, r.upd.ID)
	if err != nil {
		return err
	}
	r.marked = ok
	return nil
}

func (b *Bot) edit(ctx context.Context, chatID int64, msgID int, sc screen) error {
	_, err := b.api.EditMessageText(ctx, &tg.EditMessageTextParams{
		ChatID: chatID, MessageID: msgID, Text: sc.text, ReplyMarkup: sc.markup(),
	})
	if err != nil && !notModified(err) {
		return fmt.Errorf("edit dialog screen: %w", err)
	}
	return nil
}

// notModified tells Telegram's answer to an edit that changes nothing,
// which leaves the screen as wanted.
func notModified(err error) bool {
	return errors.Is(err, tg.ErrorBadRequest) && strings.Contains(err.Error(), "message is not modified")
}

// screen is a message text with rows of buttons.
type screen struct {
	text string
	rows [][]button
}

type button struct{ label, data string }

// data lists the callback data of every button on the screen.
func (sc screen) data() []string {
	var out []string
	for _, row := range sc.rows {
		for _, bt := range row {
			out = append(out, bt.data)
		}
	}
	return out
}

// showing records sc as the screen shown: its buttons and its text's
// checksum.
func (s *session) showing(sc screen) {
	s.Buttons, s.Shown = sc.data(), shownSum(sc.text)
}

// copyShown tells a message that shows the screen shown last, though it is
// not the dialog's message: the same text and the same buttons, pressed at
// the same version. A kill between sending a new screen and storing the
// step makes the restart send the screen again, and the user may press the
// first copy. Versions start again after /cancel, so the version alone
// could match an old screen of another value: the text must match too.
func (s *session) copyShown(m *tgmodels.Message) bool {
	if s.Shown == "" || shownSum(m.Text) != s.Shown {
		return false
	}
	var data []string
	if m.ReplyMarkup != nil {
		for _, row := range m.ReplyMarkup.InlineKeyboard {
			for _, bt := range row {
				data = append(data, bt.CallbackData)
			}
		}
	}
	return slices.Equal(data, s.Buttons)
}

// shownSum is a screen text's checksum; Telegram may trim the text's ends.
func shownSum(text string) string {
	h := fnv.New64a()
	h.Write([]byte(strings.TrimSpace(text)))
	return strconv.FormatUint(h.Sum64(), 36)
}

// inlineKeyboard is the Bot API's InlineKeyboardMarkup with only the fields
// duban uses. The library's own type also sends an empty "copy_text" object
// on every button, which the Bot API does not document as optional-empty.
type inlineKeyboard struct {
	InlineKeyboard [][]inlineButton `json:"inline_keyboard"`
}

type inlineButton struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data"`
}

func (sc screen) markup() tgmodels.ReplyMarkup {
	kb := inlineKeyboard{InlineKeyboard: make([][]inlineButton, 0, len(sc.rows))}
	for _, row := range sc.rows {
		out := make([]inlineButton, len(row))
		for i, bt := range row {
			out[i] = inlineButton{Text: bt.label, CallbackData: bt.data}
		}
		kb.InlineKeyboard = append(kb.InlineKeyboard, out)
	}
	return kb
}

// markupJSON is the screen's keyboard as reply_markup JSON for the outbox.
func (sc screen) markupJSON() string {
	// Marshalling plain strings cannot fail.
	data, _ := json.Marshal(sc.markup())
	return string(data)
}
