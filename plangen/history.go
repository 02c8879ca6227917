package plangen

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/duban-bot/duban/calendar"
	"github.com/duban-bot/duban/models"
)

// History says which reports Fill generates.
type History struct {
	// Periods is how many periods, from the plan year's first, get reports.
	Periods int
	// Schedule gives the periods and deadlines; the zero value is the
	// design's monthly schedule in Asia/Shanghai.
	Schedule calendar.Schedule
	// Calendar gives the working days deadlines move by; nil is weekends only.
	Calendar *calendar.Calendar
	Seed     uint64
}

// Summary counts what Fill stored.
type Summary struct {
	Current, Superseded int
	Late                int // department-periods filed after the deadline
	Missing             int // department-periods with at least one metric left out
}

// Habit is how a department reports; Fill draws one per department.
type Habit int

// The habits, from most to least reliable. Most departments are Diligent.
const (
	Diligent Habit = iota // everything, before the deadline
	Tardy                 // everything, but every other period after the deadline
	Patchy                // now and then leaves one metric out
	Silent                // like Diligent, but nothing at all in the last period
)

// ReporterID is the Telegram ID Fill records as the reporter of a department.
func ReporterID(departmentID uint) int64 { return 9_000_000 + int64(departmentID) }

// flushEvery bounds the reports held in memory while filling a big plan.
const flushEvery = 50_000

// Fill generates History for every active metric of the plan in st and
// stores it. Values follow each metric's kind: cumulative totals grow month
// by month at a per-metric pace between about 55 % and 125 % of plan, rates
// and ranks hover around the target, milestones move from not started to
// done. A few values are filed twice, the first superseded by the second.
func Fill(ctx context.Context, st *models.Store, h History) (Summary, error) {
	years, err := st.PlanYears(ctx)
	if err != nil {
		return Summary{}, fmt.Errorf("plangen: %w", err)
	}
	if len(years) == 0 {
		return Summary{}, errors.New("plangen: the store holds no plan")
	}
	year := years[len(years)-1] // generated stores hold one year
	depts, err := st.Plan(ctx, year)
	if err != nil {
		return Summary{}, fmt.Errorf("plangen: %w", err)
	}
	periods := h.Schedule.PeriodsOfYear(year)
	if h.Periods < 0 || h.Periods > len(periods) {
		return Summary{}, fmt.Errorf("plangen: %d periods, the year has %d", h.Periods, len(periods))
	}
	g := generator{rng: rand.New(rand.NewPCG(h.Seed, 2)), h: h, periods: periods[:h.Periods], perYear: len(periods)}
	var batch []models.Report
	for _, d := range depts {
		batch = g.department(batch, d)
		if len(batch) >= flushEvery {
			if err := st.InsertReports(ctx, batch); err != nil {
				return g.sum, fmt.Errorf("plangen: %w", err)
			}
			batch = batch[:0]
		}
	}
	if err := st.InsertReports(ctx, batch); err != nil {
		return g.sum, fmt.Errorf("plangen: %w", err)
	}
	return g.sum, nil
}

// HabitOf returns the habit Fill gives the i-th department (0-based, plan
// order) under seed, so tests can predict who is late or missing.
func HabitOf(seed uint64, i int) Habit {
	rng := rand.New(rand.NewPCG(seed, 3+uint64(i)))
	switch n := rng.IntN(20); {
	case n == 0:
		return Silent
	case n <= 2:
		return Tardy
	case n <= 4:
		return Patchy
	}
	return Diligent
}

type generator struct {
	rng     *rand.Rand
	h       History
	periods []calendar.Period
	perYear int // periods in the whole year
	sum     Summary
	dept    int // index of the department being generated
}

func (g *generator) department(out []models.Report, d models.Department) []models.Report {
	habit := HabitOf(g.h.Seed, g.dept)
	g.dept++
	var metrics []models.Metric
	for _, t := range d.Tasks {
		metrics = append(metrics, t.Metrics...)
	}
	series := make([][]float64, len(metrics))
	for i, m := range metrics {
		series[i] = g.series(m)
	}
	for k, p := range g.periods {
		skip, late := g.plan(habit, k, len(metrics))
		deadline := g.h.Schedule.Deadline(g.h.Calendar, p)
		if late {
			g.sum.Late++
		}
		for i, m := range metrics {
			if skip[i] {
				continue
			}
			at := g.reportedAt(deadline, late)
			out = g.file(out, m, p.Key, series[i][k], at, ReporterID(d.ID))
		}
	}
	return out
}

// plan decides, for one department-period, which metrics are left out and
// whether the rest is filed late.
func (g *generator) plan(habit Habit, k, n int) (skip []bool, late bool) {
	skip = make([]bool, n)
	last := k == len(g.periods)-1
	switch {
	case habit == Silent && last:
		for i := range skip {
			skip[i] = true
		}
	case habit == Patchy && n > 0 && g.rng.IntN(3) == 0:
		skip[g.rng.IntN(n)] = true
	case habit == Tardy:
		late = k%2 == 1
	}
	if slices.Contains(skip, true) {
		g.sum.Missing++
	}
	return skip, late
}

// reportedAt is a working-hours instant one to four days before the
// deadline, or one to four days after it when late.
func (g *generator) reportedAt(deadline time.Time, late bool) time.Time {
	days := 1 + g.rng.IntN(4)
	if !late {
		days = -days
	}
	day := deadline.AddDate(0, 0, days)
	return time.Date(day.Year(), day.Month(), day.Day(), 9+g.rng.IntN(8), g.rng.IntN(60), 0, 0, day.Location())
}

// file appends the value, now and then preceded by a superseded first try.
func (g *generator) file(out []models.Report, m models.Metric, period string, v float64, at time.Time, who int64) []models.Report {
	if g.rng.IntN(50) == 0 {
		wrong := at.Add(-time.Hour)
		out = append(out, models.Report{
			MetricID: m.ID, Period: period, Value: round2(v * 0.9), Raw: "初报", ReporterID: who,
			ReportedAt: wrong, SupersededAt: &at,
		})
		g.sum.Superseded++
	}
	g.sum.Current++
	return append(out, models.Report{
		MetricID: m.ID, Period: period, Value: v, Raw: fmt.Sprint(v), ReporterID: who, ReportedAt: at,
	})
}

// series is the metric's reported value in each period, by its kind.
func (g *generator) series(m models.Metric) []float64 {
	out := make([]float64, len(g.periods))
	pace := 0.55 + 0.7*g.rng.Float64()
	start, done := 1+g.rng.IntN(6), 4+g.rng.IntN(10)
	for k := range out {
		month := float64(k+1) / float64(g.perYear)
		switch {
		case m.Kind == "cumulative":
			out[k] = round2(m.Target * month * pace)
		case m.Kind == "rank":
			out[k] = math.Max(1, m.Target+float64(g.rng.IntN(4)-1))
		case m.Kind == "milestone":
			out[k] = milestone(k+1, start, done)
		case m.Direction == "at_most":
			out[k] = round2(m.Target * (0.9 + 0.25*g.rng.Float64()))
		default:
			out[k] = round2(m.Target * (0.7 + 0.4*g.rng.Float64()))
		}
	}
	return out
}

func milestone(period, start, done int) float64 {
	switch {
	case period >= done:
		return 1
	case period >= start:
		return 0.5
	}
	return 0
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
