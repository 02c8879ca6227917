package export

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/duban-bot/duban/calendar"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/progress"
)

// Source is what an export reads: the plan and its reports, each period's
// completion, and reporters' names.
type Source interface {
	progress.Reader
	progress.CompletionReader
	ContactNames(ctx context.Context) (map[int64]string, error)
	Receipts(ctx context.Context, period string) (map[uint]models.Receipt, error)
	NoticedDepartments(ctx context.Context, period string) (map[uint]bool, error)
	YearEvidence(ctx context.Context, year int) ([]models.EvidenceItem, error)
}

// Request says what to export and by which rules.
type Request struct {
	// Year is the plan year exported; 0 is the year that contains At. A
	// past year is read as it stood at its end.
	Year       int
	At         time.Time
	Loc        *time.Location
	Schedule   calendar.Schedule
	Calendar   *calendar.Calendar
	Thresholds progress.Thresholds
	// Department limits the export to one department (a contact's own); ""
	// exports the whole plan.
	Department string
	Issuer     string
}

// Format is a file format an export is written in.
type Format string

// The formats Write knows.
const (
	XLSX Format = "xlsx"
	CSV  Format = "csv"
)

// FormatOf picks the format from a file name's extension.
func FormatOf(name string) (Format, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx":
		return XLSX, nil
	case ".csv":
		return CSV, nil
	}
	return "", fmt.Errorf("export: %q: the file name must end in .xlsx or .csv", name)
}

// Write builds the snapshot at req.At and writes it to w in format f: the
// one path behind /export and `duban export`.
func Write(ctx context.Context, src Source, req Request, f Format, w io.Writer) error {
	sched, err := req.Schedule.Normalized()
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	at := req.At
	if req.Year != 0 {
		at = progress.PlanYear{Year: req.Year}.ReadAt(at, req.Loc)
	}
	snap, err := progress.Build(ctx, src, progress.Options{
		Year: req.Year, At: at, Loc: req.Loc, Period: sched.PeriodAt(at).Key, Thresholds: req.Thresholds,
	})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if req.Department != "" {
		d, ok := snap.Department(req.Department)
		if !ok {
			return fmt.Errorf("export: no department named %q", req.Department)
		}
		snap.Departments, snap.Counts = []progress.DepartmentStatus{d}, d.Counts
	}
	names, err := src.ContactNames(ctx)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if f == CSV {
		// The CSV is the 指标明细 sheet alone: no reporting record, receipts
		// or evidence.
		return WriteCSV(w, snap, WithReporters(names), WithLocation(req.Loc))
	}
	// The reporting record reads every report of the year (half a second
	// for a city of 600,000): it is read while the sheets that do not need
	// it are written, and waited for before those that do. On an early
	// return the read is cancelled, and waited for: nothing outlives Write.
	type result struct {
		opts []Option
		err  error
	}
	record := make(chan result, 1)
	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	wg.Go(func() {
		opts, err := readRecord(ctx, src, snap, sched, req.Calendar)
		record <- result{opts, err}
	})
	evidence, err := src.YearEvidence(ctx, snap.Year)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if req.Department != "" {
		evidence = slices.DeleteFunc(evidence, func(e models.EvidenceItem) bool { return e.Department != req.Department })
	}
	return WriteXLSX(w, snap, WithReporters(names), WithLocation(req.Loc), WithIssuer(req.Issuer), WithEvidence(evidence),
		withPending(func() ([]Option, error) {
			r := <-record
			if r.err != nil {
				return nil, fmt.Errorf("export: %w", r.err)
			}
			return r.opts, nil
		}))
}

// readRecord reads the reporting record of snap and the receipts of the
// period the 通报 reports on, as the options that add them.
func readRecord(ctx context.Context, src Source, snap progress.Snapshot, sched calendar.Schedule, cal *calendar.Calendar) ([]Option, error) {
	disc, err := progress.BuildDiscipline(ctx, src, snap, sched, cal)
	if err != nil {
		return nil, err
	}
	rs, err := readReceipts(ctx, src, disc)
	if err != nil {
		return nil, err
	}
	return []Option{WithDiscipline(disc), WithReceipts(rs)}, nil
}

// FileName is the conventional name of an export made at `at`, e.g.
// 督办进度-2022-05-31.xlsx.
func FileName(at time.Time, f Format) string {
	return fmt.Sprintf("督办进度-%s.%s", at.Format(time.DateOnly), f)
}

// readReceipts reads the receipts of the period the 通报 reports on.
func readReceipts(ctx context.Context, src Source, disc progress.Discipline) (Receipts, error) {
	period, ok := disc.LatestDue()
	if !ok {
		return Receipts{}, nil
	}
	acked, err := src.Receipts(ctx, period)
	if err != nil {
		return Receipts{}, err
	}
	noticed, err := src.NoticedDepartments(ctx, period)
	if err != nil {
		return Receipts{}, err
	}
	return Receipts{Period: period, Acked: acked, Noticed: noticed}, nil
}
