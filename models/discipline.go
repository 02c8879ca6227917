package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// DeptPeriodRow is how far one department got with one period's reports.
type DeptPeriodRow struct {
	DepartmentID uint
	Period       string
	// Reported is the number of the department's active metrics that have a
	// value for the period.
	Reported int
	// CompletedAt is when the last of those metrics got its first value:
	// the instant the department's report became as complete as it is.
	CompletedAt time.Time
}

// PeriodCompletion returns, per department and period, how many active
// metrics were reported and when, in one grouped query whatever the number
// of departments. A metric counts from its first value: a later correction
// does not make an on-time report late. With a non-zero asOf, values filed
// after it are ignored, so the past can be judged as it stood then.
// Departments with nothing reported for a period have no row.
func (s *Store) PeriodCompletion(ctx context.Context, periods []string, asOf time.Time) ([]DeptPeriodRow, error) {
	return s.periodCompletion(ctx, periods, asOf, 0)
}

// periodCompletion is PeriodCompletion for one department, or for all when
// deptID is 0. The inner query finds each metric's first value of each
// period from idx_report_first alone (metric_id, period, reported_at: the
// table is not read); the outer one counts them per department. The rows
// are scanned by hand: twelve thousand for a city, no reflection needed.
func (s *Store) periodCompletion(ctx context.Context, periods []string, asOf time.Time, deptID uint) ([]DeptPeriodRow, error) {
	if len(periods) == 0 {
		return nil, nil
	}
	first := "SELECT metric_id, period, MIN(reported_at) AS first_at FROM reports WHERE period IN ?"
	args := []any{periods}
	if deptID != 0 {
		first += " AND metric_id IN (SELECT metrics.id FROM metrics JOIN tasks ON tasks.id = metrics.task_id WHERE tasks.department_id = ?)"
		args = append(args, deptID)
	}
	if !asOf.IsZero() {
		// Stored times are UTC text on SQLite, so the bound must be UTC too.
		first += " AND reported_at <= ?"
		args = append(args, asOf.UTC())
	}
	first += " GROUP BY metric_id, period"
	query := "SELECT t.department_id, f.period, COUNT(*) AS reported, MAX(f.first_at) AS completed_at FROM (" + first + ") AS f" +
		" JOIN metrics m ON m.id = f.metric_id JOIN tasks t ON t.id = m.task_id WHERE m.active = ?" +
		" GROUP BY t.department_id, f.period ORDER BY t.department_id, f.period"
	args = append(args, true)
	var out []DeptPeriodRow
	err := scanRows(s.ctx(ctx), func(rows *sql.Rows) error {
		var r DeptPeriodRow
		var at dbTime
		if err := rows.Scan(&r.DepartmentID, &r.Period, &r.Reported, &at); err != nil {
			return err
		}
		r.CompletedAt = time.Time(at)
		out = append(out, r)
		return nil
	}, query, args...)
	if err != nil {
		return nil, fmt.Errorf("period completion: %w", err)
	}
	return out, nil
}

// dbTime reads an aggregated timestamp. PostgreSQL returns a time; SQLite
// returns the stored text, because MAX(...) has no declared column type for
// the driver to convert by.
type dbTime time.Time

// sqliteTimeFormats are the layouts mattn/go-sqlite3 writes and reads.
var sqliteTimeFormats = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05",
	time.RFC3339Nano,
}

// Scan implements sql.Scanner.
func (t *dbTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*t = dbTime{}
		return nil
	case time.Time:
		*t = dbTime(x.UTC())
		return nil
	case []byte:
		return t.parse(string(x))
	case string:
		return t.parse(x)
	}
	return fmt.Errorf("scan time: unsupported %T", v)
}

func (t *dbTime) parse(s string) error {
	for _, f := range sqliteTimeFormats {
		if p, err := time.Parse(f, s); err == nil {
			*t = dbTime(p.UTC())
			return nil
		}
	}
	return fmt.Errorf("scan time: unrecognised %q", s)
}

// Value implements driver.Valuer, so the type is complete for GORM.
func (t dbTime) Value() (driver.Value, error) { return time.Time(t), nil }

// migrateReportFirstIndex replaces idx_report_metric_period (metric_id,
// period) with idx_report_first (metric_id, period, reported_at), migration
// step 5. The new index has the old one as its prefix, so every query that
// used the old one can use it; the reporting record reads only these three
// columns of every report of the year and, with the index covering them,
// never reads the table (on the city benchmark, 600,000 reports, the
// query's time fell by about a quarter).
func migrateReportFirstIndex(db *gorm.DB) error {
	m := db.Migrator()
	if !m.HasIndex(&Report{}, "idx_report_first") {
		if err := m.CreateIndex(&Report{}, "idx_report_first"); err != nil {
			return fmt.Errorf("create idx_report_first: %w", err)
		}
	}
	if m.HasIndex(&Report{}, "idx_report_metric_period") {
		if err := m.DropIndex(&Report{}, "idx_report_metric_period"); err != nil {
			return fmt.Errorf("drop idx_report_metric_period: %w", err)
		}
	}
	return nil
}
