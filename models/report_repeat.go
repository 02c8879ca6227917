package models

import (
	"context"
	"errors"
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
// twice in a row: when the metric's current value for the period is equal
// to r's and was saved less than within ago, it is returned as Earlier (and
// in r) and no history row is added. That is the user entering again a
// value whose "saved" reply a crash kept from them.
func (s *Store) SaveReportOnce(ctx context.Context, r *Report, within time.Duration) (SaveResult, error) {
	var res SaveResult
	err := s.Tx(ctx, func(tx *Store) error {
		var cur Report
		err := tx.db.Where("metric_id = ? AND period = ? AND superseded_at IS NULL", r.MetricID, r.Period).First(&cur).Error
		switch {
		case err == nil && !sameKey(&cur, r) && cur.Value == r.Value && cur.ReportedAt.After(tx.now().Add(-within)):
			*r = cur
			res.Earlier = &cur
			return nil
		case err != nil && !errors.Is(translate(err), ErrNotFound):
			return err
		}
		res.Replaced, err = tx.saveReport(ctx, r)
		return err
	})
	if err != nil {
		return SaveResult{}, fmt.Errorf("save report once: %w", err)
	}
	return res, nil
}

// sameKey tells a repeated request (the same confirm delivered twice),
// which saveReport answers as such, from a new one.
func sameKey(a, b *Report) bool {
	return a.RequestKey != nil && b.RequestKey != nil && *a.RequestKey == *b.RequestKey
}
