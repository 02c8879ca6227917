package models

import (
	"context"
	"fmt"
	"time"
)

// Nudge records a coordinator's 催办 of a department for a period.
type Nudge struct {
	ID           uint      `gorm:"primaryKey"`
	DepartmentID uint      `gorm:"not null;index:idx_nudge_dept,priority:1"`
	Period       string    `gorm:"not null"`
	By           int64     `gorm:"not null"`
	At           time.Time `gorm:"not null;index:idx_nudge_dept,priority:2"`
}

// RecordNudge stores a nudge unless the department was nudged less than
// minGap ago; ok is false then, and nothing is written. The check and the
// insert share one (immediate) transaction, so two coordinators pressing at
// once record one nudge.
func (s *Store) RecordNudge(ctx context.Context, deptID uint, period string, by int64, minGap time.Duration) (n Nudge, ok bool, err error) {
	now := s.now()
	err = s.Tx(ctx, func(tx *Store) error {
		var recent int64
		if err := tx.db.Model(&Nudge{}).Where("department_id = ? AND at > ?", deptID, now.Add(-minGap)).
			Count(&recent).Error; err != nil {
			return err
		}
		if recent > 0 {
			return nil
		}
		n = Nudge{DepartmentID: deptID, Period: period, By: by, At: now}
		ok = true
		return tx.db.Create(&n).Error
	})
	if err != nil {
		return Nudge{}, false, fmt.Errorf("nudge department %d: %w", deptID, err)
	}
	return n, ok, nil
}
