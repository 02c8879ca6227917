package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
)

// reportRevision counts the writes to a department's reports: every insert
// of a report bumps its department's row in the same transaction (see
// bumpReports), whichever process makes it. Equal revisions mean the same
// reports, so values read at a revision stay current until it moves.
type reportRevision struct {
	DepartmentID uint  `gorm:"primaryKey;autoIncrement:false"`
	Revision     int64 `gorm:"not null;default:0"`
}

func (reportRevision) TableName() string { return "report_revisions" }

// bumpReports bumps the revision of the department of metricID's reports
// and returns it. Call it first in the transaction that writes them: on
// PostgreSQL the row lock it takes makes the department's writers wait for
// each other, so the current value each then reads is the one committed
// last (two confirms of one metric at once both superseded the same row,
// and the second insert broke the one-current-value index). The row is
// created on the department's first report. (The upsert alone would do
// both, but costs SQLite three times the UPDATE on every report.)
func (s *Store) bumpReports(metricID uint) (int64, error) {
	var rev int64
	err := s.db.Raw("UPDATE report_revisions SET revision = revision + 1 WHERE department_id = "+
		"(SELECT t.department_id FROM metrics m JOIN tasks t ON t.id = m.task_id WHERE m.id = ?) RETURNING revision",
		metricID).Row().Scan(&rev)
	if errors.Is(err, sql.ErrNoRows) {
		err = s.db.Raw("INSERT INTO report_revisions (department_id, revision) "+
			"SELECT t.department_id, 1 FROM metrics m JOIN tasks t ON t.id = m.task_id WHERE m.id = ? "+
			"ON CONFLICT (department_id) DO UPDATE SET revision = report_revisions.revision + 1 RETURNING revision",
			metricID).Row().Scan(&rev)
	}
	if err != nil {
		return 0, fmt.Errorf("bump reports revision of metric %d: %w", metricID, err)
	}
	return rev, nil
}

// bumpAllReports bumps the revision of every department, for bulk writes.
func (s *Store) bumpAllReports() error {
	err := s.db.Exec("INSERT INTO report_revisions (department_id, revision) SELECT id, 1 FROM departments WHERE true " +
		"ON CONFLICT (department_id) DO UPDATE SET revision = report_revisions.revision + 1").Error
	if err != nil {
		return fmt.Errorf("bump reports revisions: %w", err)
	}
	return nil
}

// ReportStamp is the revision of a department's reports as the update's
// arrival read it (see Arrive), with the cache generation it was read at.
type ReportStamp struct {
	Department uint
	Revision   int64
	gen        generation
}

// After is the stamp moved to rev, a revision this update's own save
// returned, for RememberLatest once that save has committed.
func (st ReportStamp) After(rev int64) ReportStamp {
	st.Revision = rev
	return st
}

type valuesKey struct {
	dept   uint
	period string
}

type valuesEntry struct {
	revision int64
	ids      []uint
	latest   map[uint]Report
}

// DepartmentLatest is LatestReports for the metrics ids of the stamp's
// department, through the hot cache: values read at the stamp's revision
// are returned without a query. The map returned is shared: do not change
// it. Inside a transaction it always reads (the transaction may hold
// writes of its own that are not committed).
func (s *Store) DepartmentLatest(ctx context.Context, stamp ReportStamp, maxPeriod string, ids []uint) (map[uint]Report, error) {
	if s.hot == nil || stamp.Department == 0 {
		return s.latestReports(ctx, maxPeriod, ids...)
	}
	h := s.hot
	h.mu.Lock()
	e, ok := h.values[valuesKey{stamp.Department, maxPeriod}]
	h.mu.Unlock()
	if ok && e.revision == stamp.Revision && slices.Equal(e.ids, ids) {
		return e.latest, nil
	}
	latest, err := s.latestReports(ctx, maxPeriod, ids...)
	if err != nil {
		return nil, err
	}
	// Read after the stamp, latest holds at least the stamp's reports; if
	// more were written meanwhile, the revision has moved past the stamp's
	// and no later arrival finds this entry current.
	s.RememberLatest(stamp, maxPeriod, ids, latest)
	return latest, nil
}

// RememberLatest keeps latest, the values of ids up to maxPeriod as of
// stamp, for DepartmentLatest. Call it only with committed values.
func (s *Store) RememberLatest(stamp ReportStamp, maxPeriod string, ids []uint, latest map[uint]Report) {
	if s.hot == nil || stamp.Department == 0 {
		return
	}
	h := s.hot
	h.store(stamp.gen, func() {
		h.values[valuesKey{stamp.Department, maxPeriod}] = valuesEntry{revision: stamp.Revision, ids: slices.Clone(ids), latest: latest}
	})
}
