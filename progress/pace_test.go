package progress

import (
	"errors"
	"math"
	"testing"
	"time"
	_ "time/tzdata" // Asia/Shanghai without relying on the host's zoneinfo
)

func shanghai(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatalf("load Asia/Shanghai: %v", err)
	}
	return loc
}

func instant(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	return at
}

func ptr(v float64) *float64 { return &v }

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func TestYearShare(t *testing.T) {
	day := 24 * time.Hour
	year2022 := float64(365 * day)
	tests := []struct {
		name string
		year int
		at   string
		nilZ bool
		want float64
	}{
		{"midyear noon in Shanghai is exactly half", 2022, "2022-07-02T12:00:00+08:00", false,
			float64(182*day+12*time.Hour) / year2022},
		{"UTC instant that is 1 January 00:00 in Shanghai", 2022, "2021-12-31T16:00:00Z", false, 0},
		{"one second before the year starts", 2022, "2021-12-31T15:59:59Z", false, 0},
		{"long before the year", 2022, "2020-06-01T00:00:00Z", false, 0},
		{"one second before the year ends", 2022, "2022-12-31T23:59:59+08:00", false,
			float64(365*day-time.Second) / year2022},
		{"exactly the year end", 2022, "2023-01-01T00:00:00+08:00", false, 1},
		{"after the year end", 2022, "2023-01-05T00:00:00+08:00", false, 1},
		{"leap year counts 29 February", 2024, "2024-03-01T00:00:00+08:00", false,
			float64(60*day) / float64(366*day)},
		{"nil location means UTC", 2022, "2022-07-02T12:00:00Z", true, 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := shanghai(t)
			if tt.nilZ {
				loc = nil
			}
			got := YearShare(tt.year, instant(t, tt.at), loc)
			if got != tt.want {
				t.Errorf("YearShare(%d, %s) = %v, want %v", tt.year, tt.at, got, tt.want)
			}
		})
	}
	if got := YearShare(2022, instant(t, "2022-07-02T12:00:00+08:00"), shanghai(t)); got != 0.5 {
		t.Errorf("2022-07-02 12:00 Shanghai = %v, want exactly 0.5 (182.5 of 365 days)", got)
	}
}

func TestEvaluateCumulativeAtLeast(t *testing.T) {
	m := Metric{Kind: KindCumulative, Direction: AtLeast, Target: 100}
	tests := []struct {
		name   string
		latest float64
		share  float64
		gap    float64
		light  Light
	}{
		{"1 January with nothing done yet", 0, 0, 0, Green},
		{"1 January with a negative correction", -20, 0, 20, Green},
		{"exactly on pace", 50, 0.5, 0, Green},
		{"ahead of pace", 60, 0.5, -10, Green},
		{"9.99 points behind", 40.01, 0.5, 9.99, Green},
		{"exactly 10 points behind", 40, 0.5, 10, Yellow},
		{"exactly 30 points behind", 20, 0.5, 30, Yellow},
		{"30.01 points behind", 19.99, 0.5, 30.01, Red},
		{"after the year end, met", 100, 1, 0, Green},
		{"after the year end, 25 short", 75, 1, 25, Yellow},
		{"after the year end, 35 short", 65, 1, 35, Red},
		{"share beyond 1 is clamped", 65, 1.2, 35, Red},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Evaluate(m, ptr(tt.latest), tt.share, DefaultThresholds())
			if !e.Reported || e.Light != tt.light || !near(e.Gap, tt.gap) {
				t.Errorf("got reported %v light %v gap %v, want light %v gap %v",
					e.Reported, e.Light, e.Gap, tt.light, tt.gap)
			}
			if !near(e.Progress, tt.latest/100) || e.Pace != min(tt.share, 1) {
				t.Errorf("progress %v pace %v, want %v and %v", e.Progress, e.Pace, tt.latest/100, tt.share)
			}
		})
	}
}

