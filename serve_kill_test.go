package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/inbox"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/quantity"
	"github.com/duban-bot/duban/seeds"
	"github.com/duban-bot/duban/telegramtest"
)

// Figures of TestServeSurvivesSIGKILLWhileContactsReport.
const (
	killUsers      = 20
	killTarget     = 5                // SIGKILLs in all (the users go on until they are done)
	killMinReports = 3                // each user's reports at least
	killMaxReports = 12               // and at most, while the kills go on
	killReplyWait  = 30 * time.Second // a dead bot answers once restarted
)

// TestServeSurvivesSIGKILLWhileContactsReport kills a real `duban serve`
// process (the test binary re-executed, polling the fake Bot API) with
// SIGKILL every 1–2 s while 20 contacts of 市科协 file full reports, and
// starts it again on the same database, journal and fake Telegram. An
// update a dead bot did not fetch stays queued at the fake until the next
// bot fetches it; one it fetched is in the journal and replayed at start;
// a confirm committed before the "saved" edit went out owes that edit,
// sent at start. So every user's every step is answered, and afterwards
// the database holds each confirmed value exactly once, in one linear
// history of the metric's period, and nothing is left unhandled.
//
// Users wait for the screen their step leads to, not for "a reply": across
// kills an update can be answered twice (an owed edit at start; a screen
// sent again, see killReporter.tap), so one reply per update does not hold.
// A press answered "该按钮已过期" is done again on the latest message, as
// the toast asks and a person would. DUBAN_KILL_SEED repeats the kill
// delays (not the scheduling); DUBAN_KILL_LOGS=DIR keeps the bots' logs.
func TestServeSurvivesSIGKILLWhileContactsReport(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts a bot process for ~10 s")
	}
	seed := uint64(time.Now().UnixNano())
	if v, err := strconv.ParseUint(os.Getenv("DUBAN_KILL_SEED"), 10, 64); err == nil {
		seed = v
	}
	t.Logf("seed %d (DUBAN_KILL_SEED)", seed)
	rng := rand.New(rand.NewPCG(seed, seed>>1))

	srv := telegramtest.NewServer(t)
	dept, task, metric := benchTarget(t)
	unit := metricUnit(t, dept, task, metric)
	dir := t.TempDir()
	db := filepath.Join(dir, "duban.db")
	vars := map[string]string{
		"DUBAN_DB": db, "TELEGRAM_BOT_TOKEN": telegramtest.Token,
		"TELEGRAM_API_URL": srv.URL(), "DUBAN_ADMINS": "9001", "DUBAN_LOG_FORMAT": "json",
		// As benchServe: no reminder is due in early January.
		"DUBAN_NOW": "2022-01-10T10:00:00+08:00",
	}
	if _, err := runCmdB(t, vars, "seed"); err != nil {
		t.Fatal(err)
	}
	users := make([]int64, killUsers)
	for i := range users {
		users[i] = 7000 + int64(i)
	}
	bindContacts(t, db, dept, users)

	bots := &killedBots{t: t, dir: dir, vars: vars, start: time.Now()}
	t.Cleanup(bots.stop)
	defer func() {
		if t.Failed() {
			bots.dumpLogs()
		}
	}()
	bots.launch()
	wait, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := srv.WaitPolling(wait); err != nil {
		t.Fatal(err)
	}

	// The killer: SIGKILL 1–2 s into each life, then a new life at once.
	usersDone, killerDone := make(chan struct{}), make(chan struct{})
	var killTimes []time.Duration
	go func() {
		defer close(killerDone)
		for len(killTimes) < killTarget {
			select {
			case <-usersDone:
				return
			case <-time.After(time.Second + time.Duration(rng.Int64N(int64(time.Second)))):
			}
			killTimes = append(killTimes, bots.kill())
			bots.launch()
		}
	}()

	// Each user: full reports with values of its own, until the kills are
	// done (and at least killMinReports).
	var pushed atomic.Int64
	typed := make([][]string, len(users))
	errs := make([]error, len(users))
	var started, stale atomic.Int64 // reports begun; taps answered as stale
	var wg sync.WaitGroup
	for i, u := range users {
		wg.Go(func() {
			r := &killReporter{srv: srv, user: u}
			r.chat = srv.Chat(u, func(_ context.Context, upd *tgmodels.Update) {
				upd.ID = 0 // a fresh id, in arrival order
				r.last = srv.Push(*upd)
				pushed.Add(1)
			})
			for k := 0; k < killMaxReports; k++ {
				if k >= killMinReports && isClosed(killerDone) {
					break
				}
				v := fmt.Sprintf("1.%02d%02d", i, k+1) // distinct across users and reports
				started.Add(1)
				confirmed, err := r.report(task, metric, v, shownAs(v, unit))
				if confirmed {
					typed[i] = append(typed[i], v)
				}
				if errs[i] = err; err != nil {
					break
				}
			}
			stale.Add(int64(r.stale))
		})
	}
	wg.Wait()
	close(usersDone)
	<-killerDone
	final := bots.terminate()
	elapsed := time.Since(bots.start)
	for i, err := range errs {
		if err != nil {
			t.Error(err)
			t.Logf("user %d at the fake:\n%s", users[i], killChatCalls(srv, users[i]))
			bots.dumpUser(users[i])
		}
	}
	if dir := os.Getenv("DUBAN_KILL_LOGS"); dir != "" {
		bots.keepLogs(dir)
	}
	replays, owed := bots.startupCounts()
	reports := 0
	for _, vs := range typed {
		reports += len(vs)
	}
	t.Logf("%d users, %d reports confirmed, %d updates pushed, %d kills at %v, %d lives; replayed at start: %d updates, %d owed screens; %s in all",
		len(users), reports, pushed.Load(), len(killTimes), killTimes, bots.lives(), replays, owed, elapsed.Round(time.Millisecond))
	lists, readBacks, shown := 0, 0, false
	for i, u := range users {
		mine := 0
		for _, c := range srv.Sent(u) {
			switch text := c.Form.Get("text"); {
			case c.Method != "sendMessage":
			case strings.Contains(text, "进度填报"):
				lists++
				mine++
			case strings.HasPrefix(text, "请核对"):
				readBacks++
				mine++
			}
		}
		if begun := 2 * len(typed[i]); mine > begun && !shown && errs[i] == nil {
			shown = true // one example of a screen sent twice
			t.Logf("user %d got %d new screens for %d reports:\n%s", u, mine, len(typed[i]), killChatCalls(srv, u))
		}
	}
	// A bot killed between sending a new screen and committing its step
	// answers the replayed update with the screen again: the user sees it
	// twice, and a press on the first is answered as stale.
	t.Logf("reports begun %d; task lists sent %d, read-backs sent %d (more: sent twice after a kill); stale presses done again: %d",
		started.Load(), lists, readBacks, stale.Load())
	if final != nil {
		t.Errorf("the last bot, stopped with SIGTERM: %v", final)
	}
	if len(killTimes) < killTarget-1 {
		t.Errorf("only %d kills happened while the users reported, want at least %d", len(killTimes), killTarget-1)
	}
	if races := bots.grep("WARNING: DATA RACE"); races > 0 {
		t.Errorf("the bot processes reported %d data races", races)
	}

	checkReportsStoredOnce(t, db, users, typed)
	checkSavedScreens(t, srv, users, typed, metric, unit)
	checkNothingUnhandled(t, db)
}

