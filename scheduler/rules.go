package scheduler

import (
	"time"

	"github.com/duban-bot/duban/calendar"
	"github.com/duban-bot/duban/models"
)

// dueRung is the rung of one department's ladder due at now.
type dueRung struct {
	calendar.RungTime
	Deadline time.Time
	Round    uint // 0, or the id of the extension the ladder comes from
}

// ladderFor is a department's ladder for period p: the period's own, or,
// when an extension was approved, the one recomputed from its Until. The
// extension stops the ladder until the new deadline's day: rungs timed
// before that day (a blue reminder, say) never fire, and the last call on
// the new deadline's morning is the first word the department hears again.
func (s *Scheduler) ladderFor(p calendar.Period, ext *models.Extension) (deadline time.Time, ladder []calendar.RungTime, round uint, notBefore time.Time) {
	if ext == nil {
		deadline = s.schedule.Deadline(s.cal, p)
		return deadline, s.schedule.Ladder(s.cal, deadline), 0, time.Time{}
	}
	deadline = ext.Until.In(s.loc)
	notBefore = time.Date(deadline.Year(), deadline.Month(), deadline.Day(), 0, 0, 0, 0, s.loc)
	if ext.DecidedAt != nil && ext.DecidedAt.After(notBefore) {
		notBefore = *ext.DecidedAt
	}
	return deadline, s.schedule.Ladder(s.cal, deadline), ext.ID, notBefore
}

// latestDue picks the rung to send at now: the latest one whose instant has
// come, that is not older than grace and not before notBefore. Only the
// latest is sent, so a catch-up after downtime escalates once instead of
// replaying every rung it missed.
func latestDue(ladder []calendar.RungTime, now time.Time, grace time.Duration, notBefore time.Time) (calendar.RungTime, bool) {
	var due calendar.RungTime
	found := false
	for _, r := range ladder {
		if r.At.After(now) || now.Sub(r.At) > grace || r.At.Before(notBefore) {
			continue
		}
		if !found || r.At.After(due.At) {
			due, found = r, true
		}
	}
	return due, found
}

// sendable reports whether reminders may go out at now: on working days
// only, and not before the rung clock, so a catch-up after a night-time
// restart waits for office hours.
func (s *Scheduler) sendable(now time.Time) bool {
	local := now.In(s.loc)
	if !s.cal.IsWorkday(local) {
		return false
	}
	return !now.Before(s.clockToday(now, s.schedule.RungClock))
}

// clockToday is the time of day clock on now's date in the schedule's
// location.
func (s *Scheduler) clockToday(now time.Time, clock time.Duration) time.Time {
	local := now.In(s.loc)
	return time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, s.loc).Add(clock)
}

// candidatePeriods are the periods whose ladder can have a rung due at now:
// the current one, its neighbours (a deadline early in a period puts its
// first reminder in the period before; yellow and red fall after the period
// ends) and those moved late by an extension. Only periods of the plan year
// count: last year's periods have no plan to report on.
func (s *Scheduler) candidatePeriods(now time.Time, year int, extended []string) []calendar.Period {
	cur := s.schedule.PeriodAt(now)
	prev := s.schedule.PeriodAt(cur.Start.Add(-time.Nanosecond))
	next := s.schedule.PeriodAt(cur.End)
	var out []calendar.Period
	seen := map[string]bool{}
	add := func(p calendar.Period) {
		if seen[p.Key] || !inYear(p, year, s.loc) {
			return
		}
		seen[p.Key] = true
		out = append(out, p)
	}
	for _, p := range []calendar.Period{prev, cur, next} {
		add(p)
	}
	for _, key := range extended {
		if p, err := s.schedule.PeriodByKey(key); err == nil {
			add(p)
		}
	}
	return out
}

// yearAt is the plan year the scheduler works on at now: the year that
// contains now, unless Options.Year names another (then nothing is due).
func (s *Scheduler) yearAt(now time.Time) (int, bool) {
	y := now.In(s.loc).Year()
	return y, s.year == 0 || s.year == y
}

// inYear reports whether p overlaps the calendar year.
func inYear(p calendar.Period, year int, loc *time.Location) bool {
	start := time.Date(year, time.January, 1, 0, 0, 0, 0, loc)
	end := time.Date(year+1, time.January, 1, 0, 0, 0, 0, loc)
	return p.End.After(start) && p.Start.Before(end)
}

// recipients are who gets a department's notice at rung: the main contact
// for blue and last call, the contact and every deputy from yellow on. While
// the main contact is on leave the deputies stand in; with no deputy, the
// contact still gets it, as someone must.
func recipients(contacts []models.Contact, rung calendar.Rung, now time.Time, loc *time.Location) (to []models.Contact, onLeave *models.Contact) {
	var main *models.Contact
	var deputies []models.Contact
	for i, c := range contacts {
		switch c.Role {
		case models.RoleContact:
			if main == nil {
				main = &contacts[i]
			}
		case models.RoleDeputy:
			deputies = append(deputies, c)
		}
	}
	escalated := rung == calendar.RungYellow || rung == calendar.RungRed
	if main != nil && onLeaveAt(*main, now, loc) && len(deputies) > 0 {
		return deputies, main
	}
	if main != nil {
		to = append(to, *main)
	}
	if escalated || main == nil {
		to = append(to, deputies...)
	}
	return to, nil
}

// onLeaveAt reports whether now's date lies within the contact's leave,
// both ends included: "/leave 2022-05-01 2022-05-07" covers the 7th.
func onLeaveAt(c models.Contact, now time.Time, loc *time.Location) bool {
	if c.LeaveFrom == nil || c.LeaveTo == nil {
		return false
	}
	day := dayOf(now, loc)
	return !day.Before(dayOf(*c.LeaveFrom, loc)) && !day.After(dayOf(*c.LeaveTo, loc))
}

func dayOf(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
}

// missingMetrics lists the department's active metrics without a current
// value for the period, and the number of its active metrics.
func missingMetrics(d models.Department, reports map[uint]models.Report) (missing []MetricRef, total int) {
	for _, t := range d.Tasks {
		for _, m := range t.Metrics {
			if !m.Active {
				continue
			}
			total++
			if _, ok := reports[m.ID]; !ok {
				missing = append(missing, MetricRef{ID: m.ID, TaskSeq: t.Seq, Task: t.Title, Name: m.Name, Unit: m.Unit})
			}
		}
	}
	return missing, total
}
