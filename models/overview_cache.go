package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"sync"
)

// overviewCache keeps the plan and the latest values the overview read
// last. Reading them afresh costs a few hundred milliseconds for a thousand
// departments on SQLite, almost all of it the driver's per-column cgo
// calls, while between two requests little or nothing changes:
//   - the plan of a year is reused while that year's plan_years.revision,
//     which every SyncPlan and CreatePlan bumps in the same transaction, is
//     unchanged (one year is kept: readers rarely switch years);
//   - the latest values are brought up to date by reading only the current
//     reports filed after the highest report ID already seen. That relies
//     on two facts: reports are never updated in place except to be
//     superseded, and a correction is a new row with a higher ID; and on
//     SQLite, whose writers are serialised (BEGIN IMMEDIATE), IDs become
//     visible in increasing order. PostgreSQL gives no such order, so
//     there the latest values are always read afresh.
type overviewCache struct {
	mu sync.Mutex

	planYear     int
	planRevision int64
	plan         []Department // nil: nothing cached

	maxPeriod string
	seenID    uint // highest report ID merged into latest
	// latest holds reports that are never changed once read: a merge
	// replaces the map (and the entries it changes), so a map or a report
	// handed out earlier stays as it was. nil: nothing cached.
	latest map[uint]*Report
	// values is latest by value, made when LatestReports first asks for it
	// after a change; nil: not made.
	values map[uint]Report
}

// Plan returns the year's plan: every department with tasks that year,
// with those tasks and their active metrics, in plan order; empty when the
// year has no plan. Three queries whatever the plan's size, or one when the
// plan has not changed since the last call. Row timestamps (CreatedAt,
// UpdatedAt) are not loaded. The result is the caller's own copy.
func (s *Store) Plan(ctx context.Context, year int) ([]Department, error) {
	plan, cached, err := s.sharedPlan(ctx, year)
	if err != nil || !cached {
		return plan, err
	}
	return clonePlan(plan), nil
}

// SharedPlan is Plan without the copy: the cache's own plan, lent to a
// caller that only reads it (the snapshot copies what it keeps). Copying a
// city's 50,000 metrics on every overview cost a fifth of its time.
// Callers must not modify the departments, tasks or metrics.
func (s *Store) SharedPlan(ctx context.Context, year int) ([]Department, error) {
	plan, _, err := s.sharedPlan(ctx, year)
	return plan, err
}

// sharedPlan returns the year's plan and whether it is the cache's own.
func (s *Store) sharedPlan(ctx context.Context, year int) ([]Department, bool, error) {
	if s.views == nil {
		plan, err := s.loadPlan(ctx, year)
		return plan, false, err
	}
	var row planYear
	err := s.ctx(ctx).Select("revision").Where("year = ?", year).First(&row).Error
	if errors.Is(translate(err), ErrNotFound) {
		plan, err := s.loadPlan(ctx, year)
		return plan, false, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("load plan: %w", err)
	}
	c := s.views
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.plan == nil || c.planYear != year || c.planRevision != row.Revision {
		plan, err := s.loadPlan(ctx, year)
		if err != nil {
			return nil, false, err
		}
		c.plan, c.planYear, c.planRevision = plan, year, row.Revision
	}
	return c.plan, true, nil
}

func clonePlan(depts []Department) []Department {
	out := make([]Department, len(depts))
	for i, d := range depts {
		d.Tasks = append([]Task(nil), d.Tasks...)
		for j := range d.Tasks {
			d.Tasks[j].Metrics = append([]Metric(nil), d.Tasks[j].Metrics...)
		}
		out[i] = d
	}
	return out
}

