package calendar

import (
	"testing"
	"time"
)

func TestDeadline(t *testing.T) {
	cal := defaultCalendar(t)
	loc := shanghaiLoc(t)
	tests := []struct {
		name   string
		s      Schedule
		period string
		want   string
	}{
		{"monthly default: the 25th inside the month", Schedule{}, "2022-05", "2022-05-25 17:00"},
		{"25th on a Saturday moves to Friday", Schedule{}, "2022-06", "2022-06-24 17:00"},
		{"25th on a Sunday moves to Friday", Schedule{}, "2022-09", "2022-09-23 17:00"},
		{"day 3 in the National Day holiday moves to 30 September", Schedule{DeadlineDay: 3}, "2022-10", "2022-09-30 17:00"},
		{"first working day of October 2022 is the 调休 Saturday", Schedule{NthWorkday: 1}, "2022-10", "2022-10-08 17:00"},
		{"third working day of October 2022", Schedule{NthWorkday: 3}, "2022-10", "2022-10-10 17:00"},
		{"Nth working day past the month's end takes its last", Schedule{NthWorkday: 31}, "2022-10", "2022-10-31 17:00"},
		{"day 31 in a 30-day month is its last day", Schedule{DeadlineDay: 31}, "2022-11", "2022-11-30 17:00"},
		{"custom clock", Schedule{DeadlineClock: 12*time.Hour + 30*time.Minute}, "2022-05", "2022-05-25 12:30"},
		{"quarterly: the 25th of the quarter's last month", Schedule{Frequency: FrequencyQuarterly}, "2022-Q2", "2022-06-24 17:00"},
		{"weekly: Friday by default", Schedule{Frequency: FrequencyWeekly}, "2022-W18", "2022-05-06 17:00"},
		{"weekly: Monday holiday moves into the previous week", Schedule{Frequency: FrequencyWeekly, DeadlineDay: 1}, "2022-W18", "2022-04-29 17:00"},
		{"weekly: second working day of a holiday week", Schedule{Frequency: FrequencyWeekly, NthWorkday: 2}, "2022-W18", "2022-05-06 17:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.s.Loc = loc
			p, err := tt.s.PeriodByKey(tt.period)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := tt.s.Deadline(cal, p), day(t, tt.want); !got.Equal(want) {
				t.Errorf("Deadline(%s) = %v, want %v", tt.period, got, want)
			}
		})
	}
}

func TestLadder(t *testing.T) {
	cal := defaultCalendar(t)
	tests := []struct {
		name     string
		s        Schedule
		deadline string
		want     [4]string // blue, last call, yellow, red
	}{
		{"May 2022 in an ordinary month", Schedule{}, "2022-05-25 17:00",
			[4]string{"2022-05-18 09:00", "2022-05-25 09:00", "2022-05-26 09:00", "2022-05-31 09:00"}},
		// Working days before 6 May: 5 May, then 29, 28, 27, 26 April.
		// Yellow is the 调休 Saturday 7 May; red skips Sunday 8 May.
		{"straddling May Day 2022", Schedule{}, "2022-05-06 17:00",
			[4]string{"2022-04-26 09:00", "2022-05-06 09:00", "2022-05-07 09:00", "2022-05-11 09:00"}},
		{"a longer blue reaches the working Sunday 24 April", Schedule{BlueWorkdaysBefore: 7}, "2022-05-06 17:00",
			[4]string{"2022-04-24 09:00", "2022-05-06 09:00", "2022-05-07 09:00", "2022-05-11 09:00"}},
		// 8 and 9 October are both 调休 working days, so red lands on the 11th.
		{"across National Day 2022", Schedule{}, "2022-09-30 17:00",
			[4]string{"2022-09-23 09:00", "2022-09-30 09:00", "2022-10-08 09:00", "2022-10-11 09:00"}},
		{"deadline handed in on a holiday counts from the working day before", Schedule{}, "2022-10-03 17:00",
			[4]string{"2022-09-23 09:00", "2022-09-30 09:00", "2022-10-08 09:00", "2022-10-11 09:00"}},
		{"custom counts and clock", Schedule{BlueWorkdaysBefore: 2, RedWorkdaysAfterYellow: 1, RungClock: 8*time.Hour + 30*time.Minute},
			"2022-05-25 17:00",
			[4]string{"2022-05-23 08:30", "2022-05-25 08:30", "2022-05-26 08:30", "2022-05-27 08:30"}},
	}
	order := [4]Rung{RungBlue, RungLastCall, RungYellow, RungRed}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.s.Loc = shanghaiLoc(t)
			got := tt.s.Ladder(cal, day(t, tt.deadline))
			if len(got) != 4 {
				t.Fatalf("Ladder returned %d rungs, want 4", len(got))
			}
			for i, r := range got {
				if r.Rung != order[i] || !r.At.Equal(day(t, tt.want[i])) {
					t.Errorf("rung %d = %s at %v, want %s at %s", i, r.Rung, r.At, order[i], tt.want[i])
				}
				if !cal.IsWorkday(r.At) {
					t.Errorf("rung %s at %v is not on a working day", r.Rung, r.At)
				}
			}
		})
	}
}

func TestLadderOfDeadlineUsesTheUTCInstantInShanghai(t *testing.T) {
	cal := defaultCalendar(t)
	deadline := time.Date(2022, 5, 25, 9, 0, 0, 0, time.UTC) // 17:00 in Shanghai
	got := Schedule{}.Ladder(cal, deadline)
	if want := day(t, "2022-05-25 09:00"); !got[1].At.Equal(want) {
		t.Errorf("last call at %v, want %v", got[1].At, want)
	}
}

func TestDigestTimes(t *testing.T) {
	loc := shanghaiLoc(t)
	tests := []struct {
		name     string
		from, to string
		want     []string
	}{
		{"May 2022, holidays included", "2022-05-01", "2022-06-01",
			[]string{"2022-05-02 09:00", "2022-05-09 09:00", "2022-05-16 09:00", "2022-05-23 09:00", "2022-05-30 09:00"}},
		{"from is inclusive, to exclusive", "2022-05-02 09:00", "2022-05-16 09:00",
			[]string{"2022-05-02 09:00", "2022-05-09 09:00"}},
		{"a Monday already past its digest time", "2022-05-02 09:01", "2022-05-10", []string{"2022-05-09 09:00"}},
		{"empty window", "2022-05-03", "2022-05-09", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Schedule{Loc: loc}.DigestTimes(day(t, tt.from), day(t, tt.to))
			if len(got) != len(tt.want) {
				t.Fatalf("DigestTimes = %v, want %v", got, tt.want)
			}
			for i := range got {
				if !got[i].Equal(day(t, tt.want[i])) {
					t.Errorf("digest %d at %v, want %s", i, got[i], tt.want[i])
				}
			}
		})
	}
}