// killReporter is one contact filing reports through the fake Telegram.
type killReporter struct {
	srv   *telegramtest.Server
	chat  *telegramtest.Chat
	user  int64
	last  int64 // the update id of the last step
	stale int   // taps answered "该按钮已过期", done again on the latest message
}

// staleToast is what the bot answers a button of a screen it no longer
// shows (msgStale in bot/catalog.go).
const staleToast = "该按钮已过期，请使用最新的消息。"

// report files one value: /report, the task, the metric, the value,
// 确认保存, each step waiting for the screen it leads to. It tells whether
// 确认保存 was pressed.
func (r *killReporter) report(task, metric, value, shown string) (bool, error) {
	shows := func(label string) func(string, *tgmodels.InlineKeyboardMarkup) bool {
		return func(_ string, kb *tgmodels.InlineKeyboardMarkup) bool { return killButton(kb, label) != "" }
	}
	call, err := r.step("/report", func() { r.chat.Send("/report") }, shows(task))
	if err != nil {
		return false, err
	}
	if call, err = r.tap(call, task, shows(metric)); err != nil {
		return false, err
	}
	if call, err = r.tap(call, metric, func(text string, _ *tgmodels.InlineKeyboardMarkup) bool {
		return strings.HasPrefix(text, "请输入「"+metric+"」")
	}); err != nil {
		return false, err
	}
	call, err = r.step("value "+value, func() { r.chat.Send(value) }, func(text string, kb *tgmodels.InlineKeyboardMarkup) bool {
		return strings.Contains(text, "确认保存吗") && strings.Contains(text, "= "+shown+"\n") && killButton(kb, "确认保存") != ""
	})
	if err != nil {
		return false, err
	}
	_, err = r.tap(call, "确认保存", func(text string, _ *tgmodels.InlineKeyboardMarkup) bool { return savedText(text, metric, shown) })
	return true, err
}

