package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// TargetChange is one mid-year change of a metric's target: what it was,
// what it became, who changed it, when and why.
type TargetChange struct {
	ID        uint    `gorm:"primaryKey"`
	MetricID  uint    `gorm:"not null;index"`
	Metric    Metric  `gorm:"foreignKey:MetricID"`
	OldTarget float64 `gorm:"not null"`
	NewTarget float64 `gorm:"not null"`
	Reason    string  `gorm:"not null"`
	// ChangedBy is the coordinator's Telegram user id; 0 from the command line.
	ChangedBy int64     `gorm:"not null;default:0"`
	ChangedAt time.Time `gorm:"not null"`
}

// ChangeTarget sets the active metric c.MetricID's target to c.NewTarget
// and records the change, in one transaction: the metric keeps the target
// it replaces in PriorTarget, reports stay attached, and the plan year's
// revision moves so cached plans are read again. It fills c.OldTarget and
// c.ChangedAt; ErrNotFound when there is no such active metric.
func (s *Store) ChangeTarget(ctx context.Context, c *TargetChange) error {
	return s.Tx(ctx, func(tx *Store) error {
		var m Metric
		if err := tx.db.Where("active = ?", true).First(&m, c.MetricID).Error; err != nil {
			return fmt.Errorf("change target of metric %d: %w", c.MetricID, translate(err))
		}
		var t Task
		if err := tx.db.Select("id", "year").First(&t, m.TaskID).Error; err != nil {
			return fmt.Errorf("change target of metric %d: task: %w", c.MetricID, translate(err))
		}
		c.OldTarget, c.ChangedAt = m.Target, tx.now()
		if err := tx.db.Omit("Metric").Create(c).Error; err != nil {
			return fmt.Errorf("record target change: %w", translate(err))
		}
		err := tx.db.Model(&Metric{}).Where("id = ?", m.ID).Updates(map[string]any{
			"target": c.NewTarget, "prior_target": m.Target, "updated_at": c.ChangedAt}).Error
		if err != nil {
			return fmt.Errorf("change target of metric %d: %w", m.ID, err)
		}
		err = tx.db.Model(&planYear{}).Where("year = ?", t.Year).
			Update("revision", gorm.Expr("revision + 1")).Error
		if err != nil {
			return fmt.Errorf("change target: plan revision: %w", err)
		}
		return nil
	})
}

// TargetChanges returns a metric's target changes, oldest first.
func (s *Store) TargetChanges(ctx context.Context, metricID uint) ([]TargetChange, error) {
	var out []TargetChange
	if err := s.ctx(ctx).Where("metric_id = ?", metricID).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("target changes of metric %d: %w", metricID, err)
	}
	for i := range out {
		out[i].ChangedAt = out[i].ChangedAt.UTC()
	}
	return out, nil
}
