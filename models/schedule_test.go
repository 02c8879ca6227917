package models_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/duban-bot/duban/models"
)

var t0 = time.Date(2022, 5, 18, 1, 0, 0, 0, time.UTC)

// TestScheduleStore runs the job, notice, extension and outbox cases on
// SQLite, and on PostgreSQL when DUBAN_TEST_POSTGRES is set.
func TestScheduleStore(t *testing.T) {
	backends := map[string]opener{"sqlite": openSQLite}
	if os.Getenv("DUBAN_TEST_POSTGRES") != "" {
		backends["postgres"] = openPostgres
	}
	cases := map[string]func(t *testing.T, st *models.Store){
		"a job lease goes to one holder until it expires": testJobLease,
		"a notice is issued once per key":                 testNoticeOnce,
		"an extension is decided once":                    testExtensionDecision,
		"a duplicate dedup key is skipped":                testEnqueueDedup,
		"claims keep chat order and expire":               testClaimOutbox,
		"a sent message stays sent":                       testSentStaysSent,
	}
	for name, open := range backends {
		for cname, fn := range cases {
			t.Run(name+"/"+cname, func(t *testing.T) {
				fn(t, open(t, func() time.Time { return t0 }))
			})
		}
	}
}

func testJobLease(t *testing.T, st *models.Store) {
	ctx := context.Background()
	steps := []struct {
		holder string
		at     time.Time
		want   bool
	}{
		{"a", t0, true},
		{"b", t0.Add(30 * time.Second), false}, // a holds it
		{"a", t0.Add(30 * time.Second), true},  // a renews
		{"b", t0.Add(91 * time.Second), true},  // a's renewed lease ran out
	}
	for i, s := range steps {
		got, err := st.ClaimJob(ctx, "remind", s.holder, s.at, time.Minute)
		if err != nil || got != s.want {
			t.Fatalf("step %d: claim by %s = %v, %v; want %v", i, s.holder, got, err, s.want)
		}
	}
	if err := st.SetJobNext(ctx, "remind", "a", t0.Add(time.Hour)); !errors.Is(err, models.ErrConflict) {
		t.Fatalf("set next by a lost lease: %v, want ErrConflict", err)
	}
	if err := st.SetJobNext(ctx, "remind", "b", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if ok, _ := st.ClaimJob(ctx, "remind", "c", t0.Add(92*time.Second), time.Minute); !ok {
		t.Fatal("a released lease should be claimable at once")
	}
	j, err := st.JobState(ctx, "remind")
	if err != nil || !j.NextRunAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("job = %+v, %v", j, err)
	}
}

func testNoticeOnce(t *testing.T, st *models.Store) {
	ctx := context.Background()
	n := models.Notice{DepartmentID: 3, Period: "2022-05", Rung: "blue", ChatID: 42, Audience: "contact"}
	first, err := st.IssueNotice(ctx, &n)
	if err != nil || !first || n.ID == 0 {
		t.Fatalf("first issue = %v, %v, id %d", first, err, n.ID)
	}
	again := n
	if dup, err := st.IssueNotice(ctx, &again); err != nil || dup {
		t.Fatalf("second issue = %v, %v; want false, nil", dup, err)
	}
	other := models.Notice{DepartmentID: 3, Period: "2022-05", Rung: "blue", ChatID: 42, Round: 7}
	if ok, err := st.IssueNotice(ctx, &other); err != nil || !ok {
		t.Fatalf("an extension round is a new key: %v, %v", ok, err)
	}
	issued, err := st.IssuedRungs(ctx, "2022-05")
	if err != nil || !issued[models.RungKey(3, "blue", 0)] || !issued[models.RungKey(3, "blue", 7)] || len(issued) != 2 {
		t.Fatalf("issued = %v, %v", issued, err)
	}
	acked, err := st.AckNotice(ctx, n.ID, 42, t0.Add(time.Minute))
	if err != nil || acked.AckedBy != 42 || acked.AckedAt == nil {
		t.Fatalf("ack = %+v, %v", acked, err)
	}
	if acked, _ = st.AckNotice(ctx, n.ID, 43, t0.Add(time.Hour)); acked.AckedBy != 42 {
		t.Fatalf("a second ack replaced the first: by %d", acked.AckedBy)
	}
}

