package bot_test

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	tgmodels "github.com/go-telegram/bot/models"
	"pgregory.net/rapid"

	"github.com/duban-bot/duban/models"
)

// TestDialogAgainstModel drives the report dialog with random sequences of
// what a contact does (/report, buttons, typed values good and bad,
// /cancel, stale buttons) and of what happens around them (a restart, a new
// month, a duplicated update, update ids that start again after a quiet
// week). After every step the database must hold exactly the values the
// model says were confirmed: every "已保存" is stored, the latest confirmed
// value is the current one, nothing unconfirmed is stored.
//
// CI runs 2,000 sequences; elsewhere 200 unless -rapid.checks says more.
// A failure prints the seed: go test ./bot -run TestDialogAgainstModel -rapid.seed=N
func TestDialogAgainstModel(t *testing.T) {
	if f := flag.Lookup("rapid.checks"); f != nil && f.Value.String() == f.DefValue {
		checks := "200"
		if os.Getenv("CI") != "" {
			checks = "2000"
		}
		if err := flag.Set("rapid.checks", checks); err != nil {
			t.Fatal(err)
		}
	}
	h := newHarness(t)
	rapid.Check(t, func(rt *rapid.T) {
		m := newDialogModel(rt, h)
		rt.Repeat(map[string]func(*rapid.T){
			"report":    m.report,
			"press":     m.press,
			"forward":   m.forward,
			"forward 2": m.forward, // a contact mostly goes forward
			"forward 3": m.forward,
			"forward 4": m.forward,
			"finish":    m.finish,
			"type":      m.typeValue,
			"cancel":    m.cancel,
			"stale":     m.pressStale,
			"restart":   m.restart,
			"month":     m.newMonth,
			"duplicate": m.duplicate,
			"ids":       m.idsStartAgain,
			"":          m.check,
		})
	})
}

type periodMetric struct {
	metric uint
	period string
}

type pendingValue struct {
	periodMetric
	value float64
}

// dialogModel is what a careful observer knows: which values were
// confirmed, and which value the open read-back screen would save.
type dialogModel struct {
	h       *harness
	chat    int64
	user    tgmodels.User
	metrics map[uint]models.Metric // the test department's metrics

	confirmed map[periodMetric]float64
	pending   *pendingValue
	open      uint   // the metric whose value screen was opened last
	period    string // the period the dialog reports for
	seen      []string
	last      *tgmodels.Update
	c         interface{ SendUpdate(tgmodels.Update) }
}

func newDialogModel(rt *rapid.T, h *harness) *dialogModel {
	resetDialogTables(rt, h)
	h.clk.Set(time.Date(2022, 5, 20, 10, 0, 0, 0, shanghai))
	h.restart()
	m := &dialogModel{h: h, chat: tester, metrics: map[uint]models.Metric{},
		confirmed: map[periodMetric]float64{}}
	c := h.srv.Chat(tester, func(ctx context.Context, u *tgmodels.Update) {
		kept := *u
		m.last = &kept
		h.bot.HandleUpdate(ctx, u)
	})
	m.c, m.user = c, c.User()
	d, err := h.st.DepartmentByName(context.Background(), "市测试办")
	if err != nil {
		rt.Fatal(err)
	}
	plan, err := h.st.DepartmentPlan(context.Background(), 2022, d.ID)
	if err != nil {
		rt.Fatal(err)
	}
	for _, tk := range plan.Tasks {
		for _, mt := range tk.Metrics {
			m.metrics[mt.ID] = mt
		}
	}
	return m
}

// resetDialogTables empties what a sequence writes, so every sequence
// starts from the seeded plan alone.
func resetDialogTables(rt *rapid.T, h *harness) {
	for _, table := range []string{"reports", "task_notes", "dialog_states", "processed_updates"} {
		if err := h.st.DB().Exec("DELETE FROM " + table).Error; err != nil {
			rt.Fatal(err)
		}
	}
}

// deliver hands an update to the bot with the next update id.
func (m *dialogModel) deliver(u tgmodels.Update) { m.c.SendUpdate(u) }

func (m *dialogModel) send(text string) {
	msg := m.h.chat(m.chat).NewMessage()
	msg.Text = text
	if strings.HasPrefix(text, "/") {
		msg.Entities = []tgmodels.MessageEntity{{Type: tgmodels.MessageEntityTypeBotCommand, Length: len(text)}}
	}
	m.deliver(tgmodels.Update{Message: msg})
}

// screen is the dialog's message as the user sees it now.
func (m *dialogModel) screen() (*tgmodels.Message, bool) {
	d, err := m.h.st.Dialog(context.Background(), m.chat)
	if err != nil {
		return nil, false
	}
	msg, ok := m.h.srv.Message(m.chat, d.MessageID)
	if !ok || msg.ReplyMarkup == nil {
		return msg, ok
	}
	for _, row := range msg.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			m.seen = append(m.seen, b.CallbackData)
		}
	}
	return msg, true
}

