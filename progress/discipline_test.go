package progress_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/duban-bot/duban/calendar"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/plangen"
	"github.com/duban-bot/duban/progress"
)

var shanghai = time.FixedZone("CST", 8*60*60)

func cst(month time.Month, day, hour, minute int) time.Time {
	return time.Date(2022, month, day, hour, minute, 0, 0, shanghai)
}

func TestJudge(t *testing.T) {
	deadline := cst(5, 25, 17, 0)
	tests := []struct {
		name               string
		expected, reported int
		completed, at      time.Time
		want               progress.Standing
	}{
		{"all in two days early, judged later", 5, 5, cst(5, 23, 10, 0), cst(6, 1, 9, 0), progress.OnTime},
		{"all in exactly at the deadline", 5, 5, deadline, cst(6, 1, 9, 0), progress.OnTime},
		{"all in a minute after the deadline", 5, 5, cst(5, 25, 17, 1), cst(6, 1, 9, 0), progress.Late},
		{"complete before the deadline has passed", 5, 5, cst(5, 20, 9, 0), cst(5, 21, 9, 0), progress.OnTime},
		{"four of five, deadline ahead", 5, 4, cst(5, 20, 9, 0), cst(5, 21, 9, 0), progress.Pending},
		{"four of five, deadline passed", 5, 4, cst(5, 20, 9, 0), cst(5, 25, 17, 1), progress.Missed},
		{"nothing, judged at the deadline itself", 5, 0, time.Time{}, deadline, progress.Pending},
		{"nothing, deadline passed", 5, 0, time.Time{}, cst(5, 26, 9, 0), progress.Missed},
		{"no metrics to report", 0, 0, time.Time{}, cst(6, 1, 9, 0), progress.OnTime},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := progress.Judge(tt.expected, tt.reported, tt.completed, deadline, tt.at)
			if got != tt.want {
				t.Errorf("Judge = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestStandingNames(t *testing.T) {
	for s, want := range map[progress.Standing][2]string{
		progress.Pending: {"pending", "未到期"}, progress.OnTime: {"on_time", "按时报送"},
		progress.Late: {"late", "逾期报送"}, progress.Missed: {"missed", "未报送"},
	} {
		if s.String() != want[0] || s.Label() != want[1] {
			t.Errorf("%d: %q %q, want %q %q", int(s), s.String(), s.Label(), want[0], want[1])
		}
	}
}

// completionStub answers PeriodCompletion from fixed rows and records what
// it was asked.
type completionStub struct {
	rows    []models.DeptPeriodRow
	periods []string
	asOf    time.Time
}

func (c *completionStub) PeriodCompletion(_ context.Context, periods []string, asOf time.Time) ([]models.DeptPeriodRow, error) {
	c.periods, c.asOf = periods, asOf
	return c.rows, nil
}

func TestBuildDiscipline(t *testing.T) {
	// Three departments of two metrics each, judged on 10 March 2022: January
	// and February are due (25 Jan and 25 Feb, 17:00), March is not yet.
	at := cst(3, 10, 12, 0)
	snap := progress.Snapshot{Year: 2022, At: at, Departments: []progress.DepartmentStatus{
		{ID: 1, Name: "市科协", Counts: progress.Counts{Green: 2}},
		{ID: 2, Name: "市民政局", Counts: progress.Counts{Green: 2}},
		{ID: 3, Name: "市红十字会", Counts: progress.Counts{Grey: 2}},
	}}
	stub := &completionStub{rows: []models.DeptPeriodRow{
		{DepartmentID: 1, Period: "2022-01", Reported: 2, CompletedAt: cst(1, 24, 9, 0)},
		{DepartmentID: 1, Period: "2022-02", Reported: 2, CompletedAt: cst(2, 25, 17, 0)},
		{DepartmentID: 1, Period: "2022-03", Reported: 2, CompletedAt: cst(3, 9, 9, 0)},
		{DepartmentID: 2, Period: "2022-01", Reported: 2, CompletedAt: cst(1, 27, 9, 0)},
		{DepartmentID: 2, Period: "2022-02", Reported: 1, CompletedAt: cst(2, 20, 9, 0)},
	}}
	d, err := progress.BuildDiscipline(context.Background(), stub, snap, calendar.Schedule{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"2022-01", "2022-02", "2022-03"}; !slices.Equal(stub.periods, want) || !stub.asOf.Equal(at) {
		t.Fatalf("asked for %v as of %v, want %v as of %v", stub.periods, stub.asOf, want, at)
	}
	want := map[string][]progress.Standing{
		"市科协":   {progress.OnTime, progress.OnTime, progress.OnTime},
		"市民政局":  {progress.Late, progress.Missed, progress.Pending},
		"市红十字会": {progress.Missed, progress.Missed, progress.Pending},
	}
	for _, dd := range d.Departments {
		var got []progress.Standing
		for _, p := range dd.Periods {
			got = append(got, p.Standing)
		}
		if !slices.Equal(got, want[dd.Name]) {
			t.Errorf("%s: %v, want %v", dd.Name, got, want[dd.Name])
		}
	}
	if c := d.Departments[1].Counts(); c != (progress.StandingCounts{Late: 1, Missed: 1, Pending: 1}) {
		t.Errorf("市民政局 counts %+v", c)
	}
	if !d.Deadlines[1].Equal(cst(2, 25, 17, 0)) {
		t.Errorf("February deadline %v", d.Deadlines[1])
	}
	due, ok := d.LatestDue()
	if !ok || due != "2022-02" {
		t.Fatalf("LatestDue = %q %v, want 2022-02", due, ok)
	}
	var names []string
	for _, p := range d.Defaulters(due) {
		names = append(names, p.Name)
	}
	if !slices.Equal(names, []string{"市民政局", "市红十字会"}) {
		t.Errorf("defaulters of %s: %v", due, names)
	}
}

// TestDisciplineOfGeneratedYear runs the store query on the seeded plan with
// five generated months and checks each department against the habit the
// generator gave it.
func TestDisciplineOfGeneratedYear(t *testing.T) {
	ctx := context.Background()
	st := plangen.NewStore(t)
	const seed = 5 // gives the 14 departments every habit: see the check below
	seen := map[plangen.Habit]bool{}
	for i := range 14 {
		seen[plangen.HabitOf(seed, i)] = true
	}
	if len(seen) != 4 {
		t.Fatalf("seed %d gives habits %v; pick one that gives all four", seed, seen)
	}
	if _, err := plangen.Huzhou2022(ctx, st, plangen.History{Periods: 5, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		at   time.Time
		may  func(plangen.Habit) progress.Standing
	}{
		{"end of May: May is due", cst(5, 31, 12, 0), mayAfterDeadline},
		{"10 May: May's reports are not filed yet", cst(5, 10, 12, 0), func(plangen.Habit) progress.Standing { return progress.Pending }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap, err := progress.Build(ctx, st, progress.Options{At: tt.at, Loc: shanghai, Period: "2022-05", Thresholds: progress.DefaultThresholds()})
			if err != nil {
				t.Fatal(err)
			}
			d, err := progress.BuildDiscipline(ctx, st, snap, calendar.Schedule{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			for i, dd := range d.Departments {
				h := plangen.HabitOf(seed, i)
				checkHabit(t, dd, h, tt.may(h))
			}
		})
	}
}

func mayAfterDeadline(h plangen.Habit) progress.Standing {
	if h == plangen.Silent {
		return progress.Missed
	}
	return progress.OnTime
}

func checkHabit(t *testing.T, dd progress.DepartmentDiscipline, h plangen.Habit, may progress.Standing) {
	t.Helper()
	if len(dd.Periods) != 5 {
		t.Fatalf("%s: %d periods, want 5", dd.Name, len(dd.Periods))
	}
	for k, p := range dd.Periods[:4] {
		want := progress.OnTime
		if h == plangen.Tardy && k%2 == 1 {
			want = progress.Late
		}
		if h == plangen.Patchy && p.Standing == progress.Missed {
			want = progress.Missed
		}
		if p.Standing != want {
			t.Errorf("%s (habit %d) %s: %v, want %v (%d/%d)", dd.Name, h, p.Period, p.Standing, want, p.Reported, p.Expected)
		}
	}
	if got := dd.Periods[4].Standing; got != may && !(h == plangen.Patchy && got == progress.Missed) {
		t.Errorf("%s (habit %d) 2022-05: %v, want %v", dd.Name, h, got, may)
	}
}
