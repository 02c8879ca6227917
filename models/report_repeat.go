package models

import (
	"context"
	"fmt"
	"time"
)

// SaveResult is what SaveReportOnce did.
type SaveResult struct {
	// Replaced is the value the save superseded, nil when none.
	Replaced *Report
	// Revision is the revision of the department's reports after the
	// save's insert; 0 when nothing was written.
	Revision int64
	// Earlier is set when the same value was already the current one,
	// saved within the window: nothing was written and r is that report.
	Earlier *Report
}

// SaveReportOnce is SaveReportReplacing that refuses to file the same value
// twice in a row: when the metric's current value for the period equals
// r's and was saved less than within ago, it is returned as Earlier (and
// in r) and no history row is added. That is the user entering again a
// value whose "saved" reply a crash kept from them. A repeated request
// (same RequestKey) is answered as SaveReport does.
func (s *Store) SaveReportOnce(ctx context.Context, r *Report, within time.Duration) (SaveResult, error) {
	var res SaveResult
	err := s.atomically(ctx, func(tx *Store) error {
		rev, err := tx.bumpReports(r.MetricID)
		if err != nil {
			return err
		}
		repeat, old, err := tx.repeatOrCurrent(r)
		if err != nil || repeat {
			return err
		}
		if n := len(old); n > 0 && old[n-1].Value == r.Value && old[n-1].ReportedAt.After(tx.now().Add(-within)) {
			res.Earlier = &old[n-1]
			*r = old[n-1]
			return nil
		}
		res.Replaced, res.Revision, err = tx.supersede(r, old, rev)
		return err
	})
	if err != nil {
		return SaveResult{}, fmt.Errorf("save report metric=%d period=%s: %w", r.MetricID, r.Period, translate(err))
	}
	return res, nil
}

// atomically runs fn in a transaction, or in the caller's when s is one
// already: a nested GORM transaction costs a SAVEPOINT, and the caller
// rolls back on the error anyway.
func (s *Store) atomically(ctx context.Context, fn func(tx *Store) error) error {
	if s.inTx {
		return fn(s)
	}
	return s.Tx(ctx, fn)
}

// repeatOrCurrent is repeatOf and currentReports in one query: the report
// saved with r's request key, and the current values of r's metric and
// period.
func (s *Store) repeatOrCurrent(r *Report) (bool, []Report, error) {
	if r.RequestKey == nil {
		old, err := s.currentReports(r)
		return false, old, err
	}
	var rows []Report
	err := s.db.Where("request_key = ? OR (metric_id = ? AND period = ? AND superseded_at IS NULL)",
		*r.RequestKey, r.MetricID, r.Period).Order("id").Find(&rows).Error
	if err != nil {
		return false, nil, err
	}
	var old []Report
	for _, prev := range rows {
		if prev.RequestKey == nil || *prev.RequestKey != *r.RequestKey {
			old = append(old, prev)
			continue
		}
		if prev.MetricID != r.MetricID || prev.Period != r.Period || prev.Value != r.Value {
			return false, nil, fmt.Errorf("key %q holds metric=%d period=%s value=%v: %w",
				*r.RequestKey, prev.MetricID, prev.Period, prev.Value, ErrKeyReused)
		}
		*r = prev
		return true, nil, nil
	}
	return false, old, nil
}