func testExtensionDecision(t *testing.T, st *models.Store) {
	ctx := context.Background()
	until := time.Date(2022, 6, 10, 9, 0, 0, 0, time.UTC)
	e := models.Extension{DepartmentID: 3, Period: "2022-05", RequestedBy: 42, Until: until, Reason: "数据未出"}
	if err := st.RequestExtension(ctx, &e); err != nil {
		t.Fatal(err)
	}
	dup := models.Extension{DepartmentID: 3, Period: "2022-05", RequestedBy: 42, Until: until}
	if err := st.RequestExtension(ctx, &dup); !errors.Is(err, models.ErrConflict) {
		t.Fatalf("second pending request: %v, want ErrConflict", err)
	}
	if _, err := st.ActiveExtension(ctx, 3, "2022-05"); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("pending counts as active: %v", err)
	}
	got, err := st.DecideExtension(ctx, e.ID, true, 7, t0)
	if err != nil || got.Status != models.ExtensionApproved || got.DecidedBy != 7 {
		t.Fatalf("approve = %+v, %v", got, err)
	}
	if _, err := st.DecideExtension(ctx, e.ID, false, 8, t0); !errors.Is(err, models.ErrConflict) {
		t.Fatalf("second decision: %v, want ErrConflict", err)
	}
	active, err := st.ActiveExtension(ctx, 3, "2022-05")
	if err != nil || !active.Until.Equal(until) {
		t.Fatalf("active = %+v, %v", active, err)
	}
	byPeriod, err := st.ApprovedExtensions(ctx, []string{"2022-05", "2022-06"})
	if err != nil || byPeriod["2022-05"][3].ID != e.ID || len(byPeriod) != 1 {
		t.Fatalf("approved = %v, %v", byPeriod, err)
	}
	periods, err := st.ExtendedPeriods(ctx, until.Add(-time.Hour))
	if err != nil || len(periods) != 1 || periods[0] != "2022-05" {
		t.Fatalf("extended periods = %v, %v", periods, err)
	}
	if periods, _ = st.ExtendedPeriods(ctx, until.Add(time.Hour)); len(periods) != 0 {
		t.Fatalf("an ended extension still listed: %v", periods)
	}
}

func testEnqueueDedup(t *testing.T, st *models.Store) {
	ctx := context.Background()
	n, err := st.Enqueue(ctx,
		models.OutboxMessage{ChatID: 1, Text: "a", DedupKey: "k1"},
		models.OutboxMessage{ChatID: 1, Text: "a again", DedupKey: "k1"},
		models.OutboxMessage{ChatID: 2, Text: "no key"},
		models.OutboxMessage{ChatID: 2, Text: "no key either"},
	)
	if err != nil || n != 3 {
		t.Fatalf("enqueue = %d, %v; want 3", n, err)
	}
	if n, _ = st.Enqueue(ctx, models.OutboxMessage{ChatID: 1, Text: "later", DedupKey: "k1"}); n != 0 {
		t.Fatalf("a later duplicate was stored")
	}
}

func testClaimOutbox(t *testing.T, st *models.Store) {
	ctx := context.Background()
	st.Enqueue(ctx,
		models.OutboxMessage{ChatID: 1, Text: "1a"},
		models.OutboxMessage{ChatID: 1, Text: "1b"},
		models.OutboxMessage{ChatID: 2, Text: "2a", NotBefore: t0.Add(time.Hour)},
		models.OutboxMessage{ChatID: 2, Text: "2b"}, // waits behind 2a
		models.OutboxMessage{ChatID: 3, Text: "3a"},
	)
	rows, err := st.ClaimOutbox(ctx, "s1", t0, 10, time.Minute)
	if got := texts(rows); err != nil || got != "1a 1b 3a" {
		t.Fatalf("claim = %q, %v; want 1a 1b 3a", got, err)
	}
	if rows, _ = st.ClaimOutbox(ctx, "s2", t0.Add(30*time.Second), 10, time.Minute); len(rows) != 0 {
		t.Fatalf("s2 claimed held rows: %q", texts(rows))
	}
	st.MarkRetry(ctx, rows0(t, st, "1a"), t0.Add(2*time.Minute), "429")
	st.MarkSent(ctx, rows0(t, st, "3a"), 99, t0)
	// 1b's claim expired at t0+1m; 1a waits until t0+2m, so 1b must wait too.
	if rows, _ = st.ClaimOutbox(ctx, "s2", t0.Add(90*time.Second), 10, time.Minute); len(rows) != 0 {
		t.Fatalf("claimed out of chat order: %q", texts(rows))
	}
	rows, _ = st.ClaimOutbox(ctx, "s2", t0.Add(2*time.Minute), 10, time.Minute)
	if got := texts(rows); got != "1a 1b" || rows[0].Attempts != 1 {
		t.Fatalf("after retry: %q (attempts %d), want 1a 1b", got, rows[0].Attempts)
	}
	for _, r := range rows {
		st.MarkSent(ctx, r.ID, 1, t0)
	}
	rows, _ = st.ClaimOutbox(ctx, "s3", t0.Add(2*time.Hour), 10, time.Minute)
	if got := texts(rows); got != "2a 2b" {
		t.Fatalf("later: %q, want 2a 2b", got)
	}
}

