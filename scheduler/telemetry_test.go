package scheduler

import (
	"sync"
	"testing"
	"time"
)

// tally records what the scheduler reports.
type tally struct {
	mu       sync.Mutex
	rungs    map[string]int
	jobs     map[string]int
	lateness []time.Duration
}

func (t *tally) RemindersIssued(rung string, n int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.rungs[rung] += n
}

func (t *tally) JobRun(job, outcome string, lateness time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.jobs[job+"/"+outcome]++
	if lateness >= 0 {
		t.lateness = append(t.lateness, lateness)
	}
}

// A walk through May 2022 reports as many reminders per rung as the
// sent-log holds (the digest is a notice but no reminder), and runs of
// both jobs.
func TestSchedulerReportsRemindersAndJobs(t *testing.T) {
	w := newWorld(t)
	w.bind(101, "发改联络员", "contact", fgw)
	got := &tally{rungs: map[string]int{}, jobs: map[string]int{}}
	s := w.scheduler(nil, nil, func(o *Options) { o.Telemetry = got })
	w.walk(w.at("2022-05-01 00:00"), w.at("2022-06-01 00:00"), s)

	want := map[string]int{}
	for _, n := range w.notices() {
		if n.Rung != "digest" {
			want[n.Rung]++
		}
	}
	if len(want) == 0 {
		t.Fatal("the walk issued nothing")
	}
	for rung, n := range want {
		if got.rungs[rung] != n {
			t.Errorf("rung %s: reported %d, sent-log has %d", rung, got.rungs[rung], n)
		}
	}
	if len(got.rungs) != len(want) {
		t.Errorf("rungs reported %v, sent-log %v", got.rungs, want)
	}
	if got.jobs["ladder/ok"] == 0 || got.jobs["digest/ok"] == 0 {
		t.Errorf("job runs: %v", got.jobs)
	}
	for _, l := range got.lateness {
		if l > time.Hour {
			t.Errorf("a job ran %v late on a walk that ticks every few hours at most at its time", l)
		}
	}
}
