package bot_test

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/bot"
	"github.com/duban-bot/duban/inbox"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/telegramtest"
)

// crashedSink takes updates and never handles them: the process was
// killed after fetching, with the updates still queued.
type crashedSink struct {
	mu   sync.Mutex
	took int
}

func (s *crashedSink) Submit(*tgmodels.Update, func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.took++
}

func (h *harness) fetcher() inbox.HTTPFetcher {
	return inbox.HTTPFetcher{Client: &http.Client{Timeout: 30 * time.Second}, BaseURL: h.srv.URL(), Token: telegramtest.Token}
}

// pollUntilConfirmed runs a poller into sink until Telegram has forgotten
// update id last, then stops it.
func pollUntilConfirmed(t *testing.T, h *harness, st inbox.Store, sink inbox.Sink, last int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p := inbox.New(st, h.fetcher(), sink, inbox.Options{Wait: 5 * time.Second})
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	if err := h.srv.WaitConfirmed(ctx, last); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// runUntil runs a poller into sink until the server has seen a call
// matching each of preds, then stops it and returns it.
func runUntil(t *testing.T, h *harness, st inbox.Store, sink inbox.Sink, preds ...func(telegramtest.Call) bool) *inbox.Poller {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p := inbox.New(st, h.fetcher(), sink, inbox.Options{Wait: 5 * time.Second})
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	for _, pred := range preds {
		if _, err := h.srv.WaitFor(ctx, pred); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	return p
}

// Issue 11, point 4: a confirm and a /report are fetched, Telegram is told
// they arrived (the next getUpdates confirms them), and the process dies
// before handling either. go-telegram/bot's own polling confirms an update
// as it fetches it and keeps it only in memory, so both were lost; now the
// restart finds them in the inbox and handles each exactly once.
func TestUpdatesFetchedBeforeACrashAreHandledAfterTheRestart(t *testing.T) {
	eachInbox(t, testUpdatesFetchedBeforeACrash)
}

func testUpdatesFetchedBeforeACrash(t *testing.T, h *harness, start func() inbox.Store) {
	st := start()
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("培训人数")
	c.Send("1.2万")
	confirm := callbackFor(t, h, c.User(), "确认保存")
	h.srv.Push(tgmodels.Update{CallbackQuery: confirm})
	msg := h.chat(wenlian).NewMessage()
	msg.Text = "/report"
	msg.Entities = []tgmodels.MessageEntity{{Type: tgmodels.MessageEntityTypeBotCommand, Length: 7}}
	last := h.srv.Push(tgmodels.Update{Message: msg})

	crashed := &crashedSink{}
	pollUntilConfirmed(t, h, st, crashed, last)
	if crashed.took != 2 || h.srv.Pending() != 0 {
		t.Fatalf("before the crash: %d updates taken, %d left at Telegram; want 2, 0", crashed.took, h.srv.Pending())
	}
	if n := h.allReports(); n != 0 {
		t.Fatalf("%d reports before the restart, want 0", n)
	}

	h.restart()
	st = start()
	disp := bot.NewDispatcher(4, h.bot.HandleUpdate)
	disp.Run(context.Background())
	p := runUntil(t, h, st, disp, func(c telegramtest.Call) bool {
		return c.Method == "sendMessage" && c.Form.Get("chat_id") == itoa(int(wenlian))
	}, func(c telegramtest.Call) bool {
		return c.Method == "editMessageText" && strings.Contains(c.Form.Get("text"), "已保存")
	})
	disp.Close()
	if err := p.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}

	assertCurrent(t, h, "培训人数", "2022-05", 1.2)
	if n := h.allReports(); n != 1 {
		t.Errorf("%d reports stored, want 1", n)
	}
	if got := len(h.srv.Sent(wenlian)); got != 1 {
		t.Errorf("市文联's /report answered with %d messages, want 1", got)
	}
	if got := c.LastText(); !strings.Contains(got, "✅ 已保存「培训人数」= 1.2万人") {
		t.Errorf("the confirm's screen after the restart: %q", got)
	}
	pending, err := st.PendingInbox(context.Background())
	if err != nil || len(pending) != 0 {
		t.Fatalf("inbox after handling: %d unhandled (%v), want 0", len(pending), err)
	}

	// A third start hands nothing over again.
	n, err := inbox.New(start(), h.fetcher(), crashed, inbox.Options{}).Replay(context.Background())
	if err != nil || n != 0 {
		t.Fatalf("replayed %d updates (%v) at the next start, want 0", n, err)
	}
}

// Issue 11, point 5: a value is committed, but the "已保存" edit never
// reaches the user (the process dies, or Telegram refuses it). The screen
// was owed in the value's transaction, so the restart sends it; the value
// is stored once.
func TestSavedScreenLostInACrashArrivesAfterTheRestart(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("培训人数")
	c.Send("1.2万")
	h.srv.FailNext("editMessageText", http.StatusBadRequest, 0)
	c.Tap("确认保存")
	if got := c.LastText(); strings.Contains(got, "已保存") {
		t.Fatalf("the edit was to fail, yet the chat reads %q", got)
	}
	assertCurrent(t, h, "培训人数", "2022-05", 1.2)

	h.restart()
	sent, err := h.bot.SendOwed(context.Background())
	if err != nil || sent != 1 {
		t.Fatalf("SendOwed: %d sent, %v; want 1", sent, err)
	}
	mustContain(t, c.LastText(), "✅ 已保存「培训人数」= 1.2万人")
	if n := h.allReports(); n != 1 {
		t.Errorf("%d reports stored, want 1", n)
	}
	if n := owedReplies(t, h); n != 0 {
		t.Errorf("%d replies still owed, want 0", n)
	}
	// The screen's buttons work: it is the dialog's current screen.
	c.Tap("返回")
	mustContain(t, c.LastText(), "增长率")
}

// A screen owed whose dialog moved on is not sent: the user has seen a
// newer one, which an old edit would replace.
func TestOwedScreenOfAnOlderStepIsDropped(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("培训人数")
	c.Send("1.2万")
	h.srv.FailNext("editMessageText", http.StatusBadRequest, 0)
	c.Tap("确认保存")
	c.Send("/cancel")
	c.Send("/report")
	before := len(h.srv.Calls("editMessageText"))

	h.restart()
	if sent, err := h.bot.SendOwed(context.Background()); err != nil || sent != 0 {
		t.Fatalf("SendOwed: %d sent, %v; want 0", sent, err)
	}
	if after := len(h.srv.Calls("editMessageText")); after != before {
		t.Errorf("%d edits after the restart, want none", after-before)
	}
	if n := owedReplies(t, h); n != 0 {
		t.Errorf("%d replies still owed, want 0", n)
	}
}

// The user who never saw "已保存" reports the same value again: within ten
// minutes it is answered with when it was saved, and no history row is
// added; after that an equal value is a new report.
func TestSameValueAgainWithinMinutesIsNotStoredTwice(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	report := func(value string) {
		c.Send("/report")
		c.Tap("测试任务")
		c.Tap("培训人数")
		c.Send(value)
		c.Tap("确认保存")
	}
	report("1.2万")
	h.clk.Advance(9 * time.Minute)
	report("1.2万")
	mustContain(t, c.LastText(), "✅ 该值已于 10:00 保存：「培训人数」= 1.2万人")
	if n := len(h.reports("培训人数")); n != 1 {
		t.Fatalf("%d history rows after the same value twice, want 1", n)
	}

	report("1.3万")
	if n := len(h.reports("培训人数")); n != 2 {
		t.Fatalf("%d history rows after another value, want 2", n)
	}
	h.clk.Advance(11 * time.Minute)
	report("1.3万")
	mustContain(t, c.LastText(), "✅ 已更正「培训人数」")
	if n := len(h.reports("培训人数")); n != 3 {
		t.Fatalf("%d history rows after the same value 11 minutes later, want 3", n)
	}
	assertCurrent(t, h, "培训人数", "2022-05", 1.3)
}

// eachInbox runs a crash test on both inboxes of the poll loop: the
// database's table (PostgreSQL's) and the journal file beside a SQLite
// database. start opens it; each call after the first is a restart after a
// kill, which for the journal means reading its file again.
func eachInbox(t *testing.T, test func(t *testing.T, h *harness, start func() inbox.Store)) {
	t.Run("table", func(t *testing.T) {
		h := newHarness(t)
		test(t, h, func() inbox.Store { return h.st })
	})
	t.Run("journal", func(t *testing.T) {
		h := newHarness(t)
		path := filepath.Join(t.TempDir(), "duban.db-inbox")
		test(t, h, func() inbox.Store {
			j, err := inbox.OpenJournal(path, h.clk.Now)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { j.Close() })
			return j
		})
	})
}

