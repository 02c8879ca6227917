package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/progress"
)

// lookCLI is how the command line reads another year, for bot.NoPlanText.
const lookCLI = "duban status --year %d"

// yearFlag adds --year to a command that reads a plan year. Its zero value
// means "not given"; a year typed must have four digits, 0 included, so
// `--year 0` is refused rather than read as the active year.
func yearFlag(fs *flag.FlagSet) *int {
	var y yearValue
	fs.Var(&y, "year", "plan `YYYY` (default: the year that contains now)")
	return (*int)(&y)
}

// yearValue is the value of --year.
type yearValue int

func (y *yearValue) String() string {
	if y == nil || *y == 0 {
		return ""
	}
	return strconv.Itoa(int(*y))
}

func (y *yearValue) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1000 || n > 9999 {
		return fmt.Errorf("%q is not a four-digit year", s)
	}
	*y = yearValue(n)
	return nil
}

// chooseYear resolves --year (0: the year that contains when) against the
// years the database holds.
func chooseYear(ctx context.Context, cmd string, st *models.Store, when time.Time, loc *time.Location, want int) (progress.PlanYear, error) {
	if want != 0 && (want < 1000 || want > 9999) {
		return progress.PlanYear{}, usagef("%s: --year %d is not a four-digit year", cmd, want)
	}
	return progress.ChoosePlanYear(ctx, st, when, loc, want)
}

// noPlanError is a command's answer for a year without a plan.
func noPlanError(cmd string, y progress.PlanYear) error {
	return usagef("%s: no plan for %d has been loaded (%s); load one with `duban import FILE --year %d`",
		cmd, y.Year, yearsNote(y), y.Year)
}

// yearsNote lists the years that have a plan, or says there are none.
func yearsNote(y progress.PlanYear) string {
	if len(y.Years) == 0 {
		return "no year has a plan yet"
	}
	years := make([]string, len(y.Years))
	for i, yr := range y.Years {
		years[i] = strconv.Itoa(yr)
	}
	return "plans: " + strings.Join(years, ", ") + "; read one with --year " + years[len(years)-1]
}

// warnYears logs at start-up what leaves the active year quiet or
// miscounted: no plan loaded for it (nobody is reminded) or no holiday data
// (deadlines would count Monday to Friday only).
func warnYears(ctx context.Context, cfg Config, st *models.Store, log *slog.Logger) error {
	y, err := progress.ChoosePlanYear(ctx, st, cfg.Now(), cfg.Loc, 0)
	if err != nil {
		return err
	}
	if !y.Loaded {
		log.Warn("no plan for the active year: nobody is reminded and no digest is sent until one is loaded",
			"year", y.Year, "plans", y.Years, "load", fmt.Sprintf("duban import FILE --year %d", y.Year))
	}
	if !cfg.Calendar.Covers(y.Today) {
		log.Warn("no holiday data for the active year: deadlines and rungs count Monday to Friday only; add the year's State Council notice with DUBAN_HOLIDAYS",
			"year", y.Today, "covered", cfg.Calendar.Years())
	}
	return nil
}
