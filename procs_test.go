package main

import "testing"

func TestPollingGetsOneProcessorUnlessTheOperatorSetsGOMAXPROCS(t *testing.T) {
	for _, c := range []struct {
		name, gomaxprocs, webhook string
		want                      int
	}{
		{"polling, unset: one processor", "", "", 1},
		{"polling, blank: one processor", "  ", "", 1},
		{"the operator's 4 stands (the runtime applied it)", "4", "", 0},
		{"the operator's 1 stands too", "1", "", 0},
		{"webhook mode: the runtime's choice", "", "https://bot.example.test/hook", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := map[string]string{"GOMAXPROCS": c.gomaxprocs, "DUBAN_WEBHOOK_URL": c.webhook}
			if got := schedulerProcs(func(k string) string { return env[k] }); got != c.want {
				t.Errorf("schedulerProcs with GOMAXPROCS=%q DUBAN_WEBHOOK_URL=%q = %d, want %d", c.gomaxprocs, c.webhook, got, c.want)
			}
		})
	}
}
