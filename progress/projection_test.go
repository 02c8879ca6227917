package progress

import "testing"

func TestProjectionAndMonthlyNeeded(t *testing.T) {
	m := Metric{Kind: KindCumulative, Direction: AtLeast, Target: 12}
	tests := []struct {
		name       string
		latest     float64
		share      float64
		projection float64
		meets      bool
		monthly    float64
	}{
		{"a quarter in, half done", 6, 0.25, 24, true, 6.0 / 9},
		{"half way, a quarter done", 3, 0.5, 6, false, 1.5},
		{"half way, exactly on pace", 6, 0.5, 12, true, 1},
		{"1 January: nothing to extrapolate", 0, 0, 0, false, 1},
		{"last weeks ask for at least one month", 3, 0.95, 3 / 0.95, false, 9},
		{"target already met", 13, 0.5, 26, true, 0},
		{"year over, short", 9, 1, 9, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Evaluate(m, ptr(tt.latest), tt.share, DefaultThresholds())
			if !near(e.Projection, tt.projection) || e.ProjectionMeets != tt.meets || !near(e.MonthlyNeeded, tt.monthly) {
				t.Errorf("got projection %v meets %v monthly %v, want %v %v %v",
					e.Projection, e.ProjectionMeets, e.MonthlyNeeded, tt.projection, tt.meets, tt.monthly)
			}
		})
	}
}

func TestProjectionFromYearShare(t *testing.T) {
	// 7 of 12 家 on 2022-07-02 12:00 in Shanghai, exactly half the plan year.
	share := YearShare(2022, instant(t, "2022-07-02T12:00:00+08:00"), shanghai(t))
	e := Evaluate(Metric{Kind: KindCumulative, Target: 12}, ptr(7), share, DefaultThresholds())
	if e.Projection != 14 || !e.ProjectionMeets || e.Light != Green || e.MonthlyNeeded != 5.0/6 {
		t.Errorf("got %+v, want projection 14 meeting the target, green, 5/6 a month", e)
	}
}

func TestNoMonthlyAmountOutsideCumulativeAtLeast(t *testing.T) {
	for _, m := range []Metric{
		{Kind: KindCumulative, Direction: AtMost, Target: 50},
		{Kind: KindRate, Target: 8.5},
		{Kind: KindRank, Target: 3},
		{Kind: KindMilestone, Target: 1},
	} {
		if e := Evaluate(m, ptr(0), 0.5, DefaultThresholds()); e.MonthlyNeeded != 0 {
			t.Errorf("%s %s: MonthlyNeeded %v, want 0", m.Kind, m.Direction, e.MonthlyNeeded)
		}
	}
}