// Handled marks are written with the next batch. A process that dies after
// handling an update but before marking it hands the update over again at
// the restart; the handler's duplicate check drops it, so the user is not
// answered twice.
func TestUpdateHandledButNotMarkedIsNotHandledTwice(t *testing.T) {
	eachInbox(t, testHandledButNotMarked)
}

func testHandledButNotMarked(t *testing.T, h *harness, start func() inbox.Store) {
	msg := h.chat(wenlian).NewMessage()
	msg.Text = "/report"
	msg.Entities = []tgmodels.MessageEntity{{Type: tgmodels.MessageEntityTypeBotCommand, Length: 7}}
	h.srv.Push(tgmodels.Update{Message: msg})
	disp := bot.NewDispatcher(4, h.bot.HandleUpdate)
	disp.Run(context.Background())
	runUntil(t, h, start(), disp, func(c telegramtest.Call) bool { return c.Method == "sendMessage" })
	disp.Close() // and the process dies before Flush

	h.restart()
	disp = bot.NewDispatcher(4, h.bot.HandleUpdate)
	disp.Run(context.Background())
	p := inbox.New(start(), h.fetcher(), disp, inbox.Options{})
	n, err := p.Replay(context.Background())
	disp.Close()
	if err != nil || n != 1 {
		t.Fatalf("replayed %d updates (%v), want the one not marked", n, err)
	}
	if err := p.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := len(h.srv.Sent(wenlian)); got != 1 {
		t.Errorf("/report answered %d times, want once", got)
	}
	if n, err := inbox.New(start(), h.fetcher(), &crashedSink{}, inbox.Options{}).Replay(context.Background()); err != nil || n != 0 {
		t.Errorf("replayed %d updates (%v) at the third start, want 0", n, err)
	}
}

