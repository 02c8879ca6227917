package calendar

import (
	"fmt"
	"time"
)

// Period is one reporting period: the half-open interval [Start, End) in
// the schedule's location. Key names it: "2022-05" (month), "2022-Q2"
// (quarter) or "2022-W18" (ISO week; the year is the ISO week-year).
type Period struct {
	Key        string
	Start, End time.Time
}

// Contains reports whether t falls in the period.
func (p Period) Contains(t time.Time) bool {
	return !t.Before(p.Start) && t.Before(p.End)
}

// PeriodAt returns the period that t falls in, reading t in the schedule's
// location whatever location t carries.
func (s Schedule) PeriodAt(t time.Time) Period {
	s = s.withDefaults()
	local := t.In(s.Loc)
	switch s.Frequency {
	case FrequencyWeekly:
		y, w := local.ISOWeek()
		return s.week(y, w)
	case FrequencyQuarterly:
		return s.quarter(local.Year(), (int(local.Month())+2)/3)
	}
	return s.month(local.Year(), local.Month())
}

// PeriodByKey parses a period key of the schedule's frequency.
func (s Schedule) PeriodByKey(key string) (Period, error) {
	s = s.withDefaults()
	var y, n int
	switch s.Frequency {
	case FrequencyWeekly:
		if err := scanKey(key, "%04d-W%02d", &y, &n); err != nil {
			return Period{}, err
		}
		if n < 1 || n > isoWeeksIn(y) {
			return Period{}, fmt.Errorf("period %q: %d has weeks 1–%d", key, y, isoWeeksIn(y))
		}
		return s.week(y, n), nil
	case FrequencyQuarterly:
		if err := scanKey(key, "%04d-Q%d", &y, &n); err != nil {
			return Period{}, err
		}
		if n < 1 || n > 4 {
			return Period{}, fmt.Errorf("period %q: quarter must be 1–4", key)
		}
		return s.quarter(y, n), nil
	}
	if err := scanKey(key, "%04d-%02d", &y, &n); err != nil {
		return Period{}, err
	}
	if n < 1 || n > 12 {
		return Period{}, fmt.Errorf("period %q: month must be 01–12", key)
	}
	return s.month(y, time.Month(n)), nil
}

// scanKey parses key strictly: the formatted result must read back as key,
// so "2022-5" or "2022-05x" are refused.
func scanKey(key, format string, y, n *int) error {
	if _, err := fmt.Sscanf(key, format, y, n); err != nil || fmt.Sprintf(format, *y, *n) != key {
		return fmt.Errorf("period %q: want the form %s", key, fmt.Sprintf(format, 2022, 5))
	}
	return nil
}

// PeriodsOfYear lists the periods of year in order: 12 months, 4 quarters,
// or the 52 or 53 weeks of the ISO week-year.
func (s Schedule) PeriodsOfYear(year int) []Period {
	s = s.withDefaults()
	var out []Period
	switch s.Frequency {
	case FrequencyWeekly:
		for w := 1; w <= isoWeeksIn(year); w++ {
			out = append(out, s.week(year, w))
		}
	case FrequencyQuarterly:
		for q := 1; q <= 4; q++ {
			out = append(out, s.quarter(year, q))
		}
	default:
		for m := time.January; m <= time.December; m++ {
			out = append(out, s.month(year, m))
		}
	}
	return out
}

func (s Schedule) month(y int, m time.Month) Period {
	return Period{
		Key:   fmt.Sprintf("%04d-%02d", y, m),
		Start: time.Date(y, m, 1, 0, 0, 0, 0, s.Loc),
		End:   time.Date(y, m+1, 1, 0, 0, 0, 0, s.Loc),
	}
}

func (s Schedule) quarter(y, q int) Period {
	first := time.Month(3*q - 2)
	return Period{
		Key:   fmt.Sprintf("%04d-Q%d", y, q),
		Start: time.Date(y, first, 1, 0, 0, 0, 0, s.Loc),
		End:   time.Date(y, first+3, 1, 0, 0, 0, 0, s.Loc),
	}
}

func (s Schedule) week(y, w int) Period {
	monday := isoWeekMonday(y, w)
	return Period{
		Key:   fmt.Sprintf("%04d-W%02d", y, w),
		Start: monday.at(0, s.Loc),
		End:   monday.add(7).at(0, s.Loc),
	}
}

// isoWeekMonday is the Monday of ISO week w of week-year y; 4 January is
// always in week 1.
func isoWeekMonday(y, w int) date {
	jan4 := date{y, time.January, 4}
	back := (int(jan4.weekday()) + 6) % 7 // days since Monday
	return jan4.add(-back + 7*(w-1))
}

// isoWeeksIn is 52 or 53; 28 December always lies in the last week.
func isoWeeksIn(y int) int {
	_, w := date{y, time.December, 28}.noon().ISOWeek()
	return w
}
