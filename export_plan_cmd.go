package main

import (
	"context"
	"flag"
	"os"
	"strings"

	"github.com/duban-bot/duban/planfile"
)

// wantsPlanExport tells whether `duban export` was asked for the plan
// (--plan) or the empty template (--template) instead of progress.
func wantsPlanExport(args []string) bool {
	for _, a := range args {
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && (name == "plan" || name == "template") {
			return true
		}
	}
	return false
}

// runExportPlan writes a plan in the import layout:
// `duban export --plan [--year YYYY] --out FILE.xlsx|FILE.csv`, or the
// empty template with `duban export --template --out FILE.xlsx`.
func runExportPlan(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	plan := fs.Bool("plan", false, "write the plan in the import layout")
	template := fs.Bool("template", false, "write an empty plan workbook with an example row")
	yearFlag := fs.String("year", "", "the plan's year (default: the plan the database holds)")
	out := fs.String("out", "", "the file to write, ending in .xlsx or .csv")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	format, err := planfile.FormatOf(*out)
	switch {
	case *plan == *template:
		return usagef("export: give one of --plan and --template")
	case *out == "":
		return usagef("export: --out FILE.xlsx or FILE.csv is required")
	case err != nil || format == planfile.YAML:
		return usagef("export: --out %q must end in .xlsx or .csv", *out)
	case *template && format != planfile.XLSX:
		return usagef("export: the template is a workbook: --out FILE.xlsx")
	case *template && *yearFlag != "":
		return usagef("export: the template has no year; --year goes with --plan")
	}
	if *template {
		return writeAtomically(*out, func(f *os.File) error { return planfile.WriteTemplate(f) })
	}
	return exportPlan(ctx, e, *yearFlag, *out, format)
}

func exportPlan(ctx context.Context, e env, yearFlag, out string, format planfile.Format) error {
	st, err := e.openReadStore()
	if err != nil {
		return err
	}
	defer st.Close()
	want := 0
	if yearFlag != "" {
		if want, err = fourDigitYear("export", yearFlag); err != nil {
			return err
		}
	}
	y, err := chooseYear(ctx, "export", st, e.cfg.Now(), e.cfg.Loc, want)
	if err != nil {
		return err
	}
	if !y.Loaded {
		return noPlanError("export", y)
	}
	p, _, err := planInStore(ctx, st, y.Year)
	if err != nil {
		return err
	}
	write := planfile.WriteXLSX
	if format == planfile.CSV {
		write = planfile.WriteCSV
	}
	return writeAtomically(out, func(f *os.File) error { return write(f, p) })
}
