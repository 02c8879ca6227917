package models

import (
	"context"
	"slices"
)

// ReportStamp is the count of a department's reports as the update's
// arrival read it (see Arrive), with the cache generation it was read at.
// Reports are never deleted and a correction adds a row, so while the plan
// stays the same two equal counts mean the same reports: values read at a
// count stay current until the count moves.
type ReportStamp struct {
	Department uint
	Count      int64
	gen        generation
}

// Saved is the stamp after this update's own save of n new rows, for
// RememberLatest once that save has committed.
func (st ReportStamp) Saved(n int) ReportStamp {
	st.Count += int64(n)
	return st
}

type valuesKey struct {
	dept   uint
	period string
}

type valuesEntry struct {
	count  int64
	ids    []uint
	latest map[uint]Report
}

// DepartmentLatest is LatestReports for the metrics ids of the stamp's
// department, through the hot cache: values read at the stamp's count are
// returned without a query. The map returned is shared: do not change it.
// Inside a transaction it always reads (the transaction may hold writes
// of its own that are not committed).
func (s *Store) DepartmentLatest(ctx context.Context, stamp ReportStamp, maxPeriod string, ids []uint) (map[uint]Report, error) {
	if s.hot == nil || stamp.Department == 0 {
		return s.latestReports(ctx, maxPeriod, ids...)
	}
	h := s.hot
	h.mu.Lock()
	e, ok := h.values[valuesKey{stamp.Department, maxPeriod}]
	h.mu.Unlock()
	if ok && e.count == stamp.Count && slices.Equal(e.ids, ids) {
		return e.latest, nil
	}
	latest, err := s.latestReports(ctx, maxPeriod, ids...)
	if err != nil {
		return nil, err
	}
	// Read after the stamp, latest holds at least the stamp's reports: if
	// more were filed meanwhile, the count has moved past the stamp's and
	// no later arrival finds this entry current.
	s.RememberLatest(stamp, maxPeriod, ids, latest)
	return latest, nil
}

// RememberLatest keeps latest, the values of ids up to maxPeriod read at
// (or after) stamp, for DepartmentLatest. Call it only with committed
// values.
func (s *Store) RememberLatest(stamp ReportStamp, maxPeriod string, ids []uint, latest map[uint]Report) {
	if s.hot == nil || stamp.Department == 0 {
		return
	}
	h := s.hot
	h.store(stamp.gen, func() {
		h.values[valuesKey{stamp.Department, maxPeriod}] = valuesEntry{count: stamp.Count, ids: slices.Clone(ids), latest: latest}
	})
}
