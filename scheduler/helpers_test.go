package scheduler

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/duban-bot/duban/calendar"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/seeds"
	"github.com/duban-bot/duban/telegramtest"
)

// Chats of the test world.
const (
	coordinatorChat int64 = 9001
	groupChat       int64 = -100
)

// The departments of the real 2022 plan the scenarios use.
const (
	fgw = "市发展改革委"
	jxj = "市经信局"
	czj = "市财政局"
)

// world is a database seeded with the real 2022 plan, a fake clock and the
// holiday calendar: what a restarted or second replica shares.
type world struct {
	t     *testing.T
	ctx   context.Context
	dsn   string
	st    *models.Store
	clk   *telegramtest.Clock
	cal   *calendar.Calendar
	loc   *time.Location
	depts map[string]models.Department
}

func newWorld(t *testing.T) *world {
	t.Helper()
	sched, err := calendar.Schedule{}.Normalized()
	if err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, ctx: context.Background(), dsn: filepath.Join(t.TempDir(), "duban.db"),
		clk: telegramtest.NewClock(time.Date(2022, 4, 1, 0, 0, 0, 0, sched.Loc)), cal: cal, loc: sched.Loc}
	w.st = w.open()
	plan, err := seeds.Parse(seeds.Huzhou2022())
	if err != nil {
		t.Fatal(err)
	}
	if err := seeds.Load(w.ctx, w.st, plan); err != nil {
		t.Fatal(err)
	}
	depts, err := w.st.Plan(w.ctx, 2022)
	if err != nil {
		t.Fatal(err)
	}
	w.depts = map[string]models.Department{}
	for _, d := range depts {
		w.depts[d.Name] = d
	}
	return w
}

// open opens another connection pool on the world's database, as a second
// replica would.
func (w *world) open() *models.Store {
	w.t.Helper()
	st, err := models.Open(w.dsn, models.Options{Now: w.clk.Now})
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() { st.Close() })
	return st
}

// at reads "2022-05-18 09:00" in Asia/Shanghai.
func (w *world) at(s string) time.Time {
	w.t.Helper()
	tm, err := time.ParseInLocation("2006-01-02 15:04", s, w.loc)
	if err != nil {
		w.t.Fatal(err)
	}
	return tm
}

func (w *world) dept(name string) models.Department {
	w.t.Helper()
	d, ok := w.depts[name]
	if !ok {
		w.t.Fatalf("no department %s in the plan", name)
	}
	return d
}

// bind saves a contact; dept "" binds a coordinator.
func (w *world) bind(id int64, name, role, dept string) {
	w.t.Helper()
	c := models.Contact{TelegramID: id, Name: name, Role: role}
	if dept != "" {
		d := w.dept(dept).ID
		c.DepartmentID = &d
	}
	if err := w.st.SaveContact(w.ctx, &c); err != nil {
		w.t.Fatal(err)
	}
}

// leave puts a contact on leave for the days from..to, both included.
func (w *world) leave(id int64, from, to string) {
	w.t.Helper()
	f, u := w.at(from+" 00:00"), w.at(to+" 00:00")
	if err := w.st.SetLeave(w.ctx, id, &f, &u); err != nil {
		w.t.Fatal(err)
	}
}

// report files a value for the first n active metrics of dept (all when n < 0).
func (w *world) report(dept, period string, n int) {
	w.t.Helper()
	filed := 0
	for _, task := range w.dept(dept).Tasks {
		for _, m := range task.Metrics {
			if n >= 0 && filed == n {
				return
			}
			r := models.Report{MetricID: m.ID, Period: period, Value: 1, ReporterID: 1}
			if err := w.st.SaveReport(w.ctx, &r); err != nil {
				w.t.Fatal(err)
			}
			filed++
		}
	}
}

func (w *world) metrics(dept string) int {
	n := 0
	for _, task := range w.dept(dept).Tasks {
		n += len(task.Metrics)
	}
	return n
}

type schedOption func(*Options)

func withGroup(chat int64) schedOption             { return func(o *Options) { o.GroupChat = chat } }
func withSchedule(s calendar.Schedule) schedOption { return func(o *Options) { o.Schedule = s } }
func withLog(l *slog.Logger) schedOption           { return func(o *Options) { o.Log = l } }

