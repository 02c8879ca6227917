package progress

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/duban-bot/duban/models"
)

// Reader is what building a snapshot needs from the store.
type Reader interface {
	Plan(ctx context.Context, year int) ([]models.Department, error)
	LatestReports(ctx context.Context, maxPeriod string, metricIDs ...uint) (map[uint]models.Report, error)
}

// SharedReader is what a Reader also offers when it keeps the plan and the
// latest values in memory: it lends them instead of copying them, and Build
// only reads them (a snapshot copies each metric it keeps and points at
// the lent reports, which are never changed). For a city of 50,000
// metrics an overview allocated 55 MB with the copies, 14 MB without.
type SharedReader interface {
	SharedPlan(ctx context.Context, year int) ([]models.Department, error)
	SharedLatestReports(ctx context.Context, maxPeriod string) (map[uint]*models.Report, error)
}

// Snapshot is the whole plan's progress at one instant: the one computation
// behind /status, `duban status`, the digest and the exports.
type Snapshot struct {
	Year        int
	At          time.Time
	Period      string  // the reporting period at At
	Share       float64 // 序时进度
	Counts      Counts
	Departments []DepartmentStatus
}

// DepartmentStatus is one department's progress.
type DepartmentStatus struct {
	ID     uint
	Name   string
	Counts Counts
	// ReportedThisPeriod counts the metrics with a value for Snapshot.Period.
	ReportedThisPeriod int
	Tasks              []TaskStatus
}

// Metrics returns the number of metrics of the department.
func (d DepartmentStatus) Metrics() int { return d.Counts.Total() }

// TaskStatus is one task's progress.
type TaskStatus struct {
	ID      uint
	Seq     int
	Title   string
	Text    string
	Counts  Counts
	Metrics []MetricStatus
}

// MetricStatus is one metric's latest value and its evaluation.
type MetricStatus struct {
	Metric models.Metric
	Latest *models.Report
	Eval   Evaluation
	// AwaitingReview is true for a metric that needs approved evidence
	// (evidence: required) whose latest period has none yet: shown as 待审核,
	// and never green.
	AwaitingReview bool
}

// Options say at which instant and by which rules a snapshot is built.
type Options struct {
	// Year is the plan year read; 0 is the year that contains At. A year
	// without a plan gives a snapshot without departments.
	Year       int
	At         time.Time
	Loc        *time.Location
	Period     string // the reporting period at At; reports of later periods are ignored
	Thresholds Thresholds
}

// Build reads the year's plan and the latest values (three plus one
// queries, whatever the plan's size) and evaluates every metric.
func Build(ctx context.Context, r Reader, o Options) (Snapshot, error) {
	year := o.Year
	if year == 0 {
		year = o.At.In(cmp.Or(o.Loc, time.UTC)).Year()
	}
	depts, latest, err := read(ctx, r, year, o.Period)
	if err != nil {
		return Snapshot{}, fmt.Errorf("build snapshot: %w", err)
	}
	approved, err := approvedEvidence(ctx, r, depts)
	if err != nil {
		return Snapshot{}, fmt.Errorf("build snapshot: %w", err)
	}
	s := Snapshot{Year: year, At: o.At, Period: o.Period, Share: YearShare(year, o.At, o.Loc)}
	s.Departments = make([]DepartmentStatus, len(depts))
	for i, d := range depts {
		s.Departments[i] = s.department(d, latest, approved, o.Thresholds)
		s.Counts = s.Counts.Plus(s.Departments[i].Counts)
	}
	return s, nil
}

// read returns the year's plan and the latest values up to maxPeriod,
// lent by a SharedReader, or else read and pointed into one slice.
func read(ctx context.Context, r Reader, year int, maxPeriod string) ([]models.Department, map[uint]*models.Report, error) {
	if sr, ok := r.(SharedReader); ok {
		depts, err := sr.SharedPlan(ctx, year)
		if err != nil {
			return nil, nil, err
		}
		latest, err := sr.SharedLatestReports(ctx, maxPeriod)
		return depts, latest, err
	}
	depts, err := r.Plan(ctx, year)
	if err != nil {
		return nil, nil, err
	}
	values, err := r.LatestReports(ctx, maxPeriod)
	if err != nil {
		return nil, nil, err
	}
	slab := make([]models.Report, 0, len(values))
	latest := make(map[uint]*models.Report, len(values))
	for id, rep := range values {
		slab = append(slab, rep) // within capacity: pointers stay valid
		latest[id] = &slab[len(slab)-1]
	}
	return depts, latest, nil
}

func (s Snapshot) department(d models.Department, latest map[uint]*models.Report, approved map[uint]map[string]bool, th Thresholds) DepartmentStatus {
	ds := DepartmentStatus{ID: d.ID, Name: d.Name, Tasks: make([]TaskStatus, len(d.Tasks))}
	n := 0
	for _, t := range d.Tasks {
		n += len(t.Metrics)
	}
	// One slab per department for the metrics: a city-wide overview would
	// otherwise make 50,000 small allocations.
	metrics := make([]MetricStatus, n)
	for i, t := range d.Tasks {
		ts := TaskStatus{ID: t.ID, Seq: t.Seq, Title: t.Title, Text: t.Text, Metrics: metrics[:len(t.Metrics):len(t.Metrics)]}
		metrics = metrics[len(t.Metrics):]
		for j, m := range t.Metrics {
			ms := MetricStatus{Metric: m}
			var value *float64
			if rep, ok := latest[m.ID]; ok {
				ms.Latest = rep
				value = &ms.Latest.Value
				if rep.Period == s.Period {
					ds.ReportedThisPeriod++
				}
			}
			ms.Eval = Evaluate(MetricOf(m), value, s.Share, th)
			if m.EvidenceRequired && ms.Latest != nil && !approved[t.ID][ms.Latest.Period] {
				ms.AwaitingReview = true
				if ms.Eval.Light == Green {
					ms.Eval.Light = Yellow
				}
			}
			ts.Counts.Add(ms.Eval.Light)
			ts.Metrics[j] = ms
		}
		ds.Counts = ds.Counts.Plus(ts.Counts)
		ds.Tasks[i] = ts
	}
	return ds
}

// MetricOf turns a stored metric into the rule's input.
func MetricOf(m models.Metric) Metric {
	return Metric{Kind: Kind(m.Kind), Direction: Direction(m.Direction), Target: m.Target}
}

// Department finds a department of the snapshot by name.
func (s Snapshot) Department(name string) (DepartmentStatus, bool) {
	for _, d := range s.Departments {
		if d.Name == name {
			return d, true
		}
	}
	return DepartmentStatus{}, false
}

// Plus returns the sum of two counts.
func (c Counts) Plus(o Counts) Counts {
	return Counts{Green: c.Green + o.Green, Yellow: c.Yellow + o.Yellow, Red: c.Red + o.Red, Grey: c.Grey + o.Grey}
}
