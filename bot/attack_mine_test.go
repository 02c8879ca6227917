package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/duban-bot/duban/seeds"
)

// A large bureau's plan — 24 tasks of 4 metrics, names as long as the
// import allows — is more than one Telegram message can hold. /mine still
// answers, with every task, in as many messages as it takes.
func TestMineOfALargeDepartment(t *testing.T) {
	h := newHarness(t)
	big := seeds.Department{Name: "市大局"}
	for i := 1; i <= 24; i++ {
		tk := seeds.Task{Seq: i, Title: fmt.Sprintf("第%d项重点任务", i) + strings.Repeat("推进", 20), Text: "x"}
		for j := 1; j <= 4; j++ {
			tk.Metrics = append(tk.Metrics, seeds.Metric{Name: fmt.Sprintf("指标%d", j) + strings.Repeat("名", 30),
				Kind: "cumulative", Direction: "at_least", Target: 10, Unit: "家"})
		}
		big.Tasks = append(big.Tasks, tk)
	}
	plan, err := seeds.Parse(seeds.Huzhou2022())
	if err != nil {
		t.Fatal(err)
	}
	plan.Departments = append(plan.Departments, testDepartment(), big)
	if err := seeds.Load(context.Background(), h.st, plan); err != nil {
		t.Fatal(err)
	}
	const user int64 = 2010
	h.addContact(user, "市大局")
	c := h.chat(user)
	before := len(h.srv.Sent(user))
	c.Send("/mine")
	var all strings.Builder
	for _, call := range h.srv.Sent(user)[before:] {
		text := call.Form.Get("text")
		if n := utf8.RuneCountInString(text); n > 4096 {
			t.Errorf("a message of %d characters", n)
		}
		all.WriteString(text)
	}
	for i := 1; i <= 24; i++ {
		if !strings.Contains(all.String(), fmt.Sprintf("第%d项重点任务", i)) {
			t.Fatalf("/mine lacks task %d:\n%.200s", i, all.String())
		}
	}
}
