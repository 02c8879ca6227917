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
	MetricID uint   `gorm:"not null;index:idx_report_first,priority:1;uniqueIndex:idx_report_current,where:superseded_at IS NULL"`
	Metric   Metric `gorm:"foreignKey:MetricID"`
	Period   string `gorm:"not null;index:idx_report_first,priority:2;uniqueIndex:idx_report_current,where:superseded_at IS NULL"`
	Value    float64
	Raw      string `gorm:"not null;default:''"` // what the user typed or pressed
	Note     string `gorm:"not null;default:''"`
	// ReporterID is the Telegram user who entered the value.
	ReporterID int64 `gorm:"not null"`
	// OnBehalf is set when a coordinator entered the value for the department.
	OnBehalf bool `gorm:"not null;default:false"`
	Late     bool `gorm:"not null;default:false"`
	// ReportedAt ends idx_report_first (metric_id, period, reported_at), which
	// holds everything the reporting record reads: each metric's first value
	// of a period is found without touching the table (migration step 5).
	ReportedAt time.Time `gorm:"not null;index:idx_report_first,priority:3"`
	// RequestKey makes saving idempotent: the same confirm delivered twice
	// carries the same key and stores one value.
	RequestKey     *string `gorm:"uniqueIndex"`
	SupersededAt   *time.Time
	SupersededByID *uint
}

// ErrKeyReused means a save carried the request key of an earlier report
// for a different metric, period or value: saving it would either drop the
// new value or overwrite the old one, so nothing is written.
var ErrKeyReused = errors.New("request key already used for another value")

// SaveReport stores r as the current value of its metric for its period,
// superseding the previous one in the same transaction.
//
// When a report with the same RequestKey exists and confirms the same
// metric, period and value, it is a repeat: the earlier report is returned
// in r and nothing is written. A known key with anything else is
// ErrKeyReused.
func (s *Store) SaveReport(ctx context.Context, r *Report) error {
	_, err := s.saveReport(ctx, r)
	return err
}

// saveReport is SaveReport that also returns the value it superseded (nil
// when there was none, or on a repeat).
func (s *Store) saveReport(ctx context.Context, r *Report) (*Report, error) {
	var replaced *Report
	err := s.Tx(ctx, func(tx *Store) error {
		rev, err := tx.bumpReports(r.MetricID)
		if err != nil {
			return err
		}
		repeat, err := tx.repeatOf(r)
		if err != nil || repeat {
			return err
		}
		replaced, err = tx.insertReport(r, rev)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("save report metric=%d period=%s: %w", r.MetricID, r.Period, translate(err))
	}
	return replaced, nil
}

// repeatOf reports whether r's request key was saved before for the same
// metric, period and value; the earlier report then replaces r.
func (s *Store) repeatOf(r *Report) (bool, error) {
	if r.RequestKey == nil {
		return false, nil
	}
	var prev Report
	err := s.db.Where("request_key = ?", *r.RequestKey).First(&prev).Error
	if errors.Is(translate(err), ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if prev.MetricID != r.MetricID || prev.Period != r.Period || prev.Value != r.Value {
		return false, fmt.Errorf("key %q holds metric=%d period=%s value=%v: %w",
			*r.RequestKey, prev.MetricID, prev.Period, prev.Value, ErrKeyReused)
	}
	*r = prev
	return true, nil
}

func (s *Store) insertReport(r *Report, rev int64) (*Report, error) {
	old, err := s.currentReports(r)
	if err != nil {
		return nil, err
	}
	replaced, _, err := s.supersede(r, old, rev)
	return replaced, err
}

// currentReports returns the current values of r's metric and period
// (one, or none).
func (s *Store) currentReports(r *Report) ([]Report, error) {
	var old []Report
	err := s.db.Where("metric_id = ? AND period = ? AND superseded_at IS NULL", r.MetricID, r.Period).
		Find(&old).Error
	return old, err
}

// supersede stores r in place of old, the current values, in a
// transaction that began with bumpReports (which returned rev). It returns
// the value replaced (nil when none) and rev.
func (s *Store) supersede(r *Report, old []Report, rev int64) (*Report, int64, error) {
	now := s.now()
	if r.ReportedAt.IsZero() {
		r.ReportedAt = now
	}
	r.ReportedAt = r.ReportedAt.UTC()
	// Mark the old value superseded before inserting, so the partial unique
	// index (one current value per metric and period) holds at every step.
	for _, o := range old {
		if err := s.db.Model(&Report{}).Where("id = ?", o.ID).Update("superseded_at", now).Error; err != nil {
			return nil, 0, err
		}
	}
	r.ID, r.SupersededAt, r.SupersededByID = 0, nil, nil
	if err := s.db.Omit("Metric").Create(r).Error; err != nil {
		return nil, 0, err
	}
	for _, o := range old {
		if err := s.db.Model(&Report{}).Where("id = ?", o.ID).Update("superseded_by_id", r.ID).Error; err != nil {
			return nil, 0, err
		}
	}
	if len(old) == 0 {
		return nil, rev, nil
	}
	return &old[len(old)-1], rev, nil
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

// SaveReportReplacing is SaveReport that also returns the value it
// superseded: nil when the metric had no value for the period, or when the
// save was a repeat of the same request.
func (s *Store) SaveReportReplacing(ctx context.Context, r *Report) (*Report, error) {
	return s.saveReport(ctx, r)
}
