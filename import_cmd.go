package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"

	"github.com/duban-bot/duban/draft"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/planfile"
	"github.com/duban-bot/duban/seeds"
)

// runImport loads a year's plan from a spreadsheet or plan file:
// `duban import FILE.xlsx|FILE.csv|FILE.yaml --year YYYY [--dry-run]
// [--replace] [--force]`. A file with any problem imports nothing.
func runImport(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	yearFlag := fs.String("year", "", "the plan's year, four digits")
	dryRun := fs.Bool("dry-run", false, "print what would change and change nothing")
	replace := fs.Bool("replace", false, "update the plan the database holds")
	force := fs.Bool("force", false, "with --replace: drop metrics even if they have reports")
	file, err := parseFileAndFlags(fs, args)
	if err != nil {
		return err
	}
	year, err := fourDigitYear("import", *yearFlag)
	if err != nil {
		return err
	}
	if _, err := planfile.FormatOf(file); err != nil {
		return usagef("import: %v", err)
	}
	if *force && !*replace {
		return usagef("import: --force goes with --replace")
	}
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	old, held, err := planInStore(ctx, st, year)
	if err != nil {
		return err
	}
	plan, err := readPlanFile(e.stdout, file, year, knownDepartment(ctx, st))
	if err != nil {
		return err
	}
	changes := planfile.Diff(old, plan)
	printChanges(e.stdout, changes)
	heldYear := 0
	if held {
		heldYear = old.Year
	}
	refusal, err := importRefusal(ctx, e.stdout, st, heldYear, changes, importMode{replace: *replace, force: *force})
	if err != nil {
		return err
	}
	if *dryRun {
		if refusal != "" {
			fmt.Fprintln(e.stdout, "without --dry-run the import would be refused:", refusal)
		}
		fmt.Fprintln(e.stdout, "dry run: nothing was changed")
		return nil
	}
	if refusal != "" {
		return usagef("import: %s", refusal)
	}
	if err := seeds.Load(ctx, st, plan); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "imported the %d plan: %s\n", plan.Year, planSize(plan))
	return nil
}

// parseFileAndFlags takes the one file argument wherever it stands among
// the flags (the flag package stops at the first non-flag).
func parseFileAndFlags(fs *flag.FlagSet, args []string) (string, error) {
	fs.SetOutput(io.Discard)
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return "", usagef("%s: %v", fs.Name(), err)
		}
		if fs.NArg() == 0 {
			break
		}
		files, args = append(files, fs.Arg(0)), fs.Args()[1:]
	}
	if len(files) != 1 {
		return "", usagef("%s: want one FILE.xlsx, FILE.csv or FILE.yaml, got %d", fs.Name(), len(files))
	}
	return files[0], nil
}

var yearPattern = regexp.MustCompile(`^[0-9]{4}$`)

// fourDigitYear reads a required --year flag.
func fourDigitYear(cmd, s string) (int, error) {
	if !yearPattern.MatchString(s) {
		return 0, usagef("%s: --year %q is not a four-digit year (e.g. --year 2023)", cmd, s)
	}
	y, err := strconv.Atoi(s)
	if err != nil {
		return 0, usagef("%s: --year %q: %v", cmd, s, err)
	}
	return y, nil
}

// planInStore returns the plan the database holds for year, and whether
// it holds one (an empty plan of that year when not).
func planInStore(ctx context.Context, st *models.Store, year int) (seeds.Plan, bool, error) {
	years, err := st.PlanYears(ctx)
	if err != nil {
		return seeds.Plan{}, false, err
	}
	if !slices.Contains(years, year) {
		return seeds.Plan{Year: year}, false, nil
	}
	depts, err := st.Plan(ctx, year)
	if err != nil {
		return seeds.Plan{}, false, err
	}
	return seeds.FromModels(year, depts), true, nil
}

// importDrafter drafts a task's metrics from its 目标 text with draft/,
// and turns its notes into the review lines the import prints.
func importDrafter() planfile.Drafter {
	return func(text string) ([]seeds.Metric, []string) {
		ms, notes := draft.Metrics(text)
		lines := make([]string, 0, len(notes))
		for _, n := range notes {
			lines = append(lines, draftNoteLine(n))
		}
		return ms, lines
	}
}

// draftNoteLine is one review line: the phrase, the metric drafted from it
// and any warning.
func draftNoteLine(n draft.Note) string {
	line := fmt.Sprintf("「%s」", n.Phrase)
	if n.Metric != "" {
		line += " → " + n.Metric
	}
	if n.Warning != "" {
		line += " (" + n.Warning + ")"
	}
	return line
}

