package calendar

import (
	"strings"
	"testing"
	"time"
)

func TestParseFrequency(t *testing.T) {
	tests := []struct {
		in   string
		want Frequency
		ok   bool
	}{
		{"", FrequencyMonthly, true},
		{"monthly", FrequencyMonthly, true},
		{" Quarterly ", FrequencyQuarterly, true},
		{"WEEKLY", FrequencyWeekly, true},
		{"daily", "", false},
	}
	for _, tt := range tests {
		got, err := ParseFrequency(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseFrequency(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil && !strings.Contains(err.Error(), tt.in) {
			t.Errorf("error %q does not name the value %q", err, tt.in)
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		s    Schedule
		err  string // "" when valid
	}{
		{"zero value is the design default", Schedule{}, ""},
		{"weekly on Sunday", Schedule{Frequency: FrequencyWeekly, DeadlineDay: 7}, ""},
		{"both deadline day and Nth working day", Schedule{DeadlineDay: 25, NthWorkday: 3}, "not both"},
		{"unknown frequency", Schedule{Frequency: "daily"}, "daily"},
		{"day 32", Schedule{DeadlineDay: 32}, "1–31"},
		{"weekday 8", Schedule{Frequency: FrequencyWeekly, DeadlineDay: 8}, "1–7"},
		{"negative Nth", Schedule{NthWorkday: -1}, "Nth"},
		{"clock past midnight", Schedule{DeadlineClock: 25 * time.Hour}, "deadline clock"},
		{"rungs after the deadline", Schedule{RungClock: 18 * time.Hour}, "before the deadline"},
		{"negative blue", Schedule{BlueWorkdaysBefore: -1}, "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.s.Validate()
			if tt.err == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("Validate() = %v, want an error containing %q", err, tt.err)
			}
		})
	}
}

func TestNormalizedFillsDefaults(t *testing.T) {
	s, err := Schedule{}.Normalized()
	if err != nil {
		t.Fatal(err)
	}
	want := Schedule{
		Frequency: FrequencyMonthly, DeadlineDay: 25, DeadlineClock: 17 * time.Hour,
		RungClock: 9 * time.Hour, DigestClock: 9 * time.Hour,
		BlueWorkdaysBefore: 5, RedWorkdaysAfterYellow: 3, Loc: s.Loc,
	}
	if s != want {
		t.Errorf("Normalized() = %+v, want %+v", s, want)
	}
	if s.Loc.String() != DefaultLocation {
		t.Errorf("default location %q, want %q", s.Loc, DefaultLocation)
	}
	weekly, _ := Schedule{Frequency: FrequencyWeekly}.Normalized()
	if weekly.DeadlineDay != int(time.Friday) {
		t.Errorf("weekly default deadline day %d, want Friday (5)", weekly.DeadlineDay)
	}
	nth, _ := Schedule{NthWorkday: 2}.Normalized()
	if nth.DeadlineDay != 0 {
		t.Errorf("with NthWorkday set, DeadlineDay = %d, want 0", nth.DeadlineDay)
	}
}
