package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/duban-bot/duban/telegramtest"
)

// `duban serve` started on the morning of the blue rung sends the 市科协
// contact the reminder through the outbox; running the ladder again for the
// same instant afterwards queues nothing.
func TestServeSendsTheDueReminderOnce(t *testing.T) {
	srv := telegramtest.NewServer(t)
	vars := map[string]string{
		"DUBAN_DB": filepath.Join(t.TempDir(), "duban.db"), "TELEGRAM_BOT_TOKEN": telegramtest.Token,
		"TELEGRAM_API_URL": srv.URL(), "DUBAN_ADMINS": "9001", "DUBAN_NOW": "2022-05-18T09:30:00+08:00",
	}
	if _, err := runCmd(t, vars, "seed"); err != nil {
		t.Fatal(err)
	}
	if _, err := runCmd(t, vars, "contact", "add", "--dept", "市科协", "--telegram-id", "42", "--name", "王芳"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, testEnv(vars), &bytes.Buffer{}, &bytes.Buffer{}) }()
	wait, stop := context.WithTimeout(context.Background(), 30*time.Second)
	defer stop()
	call, err := srv.WaitFor(wait, func(c telegramtest.Call) bool {
		return c.Method == "sendMessage" && c.Form.Get("chat_id") == "42" && c.Status == 200
	})
	if err != nil {
		t.Fatal(err)
	}
	mustHave(t, call.Form.Get("text"), "🔵【督办提醒】「市科协」2022-05 期")
	mustHave(t, call.Form.Get("reply_markup"), `"callback_data":"go:report"`)
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("serve returned %v", err)
	}
	out, err := runCmd(t, vars, "remind", "--at", "2022-05-18T09:30:00+08:00")
	if err != nil {
		t.Fatal(err)
	}
	mustHave(t, out, "0 notices queued")
}

// `duban remind --at` queues the rung due then, once; `duban digest`
// prints the Monday digest without sending it.
func TestRemindAndDigestFromTheCommandLine(t *testing.T) {
	vars := map[string]string{"DUBAN_DB": filepath.Join(t.TempDir(), "duban.db"), "DUBAN_GROUP_CHAT": "-100200"}
	if _, err := runCmd(t, vars, "seed"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"42", "43"} {
		dept := map[string]string{"42": "市科协", "43": "市文联"}[id]
		if _, err := runCmd(t, vars, "contact", "add", "--dept", dept, "--telegram-id", id); err != nil {
			t.Fatal(err)
		}
	}
	out, err := runCmd(t, vars, "remind", "--at", "2022-05-18T09:00:00+08:00")
	if err != nil {
		t.Fatal(err)
	}
	mustHave(t, out, "2 notices queued")
	out, err = runCmd(t, vars, "remind", "--at", "2022-05-18T09:00:00+08:00")
	if err != nil {
		t.Fatal(err)
	}
	mustHave(t, out, "0 notices queued")
	out, err = runCmd(t, vars, "digest", "--at", "2022-05-23T09:00:00+08:00")
	if err != nil {
		t.Fatal(err)
	}
	mustHave(t, out, "每周督办通报")
	mustHave(t, out, "市红十字会")
}

func mustHave(t *testing.T, got, want string) {
	t.Helper()
	if !strings.Contains(got, want) {
		t.Fatalf("got %q\nwant it to contain %q", got, want)
	}
}

// With a bot token, `duban remind` sends what it queued, with no serve
// running; a second run queues and sends nothing.
func TestRemindSendsWithAToken(t *testing.T) {
	srv := telegramtest.NewServer(t)
	vars := map[string]string{
		"DUBAN_DB": filepath.Join(t.TempDir(), "duban.db"), "TELEGRAM_BOT_TOKEN": telegramtest.Token,
		"TELEGRAM_API_URL": srv.URL(), "DUBAN_NOW": "2022-05-26T09:05:00+08:00",
	}
	if _, err := runCmd(t, vars, "seed"); err != nil {
		t.Fatal(err)
	}
	if _, err := runCmd(t, vars, "contact", "add", "--dept", "市科协", "--telegram-id", "42"); err != nil {
		t.Fatal(err)
	}
	out, err := runCmd(t, vars, "remind")
	if err != nil {
		t.Fatal(err)
	}
	mustHave(t, out, "1 notices queued")
	mustHave(t, out, "sent 1,")
	sent := srv.Sent(42)
	if len(sent) != 1 {
		t.Fatalf("contact got %d messages, want the yellow notice", len(sent))
	}
	mustHave(t, sent[0].Form.Get("text"), "🟡【黄色督办】「市科协」")
	out, err = runCmd(t, vars, "remind")
	if err != nil {
		t.Fatal(err)
	}
	mustHave(t, out, "0 notices queued")
	if len(srv.Sent(42)) != 1 {
		t.Fatal("the second run sent again")
	}
}

// Two replicas in containers with the same hostname, both pid 1, must not
// share a name: each would take the other's claims for its own.
func TestReplicaNamesDifferOnTheSameHostAndPid(t *testing.T) {
	a, b := replicaName("inbox"), replicaName("inbox")
	if a == b {
		t.Fatalf("two replica names in one process are both %q", a)
	}
	if !strings.HasPrefix(a, "inbox@") {
		t.Errorf("name %q does not start with its role", a)
	}
}
