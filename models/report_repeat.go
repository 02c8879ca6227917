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
	err := s.Tx(ctx, func(tx *Store) error {
		repeat, err := tx.repeatOf(r)
		if err != nil || repeat {
			return err
		}
		old, err := tx.currentReports(r)
		if err != nil {
			return err
		}
		if n := len(old); n > 0 && old[n-1].Value == r.Value && old[n-1].ReportedAt.After(tx.now().Add(-within)) {
			res.Earlier = &old[n-1]
			*r = old[n-1]
			return nil
		}
		res.Replaced, err = tx.supersede(r, old)
		return err
	})
	if err != nil {
		return SaveResult{}, fmt.Errorf("save report metric=%d period=%s: %w", r.MetricID, r.Period, translate(err))
	}
	return res, nil
}