// LatestReports returns, per metric, the current value of the latest period
// up to and including maxPeriod ("" means any), in one query whatever the
// number of metrics (two when only the reports filed since the last call
// are read). With metricIDs it looks at those metrics only. The reports
// carry every column but RequestKey and the superseding ones, which are
// empty for a current value anyway. Callers must not modify the map: for
// the whole plan it is the cache's own, replaced (never changed) when new
// reports arrive, so copying 50,000 values per overview is avoided.
func (s *Store) LatestReports(ctx context.Context, maxPeriod string, metricIDs ...uint) (map[uint]Report, error) {
	if s.views == nil || len(metricIDs) > 0 || s.db.Dialector.Name() == "postgres" {
		return s.latestReports(ctx, maxPeriod, metricIDs...)
	}
	c := s.views
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := s.refreshLatest(ctx, maxPeriod); err != nil {
		return nil, err
	}
	if c.values == nil {
		c.values = make(map[uint]Report, len(c.latest))
		for id, r := range c.latest {
			c.values[id] = *r
		}
	}
	return c.values, nil
}

// SharedLatestReports is LatestReports for the whole plan by reference:
// the snapshot points at these reports instead of copying each (50,000
// copies of a report on every overview of a city).
// Callers must not modify the map or the reports; both stay as they are
// when new reports arrive.
func (s *Store) SharedLatestReports(ctx context.Context, maxPeriod string) (map[uint]*Report, error) {
	if s.views == nil || s.db.Dialector.Name() == "postgres" {
		return s.latestReportRefs(ctx, maxPeriod)
	}
	c := s.views
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := s.refreshLatest(ctx, maxPeriod); err != nil {
		return nil, err
	}
	return c.latest, nil
}

// refreshLatest brings the cached latest values up to date for maxPeriod.
// The caller holds the cache's lock.
func (s *Store) refreshLatest(ctx context.Context, maxPeriod string) error {
	if s.views.latest == nil || s.views.maxPeriod != maxPeriod {
		return s.reloadLatest(ctx, maxPeriod)
	}
	return s.mergeNewReports(ctx)
}

// reloadLatest reads the latest values afresh. The highest ID is taken
// first, so a report filed meanwhile is merged again next time rather than
// missed.
func (s *Store) reloadLatest(ctx context.Context, maxPeriod string) error {
	var top sql.NullInt64
	if err := s.ctx(ctx).Raw("SELECT MAX(id) FROM reports").Scan(&top).Error; err != nil {
		return fmt.Errorf("latest reports: %w", err)
	}
	latest, err := s.latestReportRefs(ctx, maxPeriod)
	if err != nil {
		return err
	}
	c := s.views
	c.latest, c.values, c.maxPeriod, c.seenID = latest, nil, maxPeriod, uint(top.Int64)
	return nil
}

// mergeNewReports reads the current reports filed after the last one seen
// and keeps, per metric, the latest period's newest value. It changes a
// copy of the map, which replaces the cached one: a map handed out earlier
// stays as it was, and so do the reports it points to.
func (s *Store) mergeNewReports(ctx context.Context) error {
	c := s.views
	query := "SELECT " + reportColumns + " FROM reports r WHERE r.id > ? AND r.superseded_at IS NULL"
	args := []any{c.seenID}
	if c.maxPeriod != "" {
		query += " AND r.period <= ?"
		args = append(args, c.maxPeriod)
	}
	var fresh []Report
	err := scanRows(s.ctx(ctx), func(rows *sql.Rows) error {
		r, err := scanReport(rows)
		if err == nil {
			fresh = append(fresh, r)
		}
		return err
	}, query, args...)
	if err != nil {
		return fmt.Errorf("latest reports: %w", err)
	}
	if len(fresh) == 0 {
		return nil
	}
	next := maps.Clone(c.latest)
	for i := range fresh {
		r := &fresh[i]
		c.seenID = max(c.seenID, r.ID)
		if old, ok := next[r.MetricID]; !ok || r.Period > old.Period || r.Period == old.Period && r.ID > old.ID {
			next[r.MetricID] = r
		}
	}
	c.latest, c.values = next, nil
	return nil
}
