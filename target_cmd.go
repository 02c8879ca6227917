package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/progress"
	"github.com/duban-bot/duban/quantity"
)

// runTarget changes one metric's target mid-year: `duban target [--year
// YYYY] --dept NAME --task N --metric NAME --value V --reason TEXT`. The
// change is recorded with when and why (who: the command line, 0).
func runTarget(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("target", flag.ContinueOnError)
	year := yearFlag(fs)
	dept := fs.String("dept", "", "department short name")
	task := fs.Int("task", 0, "task number in the department")
	metric := fs.String("metric", "", "metric name")
	value := fs.String("value", "", "the new target, in the metric's unit (6, 6家, 1.5万)")
	reason := fs.String("reason", "", "why the target changes")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case *dept == "" || *task <= 0 || strings.TrimSpace(*metric) == "":
		return usagef("target: --dept, --task and --metric name the metric")
	case len([]rune(strings.TrimSpace(*reason))) < 2:
		return usagef("target: --reason is required")
	}
	st, err := e.openSeededStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	y, err := chooseYear(ctx, "target", st, e.cfg.Now(), e.cfg.Loc, *year)
	if err != nil {
		return err
	}
	if !y.Loaded {
		return noPlanError("target", y)
	}
	m, err := findMetric(ctx, st, y.Year, *dept, *task, strings.TrimSpace(*metric))
	if err != nil {
		return err
	}
	v, err := readTarget(*value, m)
	if err != nil {
		return err
	}
	c := models.TargetChange{MetricID: m.ID, NewTarget: v, Reason: strings.TrimSpace(*reason)}
	if err := st.ChangeTarget(ctx, &c); err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "%s %d %s: target %s → %s (%s)\n", *dept, *task, m.Name,
		quantity.Format(c.OldTarget, m.Unit), quantity.Format(c.NewTarget, m.Unit),
		c.ChangedAt.In(e.cfg.Loc).Format(time.DateTime))
	return err
}

// findMetric finds an active metric of the year by department, task number
// and name; a wrong name is a usage error listing what there is.
func findMetric(ctx context.Context, st *models.Store, year int, dept string, seq int, name string) (models.Metric, error) {
	d, err := findDept(ctx, st, dept)
	if err != nil {
		return models.Metric{}, err
	}
	plan, err := st.DepartmentPlan(ctx, year, d.ID)
	if err != nil {
		return models.Metric{}, err
	}
	for _, t := range plan.Tasks {
		if t.Seq != seq {
			continue
		}
		names := make([]string, len(t.Metrics))
		for i, m := range t.Metrics {
			if m.Name == name {
				return m, nil
			}
			names[i] = m.Name
		}
		return models.Metric{}, usagef("target: --metric: task %d of %s has no metric %q (it has: %s)", seq, dept, name, strings.Join(names, ", "))
	}
	return models.Metric{}, usagef("target: --task: %s has no task %d in %d", dept, seq, year)
}

// readTarget reads --value in the metric's unit and checks it may be the
// metric's target.
func readTarget(text string, m models.Metric) (float64, error) {
	text = strings.TrimSpace(text)
	v, err := quantity.In(text, m.Unit)
	if err != nil {
		f, ferr := strconv.ParseFloat(text, 64) // a negative rate target: -1.5
		if ferr != nil || m.Kind != string(progress.KindRate) {
			return 0, usagef("target: --value %q is not a number in %q", text, m.Unit)
		}
		v = f
	}
	if err := progress.CheckTarget(progress.MetricOf(m), v); err != nil {
		return 0, usagef("target: --value %s: %v", quantity.Format(v, m.Unit), err)
	}
	return v, nil
}
