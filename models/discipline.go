package models

import (
	"context"
	"database/sql/driver"
	"fmt"
	"time"
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
// deptID is 0.
func (s *Store) periodCompletion(ctx context.Context, periods []string, asOf time.Time, deptID uint) ([]DeptPeriodRow, error) {
	if len(periods) == 0 {
		return nil, nil
	}
	first := s.ctx(ctx).Model(&Report{}).
		Select("metric_id, period, MIN(reported_at) AS first_at").
		Where("period IN ?", periods)
	if deptID != 0 {
		first = first.Where("metric_id IN (?)", s.ctx(ctx).Model(&Metric{}).Select("metrics.id").
			Joins("JOIN tasks ON tasks.id = metrics.task_id").Where("tasks.department_id = ?", deptID))
	}
	if !asOf.IsZero() {
		// Stored times are UTC text on SQLite, so the bound must be UTC too.
		first = first.Where("reported_at <= ?", asOf.UTC())
	}
	first = first.Group("metric_id, period")
	var rows []struct {
		DepartmentID uint
		Period       string
		Reported     int
		CompletedAt  dbTime
	}
	err := s.ctx(ctx).Table("(?) AS f", first).
		Select("t.department_id, f.period, COUNT(*) AS reported, MAX(f.first_at) AS completed_at").
		Joins("JOIN metrics m ON m.id = f.metric_id").
		Joins("JOIN tasks t ON t.id = m.task_id").
		Where("m.active = ?", true).
		Group("t.department_id, f.period").
		Order("t.department_id, f.period").
		Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("period completion: %w", err)
	}
	out := make([]DeptPeriodRow, len(rows))
	for i, r := range rows {
		out[i] = DeptPeriodRow{DepartmentID: r.DepartmentID, Period: r.Period, Reported: r.Reported, CompletedAt: time.Time(r.CompletedAt)}
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
