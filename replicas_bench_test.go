package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/inbox"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/pgtest"
	"github.com/duban-bot/duban/seeds"
	"github.com/duban-bot/duban/telegramtest"
)

// Who reports in BenchmarkWebhookReplicas, and what.
const (
	replicaUsers  = 300
	replicaTask   = "测试任务"
	replicaMetric = "培训人数"
	// replicaNow is the bot's clock: early in January 2022, when no rung
	// of the reminder ladder is due, so the only messages in a chat are
	// the dialog's.
	replicaNow = "2022-01-05T10:00:00+08:00"
	// webhookConns is how many requests Telegram has open to a webhook at
	// most (setWebhook's max_connections, default 40).
	webhookConns = 40
)

// BenchmarkWebhookReplicas (issue 14): reports per second through `duban
// serve` in webhook mode, with 1 replica on SQLite and 1 and 3 replicas
// sharing one PostgreSQL (a schema of DUBAN_TEST_POSTGRES; skipped when it
// is unset). Each replica is `duban serve` in a process of its own (the
// test binary re-executed, see serveChild) on its own listener, against
// the fake Bot API of this process. (Not in one process: replicas name
// their claims by host and pid, so there they would all be one holder and
// each handle every update.) A round-robin hands each update to the next
// replica, as a reverse proxy would, at most 40 at a time, as Telegram
// does. 300 contacts, each of a department of their own (a plan of 300
// departments with one task and one cumulative metric), each file b.N
// full reports (/report, task, metric, typed value, confirm) without
// pause, each step waiting for the bot's answer. (With 50, Telegram's one
// message a second per chat, which the bot keeps, would be the limit: a
// report sends two messages, so 50 users make at most 25 reports/s.)
//
// It reports reports/s, the replicas' CPU per report (all replicas
// together; the database's is not counted), the webhook's non-200 answers
// (each is posted again, as Telegram would), reports missing from the
// database, steps never answered, and ERROR lines in the replicas' logs.
// On a machine of few cores the replicas, PostgreSQL, the fake server and
// the users share them, so more replicas cannot add throughput there; run
// it where the replicas have cores of their own to see them scale.
//
//	go test -run '^$' -bench WebhookReplicas -benchtime 5x .
func BenchmarkWebhookReplicas(b *testing.B) {
	cases := []struct {
		name     string
		postgres bool
		replicas int
	}{
		{"sqlite_1", false, 1},
		{"postgres_1", true, 1},
		{"postgres_3", true, 3},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			db := filepath.Join(b.TempDir(), "duban.db")
			if c.postgres {
				db = pgtest.SchemaDSN(b, "replicas")
			}
			r := startReplicas(b, db, c.replicas)
			b.ResetTimer()
			start, cpu0 := time.Now(), r.cpu(b)
			r.report(b, b.N)
			wall, cpu := time.Since(start), r.cpu(b)-cpu0
			b.StopTimer()
			stored := r.stored(b)
			want := replicaUsers * b.N
			b.ReportMetric(float64(stored)/wall.Seconds(), "reports/s")
			if stored > 0 {
				b.ReportMetric(float64(cpu.Microseconds())/1000/float64(stored), "replica-cpu-ms/report")
			}
			b.ReportMetric(float64(r.refused.Load()), "non200")
			b.ReportMetric(float64(want-stored), "lost")
			b.ReportMetric(float64(r.unanswered.Load()), "unanswered")
			b.ReportMetric(float64(r.logs.errors()), "log_errors")
			b.ReportMetric(0, "ns/op")
			if stored != want || r.unanswered.Load() > 0 {
				b.Errorf("%d of %d reports stored, %d steps unanswered; first errors logged: %s",
					stored, want, r.unanswered.Load(), r.logs.first())
			}
		})
	}
}

// replicas are serve processes sharing db, the fake Bot API they answer
// through, and the users' side of the chats.
type replicas struct {
	db      string
	srv     *telegramtest.Server
	addrs   []string
	next    atomic.Uint64 // round-robin
	posts   chan struct{} // Telegram's connections to the webhook
	pids    []int
	replies *telegramtest.Replies
	logs    *logTally

	refused    atomic.Int64 // webhook answers other than 200
	unanswered atomic.Int64 // steps the bot never answered
}

func startReplicas(b *testing.B, db string, n int) *replicas {
	b.Helper()
	r := &replicas{
		db: db, srv: telegramtest.NewServer(b), logs: &logTally{},
		posts: make(chan struct{}, webhookConns),
	}
	r.load(b)
	users := make([]int64, replicaUsers)
	for i := range users {
		users[i] = replicaUser(i)
	}
	r.replies = telegramtest.NewReplies(r.srv, users)
	for range n {
		addr := listenAddr(b)
		r.addrs = append(r.addrs, addr)
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = []string{
			serveChildEnv + "=duban", "PATH=" + os.Getenv("PATH"), "HOME=" + b.TempDir(),
			"DUBAN_DB=" + db, "TELEGRAM_BOT_TOKEN=" + telegramtest.Token, "TELEGRAM_API_URL=" + r.srv.URL(),
			"DUBAN_ADMINS=9001", "DUBAN_NOW=" + replicaNow, "DUBAN_LISTEN=" + addr,
			"DUBAN_WEBHOOK_URL=https://bot.example.test/tg/hook", "DUBAN_WEBHOOK_SECRET=" + testHookSecret,
		}
		cmd.Stdout, cmd.Stderr = r.logs, r.logs
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		r.pids = append(r.pids, cmd.Process.Pid)
		b.Cleanup(func() {
			// SIGTERM: serve finishes what it holds and exits.
			_ = cmd.Process.Signal(syscall.SIGTERM)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					b.Errorf("serve: %v", err)
				}
			case <-time.After(30 * time.Second):
				_ = cmd.Process.Kill()
				b.Errorf("serve did not stop within 30 s")
			}
		})
	}
	wait, stop := context.WithTimeout(context.Background(), time.Minute)
	defer stop()
	for set := 0; set < n; {
		if _, err := r.srv.WaitFor(wait, func(c telegramtest.Call) bool { return c.Method == "setWebhook" }); err != nil {
			b.Fatalf("%d of %d replicas set the webhook: %v; log: %s", set, n, err, r.logs.first())
		}
		set = len(r.srv.Calls("setWebhook"))
	}
	return r
}

