package calendar

import "time"

// Rung is one step of the reminder ladder (三色督办).
type Rung string

// The rungs, in the order they fire.
const (
	RungBlue     Rung = "blue"      // 蓝: first reminder before the deadline
	RungLastCall Rung = "last_call" // the morning of the deadline day
	RungYellow   Rung = "yellow"    // 黄: overdue, the working day after
	RungRed      Rung = "red"       // 红: still overdue some working days later
)

// RungTime is the instant a rung falls due.
type RungTime struct {
	Rung Rung
	At   time.Time
}

// Deadline is when reports for p are due: DeadlineDay (or the Nth working
// day) of the period's month, or of its week when weekly, at DeadlineClock.
// A deadline on a day off moves to the working day before it, which may lie
// in the previous period (day 3 of October 2022 → 30 September). A monthly
// period's deadline lies inside it: "2022-05" is due 2022-05-25 17:00.
func (s Schedule) Deadline(cal *Calendar, p Period) time.Time {
	s = s.withDefaults()
	first, last := s.deadlineSpan(p)
	var d date
	switch {
	case s.NthWorkday > 0:
		d = cal.nthWorkday(first, last, s.NthWorkday)
	case s.Frequency == FrequencyWeekly:
		d = first.add(s.DeadlineDay - 1)
	default:
		d = first.add(min(s.DeadlineDay, last.d) - 1)
	}
	for !cal.isWorkday(d) {
		d = d.add(-1)
	}
	return d.at(s.DeadlineClock, s.Loc)
}

// deadlineSpan is the first and last date the deadline is chosen from: the
// week of a weekly period, otherwise the month the period ends in.
func (s Schedule) deadlineSpan(p Period) (first, last date) {
	last = dateOf(p.End.In(s.Loc)).add(-1)
	if s.Frequency == FrequencyWeekly {
		return dateOf(p.Start.In(s.Loc)), last
	}
	return date{last.y, last.m, 1}, last
}

// nthWorkday is the nth working day in [first, last], or the last working
// day there when the span has fewer; with none at all, last itself.
func (c *Calendar) nthWorkday(first, last date, n int) date {
	found := last
	for d := first; !last.before(d); d = d.add(1) {
		if !c.isWorkday(d) {
			continue
		}
		found = d
		if n--; n == 0 {
			break
		}
	}
	return found
}

// Ladder returns the reminder instants for a deadline, in firing order,
// each on a working day at RungClock: blue BlueWorkdaysBefore working days
// before the deadline day, last call on the deadline day, yellow the
// working day after it, red RedWorkdaysAfterYellow working days after
// yellow. A deadline given on a day off counts from the working day before.
func (s Schedule) Ladder(cal *Calendar, deadline time.Time) []RungTime {
	s = s.withDefaults()
	day := dateOf(deadline.In(s.Loc))
	for !cal.isWorkday(day) {
		day = day.add(-1)
	}
	base := day.at(s.RungClock, s.Loc)
	yellow := cal.AddWorkdays(base, 1)
	all := []RungTime{
		{RungBlue, cal.AddWorkdays(base, -s.BlueWorkdaysBefore)},
		{RungLastCall, base},
		{RungYellow, yellow},
		{RungRed, cal.AddWorkdays(yellow, s.RedWorkdaysAfterYellow)},
	}
	out := all[:0]
	for _, r := range all {
		if !s.Off.Has(r.Rung) {
			out = append(out, r)
		}
	}
	return out
}

// RungSet is a set of rungs; Schedule.Off switches rungs off.
type RungSet uint8

// Rungs lists every rung in firing order.
func Rungs() []Rung { return []Rung{RungBlue, RungLastCall, RungYellow, RungRed} }

func (s RungSet) bit(r Rung) RungSet {
	for i, x := range Rungs() {
		if x == r {
			return 1 << i
		}
	}
	return 0
}

// Has reports whether r is in the set.
func (s RungSet) Has(r Rung) bool { return s&s.bit(r) != 0 }

// With returns the set with r added.
func (s RungSet) With(r Rung) RungSet { return s | s.bit(r) }

// DigestTimes lists every Monday at DigestClock in the schedule's location
// within [from, to). The digest is weekly news, so holidays do not move it.
func (s Schedule) DigestTimes(from, to time.Time) []time.Time {
	s = s.withDefaults()
	d := dateOf(from.In(s.Loc))
	d = d.add((int(time.Monday) - int(d.weekday()) + 7) % 7)
	var out []time.Time
	for t := d.at(s.DigestClock, s.Loc); t.Before(to); t = d.at(s.DigestClock, s.Loc) {
		if !t.Before(from) {
			out = append(out, t)
		}
		d = d.add(7)
	}
	return out
}