func (m *dialogModel) report(rt *rapid.T) {
	m.send("/report")
	m.pending, m.open, m.period = nil, 0, period(m.h.clk.Now())
}

func (m *dialogModel) cancel(rt *rapid.T) {
	m.send("/cancel")
	m.pending, m.open = nil, 0
}

// finish leaves the way a contact does when done: 结束填报 where the screen
// has it, else /cancel.
func (m *dialogModel) finish(rt *rapid.T) {
	msg, ok := m.screen()
	if ok && msg.ReplyMarkup != nil {
		for _, row := range msg.ReplyMarkup.InlineKeyboard {
			for _, b := range row {
				if strings.HasSuffix(b.CallbackData, ":fin") {
					m.expectPress(b.CallbackData)
					m.tap(b.CallbackData, msg)
					return
				}
			}
		}
	}
	m.cancel(rt)
}

func (m *dialogModel) press(rt *rapid.T) {
	msg, ok := m.screen()
	if !ok || msg.ReplyMarkup == nil {
		rt.Skip("no dialog screen")
	}
	var all []string
	for _, row := range msg.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			all = append(all, b.CallbackData)
		}
	}
	if len(all) == 0 {
		rt.Skip("no buttons")
	}
	data := rapid.SampledFrom(all).Draw(rt, "button")
	m.expectPress(data)
	m.tap(data, msg)
	if strings.Contains(data, ":ok") && !m.saidSaved() {
		rt.Fatalf("confirm pressed, the screen does not say saved: %q", m.lastText())
	}
}

// forward does what a contact in a hurry does next: open the dialog, pick
// a task and a metric, type a value, confirm.
func (m *dialogModel) forward(rt *rapid.T) {
	msg, ok := m.screen()
	if !ok {
		m.report(rt)
		return
	}
	if strings.Contains(msg.Text, "请输入「") {
		m.typeGood(rt)
		return
	}
	byOp := map[string][]string{}
	if msg.ReplyMarkup != nil {
		for _, row := range msg.ReplyMarkup.InlineKeyboard {
			for _, b := range row {
				byOp[strings.SplitN(b.CallbackData, ":", 4)[2]] = append(byOp[strings.SplitN(b.CallbackData, ":", 4)[2]], b.CallbackData)
			}
		}
	}
	for _, op := range []string{"ok", "v", "m", "t", "p", "back"} {
		if len(byOp[op]) > 0 {
			data := rapid.SampledFrom(byOp[op]).Draw(rt, "forward "+op)
			m.expectPress(data)
			m.tap(data, msg)
			if op == "ok" && !m.saidSaved() {
				rt.Fatalf("confirm pressed, the screen does not say saved: %q", m.lastText())
			}
			return
		}
	}
	m.report(rt)
}

// expectPress moves the model by the press of a button with data.
func (m *dialogModel) expectPress(data string) {
	parts := strings.SplitN(data, ":", 4)
	op, arg := parts[2], ""
	if len(parts) == 4 {
		arg = parts[3]
	}
	switch op {
	case "m":
		id, _ := strconv.Atoi(arg)
		m.open, m.pending = uint(id), nil
	case "v":
		v := map[string]float64{"0": 0, "1": 0.5, "2": 1}[arg]
		m.pending = &pendingValue{periodMetric{m.open, m.period}, v}
	case "ok":
		if m.pending != nil {
			m.confirmed[m.pending.periodMetric] = m.pending.value
		}
		m.pending = nil
	case "re", "back", "fin":
		m.pending = nil
	case "p":
		m.period = arg
	}
}

func (m *dialogModel) tap(data string, msg *tgmodels.Message) {
	m.deliver(tgmodels.Update{CallbackQuery: &tgmodels.CallbackQuery{
		ID: strconv.FormatInt(m.h.clk.Now().UnixNano(), 36), From: m.user, Data: data,
		Message: tgmodels.MaybeInaccessibleMessage{Type: tgmodels.MaybeInaccessibleMessageTypeMessage, Message: msg},
	}})
	m.syncOpen()
}

// syncOpen follows the dialog to the metric whose value it asks for now:
// after a save it asks for the task's next unreported metric by itself.
func (m *dialogModel) syncOpen() {
	msg, ok := m.screen()
	if !ok {
		return
	}
	name := ""
	if _, rest, found := strings.Cut(msg.Text, "请输入「"); found {
		name, _, _ = strings.Cut(rest, "」")
	} else if head, _, found := strings.Cut(msg.Text, "」目前进展如何"); found {
		name = head[strings.LastIndex(head, "「")+len("「"):]
	}
	for id, mt := range m.metrics {
		if name != "" && mt.Name == name {
			m.open = id
		}
	}
}

