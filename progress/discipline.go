package progress

import (
	"context"
	"fmt"
	"time"

	"github.com/duban-bot/duban/calendar"
	"github.com/duban-bot/duban/models"
)

// Standing is how a department reported for one period (报送纪律).
type Standing int

// The standings. Pending is the zero value: nothing can be held against a
// department before its deadline.
const (
	Pending Standing = iota // incomplete, and the deadline has not passed
	OnTime                  // every metric reported by the deadline
	Late                    // complete, but only after the deadline
	Missed                  // incomplete, and the deadline has passed
)

// String returns the standing's stable English name, used in JSON and logs.
func (s Standing) String() string {
	switch s {
	case Pending:
		return "pending"
	case OnTime:
		return "on_time"
	case Late:
		return "late"
	case Missed:
		return "missed"
	}
	return fmt.Sprintf("Standing(%d)", int(s))
}

// Label returns the standing as the coordinators write it.
func (s Standing) Label() string {
	switch s {
	case OnTime:
		return "按时报送"
	case Late:
		return "逾期报送"
	case Missed:
		return "未报送"
	}
	return "未到期"
}

// Judge decides a standing at instant `at`: expected is the number of active
// metrics, reported how many have a value, and completedAt when the last of
// them got its first one. A report completed exactly at the deadline is on
// time; a department with no metrics has nothing to miss.
func Judge(expected, reported int, completedAt, deadline, at time.Time) Standing {
	complete := reported >= expected
	switch {
	case complete && expected > 0 && completedAt.After(deadline):
		return Late
	case complete:
		return OnTime
	case at.After(deadline):
		return Missed
	}
	return Pending
}

// PeriodStanding is one department's standing for one period.
type PeriodStanding struct {
	Period             string
	Deadline           time.Time
	Standing           Standing
	Reported, Expected int
	CompletedAt        time.Time // zero when nothing was reported
}

// DepartmentDiscipline is one department's standing in every period so far.
type DepartmentDiscipline struct {
	ID      uint
	Name    string
	Periods []PeriodStanding // in period order
}

// StandingCounts tallies a department's standings over the periods.
type StandingCounts struct {
	OnTime, Late, Missed, Pending int
}

// Counts tallies the department's standings.
func (d DepartmentDiscipline) Counts() StandingCounts {
	var c StandingCounts
	for _, p := range d.Periods {
		switch p.Standing {
		case OnTime:
			c.OnTime++
		case Late:
			c.Late++
		case Missed:
			c.Missed++
		default:
			c.Pending++
		}
	}
	return c
}

// In returns the department's standing for period.
func (d DepartmentDiscipline) In(period string) (PeriodStanding, bool) {
	for _, p := range d.Periods {
		if p.Period == period {
			return p, true
		}
	}
	return PeriodStanding{}, false
}

// Discipline is every department's reporting record for the plan year up
// to an instant. The zero Discipline means the record was not computed.
type Discipline struct {
	At          time.Time
	Periods     []calendar.Period // the year's periods that have started by At
	Deadlines   []time.Time       // Deadlines[i] is when Periods[i] is due
	Departments []DepartmentDiscipline
}

// LatestDue returns the last period whose deadline has passed at d.At: the
// one a monthly 通报 reports on.
func (d Discipline) LatestDue() (string, bool) {
	for i := len(d.Periods) - 1; i >= 0; i-- {
		if d.At.After(d.Deadlines[i]) {
			return d.Periods[i].Key, true
		}
	}
	return "", false
}

// Defaulters returns the departments, in d's order, that did not report on
// time for period: late or missed.
func (d Discipline) Defaulters(period string) []PeriodDefaulter {
	var out []PeriodDefaulter
	for _, dept := range d.Departments {
		if p, ok := dept.In(period); ok && (p.Standing == Late || p.Standing == Missed) {
			out = append(out, PeriodDefaulter{ID: dept.ID, Name: dept.Name, Standing: p})
		}
	}
	return out
}

// PeriodDefaulter is a department that did not report on time.
type PeriodDefaulter struct {
	ID       uint
	Name     string
	Standing PeriodStanding
}

// CompletionReader is what building a Discipline needs from the store.
type CompletionReader interface {
	PeriodCompletion(ctx context.Context, periods []string, asOf time.Time) ([]models.DeptPeriodRow, error)
}

// BuildDiscipline judges every department of s for each period of s.Year
// that has started by s.At, in one store query whatever the number of
// departments. Values filed after s.At are ignored; expected counts are the
// departments' active metrics in s.
func BuildDiscipline(ctx context.Context, r CompletionReader, s Snapshot, sch calendar.Schedule, cal *calendar.Calendar) (Discipline, error) {
	d := Discipline{At: s.At}
	for _, p := range sch.PeriodsOfYear(s.Year) {
		if p.Start.After(s.At) {
			break
		}
		d.Periods = append(d.Periods, p)
		d.Deadlines = append(d.Deadlines, sch.Deadline(cal, p))
	}
	keys := make([]string, len(d.Periods))
	for i, p := range d.Periods {
		keys[i] = p.Key
	}
	rows, err := r.PeriodCompletion(ctx, keys, s.At)
	if err != nil {
		return Discipline{}, fmt.Errorf("build discipline: %w", err)
	}
	type key struct {
		dept   uint
		period string
	}
	done := make(map[key]models.DeptPeriodRow, len(rows))
	for _, row := range rows {
		done[key{row.DepartmentID, row.Period}] = row
	}
	d.Departments = make([]DepartmentDiscipline, len(s.Departments))
	for i, dept := range s.Departments {
		dd := DepartmentDiscipline{ID: dept.ID, Name: dept.Name, Periods: make([]PeriodStanding, len(keys))}
		for j, k := range keys {
			row := done[key{dept.ID, k}]
			dd.Periods[j] = PeriodStanding{
				Period: k, Deadline: d.Deadlines[j], Reported: row.Reported, Expected: dept.Metrics(),
				CompletedAt: row.CompletedAt,
				Standing:    Judge(dept.Metrics(), row.Reported, row.CompletedAt, d.Deadlines[j], s.At),
			}
		}
		d.Departments[i] = dd
	}
	return d, nil
}
