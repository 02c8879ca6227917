package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/seeds"
	"github.com/duban-bot/duban/telegramtest"
)

// serveChildEnv makes the test binary, re-executed, run a bot of its own
// against TELEGRAM_API_URL until SIGTERM: "duban" runs `duban serve` with
// the environment it was given, "echo" a bare go-telegram/bot bot that
// echoes every message. A bot in a process of its own has its CPU time
// measured alone, apart from the fake Bot API and the simulated users.
const serveChildEnv = "DUBAN_TEST_SERVE_CHILD"

func serveChild(kind string) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if path := os.Getenv("DUBAN_TEST_CHILD_CPUPROFILE"); path != "" {
		// go test -bench ServeVersusEcho with this set profiles the bot.
		if f, err := os.Create(path); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				defer pprof.StopCPUProfile()
			}
		}
	}
	var err error
	switch kind {
	case "duban":
		tuneScheduler(os.Getenv) // as main does
		err = run(ctx, []string{"serve"}, os.Getenv, os.Stdout, os.Stderr)
	case "echo":
		err = runEcho(ctx)
	default:
		err = fmt.Errorf("unknown child %q", kind)
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func runEcho(ctx context.Context) error {
	api, err := tg.New(os.Getenv("TELEGRAM_BOT_TOKEN"), tg.WithServerURL(os.Getenv("TELEGRAM_API_URL")), tg.WithSkipGetMe(),
		tg.WithDefaultHandler(func(ctx context.Context, api *tg.Bot, u *tgmodels.Update) {
			if u.Message != nil {
				_, _ = api.SendMessage(ctx, &tg.SendMessageParams{ChatID: u.Message.Chat.ID, Text: u.Message.Text})
			}
		}))
	if err != nil {
		return err
	}
	api.Start(ctx)
	return nil
}

// benchServeUsers report at once. Telegram allows a bot one message a
// second per chat, which duban keeps (a report sends two: the dialog and
// the read-back), so one contact files at most about a report a second:
// with 50 contacts that, not the bot, was the ceiling (25 reports/s). 500
// contacts leave the ceiling to the bot. The echo bot keeps no such pace.
const benchServeUsers = 500

// BenchmarkServeVersusEcho (issue 11) measures duban as the issue did,
// from outside: `duban serve` runs in a process of its own (the test
// binary re-executed), polling the fake Bot API of this process, where 500
// contacts of 市科协 each file b.N full reports (/report, task, metric,
// typed value, confirm). Then a bare go-telegram/bot echo bot, also in a
// process of its own, answers the same 50 users five messages each per op.
// It prints round trips/s of both, their ratio, and each bot process's
// CPU time per report (five round trips), read from /proc.
//
//	go test -run '^$' -bench ServeVersusEcho -benchtime 20x .
func BenchmarkServeVersusEcho(b *testing.B) {
	n := benchServeUsers
	if v, err := strconv.Atoi(os.Getenv("DUBAN_BENCH_USERS")); err == nil && v > 0 {
		n = v
	}
	users := make([]int64, n)
	for i := range users {
		users[i] = 7000 + int64(i)
	}
	duban := benchServe(b, users)
	echo := benchServeEcho(b, users)
	b.ReportMetric(5*duban.perSec(), "trips/s")
	b.ReportMetric(5*echo.perSec(), "echo-trips/s")
	b.ReportMetric(duban.perSec()/echo.perSec(), "ratio")
	b.ReportMetric(duban.cpuPer(), "cpu-ms/report")
	b.ReportMetric(echo.cpuPer(), "echo-cpu-ms/5trips")
	b.ReportMetric(float64(duban.fake.Microseconds())/1000/float64(duban.reports), "fake-cpu-ms/report")
	b.ReportMetric(float64(echo.fake.Microseconds())/1000/float64(echo.reports), "fake-cpu-ms/echo5")
	b.ReportMetric(duban.peakRSS, "peak-rss-MiB")
	b.ReportMetric(echo.peakRSS, "echo-peak-rss-MiB")
	b.ReportMetric(0, "ns/op")
}

// servePhase is what one bot process did while the users worked.
type servePhase struct {
	reports int
	wall    time.Duration
	cpu     time.Duration // the bot process's user and system time
	fake    time.Duration // this process's: the fake Bot API and the users
	peakRSS float64       // the bot process's peak resident set, MiB
}

func (p servePhase) perSec() float64 { return float64(p.reports) / p.wall.Seconds() }
func (p servePhase) cpuPer() float64 {
	return float64(p.cpu.Microseconds()) / 1000 / float64(p.reports)
}

// benchTarget is a task and a cumulative metric of 市科协 whose button
// labels are unambiguous.
func benchTarget(b testing.TB) (dept, task, metric string) {
	plan, err := seeds.Parse(seeds.Huzhou2022())
	if err != nil {
		b.Fatal(err)
	}
	for _, d := range plan.Departments {
		for _, t := range d.Tasks {
			for _, m := range t.Metrics {
				unique := !slices.ContainsFunc(t.Metrics, func(o seeds.Metric) bool { return o.Name != m.Name && strings.Contains(o.Name, m.Name) })
				if m.Kind == "cumulative" && unique && d.Name == "市科协" {
					return d.Name, t.Title, m.Name
				}
			}
		}
	}
	b.Fatal("no cumulative metric in 市科协")
	return "", "", ""
}

func benchServe(b *testing.B, users []int64) servePhase {
	srv := telegramtest.NewServer(b)
	dept, task, metric := benchTarget(b)
	vars := map[string]string{
		"DUBAN_DB": filepath.Join(b.TempDir(), "duban.db"), "TELEGRAM_BOT_TOKEN": telegramtest.Token,
		"TELEGRAM_API_URL": srv.URL(), "DUBAN_ADMINS": "9001",
		// Early January: no reminder of the year is due yet, and none of the
		// year before (whose plan is not loaded) is owed.
		"DUBAN_NOW": "2022-01-10T10:00:00+08:00",
	}
	if _, err := runCmdB(b, vars, "seed"); err != nil {
		b.Fatal(err)
	}
	bindContacts(b, vars["DUBAN_DB"], dept, users)
	child := startChild(b, srv, "duban", vars)
	var n atomic.Int64
	return driveUsers(b, srv, users, child, func(c *telegramtest.Chat) {
		v := strconv.FormatFloat(1+float64(n.Add(1)%9999)/10000, 'f', 4, 64)
		c.Send("/report")
		c.Tap(task)
		c.Tap(metric)
		c.Send(v)
		c.Tap("确认保存")
	})
}

func benchServeEcho(b *testing.B, users []int64) servePhase {
	srv := telegramtest.NewServer(b)
	child := startChild(b, srv, "echo", map[string]string{"TELEGRAM_BOT_TOKEN": telegramtest.Token, "TELEGRAM_API_URL": srv.URL()})
	return driveUsers(b, srv, users, child, func(c *telegramtest.Chat) {
		for range 5 {
			c.Send("1")
		}
	})
}

// bindContacts binds users as contacts of dept, in one process (`duban
// contact add` 500 times opens the database 500 times).
func bindContacts(b testing.TB, db, dept string, users []int64) {
	st, err := models.Open(db, models.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	d, err := st.DepartmentByName(context.Background(), dept)
	if err != nil {
		b.Fatal(err)
	}
	for _, u := range users {
		if err := st.SaveContact(context.Background(), &models.Contact{TelegramID: u, Role: models.RoleContact, DepartmentID: &d.ID}); err != nil {
			b.Fatal(err)
		}
	}
}

func runCmdB(b testing.TB, vars map[string]string, args ...string) (string, error) {
	var out, errOut strings.Builder
	err := run(context.Background(), args, testEnv(vars), &out, &errOut)
	return out.String(), err
}

// startChild starts a bot process and waits until it polls.
func startChild(b *testing.B, srv *telegramtest.Server, kind string, vars map[string]string) *os.Process {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if bin := os.Getenv("DUBAN_BENCH_BINARY"); bin != "" && kind == "duban" {
		// A built duban binary instead of the test binary: its own RSS.
		cmd = exec.Command(bin, "serve")
	}
	cmd.Env = []string{serveChildEnv + "=" + kind, "PATH=" + os.Getenv("PATH")}
	if p := os.Getenv("DUBAN_TEST_CHILD_CPUPROFILE"); p != "" {
		cmd.Env = append(cmd.Env, "DUBAN_TEST_CHILD_CPUPROFILE="+p+"."+kind)
	}
	for k, v := range vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	})
	wait, stop := context.WithTimeout(context.Background(), 60*time.Second)
	defer stop()
	if err := srv.WaitPolling(wait); err != nil {
		b.Fatal(err)
	}
	return cmd.Process
}

