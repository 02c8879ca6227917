package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/duban-bot/duban/plangen"
	"github.com/duban-bot/duban/progress"
)

// A coordinator the night before the June review, with January to May of
// generated reports: /status lists every department with the lights the
// snapshot computes, and the drill-down reaches a metric's history with
// every stored period.
func TestStatusOnAGeneratedYear(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	if _, err := plangen.Fill(ctx, h.st, plangen.History{Periods: 5, Seed: 5, Calendar: h.set.Calendar}); err != nil {
		t.Fatal(err)
	}
	h.clk.Set(at(5, 31, 21))
	snap, err := progress.Build(ctx, h.st, progress.Options{At: h.clk.Now(), Loc: shanghai, Period: "2022-05", Thresholds: progress.DefaultThresholds()})
	if err != nil {
		t.Fatal(err)
	}
	c := h.chat(coordinator)
	c.Send("/status")
	overview := c.LastText()
	for _, d := range snap.Departments {
		line := lineOf(overview, d.Name)
		want := fmt.Sprintf("🟢%d 🟡%d 🔴%d", d.Counts.Green, d.Counts.Yellow, d.Counts.Red)
		if !strings.Contains(strings.ReplaceAll(line, " ", ""), strings.ReplaceAll(want, " ", "")) {
			t.Errorf("%s: line %q lacks %s", d.Name, line, want)
		}
	}
	d, ok := snap.Department("市红十字会")
	if !ok {
		t.Fatal("no 市红十字会")
	}
	task, metric := d.Tasks[0], d.Tasks[0].Metrics[0]
	c.Tap("市红十字会")
	c.Tap(fmt.Sprintf("%d. ", task.Seq))
	c.Tap(metric.Metric.Name)
	history := c.LastText()
	stored, err := h.st.MetricHistory(ctx, metric.Metric.ID)
	if err != nil || len(stored) < 3 {
		t.Fatalf("%s has %d stored values, err %v; the generated year should give several", metric.Metric.Name, len(stored), err)
	}
	for _, r := range stored {
		if !strings.Contains(history, r.Period) {
			t.Errorf("history of %s lacks %s:\n%s", metric.Metric.Name, r.Period, history)
		}
	}
}

// lineOf is the first line of text that mentions name.
func lineOf(text, name string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, name) {
			return l
		}
	}
	return ""
}
