package calendar

import (
	"testing"
	"time"
	_ "time/tzdata"
)

func shanghaiLoc(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func defaultCalendar(t *testing.T) *Calendar {
	t.Helper()
	cal, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	return cal
}

// day parses "2006-01-02 15:04" (or a bare date, at midnight) in Shanghai.
func day(t *testing.T, s string) time.Time {
	t.Helper()
	layout := "2006-01-02 15:04"
	if len(s) == len(time.DateOnly) {
		layout = time.DateOnly
	}
	at, err := time.ParseInLocation(layout, s, shanghaiLoc(t))
	if err != nil {
		t.Fatal(err)
	}
	return at
}

func TestIsWorkday(t *testing.T) {
	cal := defaultCalendar(t)
	tests := []struct {
		date string
		want bool
		why  string
	}{
		{"2022-01-29", true, "Saturday, 春节调休"},
		{"2022-01-30", true, "Sunday, 春节调休"},
		{"2022-02-04", false, "Friday inside 春节"},
		{"2022-04-02", true, "Saturday, 清明调休"},
		{"2022-04-24", true, "Sunday, 劳动节调休"},
		{"2022-05-02", false, "Monday, 劳动节"},
		{"2022-05-07", true, "Saturday, 劳动节调休"},
		{"2022-05-14", false, "ordinary Saturday"},
		{"2022-05-16", true, "ordinary Monday"},
		{"2022-06-03", false, "Friday, 端午"},
		{"2022-09-12", false, "Monday, 中秋"},
		{"2022-10-05", false, "Wednesday, 国庆"},
		{"2022-10-08", true, "Saturday, 国庆调休"},
		{"2022-10-09", true, "Sunday, 国庆调休"},
		{"2023-01-02", false, "Monday, 2023 元旦 (block from 2022-12-31)"},
		{"2023-04-05", false, "Wednesday, 2023 清明, one day"},
		{"2023-06-25", true, "Sunday, 2023 端午调休"},
		{"2023-10-06", false, "Friday, 2023 中秋国庆"},
		{"2023-10-07", true, "Saturday, 2023 国庆调休"},
		{"2024-01-01", false, "Monday, 2024 元旦"},
		{"2024-02-09", true, "除夕 2024 is only encouraged off, not a holiday"},
		{"2024-02-18", true, "Sunday, 2024 春节调休"},
		{"2024-09-14", true, "Saturday, 2024 中秋调休"},
		{"2024-10-12", true, "Saturday, 2024 国庆调休"},
		{"2025-01-28", false, "除夕 2025, a holiday since the 2024 revision"},
		{"2025-02-08", true, "Saturday, 2025 春节调休"},
		{"2025-05-05", false, "Monday, 2025 劳动节"},
		{"2025-10-08", false, "Wednesday, 2025 国庆中秋"},
		{"2025-10-11", true, "Saturday, 2025 国庆调休"},
		{"2026-01-04", true, "Sunday, 2026 元旦调休"},
		{"2026-02-23", false, "Monday, 2026 春节"},
		{"2026-02-28", true, "Saturday, 2026 春节调休"},
		{"2026-05-09", true, "Saturday, 2026 劳动节调休"},
		{"2026-09-20", true, "Sunday, 2026 国庆调休"},
		{"2027-10-01", true, "Friday in an uncovered year: weekends only"},
		{"2027-10-02", false, "Saturday in an uncovered year"},
	}
	for _, tt := range tests {
		t.Run(tt.date+" "+tt.why, func(t *testing.T) {
			if got := cal.IsWorkday(day(t, tt.date)); got != tt.want {
				t.Errorf("IsWorkday(%s) = %v, want %v", tt.date, got, tt.want)
			}
		})
	}
}

func TestIsWorkdayReadsTheDateInItsOwnLocation(t *testing.T) {
	cal := defaultCalendar(t)
	// 2022-05-04 17:00 UTC is Wednesday 4 May (a holiday) in UTC but
	// Thursday 5 May 01:00 (working) in Shanghai.
	utc := time.Date(2022, 5, 4, 17, 0, 0, 0, time.UTC)
	if cal.IsWorkday(utc) {
		t.Errorf("IsWorkday(%v) = true, want false: 4 May is a holiday", utc)
	}
	if !cal.IsWorkday(utc.In(shanghaiLoc(t))) {
		t.Errorf("IsWorkday(%v) = false, want true: 5 May is working", utc.In(shanghaiLoc(t)))
	}
}

func TestWorkingDaysPerYear(t *testing.T) {
	cal := defaultCalendar(t)
	// Counted by hand from the notices, e.g. 2022: 260 weekdays − 18 holiday
	// weekdays + 7 make-up days = 249; 2026: 261 − 19 + 6 = 248.
	want := map[int]int{2022: 249, 2023: 249, 2024: 251, 2025: 248, 2026: 248}
	for year, n := range want {
		got := 0
		for d := (date{year, time.January, 1}); d.y == year; d = d.add(1) {
			if cal.isWorkday(d) {
				got++
			}
		}
		if got != n {
			t.Errorf("%d has %d working days, want %d", year, got, n)
		}
	}
}

func TestAddWorkdays(t *testing.T) {
	cal := defaultCalendar(t)
	tests := []struct {
		name, from string
		n          int
		want       string
	}{
		{"zero keeps the instant", "2022-05-01 10:30", 0, "2022-05-01 10:30"},
		{"next day in an ordinary week", "2022-05-24 09:00", 1, "2022-05-25 09:00"},
		{"over a weekend", "2022-05-27 09:00", 1, "2022-05-30 09:00"},
		{"from a holiday onto the make-up Saturday", "2022-05-03 09:00", 3, "2022-05-07 09:00"},
		{"back across May Day to the working Sunday", "2022-05-06 09:00", -7, "2022-04-24 09:00"},
		{"back across National Day", "2022-10-10 17:00", -3, "2022-09-30 17:00"},
		{"forward across National Day", "2022-09-30 09:00", 1, "2022-10-08 09:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cal.AddWorkdays(day(t, tt.from), tt.n)
			if want := day(t, tt.want); !got.Equal(want) {
				t.Errorf("AddWorkdays(%s, %d) = %v, want %v", tt.from, tt.n, got, want)
			}
		})
	}
}