// driveUsers runs every user's b.N reports at once and measures the bot
// process meanwhile.
func driveUsers(b *testing.B, srv *telegramtest.Server, users []int64, bot *os.Process, report func(*telegramtest.Chat)) servePhase {
	rep := telegramtest.NewReplies(srv, users)
	ctx := context.Background()
	cpu0, self0, start := processCPU(b, bot.Pid), processCPU(b, os.Getpid()), time.Now()
	var wg sync.WaitGroup
	for _, u := range users {
		wg.Go(func() {
			c := srv.Chat(u, func(ctx context.Context, upd *tgmodels.Update) {
				upd.ID = 0 // a fresh id from Push, in arrival order
				srv.Push(*upd)
				if err := rep.Wait(ctx, u, 30*time.Second); err != nil {
					panic(err)
				}
			})
			for range b.N {
				report(c)
			}
		})
	}
	wg.Wait()
	_ = ctx
	return servePhase{reports: len(users) * b.N, wall: time.Since(start), cpu: processCPU(b, bot.Pid) - cpu0, fake: processCPU(b, os.Getpid()) - self0, peakRSS: peakRSS(bot.Pid)}
}

// peakRSS is a process's peak resident set in MiB (VmHWM), 0 when /proc
// does not tell. The bot runs as the test binary, whose code is larger
// than duban's: compare with the echo bot's figure.
func peakRSS(pid int) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// processCPU is a process's user and system time so far, from
// /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s).
func processCPU(b *testing.B, pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Skipf("no /proc on this system: %v", err)
	}
	// The command name (field 2) may hold spaces; fields count after it.
	fields := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+2:]))
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		b.Fatalf("read /proc/%d/stat: %v %v", pid, err1, err2)
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond
}