func testSentStaysSent(t *testing.T, st *models.Store) {
	ctx := context.Background()
	st.Enqueue(ctx, models.OutboxMessage{ChatID: 1, Text: "x"})
	rows, _ := st.ClaimOutbox(ctx, "s1", t0, 1, time.Minute)
	if len(rows) != 1 {
		t.Fatal("nothing claimed")
	}
	if err := st.MarkSent(ctx, rows[0].ID, 5, t0); err != nil {
		t.Fatal(err)
	}
	if err := st.MarkRetry(ctx, rows[0].ID, t0, "late timeout"); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("retry after sent: %v, want ErrNotFound", err)
	}
	if rows, _ = st.ClaimOutbox(ctx, "s2", t0.Add(time.Hour), 10, time.Minute); len(rows) != 0 {
		t.Fatal("a sent message was claimed again")
	}
}

// TestClaimOutboxConcurrent has four senders claim at once from 50 chats
// of three messages each, never finishing a send: every row goes to at most
// one sender, and each chat's claimed messages are a prefix of its queue
// held by one sender, so no chat can receive its messages out of order.
func TestClaimOutboxConcurrent(t *testing.T) {
	backends := map[string]opener{"sqlite": openSQLite}
	if os.Getenv("DUBAN_TEST_POSTGRES") != "" {
		backends["postgres"] = openPostgres
	}
	for name, open := range backends {
		t.Run(name, func(t *testing.T) { testClaimConcurrent(t, open(t, func() time.Time { return t0 })) })
	}
}

func testClaimConcurrent(t *testing.T, st *models.Store) {
	ctx := context.Background()
	for chat := range 50 {
		for n := range 3 {
			if _, err := st.Enqueue(ctx, models.OutboxMessage{ChatID: int64(chat), Text: fmt.Sprint(n)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	var mu sync.Mutex
	holder := map[uint]string{}
	var wg sync.WaitGroup
	for _, h := range []string{"a", "b", "c", "d"} {
		wg.Go(func() {
			for {
				rows, err := st.ClaimOutbox(ctx, h, t0, 7, time.Minute)
				if err != nil || len(rows) == 0 {
					if err != nil {
						t.Error(err)
					}
					return
				}
				mu.Lock()
				for _, r := range rows {
					if prev, dup := holder[r.ID]; dup {
						t.Errorf("row %d claimed by %s and %s", r.ID, prev, h)
					}
					holder[r.ID] = h
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	all, err := st.OutboxMessages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byChat := map[int64][]models.Outbox{}
	for _, r := range all {
		byChat[r.ChatID] = append(byChat[r.ChatID], r)
	}
	for chat, rows := range byChat {
		first := holder[rows[0].ID]
		if first == "" {
			t.Errorf("chat %d: its first message was never claimed", chat)
		}
		for i, r := range rows[1:] {
			if h := holder[r.ID]; h != "" && (h != first || holder[rows[i].ID] == "") {
				t.Errorf("chat %d: message %d held by %q after one held by %q", chat, i+2, h, holder[rows[i].ID])
			}
		}
	}
}

func texts(rows []models.Outbox) string {
	s := ""
	for i, r := range rows {
		if i > 0 {
			s += " "
		}
		s += r.Text
	}
	return s
}

func rows0(t *testing.T, st *models.Store, text string) uint {
	rows, err := st.OutboxMessages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Text == text {
			return r.ID
		}
	}
	t.Fatalf("no message %q", text)
	return 0
}