func (m *dialogModel) pressStale(rt *rapid.T) {
	msg, ok := m.screen()
	current := map[string]bool{}
	if ok && msg.ReplyMarkup != nil {
		for _, row := range msg.ReplyMarkup.InlineKeyboard {
			for _, b := range row {
				current[b.CallbackData] = true
			}
		}
	}
	var stale []string
	for _, d := range m.seen {
		if !current[d] {
			stale = append(stale, d)
		}
	}
	if len(stale) == 0 || !ok {
		rt.Skip("no stale button")
	}
	m.tap(rapid.SampledFrom(stale).Draw(rt, "stale"), msg)
}

// typeValue types a value: a good one for the open metric, or junk.
func (m *dialogModel) typeValue(rt *rapid.T) {
	msg, onScreen := m.screen()
	asking := onScreen && strings.Contains(msg.Text, "请输入「")
	pendingBefore := m.pending
	if rapid.Bool().Draw(rt, "junk") {
		m.send(rapid.SampledFrom([]string{"abc", "1e5", "12%%", "NaN", "5家", "'; DROP TABLE reports; --"}).Draw(rt, "text"))
		return
	}
	m.typeGood(rt)
	if !asking {
		m.pending = pendingBefore
	}
}

// typeGood types a value the open metric accepts.
func (m *dialogModel) typeGood(rt *rapid.T) {
	msg, onScreen := m.screen()
	asking := onScreen && strings.Contains(msg.Text, "请输入「")
	n := rapid.IntRange(1, 60).Draw(rt, "n")
	text := strconv.Itoa(n)
	if m.metrics[m.open].Unit == "%" && rapid.Bool().Draw(rt, "percent") {
		text += "%"
	}
	m.send(text)
	if asking {
		m.pending = &pendingValue{periodMetric{m.open, m.period}, float64(n)}
	}
}

func (m *dialogModel) restart(rt *rapid.T) { m.h.restart() }

// newMonth moves the clock to the 20th of the next month of 2022.
func (m *dialogModel) newMonth(rt *rapid.T) {
	now := m.h.clk.Now().In(shanghai)
	if now.Month() >= 12 {
		rt.Skip("end of the plan year")
	}
	m.h.clk.Set(time.Date(2022, now.Month()+1, 20, 10, 0, 0, 0, shanghai))
	m.last = nil // Telegram redelivers within hours, not a month later
}

// duplicate delivers the last update again: nothing may change.
func (m *dialogModel) duplicate(rt *rapid.T) {
	if m.last == nil {
		rt.Skip("nothing delivered yet")
	}
	u := *m.last
	m.h.bot.HandleUpdate(context.Background(), &u)
}

// idsStartAgain is a quiet week after which Telegram numbers updates anew.
func (m *dialogModel) idsStartAgain(rt *rapid.T) {
	now := m.h.clk.Now().In(shanghai)
	if now.Month() >= 12 {
		rt.Skip("end of the plan year")
	}
	m.h.clk.Advance(8 * 24 * time.Hour)
	m.h.srv.RestartUpdateIDs(int64(rapid.IntRange(1, 5).Draw(rt, "first id")))
	m.last = nil
}

// check compares the database with the model after every step.
func (m *dialogModel) check(rt *rapid.T) {
	var rows []models.Report
	if err := m.h.st.DB().Where("superseded_at IS NULL").Find(&rows).Error; err != nil {
		rt.Fatal(err)
	}
	stored := map[periodMetric]float64{}
	for _, r := range rows {
		stored[periodMetric{r.MetricID, r.Period}] = r.Value
	}
	for k, want := range m.confirmed {
		got, ok := stored[k]
		if !ok || math.Abs(got-want) > 1e-9 {
			rt.Fatalf("metric %d %s: confirmed %v, stored %v (present %v)", k.metric, k.period, want, got, ok)
		}
	}
	for k, got := range stored {
		if _, ok := m.confirmed[k]; !ok {
			rt.Fatalf("metric %d %s: %v stored but never confirmed", k.metric, k.period, got)
		}
	}
}

func (m *dialogModel) lastText() string {
	msg, ok := m.screen()
	if !ok {
		return ""
	}
	return msg.Text
}

func (m *dialogModel) saidSaved() bool {
	t := m.lastText()
	return strings.HasPrefix(t, "✅ 已保存") || strings.HasPrefix(t, "✅ 已更正") || strings.HasPrefix(t, "✅ 该值已于")
}

func period(t time.Time) string {
	return fmt.Sprintf("%d-%02d", t.In(shanghai).Year(), t.In(shanghai).Month())
}
