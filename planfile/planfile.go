// Package planfile reads and writes a year's plan as a spreadsheet (.xlsx,
// .csv) or a plan file (.yaml, the format of seeds/), in terms of
// seeds.Plan. Reading checks every row and reports every problem at once,
// each with its sheet, row and column; a plan with any problem is not
// returned, so nothing half-read can be loaded.
package planfile

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/duban-bot/duban/seeds"
)

// ErrInvalid is returned by Read when the file has problems; the Report
// lists them.
var ErrInvalid = errors.New("the plan file has problems")

// Format is a file format Read and Write know.
type Format int

// The formats, chosen by the file's extension.
const (
	XLSX Format = iota + 1
	CSV
	YAML
)

// FormatOf picks the format from a file name's extension.
func FormatOf(name string) (Format, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx":
		return XLSX, nil
	case ".csv":
		return CSV, nil
	case ".yaml", ".yml":
		return YAML, nil
	}
	return 0, fmt.Errorf("%s: want a .xlsx, .csv or .yaml file", name)
}

// Drafter reads metrics from a task's target text (目标). notes say, for
// review, which phrase each metric came from and what could not be read.
type Drafter func(text string) (metrics []seeds.Metric, notes []string)

// Options are what Read needs besides the file.
type Options struct {
	// Year is the plan's year; 0 keeps the year a YAML file states.
	Year int
	// Drafter drafts the metrics of a task that has no metric rows. A task
	// it drafts nothing for (or every task, when Drafter is nil) gets one
	// milestone named after its title, with a note.
	Drafter Drafter
	// KnownDepartment tells whether a department already exists; a row
	// naming one that does not is allowed and gets a notice. nil: no notices.
	KnownDepartment func(name string) bool
	// MaxBytes bounds the file (a workbook: what it unzips to); 0 is 256 MB.
	MaxBytes int64
}

// Read reads a plan from r; name gives the format (by extension) and the
// sheet name used in positions of a CSV or YAML file. On problems it
// returns ErrInvalid, a zero plan and the report listing every problem.
func Read(name string, r io.Reader, opts Options) (seeds.Plan, Report, error) {
	format, err := FormatOf(name)
	if err != nil {
		return seeds.Plan{}, Report{}, err
	}
	var p seeds.Plan
	var rep Report
	switch format {
	case XLSX:
		p, rep, err = readXLSX(name, r, opts)
	case CSV:
		p, rep, err = readCSV(filepath.Base(name), r, opts)
	case YAML:
		p, rep, err = readYAML(filepath.Base(name), r, opts)
	}
	if err != nil {
		return seeds.Plan{}, rep, err
	}
	if len(rep.Problems) > 0 {
		return seeds.Plan{}, rep, fmt.Errorf("%w: %d", ErrInvalid, len(rep.Problems))
	}
	return p, rep, nil
}