func TestEvaluateNotReported(t *testing.T) {
	for _, m := range []Metric{
		{Kind: KindCumulative, Target: 5},
		{Kind: KindRate, Direction: AtMost, Target: 1.64},
		{Kind: KindRank, Target: 3},
		{Kind: KindMilestone, Target: 1},
	} {
		e := Evaluate(m, nil, 0.9, DefaultThresholds())
		if e != (Evaluation{Light: Grey}) {
			t.Errorf("%s: got %+v, want a zero grey evaluation", m.Kind, e)
		}
	}
}

func TestEvaluateUnknownKindIsGrey(t *testing.T) {
	e := Evaluate(Metric{Kind: "score", Target: 1}, ptr(3), 0.5, DefaultThresholds())
	if !e.Reported || e.Light != Grey {
		t.Errorf("got %+v, want reported and grey", e)
	}
}

func TestEvaluateCumulativeCap(t *testing.T) {
	m := Metric{Kind: KindCumulative, Direction: AtMost, Target: 50}
	tests := []struct {
		name     string
		latest   float64
		gap      float64
		light    Light
		progress float64
		meets    bool
	}{
		{"well under the cap and on course", 20, -60, Green, 1, true},
		{"under the cap but on course to exceed it", 30, -40, Green, 1, false},
		{"exactly at the cap", 50, 0, Green, 1, false},
		{"exceeded by a little is already red", 52, 4, Red, 50.0 / 52, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Evaluate(m, ptr(tt.latest), 0.5, DefaultThresholds())
			if e.Light != tt.light || !near(e.Gap, tt.gap) || !near(e.Progress, tt.progress) {
				t.Errorf("got light %v gap %v progress %v, want %v %v %v",
					e.Light, e.Gap, e.Progress, tt.light, tt.gap, tt.progress)
			}
			if e.Pace != 1 || e.ProjectionMeets != tt.meets || e.MonthlyNeeded != 0 {
				t.Errorf("got pace %v meets %v monthly %v, want 1 %v 0", e.Pace, e.ProjectionMeets, e.MonthlyNeeded, tt.meets)
			}
		})
	}
}

func TestEvaluateRatesAndRanks(t *testing.T) {
	ratio := Metric{Kind: KindRate, Direction: AtMost, Target: 1.64} // 城乡居民收入倍差 ≤ 1.64
	growth := Metric{Kind: KindRate, Direction: AtLeast, Target: 8.5}
	rank := Metric{Kind: KindRank, Target: 3} // 全省前 3
	tests := []struct {
		name     string
		m        Metric
		latest   float64
		gap      float64
		light    Light
		progress float64
	}{
		{"倍差 1.60 meets the cap", ratio, 1.60, -2.439024, Green, 1},
		{"倍差 1.70 misses by 3.66 points", ratio, 1.70, 3.658537, Yellow, 1.64 / 1.70},
		{"倍差 2.2 misses by 34 points", ratio, 2.2, 34.146341, Red, 1.64 / 2.2},
		{"growth exactly 8.5 %", growth, 8.5, 0, Green, 1},
		{"growth 7 % is 17.6 points short", growth, 7, 17.647059, Yellow, 7 / 8.5},
		{"growth -2 % is far short", growth, -2, 123.529412, Red, -2 / 8.5},
		{"rank 3 meets 前 3", rank, 3, 0, Green, 1},
		{"rank 4 is one place short", rank, 4, 33.333333, Yellow, 0.75},
		{"rank 2 beats the target", rank, 2, -33.333333, Green, 1},
		{"rank ignores a wrong direction", Metric{Kind: KindRank, Direction: AtLeast, Target: 3}, 2, -33.333333, Green, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Evaluate(tt.m, ptr(tt.latest), 0.3, DefaultThresholds())
			if e.Light != tt.light || !near(e.Gap, tt.gap) || !near(e.Progress, tt.progress) {
				t.Errorf("got light %v gap %v progress %v, want %v %v %v",
					e.Light, e.Gap, e.Progress, tt.light, tt.gap, tt.progress)
			}
			if e.Pace != 1 || e.Projection != tt.latest || e.ProjectionMeets != (tt.gap <= 0) {
				t.Errorf("got pace %v projection %v meets %v", e.Pace, e.Projection, e.ProjectionMeets)
			}
		})
	}
}

