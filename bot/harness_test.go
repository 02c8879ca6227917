package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	tg "github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/bot"
	"github.com/duban-bot/duban/calendar"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/progress"
	"github.com/duban-bot/duban/seeds"
	"github.com/duban-bot/duban/telegramtest"
)

var shanghai = mustLoc("Asia/Shanghai")

func mustLoc(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// Users of the scenarios.
const (
	coordinator int64 = 9001
	kexie       int64 = 2001 // the 市科协 contact
	wenlian     int64 = 2002 // the 市文联 contact
	tester      int64 = 2003 // the contact of the test department
	stranger    int64 = 6666
)

// harness is a bot on a seeded SQLite store, talking to a fake Bot API.
type harness struct {
	t   testing.TB
	srv *telegramtest.Server
	st  *models.Store
	clk *telegramtest.Clock
	api *tg.Bot
	bot *bot.Bot
	set bot.Settings
	db  string // the SQLite file, for a second process on the same database
}

// newHarness seeds the 2022 plan plus 市测试办, whose one task has a
// cumulative metric, a rate and a milestone, and starts the clock on
// 2022-05-20 10:00 in Shanghai.
func newHarness(t testing.TB) *harness {
	t.Helper()
	h := &harness{t: t, clk: telegramtest.NewClock(time.Date(2022, 5, 20, 10, 0, 0, 0, shanghai))}
	h.srv = telegramtest.NewServer(t, telegramtest.WithClock(h.clk.Now))
	h.db = filepath.Join(t.TempDir(), "duban.db")
	st, err := models.Open(h.db, models.Options{Now: h.clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h.st = st
	plan, err := seeds.Parse(seeds.Huzhou2022())
	if err != nil {
		t.Fatal(err)
	}
	plan.Departments = append(plan.Departments, testDepartment())
	if err := seeds.Load(context.Background(), st, plan); err != nil {
		t.Fatal(err)
	}
	h.api, err = tg.New(telegramtest.Token, tg.WithServerURL(h.srv.URL()), tg.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	sched, err := calendar.Schedule{Loc: shanghai}.Normalized()
	if err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	h.set = bot.Settings{Username: "duban_test_bot", Admins: []int64{coordinator}, Loc: shanghai,
		Schedule: sched, Calendar: cal, Thresholds: progress.DefaultThresholds()}
	h.restart()
	if err := h.bot.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	h.addContact(kexie, "市科协")
	h.addContact(wenlian, "市文联")
	h.addContact(tester, "市测试办")
	return h
}

func testDepartment() seeds.Department {
	return seeds.Department{Name: "市测试办", Tasks: []seeds.Task{{
		Seq: 1, Title: "测试任务", Text: "培训2万人，增长8.5%，建成测试平台。",
		Metrics: []seeds.Metric{
			{Name: "培训人数", Kind: "cumulative", Direction: "at_least", Target: 2, Unit: "万人"},
			{Name: "增长率", Kind: "rate", Direction: "at_least", Target: 8.5, Unit: "%"},
			{Name: "建成测试平台", Kind: "milestone", Direction: "at_least", Target: 1},
		},
	}}}
}

// loadYear loads a plan for year listing depts (the seed's departments
// and 市测试办 are at hand: plan.Departments[:1], testDepartment()).
func (h *harness) loadYear(year int, depts ...seeds.Department) {
	h.t.Helper()
	if err := seeds.Load(context.Background(), h.st, seeds.Plan{Year: year, Departments: depts}); err != nil {
		h.t.Fatal(err)
	}
}

// seedDepartments are the departments of the built-in 2022 plan.
func seedDepartments(t testing.TB) []seeds.Department {
	t.Helper()
	plan, err := seeds.Parse(seeds.Huzhou2022())
	if err != nil {
		t.Fatal(err)
	}
	return plan.Departments
}

// restart builds a new bot on the same store and server, as a process
// restart would.
func (h *harness) restart() {
	log := slog.New(slog.NewTextHandler(h.t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	h.bot = bot.New(h.api, h.st, h.clk.Now, log, h.set)
}

func (h *harness) chat(user int64) *telegramtest.Chat {
	return h.srv.Chat(user, func(ctx context.Context, u *tgmodels.Update) { h.bot.HandleUpdate(ctx, u) })
}

func (h *harness) addContact(user int64, dept string) {
	h.t.Helper()
	ctx := context.Background()
	d, err := h.st.DepartmentByName(ctx, dept)
	if err != nil {
		h.t.Fatal(err)
	}
	if err := h.st.SaveContact(ctx, &models.Contact{TelegramID: user, Role: models.RoleContact, DepartmentID: &d.ID}); err != nil {
		h.t.Fatal(err)
	}
}

// reports returns the current values of a metric of 市测试办 (or any
// department), by metric name, with history.
func (h *harness) reports(metric string) []models.Report {
	h.t.Helper()
	ctx := context.Background()
	var id uint
	depts, err := h.st.Plan(ctx, 2022)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, d := range depts {
		for _, t := range d.Tasks {
			for _, m := range t.Metrics {
				if m.Name == metric {
					id = m.ID
				}
			}
		}
	}
	if id == 0 {
		h.t.Fatalf("no metric %q", metric)
	}
	hist, err := h.st.MetricHistory(ctx, id)
	if err != nil {
		h.t.Fatal(err)
	}
	return hist
}

// allReports counts every stored report row.
func (h *harness) allReports() int64 {
	h.t.Helper()
	var n int64
	if err := h.st.DB().Model(&models.Report{}).Count(&n).Error; err != nil {
		h.t.Fatal(err)
	}
	return n
}

// lastToast is the text of the latest answerCallbackQuery.
func (h *harness) lastToast() string {
	calls := h.srv.Calls("answerCallbackQuery")
	if len(calls) == 0 {
		return ""
	}
	return calls[len(calls)-1].Form.Get("text")
}

func fmtData(version int, op string, id uint) string {
	return fmt.Sprintf("r:%d:%s:%d", version, op, id)
}

func buttonData(t *testing.T, markup, label string) string {
	t.Helper()
	var kb struct {
		InlineKeyboard [][]struct {
			Text         string `json:"text"`
			CallbackData string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(markup), &kb); err != nil {
		t.Fatalf("reply_markup %q: %v", markup, err)
	}
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if strings.Contains(b.Text, label) {
				return b.CallbackData
			}
		}
	}
	t.Fatalf("no button %q in %s", label, markup)
	return ""
}

func lastMessageID(t *testing.T, h *harness, chat int64) int {
	t.Helper()
	d, err := h.st.Dialog(context.Background(), chat)
	if err != nil {
		t.Fatal(err)
	}
	return d.MessageID
}

func dialogVersion(t *testing.T, h *harness, chat int64) int {
	t.Helper()
	d, err := h.st.Dialog(context.Background(), chat)
	if err != nil {
		t.Fatal(err)
	}
	return d.Version
}

// assertCurrent checks that the database holds value as the current value
// of metric for period.
func assertCurrent(t *testing.T, h *harness, metric, period string, value float64) {
	t.Helper()
	cur, err := h.st.PeriodReports(context.Background(), period, metricID(t, h, metric))
	if err != nil {
		t.Fatal(err)
	}
	rep, ok := cur[metricID(t, h, metric)]
	if !ok || rep.Value != value {
		t.Fatalf("%s %s: stored %+v (found %v), want %v", metric, period, rep, ok, value)
	}
}

// metricID finds a metric of the plan by name.
func metricID(t testing.TB, h *harness, name string) uint {
	t.Helper()
	depts, err := h.st.Plan(context.Background(), 2022)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range depts {
		for _, tk := range d.Tasks {
			for _, m := range tk.Metrics {
				if m.Name == name {
					return m.ID
				}
			}
		}
	}
	t.Fatalf("no metric %q", name)
	return 0
}

// callbackFor builds the callback query of the button labelled label on the
// user's dialog message, as Telegram would send it.
func callbackFor(t testing.TB, h *harness, user tgmodels.User, label string) *tgmodels.CallbackQuery {
	t.Helper()
	d, err := h.st.Dialog(context.Background(), user.ID)
	if err != nil {
		t.Fatal(err)
	}
	msg, ok := h.srv.Message(user.ID, d.MessageID)
	if !ok {
		t.Fatalf("no message %d in chat %d", d.MessageID, user.ID)
	}
	data := ""
	for _, row := range msg.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			if strings.Contains(b.Text, label) {
				data = b.CallbackData
			}
		}
	}
	if data == "" {
		t.Fatalf("no button %q on message %d", label, d.MessageID)
	}
	return &tgmodels.CallbackQuery{
		ID: fmt.Sprintf("%d-%d-%s", user.ID, d.Version, label), From: user, Data: data,
		Message: tgmodels.MaybeInaccessibleMessage{Type: tgmodels.MaybeInaccessibleMessageTypeMessage, Message: msg},
	}
}

// lineAfter is the line that follows prefix in text.
func lineAfter(text, prefix string) string {
	_, rest, ok := strings.Cut(text, prefix)
	if !ok {
		return ""
	}
	line, _, _ := strings.Cut(rest, "\n")
	return line
}

func itoa(n int) string { return fmt.Sprint(n) }

// countRows counts the rows of a model's table.
func countRows(t testing.TB, h *harness, model any) int64 {
	t.Helper()
	var n int64
	if err := h.st.DB().Model(model).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}
