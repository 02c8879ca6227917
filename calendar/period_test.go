package calendar

import (
	"strings"
	"testing"
	"time"
)

func TestPeriodsOfYearCounts(t *testing.T) {
	tests := []struct {
		freq      Frequency
		year      int
		n         int
		first     string
		lastStart string
	}{
		{FrequencyMonthly, 2022, 12, "2022-01", "2022-12-01"},
		{"", 2022, 12, "2022-01", "2022-12-01"},
		{FrequencyQuarterly, 2022, 4, "2022-Q1", "2022-10-01"},
		{FrequencyWeekly, 2022, 52, "2022-W01", "2022-12-26"},
		{FrequencyWeekly, 2026, 53, "2026-W01", "2026-12-28"},
		{FrequencyWeekly, 2020, 53, "2020-W01", "2020-12-28"},
	}
	for _, tt := range tests {
		t.Run(string(tt.freq)+" "+tt.lastStart, func(t *testing.T) {
			ps := Schedule{Frequency: tt.freq, Loc: shanghaiLoc(t)}.PeriodsOfYear(tt.year)
			if len(ps) != tt.n {
				t.Fatalf("got %d periods, want %d", len(ps), tt.n)
			}
			if ps[0].Key != tt.first {
				t.Errorf("first key %q, want %q", ps[0].Key, tt.first)
			}
			if want := day(t, tt.lastStart); !ps[tt.n-1].Start.Equal(want) {
				t.Errorf("last period starts %v, want %v", ps[tt.n-1].Start, want)
			}
			for i := 1; i < len(ps); i++ {
				if !ps[i].Start.Equal(ps[i-1].End) {
					t.Errorf("gap between %s and %s", ps[i-1].Key, ps[i].Key)
				}
			}
		})
	}
}

func TestPeriodAtBoundaries(t *testing.T) {
	loc := shanghaiLoc(t)
	monthly := Schedule{Loc: loc}
	tests := []struct {
		name  string
		s     Schedule
		at    time.Time
		key   string
		start string
	}{
		{"last second of May", monthly, time.Date(2022, 5, 31, 23, 59, 59, 0, loc), "2022-05", "2022-05-01"},
		{"first instant of June", monthly, time.Date(2022, 6, 1, 0, 0, 0, 0, loc), "2022-06", "2022-06-01"},
		{"same instant given in UTC", monthly, time.Date(2022, 5, 31, 16, 0, 0, 0, time.UTC), "2022-06", "2022-06-01"},
		{"UTC still in May", monthly, time.Date(2022, 5, 31, 15, 59, 59, 0, time.UTC), "2022-05", "2022-05-01"},
		{"default location is Shanghai", Schedule{}, time.Date(2022, 5, 31, 16, 0, 0, 0, time.UTC), "2022-06", "2022-06-01"},
		{"quarter", Schedule{Frequency: FrequencyQuarterly, Loc: loc}, time.Date(2022, 6, 30, 12, 0, 0, 0, loc), "2022-Q2", "2022-04-01"},
		{"ISO week 18", Schedule{Frequency: FrequencyWeekly, Loc: loc}, time.Date(2022, 5, 8, 23, 0, 0, 0, loc), "2022-W18", "2022-05-02"},
		{"1 January 2022 is in ISO week 2021-W52", Schedule{Frequency: FrequencyWeekly, Loc: loc},
			time.Date(2022, 1, 1, 12, 0, 0, 0, loc), "2021-W52", "2021-12-27"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.s.PeriodAt(tt.at)
			if p.Key != tt.key || !p.Start.Equal(day(t, tt.start)) {
				t.Errorf("PeriodAt(%v) = %s from %v, want %s from %s", tt.at, p.Key, p.Start, tt.key, tt.start)
			}
			if !p.Contains(tt.at) {
				t.Errorf("period %s [%v, %v) does not contain %v", p.Key, p.Start, p.End, tt.at)
			}
		})
	}
}

func TestPeriodByKey(t *testing.T) {
	loc := shanghaiLoc(t)
	tests := []struct {
		freq       Frequency
		key        string
		start, end string
		err        string
	}{
		{FrequencyMonthly, "2022-05", "2022-05-01", "2022-06-01", ""},
		{FrequencyMonthly, "2022-12", "2022-12-01", "2023-01-01", ""},
		{FrequencyQuarterly, "2022-Q4", "2022-10-01", "2023-01-01", ""},
		{FrequencyWeekly, "2022-W18", "2022-05-02", "2022-05-09", ""},
		{FrequencyWeekly, "2026-W53", "2026-12-28", "2027-01-04", ""},
		{FrequencyMonthly, "2022-5", "", "", "2022-05"},
		{FrequencyMonthly, "2022-13", "", "", "01–12"},
		{FrequencyMonthly, "2022-Q2", "", "", "want the form"},
		{FrequencyQuarterly, "2022-Q5", "", "", "1–4"},
		{FrequencyWeekly, "2022-W53", "", "", "weeks 1–52"},
	}
	for _, tt := range tests {
		t.Run(string(tt.freq)+" "+tt.key, func(t *testing.T) {
			p, err := Schedule{Frequency: tt.freq, Loc: loc}.PeriodByKey(tt.key)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("PeriodByKey(%q) error = %v, want one containing %q", tt.key, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Key != tt.key || !p.Start.Equal(day(t, tt.start)) || !p.End.Equal(day(t, tt.end)) {
				t.Errorf("PeriodByKey(%q) = %s [%v, %v), want [%s, %s)", tt.key, p.Key, p.Start, p.End, tt.start, tt.end)
			}
		})
	}
}