// cpu is the CPU time the replicas' processes used so far, user and
// system; PostgreSQL's is not in it.
func (r *replicas) cpu(b *testing.B) time.Duration {
	var total time.Duration
	for _, pid := range r.pids {
		total += processCPU(b, pid)
	}
	return total
}

func replicaUser(i int) int64 { return 7000 + int64(i) }

func replicaDept(i int) string { return fmt.Sprintf("测试局%03d", i) }

// load migrates the database, loads the plan and binds the contacts.
func (r *replicas) load(b *testing.B) {
	ctx := context.Background()
	st, err := models.Open(r.db, models.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	plan := seeds.Plan{Year: 2022}
	for i := range replicaUsers {
		plan.Departments = append(plan.Departments, seeds.Department{Name: replicaDept(i), Tasks: []seeds.Task{{
			Seq: 1, Title: replicaTask, Text: "培训2万人。",
			Metrics: []seeds.Metric{{Name: replicaMetric, Kind: "cumulative", Direction: "at_least", Target: 2, Unit: "万人"}},
		}}})
	}
	if err := seeds.Load(ctx, st, plan); err != nil {
		b.Fatal(err)
	}
	for i := range replicaUsers {
		d, err := st.DepartmentByName(ctx, replicaDept(i))
		if err != nil {
			b.Fatal(err)
		}
		id := replicaUser(i)
		if err := st.SaveContact(ctx, &models.Contact{TelegramID: id, Role: models.RoleContact, DepartmentID: &d.ID}); err != nil {
			b.Fatal(err)
		}
	}
}

// report has every user file n reports at once, and returns when all are
// done.
func (r *replicas) report(b *testing.B, n int) {
	var values atomic.Int64
	var users sync.WaitGroup
	for i := range replicaUsers {
		users.Go(func() {
			id := replicaUser(i)
			broken := false
			c := r.srv.Chat(id, func(ctx context.Context, u *tgmodels.Update) {
				if !broken && !r.deliver(ctx, id, u) {
					broken = true
				}
			})
			for range n {
				if broken {
					return
				}
				// A new value each time: the same value again within
				// minutes is answered "already saved" and stores nothing.
				v := fmt.Sprintf("%.4f万人", 1+float64(values.Add(1)%9999)/10000)
				c.Send("/report")
				c.Tap(replicaTask)
				c.Tap(replicaMetric)
				c.Send(v)
				c.Tap("确认保存")
			}
		})
	}
	users.Wait()
}

// deliver posts u to the next replica, again (as Telegram does) while it
// is not answered 200, and waits for the bot's answer in the chat. It
// reports false when the bot never answered.
func (r *replicas) deliver(ctx context.Context, chat int64, u *tgmodels.Update) bool {
	body, err := json.Marshal(u)
	if err != nil {
		panic(err)
	}
	for {
		addr := r.addrs[r.next.Add(1)%uint64(len(r.addrs))]
		r.posts <- struct{}{}
		status := postUpdate(ctx, addr, body)
		<-r.posts
		if status == http.StatusOK {
			break
		}
		r.refused.Add(1)
		time.Sleep(100 * time.Millisecond) // real time: Telegram's retry, not a rule under test
	}
	if err := r.replies.Wait(ctx, chat, 30*time.Second); err != nil {
		r.unanswered.Add(1)
		return false
	}
	return true
}

func postUpdate(ctx context.Context, addr string, body []byte) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+"/tg/hook", bytes.NewReader(body))
	if err != nil {
		panic(err)
	}
	req.Header.Set(inbox.SecretHeader, testHookSecret)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// stored counts the reports in the database: every confirm stores one (a
// second one in a period corrects the first, keeping it).
func (r *replicas) stored(b *testing.B) int {
	ctx := context.Background()
	st, err := models.OpenExisting(r.db, models.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	depts, err := st.Plan(ctx, 2022)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, d := range depts {
		for _, t := range d.Tasks {
			for _, m := range t.Metrics {
				hist, err := st.MetricHistory(ctx, m.ID)
				if err != nil {
					b.Fatal(err)
				}
				n += len(hist)
			}
		}
	}
	return n
}

// listenAddr returns a loopback address nobody listens on.
func listenAddr(b *testing.B) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// logTally is the replicas' stderr and stdout: it counts the ERROR lines
// and keeps the first few.
type logTally struct {
	mu     sync.Mutex
	n      int
	firsts []string
}

func (l *logTally) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for line := range strings.Lines(string(p)) {
		if strings.Contains(line, `"level":"ERROR"`) || strings.Contains(line, "level=ERROR") {
			l.n++
			if len(l.firsts) < 3 {
				l.firsts = append(l.firsts, strings.TrimSpace(line))
			}
		}
	}
	return len(p), nil
}

func (l *logTally) errors() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n
}

func (l *logTally) first() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.firsts, " | ")
}