func TestPrevAndNextWorkday(t *testing.T) {
	cal := defaultCalendar(t)
	tests := []struct{ from, prev, next string }{
		{"2022-05-25 08:00", "2022-05-25 08:00", "2022-05-25 08:00"},
		{"2022-10-03 17:00", "2022-09-30 17:00", "2022-10-08 17:00"},
		{"2022-06-25 17:00", "2022-06-24 17:00", "2022-06-27 17:00"},
		{"2022-04-24 09:00", "2022-04-24 09:00", "2022-04-24 09:00"},
	}
	for _, tt := range tests {
		if got, want := cal.PrevWorkday(day(t, tt.from)), day(t, tt.prev); !got.Equal(want) {
			t.Errorf("PrevWorkday(%s) = %v, want %v", tt.from, got, want)
		}
		if got, want := cal.NextWorkday(day(t, tt.from)), day(t, tt.next); !got.Equal(want) {
			t.Errorf("NextWorkday(%s) = %v, want %v", tt.from, got, want)
		}
	}
}

func TestCovers(t *testing.T) {
	cal := defaultCalendar(t)
	for year, want := range map[int]bool{2021: false, 2022: true, 2024: true, 2026: true, 2027: false} {
		if got := cal.Covers(year); got != want {
			t.Errorf("Covers(%d) = %v, want %v", year, got, want)
		}
	}
	var none *Calendar
	if none.Covers(2022) || !none.IsWorkday(day(t, "2022-10-03")) || none.IsWorkday(day(t, "2022-10-08")) {
		t.Error("a nil calendar should cover nothing and know only weekends")
	}
}
