package progress

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// YearReader is what choosing a plan year needs from the store.
type YearReader interface {
	PlanYears(ctx context.Context) ([]int, error)
}

// PlanYear is the plan year a reader works on at an instant: the one asked
// for, or by default the active year, the one that contains the instant.
type PlanYear struct {
	Year   int   // the year read
	Today  int   // the year that contains the instant (in the location)
	Years  []int // every year with a plan, ascending
	Loaded bool  // Year has a plan
}

// Active reports whether Year is the active year and has a plan: the only
// case in which anybody is reminded.
func (y PlanYear) Active() bool { return y.Loaded && y.Year == y.Today }

// ChoosePlanYear resolves want (0: the active year) at the instant at.
func ChoosePlanYear(ctx context.Context, r YearReader, at time.Time, loc *time.Location, want int) (PlanYear, error) {
	years, err := r.PlanYears(ctx)
	if err != nil {
		return PlanYear{}, fmt.Errorf("choose plan year: %w", err)
	}
	y := PlanYear{Today: at.In(loc).Year(), Years: years}
	y.Year = cmp.Or(want, y.Today)
	y.Loaded = slices.Contains(years, y.Year)
	return y, nil
}

// ReadAt is the instant a snapshot of the year is built at: at itself in
// the year, the year's last moment for a past year (read as it ended), its
// first for a future one.
func (y PlanYear) ReadAt(at time.Time, loc *time.Location) time.Time {
	loc = cmp.Or(loc, time.UTC)
	start := time.Date(y.Year, time.January, 1, 0, 0, 0, 0, loc)
	end := time.Date(y.Year+1, time.January, 1, 0, 0, 0, 0, loc)
	switch {
	case at.Before(start):
		return start
	case !at.Before(end):
		return end.Add(-time.Nanosecond)
	}
	return at
}
