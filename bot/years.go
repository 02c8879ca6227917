package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/progress"
)

// planYear resolves the plan year a request reads: want, or the active year
// (the one that contains the bot's now) when want is 0.
func (b *Bot) planYear(ctx context.Context, want int) (progress.PlanYear, error) {
	return progress.ChoosePlanYear(ctx, b.st, b.now(), b.set.Loc, want)
}

// snapshotOf builds the progress of year y: as it stands now in the active
// year, as it ended for a past one.
func (b *Bot) snapshotOf(ctx context.Context, y progress.PlanYear) (progress.Snapshot, error) {
	at := y.ReadAt(b.now(), b.set.Loc)
	return progress.Build(ctx, b.st, progress.Options{
		Year: y.Year, At: at, Loc: b.set.Loc, Period: b.set.Schedule.PeriodAt(at.In(b.set.Loc)).Key,
		Thresholds: b.set.Thresholds,
	})
}

// periodYear is the plan year a reporting period belongs to: the dialog
// reports on the plan of its period's year.
func (b *Bot) periodYear(period string) int {
	if p, err := b.set.Schedule.PeriodByKey(period); err == nil {
		return p.Start.In(b.set.Loc).Year()
	}
	return b.now().In(b.set.Loc).Year()
}

// NoPlanText says plainly that y has no plan and which years have one; look
// is how to read another year (a format with the year, e.g. "/status %d"),
// and load adds the command that loads the missing year (coordinators).
func NoPlanText(y progress.PlanYear, look string, load bool) string {
	var sb strings.Builder
	if y.Year == y.Today {
		fmt.Fprintf(&sb, txtNoPlan, y.Year)
	} else {
		fmt.Fprintf(&sb, txtNoPlanOther, y.Year)
	}
	if len(y.Years) == 0 {
		sb.WriteString(txtNoPlanYears)
	} else {
		years := make([]string, len(y.Years))
		for i, yr := range y.Years {
			years[i] = strconv.Itoa(yr)
		}
		fmt.Fprintf(&sb, txtPlanYears, strings.Join(years, "、"))
		fmt.Fprintf(&sb, txtLookYear, fmt.Sprintf(look, y.Years[len(y.Years)-1]))
	}
	if load {
		fmt.Fprintf(&sb, txtLoadPlan, y.Year, y.Year)
	}
	return sb.String()
}

// HolidayNotice is the one-line warning coordinators see while the active
// year has no holiday data, "" when it has.
func HolidayNotice(covers func(int) bool, now time.Time, loc *time.Location) string {
	year := now.In(loc).Year()
	if covers(year) {
		return ""
	}
	return fmt.Sprintf(txtNoHolidays, year)
}

// yearArg takes a four-digit year out of a command's argument
// ("2022", "市科协 2022"); year is 0 when there is none.
func yearArg(arg string) (rest string, year int) {
	var kept []string
	for _, f := range strings.Fields(arg) {
		if n, err := strconv.Atoi(f); err == nil && len(f) == 4 && year == 0 {
			year = n
			continue
		}
		kept = append(kept, f)
	}
	return strings.Join(kept, " "), year
}

// requirePlan refuses a request for the active year when it has no plan.
func (b *Bot) requirePlan(ctx context.Context, msg string) (progress.PlanYear, error) {
	y, err := b.planYear(ctx, 0)
	if err != nil {
		return y, err
	}
	if !y.Loaded {
		return y, userErrorf(msg, y.Year)
	}
	return y, nil
}

// reportThisYear opens the report dialog for /report (and 开始填报) on the
// period reportingPeriod chooses.
func (b *Bot) reportThisYear(ctx context.Context, r *request) error {
	period, err := b.reportingPeriod(ctx, r)
	if err != nil {
		return err
	}
	return b.startReportIn(ctx, r, period)
}

// reportingPeriod is the period a new report dialog opens on: the current
// one when the active year has a plan (with tasks for a contact's
// department). When it has none yet, as in January before the new plan is
// adopted, it is the latest past period of the previous year's plan, so
// December's year-end figures can still be filed (late). Otherwise there
// is nothing to report.
func (b *Bot) reportingPeriod(ctx context.Context, r *request) (string, error) {
	y, err := b.planYear(ctx, 0)
	if err != nil {
		return "", err
	}
	period := b.currentPeriod()
	if !y.Loaded {
		if period, err = b.lastYearsLatePeriod(y); err != nil {
			return "", err
		}
		y.Year = b.periodYear(period)
	}
	if c := r.contact; !c.IsCoordinator() && c.DepartmentID != nil {
		d, err := b.st.DepartmentPlan(ctx, y.Year, *c.DepartmentID)
		if err != nil {
			return "", err
		}
		if len(d.Tasks) == 0 {
			if late, ok := b.droppedDepartmentsLatePeriod(ctx, y, d.ID); ok {
				return late, nil
			}
			return "", userErrorf(msgDeptNoTasks, d.Name, y.Year)
		}
	}
	return period, nil
}

// droppedDepartmentsLatePeriod is, for a department this year's plan no
// longer lists, the latest period of last year still open for late
// reports, when it had tasks then: its December can still be filed.
func (b *Bot) droppedDepartmentsLatePeriod(ctx context.Context, y progress.PlanYear, dept uint) (string, bool) {
	if !y.Loaded {
		return "", false // already last year's period, and no tasks there
	}
	late, err := b.lastYearsLatePeriod(y)
	if err != nil {
		return "", false
	}
	d, err := b.st.DepartmentPlan(ctx, b.periodYear(late), dept)
	return late, err == nil && len(d.Tasks) > 0
}

// lastYearsLatePeriod is the latest period still open for late reports
// that belongs to the previous year, when that year has a plan.
func (b *Bot) lastYearsLatePeriod(y progress.PlanYear) (string, error) {
	if slices.Contains(y.Years, y.Today-1) {
		for _, p := range b.lateChoices() {
			if b.periodYear(p) == y.Today-1 {
				return p, nil
			}
		}
	}
	return "", userErrorf(msgNothingToReport, y.Year)
}

// notInYear answers /status for a department the year's plan does not
// list: it has no tasks that year, or there is no such department.
func (b *Bot) notInYear(ctx context.Context, name string, year int) error {
	if _, err := b.st.DepartmentByName(ctx, name); errors.Is(err, models.ErrNotFound) {
		return userErrorf(msgInviteNoDept, quote(name, maxQuotedArg))
	} else if err != nil {
		return err
	}
	return userErrorf(msgDeptNoTasks, name, year)
}