// tap presses the button labelled label on the message of call. A press
// answered as stale is done again on the latest message with that button,
// as the toast asks: a bot killed after sending a screen and before
// committing its step answers the replayed update with a second screen.
func (r *killReporter) tap(call telegramtest.Call, label string, then func(string, *tgmodels.InlineKeyboardMarkup) bool) (telegramtest.Call, error) {
	msgID := call.MessageID
	for range 3 {
		data := killButton(r.current(msgID), label)
		next, stale, err := r.press("tap "+label, func() { r.chat.TapData(data, msgID) }, then)
		if err != nil || !stale {
			return next, err
		}
		r.stale++
		if msgID = r.latestWith(label); msgID == 0 {
			return next, fmt.Errorf("user %d: tap %s (update %d): stale, and no message has that button", r.user, label, r.last)
		}
	}
	return telegramtest.Call{}, fmt.Errorf("user %d: tap %s (update %d): stale three times", r.user, label, r.last)
}

// current is the keyboard of the bot's message msgID as it stands.
func (r *killReporter) current(msgID int) *tgmodels.InlineKeyboardMarkup {
	if m, ok := r.srv.Message(r.user, msgID); ok {
		return m.ReplyMarkup
	}
	return nil
}

// latestWith is the bot's latest message in the chat whose keyboard has
// label now, 0 when there is none.
func (r *killReporter) latestWith(label string) int {
	sent := r.srv.Sent(r.user)
	for i := len(sent) - 1; i >= 0; i-- {
		if id := sent[i].MessageID; killButton(r.current(id), label) != "" {
			return id
		}
	}
	return 0
}

// step sends one message and waits for the screen it leads to.
func (r *killReporter) step(what string, send func(), want func(string, *tgmodels.InlineKeyboardMarkup) bool) (telegramtest.Call, error) {
	call, _, err := r.press(what, send, want)
	return call, err
}

// press sends one update and waits for a message sent or edited in the
// chat since then that shows what want looks for, or for the toast saying
// a pressed button is stale.
func (r *killReporter) press(what string, send func(), want func(string, *tgmodels.InlineKeyboardMarkup) bool) (telegramtest.Call, bool, error) {
	since := time.Now()
	send()
	ctx, cancel := context.WithTimeout(context.Background(), killReplyWait)
	defer cancel()
	chat := strconv.FormatInt(r.user, 10)
	call, err := r.srv.WaitFor(ctx, func(c telegramtest.Call) bool {
		if !c.At.After(since) || c.Status != 200 {
			return false
		}
		switch c.Method {
		case "answerCallbackQuery":
			return strings.HasPrefix(c.Form.Get("callback_query_id"), chat+"-") && c.Form.Get("text") == staleToast
		case "sendMessage", "editMessageText":
			return c.Form.Get("chat_id") == chat && want(c.Form.Get("text"), killMarkup(c))
		}
		return false
	})
	if err != nil {
		return call, false, fmt.Errorf("user %d: %s (update %d): no such screen within %s; the chat's last screen: %q",
			r.user, what, r.last, killReplyWait, r.chat.LastText())
	}
	return call, call.Method == "answerCallbackQuery", nil
}

