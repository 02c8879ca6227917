package models

import (
	"context"
	"fmt"

	"gorm.io/gorm/clause"
)

// bulkBatch keeps a multi-row INSERT under SQLite's 32766 and PostgreSQL's
// 65535 bind parameters for the widest row (a report has 12 columns).
const bulkBatch = 2000

// CreatePlan inserts a whole plan into an empty store, a level at a time
// (departments, tasks, metrics) in batches: the fast path for generated
// plans of thousands of departments, where SyncPlan's per-row upserts would
// take minutes. It sets the IDs in depts. It fails on a store that already
// holds any of the department names (of any year); use SyncPlan to update a
// plan or to add a year.
func (s *Store) CreatePlan(ctx context.Context, year int, depts []Department) error {
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.savePlanYear(year); err != nil {
			return fmt.Errorf("create plan: year: %w", err)
		}
		if err := tx.db.Omit(clause.Associations).CreateInBatches(depts, bulkBatch).Error; err != nil {
			return fmt.Errorf("create plan: departments: %w", translate(err))
		}
		var tasks []*Task
		for i := range depts {
			for j := range depts[i].Tasks {
				depts[i].Tasks[j].DepartmentID, depts[i].Tasks[j].Year = depts[i].ID, year
				tasks = append(tasks, &depts[i].Tasks[j])
			}
		}
		if err := tx.db.Omit(clause.Associations).CreateInBatches(tasks, bulkBatch).Error; err != nil {
			return fmt.Errorf("create plan: tasks: %w", translate(err))
		}
		var metrics []*Metric
		for _, t := range tasks {
			for k := range t.Metrics {
				t.Metrics[k].TaskID, t.Metrics[k].Active = t.ID, true
				metrics = append(metrics, &t.Metrics[k])
			}
		}
		if err := tx.db.CreateInBatches(metrics, bulkBatch).Error; err != nil {
			return fmt.Errorf("create plan: metrics: %w", translate(err))
		}
		return nil
	})
}

// InsertReports stores reports as they are, in batches and one transaction,
// without SaveReport's superseding: for generated history, where the caller
// sets SupersededAt on the values it means to be corrected. Zero
// ReportedAt becomes the store's now; times are stored in UTC.
func (s *Store) InsertReports(ctx context.Context, reports []Report) error {
	now := s.now()
	for i := range reports {
		r := &reports[i]
		if r.ReportedAt.IsZero() {
			r.ReportedAt = now
		}
		r.ReportedAt = r.ReportedAt.UTC()
		if r.SupersededAt != nil {
			at := r.SupersededAt.UTC()
			r.SupersededAt = &at
		}
	}
	err := s.Tx(ctx, func(tx *Store) error {
		if err := tx.db.Omit("Metric").CreateInBatches(reports, bulkBatch).Error; err != nil {
			return err
		}
		return tx.bumpAllReports()
	})
	if err != nil {
		return fmt.Errorf("insert %d reports: %w", len(reports), translate(err))
	}
	return nil
}
