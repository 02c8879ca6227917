package calendar

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Frequency is how often departments report.
type Frequency string

// The reporting frequencies. The zero Frequency means FrequencyMonthly.
const (
	FrequencyMonthly   Frequency = "monthly"
	FrequencyQuarterly Frequency = "quarterly"
	FrequencyWeekly    Frequency = "weekly"
)

// Schedule defaults, as the design states them.
const (
	DefaultDeadlineDay            = 25
	DefaultWeeklyDeadlineDay      = int(time.Friday)
	DefaultDeadlineClock          = 17 * time.Hour
	DefaultRungClock              = 9 * time.Hour
	DefaultDigestClock            = 9 * time.Hour
	DefaultBlueWorkdaysBefore     = 5
	DefaultRedWorkdaysAfterYellow = 3
	DefaultLocation               = "Asia/Shanghai"
)

// ParseFrequency reads a frequency setting; an empty string is monthly.
func ParseFrequency(s string) (Frequency, error) {
	switch f := Frequency(strings.ToLower(strings.TrimSpace(s))); f {
	case "":
		return FrequencyMonthly, nil
	case FrequencyMonthly, FrequencyQuarterly, FrequencyWeekly:
		return f, nil
	}
	return "", fmt.Errorf("frequency %q: want monthly, quarterly or weekly", s)
}

// Schedule is the reporting rhythm: periods, deadline and reminder ladder.
// Zero fields take the defaults above, so Schedule{} is the design's
// monthly schedule in Asia/Shanghai.
type Schedule struct {
	Frequency Frequency
	// DeadlineDay is the day of the month (monthly), the day of the
	// period's last month (quarterly), both 1–31 and clamped to the
	// month's length; or the ISO weekday 1–7, Monday=1 (weekly).
	DeadlineDay int
	// NthWorkday, when > 0, puts the deadline on the Nth working day of
	// the month (the quarter's last month; the week, when weekly) instead
	// of DeadlineDay. A month with fewer working days uses its last one.
	NthWorkday             int
	DeadlineClock          time.Duration // time of day of the deadline
	RungClock              time.Duration // time of day of every ladder rung
	DigestClock            time.Duration // time of day of the Monday digest
	BlueWorkdaysBefore     int
	RedWorkdaysAfterYellow int
	Off                    RungSet        // rungs switched off
	Loc                    *time.Location // nil means Asia/Shanghai
}

// Normalized returns s with its defaults filled in, or the first setting
// that is out of range.
func (s Schedule) Normalized() (Schedule, error) {
	if err := s.Validate(); err != nil {
		return Schedule{}, err
	}
	return s.withDefaults(), nil
}

// Validate reports the first setting that is out of range.
func (s Schedule) Validate() error {
	if _, err := ParseFrequency(string(s.Frequency)); err != nil {
		return err
	}
	if s.DeadlineDay != 0 && s.NthWorkday != 0 {
		return errors.New("schedule: set either a deadline day or an Nth working day, not both")
	}
	if err := s.validateDays(); err != nil {
		return err
	}
	for _, c := range []struct {
		name  string
		clock time.Duration
	}{{"deadline clock", s.DeadlineClock}, {"rung clock", s.RungClock}, {"digest clock", s.DigestClock}} {
		if c.clock < 0 || c.clock >= 24*time.Hour {
			return fmt.Errorf("schedule: %s %s is not a time of day", c.name, c.clock)
		}
	}
	if d := s.withDefaults(); d.RungClock >= d.DeadlineClock {
		return fmt.Errorf("schedule: rung clock %s must be before the deadline clock %s, or the last call comes too late",
			d.RungClock, d.DeadlineClock)
	}
	if s.BlueWorkdaysBefore < 0 || s.RedWorkdaysAfterYellow < 0 {
		return errors.New("schedule: ladder working-day counts must not be negative")
	}
	return nil
}

func (s Schedule) validateDays() error {
	maxDay, unit := 31, "day of month"
	if s.withDefaults().Frequency == FrequencyWeekly {
		maxDay, unit = 7, "ISO weekday"
	}
	if s.DeadlineDay < 0 || s.DeadlineDay > maxDay {
		return fmt.Errorf("schedule: deadline day %d: want a %s 1–%d", s.DeadlineDay, unit, maxDay)
	}
	if s.NthWorkday < 0 || s.NthWorkday > maxDay {
		return fmt.Errorf("schedule: Nth working day %d: want 1–%d", s.NthWorkday, maxDay)
	}
	return nil
}

// withDefaults fills the zero fields. An unknown frequency is left as is;
// Validate rejects it and the period functions treat it as monthly.
func (s Schedule) withDefaults() Schedule {
	if s.Frequency == "" {
		s.Frequency = FrequencyMonthly
	}
	if s.DeadlineDay == 0 && s.NthWorkday == 0 {
		s.DeadlineDay = DefaultDeadlineDay
		if s.Frequency == FrequencyWeekly {
			s.DeadlineDay = DefaultWeeklyDeadlineDay
		}
	}
	s.DeadlineClock = orDefault(s.DeadlineClock, DefaultDeadlineClock)
	s.RungClock = orDefault(s.RungClock, DefaultRungClock)
	s.DigestClock = orDefault(s.DigestClock, DefaultDigestClock)
	s.BlueWorkdaysBefore = orDefault(s.BlueWorkdaysBefore, DefaultBlueWorkdaysBefore)
	s.RedWorkdaysAfterYellow = orDefault(s.RedWorkdaysAfterYellow, DefaultRedWorkdaysAfterYellow)
	if s.Loc == nil {
		s.Loc = shanghai()
	}
	return s
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// shanghai loads Asia/Shanghai, falling back to a fixed UTC+8 zone when the
// host has no tz database (the binary embeds time/tzdata, tests may not);
// Shanghai has kept UTC+8 without daylight saving since 1991.
func shanghai() *time.Location {
	if loc, err := time.LoadLocation(DefaultLocation); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*60*60)
}
