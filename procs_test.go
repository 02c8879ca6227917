package main

import "testing"

func TestSchedulerGetsOneProcessorUnlessTheOperatorSetsGOMAXPROCS(t *testing.T) {
	for _, c := range []struct {
		name, gomaxprocs string
		want             int
	}{
		{"unset: one processor", "", 1},
		{"blank: one processor", "  ", 1},
		{"the operator's 4 stands (the runtime applied it)", "4", 0},
		{"the operator's 1 stands too", "1", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := map[string]string{"GOMAXPROCS": c.gomaxprocs}
			if got := schedulerProcs(func(k string) string { return env[k] }); got != c.want {
				t.Errorf("schedulerProcs with GOMAXPROCS=%q = %d, want %d", c.gomaxprocs, got, c.want)
			}
		})
	}
}