func killMarkup(c telegramtest.Call) *tgmodels.InlineKeyboardMarkup {
	var kb tgmodels.InlineKeyboardMarkup
	if json.Unmarshal([]byte(c.Form.Get("reply_markup")), &kb) != nil {
		return nil
	}
	return &kb
}

// killButton is the callback data of the button labelled label, or else
// of the only one whose label contains it; "" when there is none.
func killButton(kb *tgmodels.InlineKeyboardMarkup, label string) string {
	if kb == nil {
		return ""
	}
	var partial []string
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if b.Text == label {
				return b.CallbackData
			}
			if strings.Contains(b.Text, label) {
				partial = append(partial, b.CallbackData)
			}
		}
	}
	if len(partial) == 1 {
		return partial[0]
	}
	return ""
}

// shownAs is a typed value as the bot writes it back ("1.0310" is 1.031名).
func shownAs(typed, unit string) string {
	v, _ := strconv.ParseFloat(typed, 64)
	return quantity.Format(v, unit)
}

// savedText tells the screen that says the value shown was saved:
// "已保存" for the period's first value of the metric, "已更正 old → new"
// for the others, as every contact of the department reports the same
// metric and period.
func savedText(text, metric, shown string) bool {
	return strings.Contains(text, "✅ 已保存「"+metric+"」= "+shown+"。") ||
		strings.Contains(text, "✅ 已更正「"+metric+"」：") && strings.Contains(text, " → "+shown+"（")
}

func metricUnit(t *testing.T, dept, task, metric string) string {
	plan, err := seeds.Parse(seeds.Huzhou2022())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range plan.Departments {
		for _, tk := range d.Tasks {
			for _, m := range tk.Metrics {
				if d.Name == dept && tk.Title == task && m.Name == metric {
					return m.Unit
				}
			}
		}
	}
	t.Fatalf("no metric %s of %s", metric, dept)
	return ""
}

func isClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// checkReportsStoredOnce reads the reports table: every value a user
// confirmed is there once, by that user, and nothing else; the rows form
// one history, each superseded by the next, the last one current.
func checkReportsStoredOnce(t *testing.T, db string, users []int64, typed [][]string) {
	t.Helper()
	st, err := models.Open(db, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var rows []models.Report
	if err := st.DB().Order("id").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	type want struct {
		user  int64
		value string
	}
	var wanted []want
	for i, vs := range typed {
		for _, v := range vs {
			wanted = append(wanted, want{users[i], v})
		}
	}
	for _, w := range wanted {
		v, _ := strconv.ParseFloat(w.value, 64)
		var found []models.Report
		for _, r := range rows {
			if math.Abs(r.Value-v) < 1e-9 {
				found = append(found, r)
			}
		}
		switch {
		case len(found) == 0:
			t.Errorf("user %d confirmed %s (and saw it saved): not in the reports table", w.user, w.value)
		case len(found) > 1:
			t.Errorf("user %d confirmed %s once: stored %d times (report ids %v)", w.user, w.value, len(found), reportIDs(found))
		case found[0].ReporterID != w.user:
			t.Errorf("value %s: stored as reported by %d, typed by %d", w.value, found[0].ReporterID, w.user)
		}
	}
	if len(rows) != len(wanted) {
		t.Errorf("reports table: %d rows, want %d (one per confirm)", len(rows), len(wanted))
	}
	for i, r := range rows {
		if r.MetricID != rows[0].MetricID || r.Period != rows[0].Period {
			t.Errorf("report %d: metric %d period %s, want %d %s as the first", r.ID, r.MetricID, r.Period, rows[0].MetricID, rows[0].Period)
		}
		last := i == len(rows)-1
		switch {
		case last && r.SupersededAt != nil:
			t.Errorf("the last report %d (%v) is superseded: no current value", r.ID, r.Value)
		case !last && (r.SupersededByID == nil || *r.SupersededByID != rows[i+1].ID):
			t.Errorf("report %d (%v) is superseded by %v, want by the next one, %d: not one history", r.ID, r.Value, r.SupersededByID, rows[i+1].ID)
		}
	}
}

func reportIDs(rs []models.Report) []uint {
	ids := make([]uint, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	return ids
}

// checkSavedScreens reads the fake's calls: every confirm was followed by
// the screen saying its value was saved, in the user's chat.
func checkSavedScreens(t *testing.T, srv *telegramtest.Server, users []int64, typed [][]string, metric, unit string) {
	t.Helper()
	doubled := 0
	for i, u := range users {
		sent := srv.Sent(u)
		for _, v := range typed[i] {
			n := 0
			for _, c := range sent {
				if savedText(c.Form.Get("text"), metric, shownAs(v, unit)) {
					n++
				}
			}
			if n == 0 {
				t.Errorf("user %d confirmed %s: no screen said it was saved", u, v)
			}
			doubled += max(n-1, 0)
		}
	}
	t.Logf("saved screens shown more than once: %d", doubled)
}

// checkNothingUnhandled opens the journal and the inbox table after the
// last bot stopped cleanly: neither holds an update not handled.
func checkNothingUnhandled(t *testing.T, db string) {
	t.Helper()
	j, err := inbox.OpenJournal(db+journalSuffix, nil)
	if err != nil {
		t.Fatal(err)
	}
	pending, err := j.PendingInbox(context.Background())
	_ = j.Close()
	if err != nil || len(pending) != 0 {
		ids := make([]int64, len(pending))
		for i, p := range pending {
			ids[i] = p.UpdateID
		}
		t.Errorf("journal: %d updates unhandled after a clean stop (%v): update ids %v", len(pending), err, ids)
	}
	st, err := models.Open(db, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if rows, err := st.PendingInbox(context.Background()); err != nil || len(rows) != 0 {
		t.Errorf("inbox table: %d updates unhandled (%v)", len(rows), err)
	}
}

// killedBots is the succession of `duban serve` processes, one per life,
// each logging to life-N.log in dir.
type killedBots struct {
	t     *testing.T
	dir   string
	vars  map[string]string
	start time.Time

	mu   sync.Mutex
	cur  *exec.Cmd
	logs []string
	done bool // cur was waited for
}

// launch starts the next life; it does not wait for it to poll.
func (k *killedBots) launch() {
	k.mu.Lock()
	defer k.mu.Unlock()
	path := filepath.Join(k.dir, fmt.Sprintf("life-%d.log", len(k.logs)+1))
	f, err := os.Create(path)
	if err != nil {
		k.t.Error(err)
		return
	}
	defer f.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = []string{serveChildEnv + "=duban", "PATH=" + os.Getenv("PATH")}
	for key, v := range k.vars {
		cmd.Env = append(cmd.Env, key+"="+v)
	}
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		k.t.Error(err)
		return
	}
	k.cur, k.done, k.logs = cmd, false, append(k.logs, path)
}

// kill sends SIGKILL to the current life and reaps it; it returns when,
// since the test began.
func (k *killedBots) kill() time.Duration {
	k.mu.Lock()
	defer k.mu.Unlock()
	at := time.Since(k.start).Round(10 * time.Millisecond)
	if k.cur != nil && !k.done {
		_ = k.cur.Process.Signal(syscall.SIGKILL)
		_ = k.cur.Wait()
		k.done = true
	}
	return at
}

// terminate stops the current life with SIGTERM, as an operator does, and
// returns how it ended.
func (k *killedBots) terminate() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.cur == nil || k.done {
		return errors.New("no bot running")
	}
	_ = k.cur.Process.Signal(syscall.SIGTERM)
	waited := make(chan error, 1)
	go func() { waited <- k.cur.Wait() }()
	select {
	case err := <-waited:
		k.done = true
		return err
	case <-time.After(30 * time.Second):
		_ = k.cur.Process.Signal(syscall.SIGKILL)
		<-waited
		k.done = true
		return errors.New("did not stop within 30 s of SIGTERM")
	}
}

func (k *killedBots) stop() {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.cur != nil && !k.done {
		_ = k.cur.Process.Signal(syscall.SIGKILL)
		_ = k.cur.Wait()
		k.done = true
	}
}

func (k *killedBots) lives() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.logs)
}

