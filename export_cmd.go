package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/duban-bot/duban/export"
)

// runExport writes what /export sends: `duban export --out FILE.xlsx|.csv
// [--dept NAME] [--at TIME] [--year YYYY]`. The file appears whole or not
// at all.
func runExport(ctx context.Context, e env, args []string) error {
	if wantsPlanExport(args) {
		return runExportPlan(ctx, e, args)
	}
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	out := fs.String("out", "", "the file to write, ending in .xlsx or .csv")
	dept := fs.String("dept", "", "only this department")
	at := fs.String("at", "", "as of this RFC 3339 time (default now)")
	year := yearFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("export: --out FILE.xlsx or FILE.csv is required")
	}
	format, err := export.FormatOf(*out)
	if err != nil {
		return usagef("%v", err)
	}
	when, err := parseAt("export", *at, e.cfg.Now)
	if err != nil {
		return err
	}
	st, err := e.openSeededReadStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if *dept != "" {
		if _, err := findDept(ctx, st, *dept); err != nil {
			return err
		}
	}
	y, err := chooseYear(ctx, "export", st, when, e.cfg.Loc, *year)
	if err != nil {
		return err
	}
	if !y.Loaded {
		return noPlanError("export", y)
	}
	req := export.Request{
		Year: y.Year, At: when, Loc: e.cfg.Loc, Schedule: e.cfg.Schedule, Calendar: e.cfg.Calendar,
		Thresholds: e.cfg.Thresholds, Department: *dept, Issuer: export.DefaultIssuer,
	}
	return writeAtomically(*out, func(f *os.File) error { return export.Write(ctx, st, req, format, f) })
}

// parseAt reads an --at flag; "" is the clock's now.
func parseAt(cmd, at string, now func() time.Time) (time.Time, error) {
	if at == "" {
		return now(), nil
	}
	t, err := time.Parse(time.RFC3339, at)
	if err != nil {
		return time.Time{}, usagef("%s: --at %q is not an RFC 3339 time (e.g. 2022-05-31T12:00:00+08:00)", cmd, at)
	}
	return t, nil
}

// writeAtomically writes through a temporary file beside path and renames
// it into place, so a failed export never leaves half a spreadsheet.
func writeAtomically(path string, write func(*os.File) error) error {
	if err := checkOut(path); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".duban-export-*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// checkOut refuses an --out the export could not be renamed to, before any
// work and naming the path given rather than the temporary file.
func checkOut(path string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return usagef("export: --out %s is a directory; name a file in it", path)
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return usagef("export: --out %s: the directory %s does not exist", path, dir)
	}
	return nil
}
