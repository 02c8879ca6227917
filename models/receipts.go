package models

import (
	"context"
	"fmt"
	"time"
)

// Receipt is the first 收到 pressed on any of a department's notices for a
// period: who acknowledged it, when, and on which rung.
type Receipt struct {
	DepartmentID uint
	Period       string
	Rung         string
	AckedBy      int64
	AckedAt      time.Time
}

// Receipts returns, per department, the first acknowledged notice of
// period, in one query. Departments whose notices nobody acknowledged (or
// that got none) are absent. Lists to coordinators (department 0) do not
// count: only a department's own notice says that it was read there.
func (s *Store) Receipts(ctx context.Context, period string) (map[uint]Receipt, error) {
	var rows []Notice
	err := s.ctx(ctx).Select("department_id, period, rung, acked_by, acked_at").
		Where("period = ? AND department_id <> 0 AND acked_at IS NOT NULL", period).
		Order("acked_at, id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("receipts of %s: %w", period, err)
	}
	out := make(map[uint]Receipt, len(rows))
	for _, n := range rows {
		if _, seen := out[n.DepartmentID]; seen {
			continue
		}
		out[n.DepartmentID] = Receipt{DepartmentID: n.DepartmentID, Period: n.Period, Rung: n.Rung,
			AckedBy: n.AckedBy, AckedAt: *n.AckedAt}
	}
	return out, nil
}

// NoticedDepartments returns the departments that were sent at least one
// notice of period: with Receipts it tells 未读 (noticed, not acknowledged)
// from never noticed.
func (s *Store) NoticedDepartments(ctx context.Context, period string) (map[uint]bool, error) {
	var ids []uint
	err := s.ctx(ctx).Model(&Notice{}).Distinct("department_id").
		Where("period = ? AND department_id <> 0", period).Pluck("department_id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("noticed departments of %s: %w", period, err)
	}
	out := make(map[uint]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// DepartmentPeriodCompletion is PeriodCompletion for one department: the
// drill-down's reporting record, without reading the whole city's reports.
func (s *Store) DepartmentPeriodCompletion(ctx context.Context, deptID uint, periods []string, asOf time.Time) ([]DeptPeriodRow, error) {
	return s.periodCompletion(ctx, periods, asOf, deptID)
}
