package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/duban-bot/duban/bot"
	"github.com/duban-bot/duban/progress"
	"github.com/duban-bot/duban/seeds"
)

// statusMetric is a plan metric with its latest value, as `status --json` prints it.
type statusMetric struct {
	seeds.Metric
	// PriorTarget is the target before the latest mid-year change.
	PriorTarget   *float64   `json:"prior_target,omitempty"`
	Latest        any        `json:"latest"`
	Period        *string    `json:"period"`
	ReportedAt    *time.Time `json:"reported_at"`
	Progress      *float64   `json:"progress"`
	Light         string     `json:"light"`
	Gap           *float64   `json:"gap"`
	Projection    *float64   `json:"projection"`
	MonthlyNeeded *float64   `json:"monthly_needed,omitempty"`
}

type statusTask struct {
	Seq     int            `json:"seq"`
	Title   string         `json:"title"`
	Text    string         `json:"text"`
	Metrics []statusMetric `json:"metrics"`
}

type statusDept struct {
	Name   string          `json:"name"`
	Lights progress.Counts `json:"lights"`
	Tasks  []statusTask    `json:"tasks"`
}

type statusDoc struct {
	Year int `json:"year"`
	// Active is true when Year is the year that contains now (or --at) and
	// has a plan: false for an earlier year, and when today's year has none.
	Active      bool         `json:"active"`
	Years       []int        `json:"years"` // every year with a plan
	NoPlan      string       `json:"no_plan,omitempty"`
	At          time.Time    `json:"at"`
	Period      string       `json:"period"`
	YearShare   float64      `json:"year_share"`
	Departments []statusDept `json:"departments"`
}

func runStatus(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	dept := fs.String("dept", "", "only this department")
	at := fs.String("at", "", "as of this RFC 3339 time (default now)")
	asJSON := fs.Bool("json", false, "print JSON")
	year := yearFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	when, err := parseAt("status", *at, e.cfg.Now)
	if err != nil {
		return err
	}
	st, err := e.openSeededReadStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	y, err := chooseYear(ctx, "status", st, when, e.cfg.Loc, *year)
	if err != nil {
		return err
	}
	notice := bot.HolidayNotice(e.cfg.Calendar.Covers, when, e.cfg.Loc)
	if !y.Loaded {
		return e.printNoPlan(y, notice, *asJSON)
	}
	read := y.ReadAt(when, e.cfg.Loc)
	snap, err := progress.Build(ctx, st, progress.Options{
		Year: y.Year, At: read, Loc: e.cfg.Loc, Period: e.cfg.Schedule.PeriodAt(read.In(e.cfg.Loc)).Key, Thresholds: e.cfg.Thresholds,
	})
	if err != nil {
		return err
	}
	if *dept != "" {
		d, ok := snap.Department(*dept)
		if !ok {
			return usagef("status: --dept: no department named %q", *dept)
		}
		snap.Departments = []progress.DepartmentStatus{d}
	}
	if *asJSON {
		doc := statusJSON(snap)
		doc.Active, doc.Years = y.Active(), y.Years
		return writeJSON(e.stdout, doc)
	}
	_, err = fmt.Fprint(e.stdout, notice+statusText(snap))
	return err
}

// printNoPlan answers `duban status` for a year without a plan: the text a
// coordinator's /status shows (after the holiday notice, if any), or a
// document with no departments.
func (e env) printNoPlan(y progress.PlanYear, notice string, asJSON bool) error {
	text := bot.NoPlanText(y, lookCLI, true)
	if asJSON {
		return writeJSON(e.stdout, statusDoc{Year: y.Year, Years: y.Years, NoPlan: text, Departments: []statusDept{}})
	}
	_, err := fmt.Fprintln(e.stdout, notice+text)
	return err
}

func statusJSON(s progress.Snapshot) statusDoc {
	doc := statusDoc{Year: s.Year, At: s.At, Period: s.Period, YearShare: s.Share}
	for _, d := range s.Departments {
		sd := statusDept{Name: d.Name, Lights: d.Counts}
		for _, t := range d.Tasks {
			tk := statusTask{Seq: t.Seq, Title: t.Title, Text: t.Text}
			for _, m := range t.Metrics {
				tk.Metrics = append(tk.Metrics, metricJSON(m))
			}
			sd.Tasks = append(sd.Tasks, tk)
		}
		doc.Departments = append(doc.Departments, sd)
	}
	return doc
}

func metricJSON(m progress.MetricStatus) statusMetric {
	mm := m.Metric
	out := statusMetric{
		Metric: seeds.Metric{Name: mm.Name, Kind: mm.Kind, Direction: mm.Direction, Target: mm.Target, Unit: mm.Unit},
		Light:  m.Eval.Light.String(), PriorTarget: mm.PriorTarget,
	}
	if m.Latest == nil {
		return out
	}
	ev := m.Eval
	out.Latest = m.Latest.Value
	if mm.Kind == string(progress.KindMilestone) {
		out.Latest = milestoneState(m.Latest.Value)
	}
	reported := m.Latest.ReportedAt.UTC()
	out.Period, out.ReportedAt = &m.Latest.Period, &reported
	out.Progress, out.Gap, out.Projection = &ev.Progress, &ev.Gap, &ev.Projection
	if ev.MonthlyNeeded > 0 {
		out.MonthlyNeeded = &ev.MonthlyNeeded
	}
	return out
}

func milestoneState(v float64) string {
	switch {
	case v >= progress.MilestoneDone:
		return "done"
	case v > progress.MilestoneNotStarted:
		return "in_progress"
	}
	return "not_started"
}
