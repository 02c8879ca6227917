package main

import (
	"testing"
	"time"

	"github.com/duban-bot/duban/calendar"
)

// An operator moves the ladder: blue three working days ahead at 08:30, no
// last call, red two working days after yellow.
func TestLadderSetting(t *testing.T) {
	vars := map[string]string{"DUBAN_LADDER": "blue=3, lastcall=off, red=2, at=08:30, digest=10:00"}
	cfg, err := loadConfig(testEnv(vars), "", time.Now)
	if err != nil {
		t.Fatal(err)
	}
	p, err := cfg.Schedule.PeriodByKey("2022-05")
	if err != nil {
		t.Fatal(err)
	}
	deadline := cfg.Schedule.Deadline(cfg.Calendar, p) // Wed 25 May 17:00
	var got []string
	for _, r := range cfg.Schedule.Ladder(cfg.Calendar, deadline) {
		got = append(got, string(r.Rung)+" "+r.At.In(cfg.Loc).Format("01-02 15:04"))
	}
	want := []string{"blue 05-20 08:30", "yellow 05-26 08:30", "red 05-30 08:30"}
	if len(got) != len(want) {
		t.Fatalf("ladder = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("rung %d = %s, want %s", i, got[i], want[i])
		}
	}
	monday := cfg.Schedule.DigestTimes(deadline, deadline.AddDate(0, 0, 7))
	if len(monday) != 1 || monday[0].In(cfg.Loc).Format("01-02 15:04") != "05-30 10:00" {
		t.Errorf("digest times = %v", monday)
	}
	if !cfg.Schedule.Off.Has(calendar.RungLastCall) || cfg.Schedule.Off.Has(calendar.RungBlue) {
		t.Errorf("off = %b", cfg.Schedule.Off)
	}
}