// owedReplies counts the dialogs that still owe their user an edit.
func owedReplies(t testing.TB, h *harness) int64 {
	t.Helper()
	var n int64
	if err := h.st.DB().Model(&models.DialogState{}).Where("owed_text <> ''").Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// copyOfScreen sends, as the restarted bot would, another message with
// the text and buttons of the chat's dialog message (text replaced when
// text is not ""), and returns its id.
func copyOfScreen(t *testing.T, h *harness, user int64, text string) int {
	t.Helper()
	d, err := h.st.Dialog(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	shown, ok := h.srv.Message(user, d.MessageID)
	if !ok {
		t.Fatalf("no dialog message in chat %d", user)
	}
	if text == "" {
		text = shown.Text
	}
	msg, err := h.api.SendMessage(context.Background(), &tg.SendMessageParams{ChatID: user, Text: text, ReplyMarkup: shown.ReplyMarkup})
	if err != nil {
		t.Fatal(err)
	}
	return msg.ID
}

// A kill between sending a new screen and storing the step makes the
// restart send that screen again (TestServeSurvivesSIGKILLWhileContactsReport
// saw it). A press on the first copy is a press on the screen the user
// sees: the value is saved, in the message pressed. A message of another
// text with the same buttons (an old read-back of another value, whose
// version the dialog reached again after /cancel) is still stale.
func TestPressOnACopyOfTheScreenCounts(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("培训人数")
	c.Send("1.2万")
	confirm := callbackFor(t, h, c.User(), "确认保存").Data

	other := copyOfScreen(t, h, tester, "确认「培训人数」= 3.4万人？")
	c.TapData(confirm, other)
	if got := h.reports("培训人数"); len(got) != 0 {
		t.Fatalf("a press on a screen of another value stored %v", got)
	}
	mustContain(t, h.lastToast(), "已过期")

	first := copyOfScreen(t, h, tester, "")
	c.TapData(confirm, first)
	assertCurrent(t, h, "培训人数", "2022-05", 1.2)
	if got := h.reports("培训人数"); len(got) != 1 {
		t.Fatalf("%d reports, want 1", len(got))
	}
	if msg, _ := h.srv.Message(tester, first); !strings.Contains(msg.Text, "已保存") {
		t.Errorf("the pressed copy shows %q, want the saved screen there", msg.Text)
	}
}