func TestEvaluateMilestone(t *testing.T) {
	m := Metric{Kind: KindMilestone, Target: 1}
	tests := []struct {
		name  string
		year  int
		at    string
		value float64
		light Light
	}{
		{"in progress on the last day of Q3", 2022, "2022-09-30T23:59:00+08:00", MilestoneInProgress, Green},
		{"in progress on 1 October", 2022, "2022-10-01T00:00:00+08:00", MilestoneInProgress, Yellow},
		{"in progress on New Year's Eve", 2022, "2022-12-31T23:59:00+08:00", MilestoneInProgress, Yellow},
		{"in progress after the year end", 2022, "2023-01-05T00:00:00+08:00", MilestoneInProgress, Red},
		{"done in Q4", 2022, "2022-11-15T00:00:00+08:00", MilestoneDone, Green},
		{"done after the year end", 2022, "2023-01-05T00:00:00+08:00", MilestoneDone, Green},
		{"not started in March", 2022, "2022-03-31T12:00:00+08:00", MilestoneNotStarted, Green},
		{"not started on 1 April", 2022, "2022-04-01T00:00:00+08:00", MilestoneNotStarted, Yellow},
		{"not started in August", 2022, "2022-08-15T00:00:00+08:00", MilestoneNotStarted, Yellow},
		{"not started in November", 2022, "2022-11-15T00:00:00+08:00", MilestoneNotStarted, Red},
		{"leap year: in progress on 1 October", 2024, "2024-10-01T00:00:00+08:00", MilestoneInProgress, Yellow},
		{"leap year: in progress on 30 September noon", 2024, "2024-09-30T12:00:00+08:00", MilestoneInProgress, Green},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			share := YearShare(tt.year, instant(t, tt.at), shanghai(t))
			e := Evaluate(m, ptr(tt.value), share, DefaultThresholds())
			if e.Light != tt.light {
				t.Errorf("share %v value %v: light %v, want %v", share, tt.value, e.Light, tt.light)
			}
			if e.Progress != tt.value || e.Pace != share || e.Projection != tt.value {
				t.Errorf("got progress %v pace %v projection %v", e.Progress, e.Pace, e.Projection)
			}
			if e.ProjectionMeets != (tt.value == MilestoneDone) || e.MonthlyNeeded != 0 {
				t.Errorf("got meets %v monthly %v", e.ProjectionMeets, e.MonthlyNeeded)
			}
		})
	}
}

func TestMilestoneGapIsInformative(t *testing.T) {
	m := Metric{Kind: KindMilestone, Target: 1}
	tests := []struct {
		value, share, gap float64
		light             Light
	}{
		{MilestoneInProgress, 0.5, 0, Green},
		{MilestoneNotStarted, 0.5, 50, Yellow}, // 50 points behind, yet yellow: the calendar rules
		{MilestoneDone, 0.25, -75, Green},
		{3, 0, -100, Green}, // a corrupt value cannot push the gap past -100
	}
	for _, tt := range tests {
		e := Evaluate(m, ptr(tt.value), tt.share, DefaultThresholds())
		if !near(e.Gap, tt.gap) || e.Light != tt.light {
			t.Errorf("value %v share %v: gap %v light %v, want %v %v", tt.value, tt.share, e.Gap, e.Light, tt.gap, tt.light)
		}
	}
}

func TestEvaluateCustomThresholds(t *testing.T) {
	m := Metric{Kind: KindCumulative, Target: 100}
	th := Thresholds{Yellow: 5, Red: 15}
	for latest, want := range map[float64]Light{46: Green, 45: Yellow, 35: Yellow, 34: Red} {
		if got := Evaluate(m, ptr(latest), 0.5, th).Light; got != want {
			t.Errorf("latest %v with %+v: %v, want %v", latest, th, got, want)
		}
	}
}