// readPlanFile reads and checks the file and prints what the user must
// review: drafted metrics, notices and every problem.
func readPlanFile(w io.Writer, file string, year int, known func(string) bool) (seeds.Plan, error) {
	f, err := os.Open(file)
	if err != nil {
		return seeds.Plan{}, fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	drafter := importDrafter()
	plan, rep, err := planfile.Read(file, f, planfile.Options{
		Year: year, Drafter: drafter, KnownDepartment: known,
	})
	if drafter == nil && len(rep.Drafted) > 0 {
		fmt.Fprintf(w, "warning: %d tasks have no metric rows and no reader of target texts is built in: each gets one milestone named after the task; add metric rows to measure them by number\n", len(rep.Drafted))
	}
	for _, d := range rep.Drafted {
		for _, l := range d.Lines() {
			fmt.Fprintln(w, l)
		}
	}
	for _, n := range rep.Notices {
		fmt.Fprintln(w, "notice:", n)
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(w, p)
	}
	if errors.Is(err, planfile.ErrInvalid) {
		return seeds.Plan{}, fmt.Errorf("import: %d problems in %s; nothing was imported", len(rep.Problems), file)
	}
	if err != nil {
		return seeds.Plan{}, fmt.Errorf("import %s: %w", file, err)
	}
	return plan, nil
}

// importMode is what the user allowed.
type importMode struct{ replace, force bool }

// importRefusal says why the import must not go ahead ("" when it may),
// listing the metrics at stake. heldYear is the year of the plan the
// database holds, 0 when it holds none.
func importRefusal(ctx context.Context, w io.Writer, st *models.Store, heldYear int, c planfile.Changes, m importMode) (string, error) {
	if heldYear != 0 && !m.replace {
		return fmt.Sprintf("the database already holds the %d plan; --replace updates it (--dry-run shows what would change)", heldYear), nil
	}
	if n := droppedTasks(c); n > 0 {
		// SyncPlan retires the metrics of the tasks it is given and leaves
		// tasks and departments missing from the plan as they are: they
		// would stay active under the new plan. Until plans are kept per
		// year, such an import is refused rather than half done.
		return fmt.Sprintf("the file drops %d tasks or departments the database holds, which this version cannot remove: keep them in the file", n), nil
	}
	atStake, err := removedWithReports(ctx, w, st, c)
	if err != nil || atStake == 0 || m.force {
		return "", err
	}
	return fmt.Sprintf("%d metrics the file drops have reports; --force drops them anyway (the metrics are retired, their reports kept)", atStake), nil
}

// droppedTasks counts the tasks and departments the new plan drops.
func droppedTasks(c planfile.Changes) int {
	n := 0
	for _, ch := range c.List {
		if ch.Op == planfile.OpRemoved && ch.Metric == "" {
			n++
		}
	}
	return n
}

// removedWithReports prints and counts the dropped metrics that carry
// reports: their reports are never deleted, but --force must say that
// retiring them is intended.
func removedWithReports(ctx context.Context, w io.Writer, st *models.Store, c planfile.Changes) (int, error) {
	if len(c.Removed) == 0 {
		return 0, nil
	}
	counts, err := st.MetricReportCounts(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range c.Removed {
		k := models.MetricKey{Department: r.Department, TaskSeq: r.Seq, Metric: r.Metric}
		if counts[k] > 0 {
			n++
			fmt.Fprintf(w, "has reports: %s 第%d项 指标「%s」(%d)\n", r.Department, r.Seq, r.Metric, counts[k])
		}
	}
	return n, nil
}

func printChanges(w io.Writer, c planfile.Changes) {
	for _, ch := range c.List {
		fmt.Fprintln(w, ch)
	}
	fmt.Fprintf(w, "%d added, %d changed, %d removed\n",
		c.Count(planfile.OpAdded), c.Count(planfile.OpChanged), c.Count(planfile.OpRemoved))
}

func planSize(p seeds.Plan) string {
	tasks, metrics := 0, 0
	for _, d := range p.Departments {
		tasks += len(d.Tasks)
		for _, t := range d.Tasks {
			metrics += len(t.Metrics)
		}
	}
	return fmt.Sprintf("%d departments, %d tasks, %d metrics", len(p.Departments), tasks, metrics)
}

// knownDepartment tells whether the database knows a department in any
// year: departments are shared by every plan year, so one of last year's
// is not new to this year's import.
func knownDepartment(ctx context.Context, st *models.Store) func(string) bool {
	return func(name string) bool {
		_, err := st.DepartmentByName(ctx, name)
		return err == nil
	}
}
