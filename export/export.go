// Package export turns a progress snapshot into the files coordinators take
// to the monthly meeting: an .xlsx workbook (overview, every metric, and the
// monthly 通报) and a CSV of every metric.
package export

import (
	"archive/zip"
	"compress/flate"
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/progress"
)

// Sheet names, as the coordinators call them.
const (
	SheetOverview = "总览"
	SheetMetrics  = "指标明细"
	SheetBulletin = "月度通报"
)

// Option adds what the snapshot alone does not know.
type Option func(*settings)

type settings struct {
	discipline progress.Discipline
	byDept     map[uint]progress.DepartmentDiscipline
	reporters  map[int64]string
	loc        *time.Location
	issuer     string
	receipts   Receipts
	evidence   []models.EvidenceItem
	// pending yields options known only later (the reporting record, read
	// while the first sheets are written); nil when every option is known.
	pending func() ([]Option, error)
}

// withPending adds options that pending yields when a sheet needs them.
func withPending(pending func() ([]Option, error)) Option {
	return func(s *settings) { s.pending = pending }
}

// WithDiscipline adds the reporting record: the overview's 本期报送 column
// and the 通报's list of departments that did not report on time. Without
// it both are left out.
func WithDiscipline(d progress.Discipline) Option {
	return func(s *settings) { s.discipline = d }
}

// WithReporters names reporters by Telegram ID; an ID without a name is
// shown as the number.
func WithReporters(names map[int64]string) Option {
	return func(s *settings) { s.reporters = names }
}

// WithLocation sets the zone of the dates written; the default is the zone
// of the snapshot's instant.
func WithLocation(loc *time.Location) Option {
	return func(s *settings) { s.loc = loc }
}

// WithIssuer puts the issuing city before the 通报's title, e.g. 湖州市.
func WithIssuer(name string) Option {
	return func(s *settings) { s.issuer = name }
}

func newSettings(snap progress.Snapshot, opts []Option) settings {
	s := settings{loc: snap.At.Location()}
	for _, o := range opts {
		o(&s)
	}
	if s.loc == nil {
		s.loc = time.UTC
	}
	s.indexDiscipline()
	return s
}

func (s *settings) indexDiscipline() {
	s.byDept = make(map[uint]progress.DepartmentDiscipline, len(s.discipline.Departments))
	for _, d := range s.discipline.Departments {
		s.byDept[d.ID] = d
	}
}

// await applies the pending options, if any.
func (s *settings) await() error {
	if s.pending == nil {
		return nil
	}
	opts, err := s.pending()
	s.pending = nil
	if err != nil {
		return err
	}
	for _, o := range opts {
		o(s)
	}
	s.indexDiscipline()
	return nil
}

// WriteXLSX writes the workbook for snap to w: sheets 总览 (departments
// ranked worst first, lights coloured), 指标明细 (every metric) and 月度通报
// (the official layout with the list of late departments). Cells hold values,
// never formulas, and numbers are numbers.
func WriteXLSX(w io.Writer, snap progress.Snapshot, opts ...Option) error {
	set := newSettings(snap, opts)
	f := excelize.NewFile()
	defer f.Close()
	f.SetZipWriter(fastZip)
	st, err := newStyles(f)
	if err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	ranked := rankDepartments(snap.Departments)
	if err := f.SetSheetName("Sheet1", SheetOverview); err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	for _, name := range []string{SheetMetrics, SheetBulletin, SheetDiscipline, SheetEvidence} {
		if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("export xlsx: %w", err)
		}
	}
	// The sheets that need no reporting record come first, so that a
	// pending record is read meanwhile; the workbook's order of sheets is
	// the order they were created in above.
	steps := []struct {
		sheet  string
		record bool // needs the reporting record
		write  func(*excelize.StreamWriter) error
	}{
		{SheetMetrics, false, func(sw *excelize.StreamWriter) error { return writeMetrics(sw, st, snap, set) }},
		{SheetEvidence, false, func(sw *excelize.StreamWriter) error { return writeEvidence(sw, st, set) }},
		{SheetOverview, true, func(sw *excelize.StreamWriter) error { return writeOverview(sw, st, snap, ranked, set) }},
		{SheetBulletin, true, func(sw *excelize.StreamWriter) error { return writeBulletin(sw, st, snap, ranked, set) }},
		{SheetDiscipline, true, func(sw *excelize.StreamWriter) error { return writeDiscipline(sw, st, set) }},
	}
	for _, s := range steps {
		if s.record {
			if err := set.await(); err != nil {
				return err
			}
		}
		sw, err := f.NewStreamWriter(s.sheet)
		if err != nil {
			return fmt.Errorf("export xlsx: sheet %s: %w", s.sheet, err)
		}
		if err := s.write(sw); err != nil {
			return fmt.Errorf("export xlsx: sheet %s: %w", s.sheet, err)
		}
		if err := sw.Flush(); err != nil {
			return fmt.Errorf("export xlsx: sheet %s: %w", s.sheet, err)
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	return nil
}

// fastZip compresses the workbook's parts at flate level 2 instead of the
// default 6. For a city's 50,000 metric rows (44 MB of XML) level 6 took
// 0.58 s and made 4.5 MB, level 2 0.24 s and 5.6 MB, level 1 0.20 s and
// 6.6 MB. The cells are the same: only the zip's encoding differs (and
// excelize orders the parts at random anyway).
func fastZip(w io.Writer) excelize.ZipWriter {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, zipLevel)
	})
	return zw
}

const zipLevel = 2

// setWidths sets the column widths, in characters (a CJK character is two).
func setWidths(sw *excelize.StreamWriter, widths []float64) error {
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	return nil
}

// freezeRows keeps the first n rows in view while scrolling.
func freezeRows(sw *excelize.StreamWriter, n int) error {
	cell, err := excelize.CoordinatesToCellName(1, n+1)
	if err != nil {
		return err
	}
	return sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: n, TopLeftCell: cell, ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: cell, ActiveCell: cell, Pane: "bottomLeft"}},
	})
}

// row writes values at the start of row r.
func row(sw *excelize.StreamWriter, r int, values ...any) error {
	cell, err := excelize.CoordinatesToCellName(1, r)
	if err != nil {
		return err
	}
	return setRow(sw, cell, values)
}

// headerRow writes a header row in the header style.
func headerRow(sw *excelize.StreamWriter, st styles, r int, titles []string) error {
	cells := make([]any, len(titles))
	for i, t := range titles {
		cells[i] = excelize.Cell{StyleID: st.header, Value: t}
	}
	cell, err := excelize.CoordinatesToCellName(1, r)
	if err != nil {
		return err
	}
	return setRow(sw, cell, cells, excelize.RowOpts{Height: 30})
}
