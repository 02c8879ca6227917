package models

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// The overview (/status, exports, the digest) reads the whole plan and every
// metric's latest value on each request, so these two queries are written
// for a city of a thousand departments: only the columns the overview uses,
// scanned by hand rather than through GORM's reflection, and the latest
// value found by one index seek per metric instead of a GROUP BY over every
// report ever filed.

// loadPlan reads the year's plan in three queries whatever its size.
func (s *Store) loadPlan(ctx context.Context, year int) ([]Department, error) {
	db := s.ctx(ctx)
	depts, index, err := planDepartments(db, year)
	if err != nil {
		return nil, fmt.Errorf("load plan: %w", err)
	}
	tasks, err := planTasks(db, year, depts, index)
	if err != nil {
		return nil, fmt.Errorf("load plan: %w", err)
	}
	if err := planMetrics(db, year, tasks); err != nil {
		return nil, fmt.Errorf("load plan: %w", err)
	}
	return depts, nil
}

// scanRows runs a raw query and calls scan for each row.
func scanRows(db *gorm.DB, scan func(*sql.Rows) error, query string, args ...any) error {
	rows, err := db.Raw(query, args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// planDepartments reads the departments that have tasks in the year.
func planDepartments(db *gorm.DB, year int) ([]Department, map[uint]int, error) {
	var depts []Department
	err := scanRows(db, func(r *sql.Rows) error {
		var d Department
		if err := r.Scan(&d.ID, &d.Name, &d.Seq); err != nil {
			return err
		}
		depts = append(depts, d)
		return nil
	}, "SELECT id, name, seq FROM departments WHERE id IN (SELECT department_id FROM tasks WHERE year = ?) ORDER BY seq, id", year)
	index := make(map[uint]int, len(depts))
	for i, d := range depts {
		index[d.ID] = i
	}
	return depts, index, err
}

// planTasks loads the tasks into depts and returns where each task landed,
// by task ID. Departments are filled first and the tasks pointed to after,
// because appending may move a department's task slice.
func planTasks(db *gorm.DB, year int, depts []Department, deptIndex map[uint]int) (map[uint]*Task, error) {
	err := scanRows(db, func(r *sql.Rows) error {
		t := Task{Year: year}
		if err := r.Scan(&t.ID, &t.DepartmentID, &t.Seq, &t.Title, &t.Text); err != nil {
			return err
		}
		if i, ok := deptIndex[t.DepartmentID]; ok {
			depts[i].Tasks = append(depts[i].Tasks, t)
		}
		return nil
	}, "SELECT id, department_id, seq, title, text FROM tasks WHERE year = ? ORDER BY department_id, seq", year)
	tasks := map[uint]*Task{}
	for i := range depts {
		for j := range depts[i].Tasks {
			tasks[depts[i].Tasks[j].ID] = &depts[i].Tasks[j]
		}
	}
	return tasks, err
}

// planMetrics loads the active metrics into their tasks. They are sorted
// here rather than by ORDER BY: no index gives (task_id, seq), and SQLite's
// sort of every metric costs more than sorting a handful per task.
func planMetrics(db *gorm.DB, year int, tasks map[uint]*Task) error {
	err := scanRows(db, func(r *sql.Rows) error {
		var m Metric
		if err := r.Scan(&m.ID, &m.TaskID, &m.Name, &m.Seq, &m.Kind, &m.Direction, &m.Target, &m.Unit, &m.PriorTarget, &m.EvidenceRequired); err != nil {
			return err
		}
		m.Active = true
		if t, ok := tasks[m.TaskID]; ok {
			t.Metrics = append(t.Metrics, m)
		}
		return nil
	}, "SELECT m.id, m.task_id, m.name, m.seq, m.kind, m.direction, m.target, m.unit, m.prior_target, m.evidence_required FROM metrics m"+
		" JOIN tasks t ON t.id = m.task_id WHERE m.active = ? AND t.year = ?", true, year)
	for _, t := range tasks {
		slices.SortFunc(t.Metrics, func(a, b Metric) int {
			return cmp.Or(cmp.Compare(a.Seq, b.Seq), cmp.Compare(a.ID, b.ID))
		})
	}
	return err
}

// reportColumns are the columns of a current report that reads return:
// all but RequestKey and the superseding ones, empty for a current value.
const reportColumns = "r.id, r.metric_id, r.period, r.value, r.raw, r.note, r.reporter_id, r.on_behalf, r.late, r.reported_at"

func scanReport(rows *sql.Rows) (Report, error) {
	var r Report
	var at time.Time
	err := rows.Scan(&r.ID, &r.MetricID, &r.Period, &r.Value, &r.Raw, &r.Note, &r.ReporterID, &r.OnBehalf, &r.Late, &at)
	r.ReportedAt = at.UTC()
	return r, err
}

// latestReports reads the latest values in one query.
func (s *Store) latestReports(ctx context.Context, maxPeriod string, metricIDs ...uint) (map[uint]Report, error) {
	query, args := latestQuery(maxPeriod, metricIDs)
	out := map[uint]Report{}
	err := scanRows(s.ctx(ctx), func(rows *sql.Rows) error {
		r, err := scanReport(rows)
		out[r.MetricID] = r
		return err
	}, query, args...)
	if err != nil {
		return nil, fmt.Errorf("latest reports: %w", err)
	}
	return out, nil
}

// latestReportRefs is latestReports for the whole plan, the reports held
// in one slice and pointed to.
func (s *Store) latestReportRefs(ctx context.Context, maxPeriod string) (map[uint]*Report, error) {
	query, args := latestQuery(maxPeriod, nil)
	var slab []Report
	err := scanRows(s.ctx(ctx), func(rows *sql.Rows) error {
		r, err := scanReport(rows)
		slab = append(slab, r)
		return err
	}, query, args...)
	if err != nil {
		return nil, fmt.Errorf("latest reports: %w", err)
	}
	out := make(map[uint]*Report, len(slab))
	for i := range slab {
		out[slab[i].MetricID] = &slab[i]
	}
	return out, nil
}

// latestQuery selects each metric's current value of the latest period up
// to maxPeriod ("" means any), for metricIDs or every metric.
func latestQuery(maxPeriod string, metricIDs []uint) (string, []any) {
	// One seek per metric in idx_report_current (metric_id, period WHERE
	// superseded_at IS NULL): SQLite has no loose index scan, so a GROUP BY
	// would read every report of the year.
	latest := "SELECT id FROM reports WHERE metric_id = m.id AND superseded_at IS NULL"
	var args []any
	if maxPeriod != "" {
		latest += " AND period <= ?"
		args = append(args, maxPeriod)
	}
	query := "SELECT " + reportColumns + " FROM metrics m JOIN reports r ON r.id = (" + latest + " ORDER BY period DESC LIMIT 1)"
	if len(metricIDs) > 0 {
		query += " WHERE m.id IN ?"
		args = append(args, metricIDs)
	}
	return query, args
}
