package models

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Report is one value for a metric in a reporting period. A correction
// supersedes the earlier value; nothing is ever deleted.
type Report struct {
	ID       uint   `gorm:"primaryKey"`
	MetricID uint   `gorm:"not null;index:idx_report_metric_period,priority:1;uniqueIndex:idx_report_current,where:superseded_at IS NULL"`
	Metric   Metric `gorm:"foreignKey:MetricID"`
	Period   string `gorm:"not null;index:idx_report_metric_period,priority:2;uniqueIndex:idx_report_current,where:superseded_at IS NULL"`
	Value    float64
	Raw      string `gorm:"not null;default:''"` // what the user typed or pressed
	Note     string `gorm:"not null;default:''"`
	// ReporterID is the Telegram user who entered the value.
	ReporterID int64 `gorm:"not null"`
	// OnBehalf is set when a coordinator entered the value for the department.
	OnBehalf   bool      `gorm:"not null;default:false"`
	Late       bool      `gorm:"not null;default:false"`
	ReportedAt time.Time `gorm:"not null"`
	// RequestKey makes saving idempotent: the same confirm delivered twice
	// carries the same key and stores one value.
	RequestKey     *string `gorm:"uniqueIndex"`
	SupersededAt   *time.Time
	SupersededByID *uint
}

// SaveReport stores r as the current value of its metric for its period,
// superseding the previous one in the same transaction. When a report with
// the same RequestKey exists, it is returned in r and nothing is written:
// that makes a duplicate confirm harmless.
func (s *Store) SaveReport(ctx context.Context, r *Report) error {
	err := s.Tx(ctx, func(tx *Store) error {
		if r.RequestKey != nil {
			var prev Report
			err := tx.db.Where("request_key = ?", *r.RequestKey).First(&prev).Error
			if err == nil {
				*r = prev
				return nil
			}
			if !errors.Is(translate(err), ErrNotFound) {
				return err
			}
		}
		return tx.insertReport(r)
	})
	if err != nil {
		return fmt.Errorf("save report metric=%d period=%s: %w", r.MetricID, r.Period, translate(err))
	}
	return nil
}

func (s *Store) insertReport(r *Report) error {
	now := s.now()
	if r.ReportedAt.IsZero() {
		r.ReportedAt = now
	}
	r.ReportedAt = r.ReportedAt.UTC()
	var old []Report
	err := s.db.Where("metric_id = ? AND period = ? AND superseded_at IS NULL", r.MetricID, r.Period).
		Find(&old).Error
	if err != nil {
		return err
	}
	// Mark the old value superseded before inserting, so the partial unique
	// index (one current value per metric and period) holds at every step.
	for _, o := range old {
		if err := s.db.Model(&Report{}).Where("id = ?", o.ID).Update("superseded_at", now).Error; err != nil {
			return err
		}
	}
	r.ID, r.SupersededAt, r.SupersededByID = 0, nil, nil
	if err := s.db.Omit("Metric").Create(r).Error; err != nil {
		return err
	}
	for _, o := range old {
		if err := s.db.Model(&Report{}).Where("id = ?", o.ID).Update("superseded_by_id", r.ID).Error; err != nil {
			return err
		}
	}
	return nil
}

// PeriodReports returns the current values filed for a period, per metric;
// with metricIDs, for those metrics only.
func (s *Store) PeriodReports(ctx context.Context, period string, metricIDs ...uint) (map[uint]Report, error) {
	var rows []Report
	q := s.ctx(ctx).Where("period = ? AND superseded_at IS NULL", period)
	if len(metricIDs) > 0 {
		q = q.Where("metric_id IN ?", metricIDs)
	}
	err := q.Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("reports of %s: %w", period, err)
	}
	out := make(map[uint]Report, len(rows))
	for _, r := range rows {
		out[r.MetricID] = r
	}
	return out, nil
}

// MetricHistory returns every value ever filed for a metric, superseded ones
// included, oldest first.
func (s *Store) MetricHistory(ctx context.Context, metricID uint) ([]Report, error) {
	var rows []Report
	err := s.ctx(ctx).Where("metric_id = ?", metricID).Order("period, id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("history of metric %d: %w", metricID, err)
	}
	return rows, nil
}

// Metric finds a metric with its task.
func (s *Store) Metric(ctx context.Context, id uint) (Metric, Task, error) {
	var m Metric
	var t Task
	if err := s.ctx(ctx).First(&m, id).Error; err != nil {
		return m, t, fmt.Errorf("metric %d: %w", id, translate(err))
	}
	if err := s.ctx(ctx).First(&t, m.TaskID).Error; err != nil {
		return m, t, fmt.Errorf("task %d: %w", m.TaskID, translate(err))
	}
	return m, t, nil
}

// SaveReportWithDialog saves a report and the dialog state that follows it
// in one transaction, so a confirmed value and the dialog's next step never
// disagree after a crash.
func (s *Store) SaveReportWithDialog(ctx context.Context, r *Report, d *DialogState) error {
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.SaveReport(ctx, r); err != nil {
			return err
		}
		return tx.SaveDialog(ctx, d)
	})
}
