// Package calendar owns the time rules of the reporting loop: the Chinese
// working-day calendar (statutory holidays and 调休 make-up working days),
// reporting periods, deadlines and the instants of the reminder ladder.
// Everything here is a pure function of explicit times and locations.
package calendar

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// Calendar tells working days from days off. Dates outside the years it
// covers fall back to Monday–Friday working, Saturday and Sunday off.
// A nil *Calendar is a valid weekends-only calendar. A Calendar is immutable
// once built and safe for concurrent use.
type Calendar struct {
	years    map[int]yearDays
	holidays map[date]string // date → holiday name, across all years
	workdays map[date]string // date → make-up working day name
}

// yearDays is one year's section, kept apart so that Merge can replace a
// year as a whole.
type yearDays struct {
	holidays map[date]string
	workdays map[date]string
}

// newCalendar indexes the year sections and rejects a date that ends up
// both a holiday and a working day, even across year sections.
func newCalendar(years map[int]yearDays) (*Calendar, error) {
	c := &Calendar{years: years, holidays: map[date]string{}, workdays: map[date]string{}}
	for _, y := range slices.Sorted(maps.Keys(years)) {
		for _, d := range sortedDates(years[y].holidays) {
			c.holidays[d] = years[y].holidays[d]
		}
	}
	for _, y := range slices.Sorted(maps.Keys(years)) {
		for _, d := range sortedDates(years[y].workdays) {
			if name, off := c.holidays[d]; off {
				return nil, fmt.Errorf("calendar: %d: %s is listed both as a holiday (%s) and as a workday (%s)",
					y, d, name, years[y].workdays[d])
			}
			c.workdays[d] = years[y].workdays[d]
		}
	}
	return c, nil
}

// Merge returns a calendar where every year that other covers replaces that
// year of c as a whole; years only c covers are kept. A year is replaced
// rather than blended because each year is one State Council notice: an
// operator correcting a year restates it, and nothing stale survives.
func (c *Calendar) Merge(other *Calendar) (*Calendar, error) {
	years := map[int]yearDays{}
	if c != nil {
		maps.Copy(years, c.years)
	}
	if other != nil {
		maps.Copy(years, other.years)
	}
	merged, err := newCalendar(years)
	if err != nil {
		return nil, fmt.Errorf("merge: %w", err)
	}
	return merged, nil
}

// Covers reports whether the calendar holds the holiday notice of year.
// Outside covered years only weekends are days off, which the bot should
// warn about.
func (c *Calendar) Covers(year int) bool {
	if c == nil {
		return false
	}
	_, ok := c.years[year]
	return ok
}

// Years lists the covered years in ascending order.
func (c *Calendar) Years() []int {
	if c == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(c.years))
}

// IsWorkday reports whether the date of t, read in t's own location, is a
// working day.
func (c *Calendar) IsWorkday(t time.Time) bool {
	return c.isWorkday(dateOf(t))
}

func (c *Calendar) isWorkday(d date) bool {
	if c != nil {
		if _, ok := c.workdays[d]; ok {
			return true
		}
		if _, ok := c.holidays[d]; ok {
			return false
		}
	}
	wd := d.weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// AddWorkdays moves t by n working days (backwards when n is negative),
// keeping its clock time and location. Whether t itself is a working day
// does not matter: the result is the n-th working day strictly after (or
// before) t's date, and t unchanged when n is 0.
func (c *Calendar) AddWorkdays(t time.Time, n int) time.Time {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	d := dateOf(t)
	for n > 0 {
		d = d.add(step)
		if c.isWorkday(d) {
			n--
		}
	}
	return d.withClockOf(t)
}

// PrevWorkday returns t if its date is a working day, otherwise the closest
// earlier working day at t's clock time.
func (c *Calendar) PrevWorkday(t time.Time) time.Time {
	return c.nearestWorkday(t, -1)
}

// NextWorkday returns t if its date is a working day, otherwise the closest
// later working day at t's clock time. For the working day strictly after
// t use AddWorkdays(t, 1).
func (c *Calendar) NextWorkday(t time.Time) time.Time {
	return c.nearestWorkday(t, 1)
}

func (c *Calendar) nearestWorkday(t time.Time, step int) time.Time {
	d := dateOf(t)
	for !c.isWorkday(d) {
		d = d.add(step)
	}
	return d.withClockOf(t)
}

// date is a civil date with no clock and no location.
type date struct {
	y int
	m time.Month
	d int
}

func dateOf(t time.Time) date {
	y, m, d := t.Date()
	return date{y, m, d}
}

// noon avoids any daylight-saving edge when doing date arithmetic.
func (d date) noon() time.Time { return time.Date(d.y, d.m, d.d, 12, 0, 0, 0, time.UTC) }

func (d date) add(days int) date { return dateOf(d.noon().AddDate(0, 0, days)) }

func (d date) weekday() time.Weekday { return d.noon().Weekday() }

func (d date) before(o date) bool { return d.noon().Before(o.noon()) }

func (d date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.y, d.m, d.d) }

// withClockOf places d at t's wall-clock time in t's location.
func (d date) withClockOf(t time.Time) time.Time {
	return time.Date(d.y, d.m, d.d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
}

// at places d at the time of day clock (a duration since midnight) in loc.
func (d date) at(clock time.Duration, loc *time.Location) time.Time {
	h, m := int(clock/time.Hour), int(clock%time.Hour/time.Minute)
	s, ns := int(clock%time.Minute/time.Second), int(clock%time.Second)
	return time.Date(d.y, d.m, d.d, h, m, s, ns, loc)
}

func sortedDates(m map[date]string) []date {
	ds := slices.Collect(maps.Keys(m))
	slices.SortFunc(ds, func(a, b date) int {
		switch {
		case a.before(b):
			return -1
		case b.before(a):
			return 1
		}
		return 0
	})
	return ds
}