func TestMetricValidate(t *testing.T) {
	tests := []struct {
		name string
		m    Metric
		ok   bool
	}{
		{"cumulative without direction", Metric{Kind: KindCumulative, Target: 5}, true},
		{"rate at most", Metric{Kind: KindRate, Direction: AtMost, Target: 1.64}, true},
		{"rank", Metric{Kind: KindRank, Target: 3}, true},
		{"milestone", Metric{Kind: KindMilestone, Target: 1}, true},
		{"zero target at least", Metric{Kind: KindCumulative, Target: 0}, false},
		{"zero incidents: cumulative at most 0", Metric{Kind: KindCumulative, Direction: AtMost, Target: 0}, true},
		{"growth at most 0", Metric{Kind: KindRate, Direction: AtMost, Target: 0}, true},
		{"rank 0", Metric{Kind: KindRank, Direction: AtMost, Target: 0}, false},
		{"negative cap", Metric{Kind: KindCumulative, Direction: AtMost, Target: -1}, false},
		{"NaN target", Metric{Kind: KindRate, Target: math.NaN()}, false},
		{"infinite target", Metric{Kind: KindRate, Target: math.Inf(1)}, false},
		{"unknown direction", Metric{Kind: KindRate, Direction: "about", Target: 2}, false},
		{"rank at least", Metric{Kind: KindRank, Direction: AtLeast, Target: 3}, false},
		{"milestone target 2", Metric{Kind: KindMilestone, Target: 2}, false},
		{"unknown kind", Metric{Kind: "score", Target: 2}, false},
	}
	for _, tt := range tests {
		err := tt.m.Validate()
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrInvalidMetric)) {
			t.Errorf("%s: Validate() = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}

// TestEvaluateZeroCap: 不发生较大森林火灾 is a count that must stay at 0 (at
// most 0 起), and 生活垃圾总量保持负增长 a growth that must stay at or below
// 0 %. Neither has a size to divide by: kept is green with progress 1, any
// excess is red with the whole target missed.
func TestEvaluateZeroCap(t *testing.T) {
	fires := Metric{Kind: KindCumulative, Direction: AtMost, Target: 0}
	growth := Metric{Kind: KindRate, Direction: AtMost, Target: 0}
	tests := []struct {
		name     string
		m        Metric
		latest   float64
		share    float64
		gap      float64
		light    Light
		progress float64
		meets    bool
	}{
		{"no fire by midyear is on pace", fires, 0, 0.5, 0, Green, 1, true},
		{"no fire on 1 January", fires, 0, 0, 0, Green, 1, true},
		{"one fire is red at once", fires, 1, 0.5, 100, Red, 0, false},
		{"one fire at the year end is red", fires, 1, 1, 100, Red, 0, false},
		{"garbage fell 2.1 % is on target", growth, -2.1, 0.5, 0, Green, 1, true},
		{"garbage flat is on target", growth, 0, 0.5, 0, Green, 1, true},
		{"garbage grew 0.1 % is red", growth, 0.1, 0.5, 100, Red, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Evaluate(tt.m, ptr(tt.latest), tt.share, Thresholds{Yellow: 50, Red: 100})
			if e.Light != tt.light || e.Gap != tt.gap || e.Progress != tt.progress {
				t.Errorf("got light %v gap %v progress %v, want %v %v %v",
					e.Light, e.Gap, e.Progress, tt.light, tt.gap, tt.progress)
			}
			if e.ProjectionMeets != tt.meets || e.MonthlyNeeded != 0 || math.IsNaN(e.Projection) || math.IsInf(e.Projection, 0) {
				t.Errorf("got projection %v meets %v monthly %v, want finite, %v, 0",
					e.Projection, e.ProjectionMeets, e.MonthlyNeeded, tt.meets)
			}
			for _, f := range []float64{e.Gap, e.Progress, e.Pace, e.Projection} {
				if math.IsNaN(f) || math.IsInf(f, 0) {
					t.Errorf("a non-finite figure in %+v", e)
				}
			}
		})
	}
}