// startupCounts sums, over the lives, the updates replayed from the
// journal and the owed screens sent at start.
func (k *killedBots) startupCounts() (replayed, owed int) {
	k.each(func(_ int, line string) {
		var rec struct {
			Msg   string `json:"msg"`
			Count int    `json:"count"`
		}
		if json.Unmarshal([]byte(line), &rec) != nil {
			return
		}
		switch rec.Msg {
		case "handling updates left from the last run":
			replayed += rec.Count
		case "sent replies owed from the last run":
			owed += rec.Count
		}
	})
	return replayed, owed
}

func (k *killedBots) grep(s string) int {
	n := 0
	k.each(func(_ int, line string) {
		if strings.Contains(line, s) {
			n++
		}
	})
	return n
}

func (k *killedBots) each(fn func(life int, line string)) {
	k.mu.Lock()
	logs := slices.Clone(k.logs)
	k.mu.Unlock()
	for i, path := range logs {
		f, err := os.Open(path)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			fn(i+1, sc.Text())
		}
		f.Close()
	}
}

// dumpLogs prints every life's warnings and errors and the tail of the
// last two lives.
func (k *killedBots) dumpLogs() {
	k.each(func(life int, line string) {
		if strings.Contains(line, `"level":"WARN"`) || strings.Contains(line, `"level":"ERROR"`) || !strings.HasPrefix(line, "{") {
			k.t.Logf("life %d: %s", life, line)
		}
	})
	k.mu.Lock()
	logs := slices.Clone(k.logs)
	k.mu.Unlock()
	for i := max(len(logs)-2, 0); i < len(logs); i++ {
		data, _ := os.ReadFile(logs[i])
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		k.t.Logf("tail of life %d (%s):\n%s", i+1, logs[i], strings.Join(lines[max(len(lines)-40, 0):], "\n"))
	}
}

// killChatCalls lists what the bot sent, edited and answered in chat,
// one call a line, for a failure's report.
func killChatCalls(srv *telegramtest.Server, chat int64) string {
	id := strconv.FormatInt(chat, 10)
	var b strings.Builder
	for _, c := range srv.Calls("") {
		mine := c.Form.Get("chat_id") == id || strings.HasPrefix(c.Form.Get("callback_query_id"), id+"-")
		if !mine {
			continue
		}
		text := []rune(strings.ReplaceAll(c.Form.Get("text"), "\n", " "))
		fmt.Fprintf(&b, "  %s %s msg=%d status=%d %q %s\n", c.At.Format("15:04:05.000"), c.Method, c.MessageID, c.Status,
			string(text[:min(len(text), 60)]), c.Description)
	}
	return b.String()
}

// dumpUser prints the bots' log lines that name user.
func (k *killedBots) dumpUser(user int64) {
	id := strconv.FormatInt(user, 10)
	k.each(func(life int, line string) {
		if strings.Contains(line, id) {
			k.t.Logf("life %d: %s", life, line)
		}
	})
}

// keepLogs copies every life's log to dir (DUBAN_KILL_LOGS), which
// t.TempDir would remove.
func (k *killedBots) keepLogs(dir string) {
	k.mu.Lock()
	logs := slices.Clone(k.logs)
	k.mu.Unlock()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		k.t.Log(err)
		return
	}
	for _, path := range logs {
		if data, err := os.ReadFile(path); err == nil {
			_ = os.WriteFile(filepath.Join(dir, filepath.Base(path)), data, 0o644)
		}
	}
}
