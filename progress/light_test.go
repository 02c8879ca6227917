package progress

import (
	"errors"
	"slices"
	"testing"
)

func TestLightNames(t *testing.T) {
	tests := []struct {
		l        Light
		name     string
		emoji    string
		severity int
	}{
		{Grey, "grey", "⚪", 1},
		{Green, "green", "🟢", 0},
		{Yellow, "yellow", "🟡", 2},
		{Red, "red", "🔴", 3},
		{Light(9), "Light(9)", "⚪", 0},
	}
	for _, tt := range tests {
		if tt.l.String() != tt.name || tt.l.Emoji() != tt.emoji || tt.l.Severity() != tt.severity {
			t.Errorf("%d: got %q %q %d, want %q %q %d", int(tt.l),
				tt.l.String(), tt.l.Emoji(), tt.l.Severity(), tt.name, tt.emoji, tt.severity)
		}
	}
	var zero Light
	if zero != Grey {
		t.Errorf("zero Light = %v, want grey", zero)
	}
}

func TestThresholdsValidate(t *testing.T) {
	tests := []struct {
		name string
		th   Thresholds
		ok   bool
	}{
		{"defaults", DefaultThresholds(), true},
		{"red at 100", Thresholds{Yellow: 20, Red: 100}, true},
		{"swapped", Thresholds{Yellow: 30, Red: 10}, false},
		{"zero yellow", Thresholds{Yellow: 0, Red: 30}, false},
		{"equal", Thresholds{Yellow: 20, Red: 20}, false},
		{"red past 100", Thresholds{Yellow: 10, Red: 101}, false},
	}
	for _, tt := range tests {
		err := tt.th.Validate()
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrInvalidThresholds)) {
			t.Errorf("%s: Validate(%+v) = %v, want ok %v", tt.name, tt.th, err, tt.ok)
		}
	}
	if d := DefaultThresholds(); d != (Thresholds{Yellow: 10, Red: 30}) {
		t.Errorf("DefaultThresholds() = %+v, want {10 30}", d)
	}
}

func countsOf(ls ...Light) Counts {
	var c Counts
	for _, l := range ls {
		c.Add(l)
	}
	return c
}

func TestCounts(t *testing.T) {
	tests := []struct {
		name   string
		c      Counts
		want   Counts
		worst  Light
		onPace float64
		total  int
	}{
		{"empty", countsOf(), Counts{}, Grey, 0, 0},
		{"all green", countsOf(Green, Green), Counts{Green: 2}, Green, 1, 2},
		{"green and grey: grey is not on pace", countsOf(Green, Grey), Counts{Green: 1, Grey: 1}, Grey, 0.5, 2},
		{"nothing reported", countsOf(Grey, Grey), Counts{Grey: 2}, Grey, 0, 2},
		{"yellow beats grey", countsOf(Grey, Yellow, Green, Green), Counts{Green: 2, Yellow: 1, Grey: 1}, Yellow, 2.0 / 4, 4},
		{"red beats all", countsOf(Green, Red, Yellow, Grey), Counts{Green: 1, Yellow: 1, Red: 1, Grey: 1}, Red, 1.0 / 4, 4},
		{"unknown light counts as grey", countsOf(Light(7)), Counts{Grey: 1}, Grey, 0, 1},
	}
	for _, tt := range tests {
		if tt.c != tt.want || tt.c.Worst() != tt.worst || !near(tt.c.OnPaceShare(), tt.onPace) || tt.c.Total() != tt.total {
			t.Errorf("%s: got %+v worst %v on pace %v total %d, want %+v %v %v %d", tt.name,
				tt.c, tt.c.Worst(), tt.c.OnPaceShare(), tt.c.Total(), tt.want, tt.worst, tt.onPace, tt.total)
		}
	}
}

func TestSortWorstFirst(t *testing.T) {
	type dept struct {
		name string
		c    Counts
	}
	depts := []dept{ // in name order, as the caller passes them
		{"市发展改革委", Counts{Green: 5}},
		{"市交通运输局", Counts{Green: 3, Yellow: 2}},
		{"市教育局", Counts{Green: 4, Red: 1}},
		{"市红十字会", Counts{Green: 2, Grey: 2}},
		{"市经信局", Counts{Red: 1, Yellow: 3}},
		{"市科技局", Counts{Green: 1, Red: 1, Yellow: 1}},
		{"市商务局", Counts{Green: 4, Yellow: 2, Grey: 1}},
		{"市水利局", Counts{Green: 5}},
		{"市民政局", Counts{Yellow: 2}},
	}
	SortWorstFirst(depts, func(d dept) Counts { return d.c })
	var got []string
	for _, d := range depts {
		got = append(got, d.name)
	}
	want := []string{
		"市经信局",   // 1 red, 3 yellow
		"市科技局",   // 1 red, 1 yellow
		"市教育局",   // 1 red
		"市商务局",   // 2 yellow, 1 grey
		"市交通运输局", // 2 yellow, passed before 市民政局
		"市民政局",   // 2 yellow
		"市红十字会",  // 2 grey
		"市发展改革委", // all green, order kept
		"市水利局",
	}
	if !slices.Equal(got, want) {
		t.Errorf("SortWorstFirst:\n got %v\nwant %v", got, want)
	}
}