// scheduler starts a scheduler, as a process start would, on st (the
// world's store when nil).
func (w *world) scheduler(st *models.Store, r Renderer, opts ...schedOption) *Scheduler {
	w.t.Helper()
	if st == nil {
		st = w.st
	}
	if r == nil {
		r = PlainRenderer{}
	}
	o := Options{Now: w.clk.Now, Calendar: w.cal, GroupChat: groupChat}
	for _, f := range opts {
		f(&o)
	}
	s, err := New(st, r, o)
	if err != nil {
		w.t.Fatal(err)
	}
	return s
}

// interesting are the times of day the walks tick at: midnight, around the
// rung and digest clock, noon, around the deadline clock, late evening.
var interesting = []time.Duration{0, 8*time.Hour + 59*time.Minute, 9 * time.Hour, 9*time.Hour + time.Minute,
	13 * time.Hour, 17 * time.Hour, 17*time.Hour + time.Minute, 23 * time.Hour}

// walk ticks every scheduler, concurrently, at each interesting instant of
// [from, to); from itself is ticked first, as a process start does.
func (w *world) walk(from, to time.Time, scheds ...*Scheduler) {
	w.t.Helper()
	w.tickAt(from, scheds...)
	for day := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, w.loc); day.Before(to); day = day.AddDate(0, 0, 1) {
		for _, clock := range interesting {
			if at := day.Add(clock); at.After(from) && at.Before(to) {
				w.tickAt(at, scheds...)
			}
		}
	}
}

func (w *world) tickAt(at time.Time, scheds ...*Scheduler) {
	w.t.Helper()
	w.clk.Set(at)
	var wg sync.WaitGroup
	errs := make([]error, len(scheds))
	for i, s := range scheds {
		wg.Go(func() { errs[i] = s.Tick(w.ctx) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			w.t.Fatalf("tick at %s: %v", at.Format(time.DateTime), err)
		}
	}
}

// notices are the sent-log, in id order.
func (w *world) notices() []models.Notice {
	w.t.Helper()
	var ns []models.Notice
	if err := w.st.DB().Order("id").Find(&ns).Error; err != nil {
		w.t.Fatal(err)
	}
	return ns
}

func (w *world) outbox() []models.Outbox {
	w.t.Helper()
	rows, err := w.st.OutboxMessages(w.ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	return rows
}

// sent is one notice as the scenarios state them.
type sent struct {
	dept string // "" for an overdue list or the digest
	rung string
	chat int64
	at   string // when it was issued, 2006-01-02 15:04 in Shanghai
}

func (s sent) String() string { return fmt.Sprintf("%s %s → %d at %s", s.dept, s.rung, s.chat, s.at) }

// sentLog reads the notices in the scenarios' terms, sorted by time, then
// department, rung and chat.
func (w *world) sentLog(filter func(models.Notice) bool) []sent {
	w.t.Helper()
	names := map[uint]string{}
	for name, d := range w.depts {
		names[d.ID] = name
	}
	var out []sent
	for _, n := range w.notices() {
		if filter == nil || filter(n) {
			out = append(out, sent{names[n.DepartmentID], n.Rung, n.ChatID, n.SentAt.In(w.loc).Format("2006-01-02 15:04")})
		}
	}
	sortSent(out)
	return out
}

func sortSent(s []sent) {
	slices.SortFunc(s, func(a, b sent) int {
		return cmp.Or(strings.Compare(a.at, b.at), strings.Compare(a.dept, b.dept),
			strings.Compare(a.rung, b.rung), cmp.Compare(a.chat, b.chat))
	})
}

func diffSent(t *testing.T, got, want []sent) {
	t.Helper()
	sortSent(want)
	if slices.Equal(got, want) {
		return
	}
	var b strings.Builder
	for _, s := range want {
		if !slices.Contains(got, s) {
			fmt.Fprintf(&b, "\n  missing: %s", s)
		}
	}
	for _, s := range got {
		if !slices.Contains(want, s) {
			fmt.Fprintf(&b, "\n  extra:   %s", s)
		}
	}
	if b.Len() == 0 {
		b.WriteString("\n  same notices, sent a different number of times")
	}
	t.Errorf("notices differ:%s\ngot %d: %v", b.String(), len(got), got)
}

// bufLog is a logger tests read back.
type bufLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *bufLog) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *bufLog) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *bufLog) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
