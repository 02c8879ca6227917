package sandbox_test

import (
	"bytes"
	"context"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/duban-bot/duban/calendar"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/progress"
	"github.com/duban-bot/duban/sandbox"
)

func shanghai(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// newSandbox builds a sandbox on db ("" for a temporary database).
func newSandbox(t *testing.T, db string) *sandbox.Sandbox {
	t.Helper()
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	sb, err := sandbox.New(context.Background(), sandbox.Options{
		DB: db, Loc: shanghai(t), Calendar: cal, Thresholds: progress.DefaultThresholds(),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sb.Close)
	return sb
}

// script runs lines as the script "t" and returns the transcript.
func script(t *testing.T, sb *sandbox.Sandbox, lines string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := sb.Run(context.Background(), strings.NewReader(lines), &out, sandbox.Mode{Script: true, Name: "t", Echo: true})
	return out.String(), err
}

func mustScript(t *testing.T, sb *sandbox.Sandbox, lines string) string {
	t.Helper()
	out, err := script(t, sb, lines)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return out
}

// contactOf returns the binding of dept's contact, or fails.
func contactOf(t *testing.T, st *models.Store, dept string) models.Contact {
	t.Helper()
	people, err := st.ListContacts(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range people {
		if c.Department != nil && c.Department.Name == dept {
			return c
		}
	}
	t.Fatalf("nobody is bound to %s; bound: %+v", dept, people)
	return models.Contact{}
}

// currentValues maps metric name → raw value of dept's current reports.
func currentValues(t *testing.T, st *models.Store, dept string) map[string]string {
	t.Helper()
	ctx := context.Background()
	plan, err := st.Plan(ctx, 2022)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, d := range plan {
		if d.Name != dept {
			continue
		}
		for _, task := range d.Tasks {
			for _, m := range task.Metrics {
				hist, err := st.MetricHistory(ctx, m.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range hist {
					if r.SupersededAt == nil {
						out[m.Name] = r.Raw
					}
				}
			}
		}
	}
	return out
}

// sentTo lists the texts the sender delivered to chat.
func sentTo(t *testing.T, st *models.Store, chat int64) []string {
	t.Helper()
	msgs, err := st.OutboxMessages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		if m.ChatID == chat && m.Status == models.OutboxSent {
			out = append(out, m.Text)
		}
	}
	return out
}

// The tour of the README runs, and what it says happened is in the database:
// the contact bound through the coordinator's invite, three values of three
// kinds stored (the bad one not), the yellow notice and the coordinator's
// list sent through the outbox, and the Monday digest sent to the group.
func TestTour(t *testing.T) {
	tour, err := os.ReadFile("testdata/tour.txt")
	if err != nil {
		t.Fatal(err)
	}
	sb := newSandbox(t, "")
	out := mustScript(t, sb, string(tour))
	st := sb.Store()

	c := contactOf(t, st, "市残联")
	if c.Source != models.SourceInvite || c.Role != models.RoleContact {
		t.Errorf("市残联's contact: source %q role %q, want bound through an invite as the contact", c.Source, c.Role)
	}
	got := currentValues(t, st, "市残联")
	want := map[string]string{
		"提升建设规范化儿童康复机构":      "3家",
		"区县规范化儿童康复机构覆盖率":     "40%",
		"在全省率先出台困难重度残疾人托养政策": "推进中",
	}
	if !maps.Equal(got, want) { // the refused 很多家 must not be stored
		t.Errorf("市残联's current values = %q, want %q", got, want)
	}

	wenlian := contactOf(t, st, "市文联")
	if !anyContains(sentTo(t, st, wenlian.TelegramID), "黄色督办") {
		t.Errorf("no yellow notice was sent to 市文联's contact; sent: %q", sentTo(t, st, wenlian.TelegramID))
	}
	if !anyContains(sentTo(t, st, 10001), "逾期未报") {
		t.Errorf("the coordinator got no list of departments overdue")
	}
	if !anyContains(sentTo(t, st, -1001), "每周督办通报】2022年第22周（05-30") {
		t.Errorf("the group got no digest for the week of 30 May; sent: %d messages", len(sentTo(t, st, -1001)))
	}
	if strings.Contains(out, "\x1b") {
		t.Error("plain mode wrote control codes")
	}
}

func anyContains(texts []string, sub string) bool {
	for _, s := range texts {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// The README's "Try it" section holds the tour as it is in testdata, and
// its excerpt of the output is what the tour prints.
func TestReadmeShowsTheTour(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	tour, err := os.ReadFile("testdata/tour.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```\n"+string(tour)+"```\n") {
		t.Error("README.md does not show sandbox/testdata/tour.txt verbatim in a code block")
	}
	m := regexp.MustCompile("(?s)It prints, among the rest:\n\n```\n(.*?)```\n").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md has no excerpt of the tour's output")
	}
	out := mustScript(t, newSandbox(t, ""), string(tour))
	if !strings.Contains(out, string(m[1])) {
		t.Errorf("the README's excerpt is not in the tour's output:\n%s", m[1])
	}
}

// A script stops at its first failed :expect: the error names the line,
// the last outputs are shown, and the lines after it are not run.
func TestScriptStopsAtFirstFailedCheck(t *testing.T) {
	tests := []struct {
		name, script, wantErr string
	}{
		{"expect", "/invite 市残联\n:expect 不会出现的文字\n/invite 市文联\n", "t:2: :expect"},
		{"press without buttons", "# comment\n:press 确认\n/invite 市文联\n", "t:2: :press 确认: no message with buttons"},
		{"press no such label", "/report\n:press 不存在的按钮\n/invite 市文联\n", "t:2: :press 不存在的按钮: no button matches"},
		{"unknown command", ":frobnicate\n/invite 市文联\n", "t:1: unknown command :frobnicate"},
		{"clock backwards", ":time 2022-05-01 09:00\n/invite 市文联\n", "t:1: :time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := newSandbox(t, "")
			out, err := script(t, sb, tt.script)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to contain %q\n%s", err, tt.wantErr, out)
			}
			if strings.Contains(out, "「市文联」联络员邀请链接") {
				t.Errorf("a line after the failure ran:\n%s", out)
			}
		})
	}
}

// A failed :expect shows the outputs it looked at.
func TestFailedExpectShowsLastOutputs(t *testing.T) {
	out, err := script(t, newSandbox(t, ""), "/invite 市残联\n:expect 不会出现的文字\n")
	if err == nil {
		t.Fatal("the :expect passed")
	}
	after := out[strings.Index(out, "✗"):]
	if !strings.Contains(after, "the last 1 bot outputs") || !strings.Contains(after, "「市残联」联络员邀请链接") {
		t.Errorf("the failure does not show the last outputs:\n%s", out)
	}
}

// :expect looks at the outputs since the previous :expect matched, in any chat.
func TestExpectWindow(t *testing.T) {
	sb := newSandbox(t, "")
	out, err := script(t, sb, "/invite 市残联\n/invite 市文联\n:expect 市残联\n:expect 市文联\n:expect 市文联\n")
	if err == nil || !strings.HasPrefix(err.Error(), "t:5: :expect 市文联: no bot output since line 4 matches") {
		t.Fatalf("err = %v; an output matched twice or a good :expect failed:\n%s", err, out)
	}
}

// A number presses that button of the newest message with buttons in the
// chat; the press edits the message, and the edit is shown as one.
func TestNumberPressesButton(t *testing.T) {
	sb := newSandbox(t, "")
	out := mustScript(t, sb, ":as 市残联\n/report\n1\n:expect (?s)✎ 编辑 #\\d+ → 市残联联络员\\n  1\\. 规范化儿童康复机构提升建设\n")
	if !strings.Contains(out, "[1] ▫️ 1. 规范化儿童康复机构提升建设") {
		t.Errorf("buttons are not numbered:\n%s", out)
	}
	// 99 is no button: it is sent as text, and the dialog asks for a button.
	mustScript(t, sb, "99\n:expect 请点击上方消息中的按钮\n")
}

// Every persona: the stranger is refused and not stored; the group is
// answered in the group; a contact is bound once, through an invite.
func TestPersonas(t *testing.T) {
	sb := newSandbox(t, "")
	mustScript(t, sb, ":as stranger\n/status\n:expect → 陌生人 #\\d+\\n  抱歉，您尚未登记\n"+
		":as group\n/status\n:expect → 督查考核办群 #\\d+\\n  2022年重点任务进度\n"+
		":as 市科协\n:as coordinator\n:as 市科协\n:who\n")
	people, err := sb.Store().ListContacts(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range people {
		if p.TelegramID == 66666 {
			t.Errorf("the stranger was stored: %+v", p)
		}
	}
	if len(people) != 2 { // the coordinator and 市科协's contact
		t.Errorf("%d people bound, want 2: %+v", len(people), people)
	}
	if _, err := script(t, sb, ":as 市不存在局\n"); err == nil || !strings.Contains(err.Error(), "no such person") {
		t.Errorf("an unknown department was accepted: %v", err)
	}
}

// :time fires what falls due on the way in order, each at its instant.
func TestTimeFiresInOrder(t *testing.T) {
	sb := newSandbox(t, "")
	out := mustScript(t, sb, ":as 市文联\n:time 2022-05-26 09:30\n")
	order := []string{"· 2022-05-23 09:00（周一）", "每周督办通报", "· 2022-05-25 09:00（周三）", "今日截止",
		"· 2022-05-26 09:00（周四）", "黄色督办", "逾期未报", "· clock 2022-05-26 09:30（周四）"}
	at := 0
	for _, s := range order {
		i := strings.Index(out[at:], s)
		if i < 0 {
			t.Fatalf("%q missing or out of order after %q:\n%s", s, out[:at], out)
		}
		at += i + len(s)
	}
	if !sb.Now().Equal(time.Date(2022, 5, 26, 9, 30, 0, 0, shanghai(t))) {
		t.Errorf("clock at %v", sb.Now())
	}
	// The ladder does not repeat itself when the clock moves on.
	out = mustScript(t, sb, ":time +2h\n")
	if strings.Contains(out, "黄色督办") {
		t.Errorf("the yellow notice was sent again:\n%s", out)
	}
}

// A kept database keeps its people and values, and a second run's updates
// are not taken for repeats of the first run's.
func TestKeptDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sandbox.db")
	first := newSandbox(t, db)
	mustScript(t, first, ":as 市残联\n/report\n:expect 进度填报\n")
	first.Close()
	second := newSandbox(t, db)
	out := mustScript(t, second, ":as 市残联\n/report\n:expect 进度填报\n")
	if strings.Contains(out, "opens") {
		t.Errorf("the contact was bound again:\n%s", out)
	}
}

// The sandbox refuses a database that binds people it did not, and leaves
// it as it was.
func TestRefusesForeignDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "duban.db")
	st, err := models.Open(db, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := st.SaveContact(ctx, &models.Contact{TelegramID: 123456789, Role: models.RoleCoordinator, Source: models.SourceAdmins}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	_, err = sandbox.New(ctx, sandbox.Options{DB: db, Loc: shanghai(t), Calendar: cal})
	if err == nil || !strings.Contains(err.Error(), "123456789") {
		t.Fatalf("err = %v, want a refusal naming the user", err)
	}
	st, err = models.Open(db, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if c, err := st.ContactByTelegramID(ctx, 123456789); err != nil || c.Role != models.RoleCoordinator {
		t.Errorf("the coordinator changed: %+v, %v", c, err)
	}
}

// Interactive mode prints a failure and goes on; an unknown command gets
// the one-line help.
func TestInteractiveGoesOnAfterFailure(t *testing.T) {
	sb := newSandbox(t, "")
	var out bytes.Buffer
	err := sb.Run(context.Background(), strings.NewReader(":frobnicate\n:expect 不会出现\n/invite 市残联\n"), &out, sandbox.Mode{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "commands: :as WHO") || !strings.Contains(out.String(), "「市残联」联络员邀请链接") {
		t.Errorf("transcript:\n%s", out.String())
	}
}

// Ctrl-C (the context ends) ends a session waiting for input.
func TestInterruptEndsSession(t *testing.T) {
	sb := newSandbox(t, "")
	r, w := io.Pipe()
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sb.Run(ctx, r, io.Discard, sandbox.Mode{Prompt: true}) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the session did not end")
	}
}

// :quit ends the session; the lines after it are not run.
func TestQuit(t *testing.T) {
	out := mustScript(t, newSandbox(t, ""), ":quit\n/invite 市残联\n")
	if strings.Contains(out, "邀请链接") {
		t.Errorf("a line after :quit ran:\n%s", out)
	}
}

// On a terminal the headers are styled; otherwise the output is plain.
func TestStyleOnlyOnTerminal(t *testing.T) {
	for _, color := range []bool{false, true} {
		var out bytes.Buffer
		if err := newSandbox(t, "").Run(context.Background(), strings.NewReader("/invite 市残联\n"), &out, sandbox.Mode{Color: color}); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(out.String(), "\x1b["); got != color {
			t.Errorf("color %v: control codes present = %v", color, got)
		}
	}
}

func TestDefaultStart(t *testing.T) {
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	loc := shanghai(t)
	tests := []struct {
		year int
		want time.Time
	}{
		{2022, time.Date(2022, 5, 20, 9, 30, 0, 0, loc)}, // a Friday
		{2023, time.Date(2023, 5, 19, 9, 30, 0, 0, loc)}, // 20 May is a Saturday
		{2030, time.Date(2030, 5, 20, 9, 30, 0, 0, loc)}, // beyond the calendar: as it is
	}
	for _, tt := range tests {
		if got := sandbox.DefaultStart(tt.year, cal, loc); !got.Equal(tt.want) {
			t.Errorf("DefaultStart(%d) = %v, want %v", tt.year, got, tt.want)
		}
	}
}

func TestStartAt(t *testing.T) {
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2022, 6, 1, 10, 0, 0, 0, shanghai(t))
	sb, err := sandbox.New(context.Background(), sandbox.Options{Start: start, Loc: shanghai(t), Calendar: cal})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	if !sb.Now().Equal(start) {
		t.Errorf("clock at %v, want %v", sb.Now(), start)
	}
}

// The outbox goes out through the real sender within Telegram's limits on
// the sandbox's clock: 25 messages to the group (20 a minute) are all sent
// within the step, the clock moving a minute or so, not the wall clock.
func TestOutboxDrainedWithinLimits(t *testing.T) {
	sb := newSandbox(t, "")
	ctx := context.Background()
	var msgs []models.OutboxMessage
	for i := range 25 {
		msgs = append(msgs, models.OutboxMessage{ChatID: -1001, Text: "第" + strconv.Itoa(i+1) + "条"})
	}
	if _, err := sb.Store().Enqueue(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
	before := sb.Now()
	start := time.Now()
	out := mustScript(t, sb, "/help\n")
	if n := len(sentTo(t, sb.Store(), -1001)); n != 25 {
		t.Fatalf("%d of 25 sent:\n%s", n, out)
	}
	if !strings.Contains(out, "→ 督查考核办群 #25\n  第25条") {
		t.Errorf("the last message is not shown:\n%s", out)
	}
	if moved := sb.Now().Sub(before); moved < time.Minute || moved > 3*time.Minute {
		t.Errorf("the clock moved %v, want the minute the group's limit takes", moved)
	}
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("the step took %v of real time", took)
	}
}
