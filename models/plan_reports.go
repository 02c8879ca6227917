package models

import (
	"context"
	"database/sql"
	"fmt"
)

// MetricKey names a metric by the plan's natural keys: department name,
// task number and metric name, the keys a plan file uses.
type MetricKey struct {
	Department string
	TaskSeq    int
	Metric     string
}

// MetricReportCounts returns how many reports (current and superseded) each
// metric has, for the metrics that have any. An import that would drop a
// metric asks this first: dropping one that carries reports needs --force.
func (s *Store) MetricReportCounts(ctx context.Context) (map[MetricKey]int64, error) {
	out := map[MetricKey]int64{}
	err := scanRows(s.ctx(ctx), func(rows *sql.Rows) error {
		var k MetricKey
		var n int64
		if err := rows.Scan(&k.Department, &k.TaskSeq, &k.Metric, &n); err != nil {
			return err
		}
		out[k] = n
		return nil
	}, `SELECT d.name, t.seq, m.name, COUNT(r.id)
		FROM reports r
		JOIN metrics m ON m.id = r.metric_id
		JOIN tasks t ON t.id = m.task_id
		JOIN departments d ON d.id = t.department_id
		GROUP BY d.name, t.seq, m.name`)
	if err != nil {
		return nil, fmt.Errorf("count reports by metric: %w", translate(err))
	}
	return out, nil
}
