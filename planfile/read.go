package planfile

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"github.com/duban-bot/duban/seeds"
)

// maxFileBytes is the default bound on what is read of a CSV or YAML file,
// and on what a workbook may unzip to: a plan of a thousand departments is
// a few MB (the 30,001-row workbook unzips to 14 MB). Everything read is
// held in memory several times over, so the bound is what keeps a small
// file that unzips to hundreds of MB from exhausting the machine.
const maxFileBytes = 64 << 20

func (o Options) maxBytes() int64 {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return maxFileBytes
}

func readXLSX(name string, r io.Reader, opts Options) (seeds.Plan, Report, error) {
	var rep Report
	data, err := readAll(r, opts.maxBytes())
	if errors.Is(err, errTooBig) || (err == nil && unzippedSize(data) > opts.maxBytes()) {
		rep.problem(Position{Sheet: filepath.Base(name)}, msgUnzipTooBig, opts.maxBytes())
		return seeds.Plan{}, rep, nil
	}
	if err != nil {
		return seeds.Plan{}, rep, fmt.Errorf("read workbook: %w", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: opts.maxBytes()})
	if err != nil {
		return seeds.Plan{}, Report{}, fmt.Errorf("read workbook: %w", err)
	}
	defer f.Close()
	sheet := planSheet(f.GetSheetList())
	rows, err := f.Rows(sheet)
	if err != nil {
		return seeds.Plan{}, Report{}, fmt.Errorf("read sheet %s: %w", sheet, err)
	}
	defer rows.Close()
	b := newBuilder(sheet, opts)
	for n := 1; rows.Next(); n++ {
		cells, err := rows.Columns()
		if err != nil {
			return seeds.Plan{}, Report{}, fmt.Errorf("read sheet %s row %d: %w", sheet, n, err)
		}
		b.add(n, cells)
	}
	if err := rows.Error(); err != nil {
		return seeds.Plan{}, Report{}, fmt.Errorf("read sheet %s: %w", sheet, err)
	}
	return finish(b)
}

// planSheet is the sheet named 计划 or plan, else the first.
func planSheet(sheets []string) string {
	for _, s := range sheets {
		if n := strings.ToLower(strings.TrimSpace(s)); n == sheetPlan || n == "plan" {
			return s
		}
	}
	if len(sheets) == 0 {
		return sheetPlan
	}
	return sheets[0]
}

func readCSV(name string, r io.Reader, opts Options) (seeds.Plan, Report, error) {
	b := newBuilder(name, opts)
	text, err := decodeCSV(r, opts.maxBytes())
	switch {
	case errors.Is(err, errEncoding):
		b.rep.problem(Position{Sheet: name}, msgNotUTF8OrGB)
		return seeds.Plan{}, b.rep, nil
	case errors.Is(err, errTooBig):
		b.rep.problem(Position{Sheet: name}, msgTooBig, opts.maxBytes())
		return seeds.Plan{}, b.rep, nil
	}
	if err != nil {
		return seeds.Plan{}, Report{}, err
	}
	cr := csv.NewReader(text)
	cr.FieldsPerRecord = -1
	for n := 1; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			b.rep.problem(Position{Sheet: name, Row: n}, msgFileUnreadable, pe.Err)
			return seeds.Plan{}, b.rep, nil
		}
		if err != nil {
			return seeds.Plan{}, Report{}, fmt.Errorf("read %s: %w", name, err)
		}
		b.add(n, rec)
	}
	return finish(b)
}

var (
	errEncoding = errors.New("neither UTF-8 nor GB18030")
	errTooBig   = errors.New("file too big")
)

// readAll reads r whole, refusing more than limit bytes rather than
// reading a cut-off file as if it were complete.
func readAll(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, errTooBig
	}
	return data, nil
}

// decodeCSV returns the file as UTF-8 text. A file that is valid UTF-8
// (with or without a byte-order mark) is taken as it is; anything else is
// decoded as GB18030, which is what Excel and WPS in China write for "CSV"
// (GBK is a subset of it).
func decodeCSV(r io.Reader, limit int64) (io.Reader, error) {
	data, err := readAll(r, limit)
	if err != nil {
		return nil, fmt.Errorf("read csv: %w", err)
	}
	if utf8.Valid(data) {
		return bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF"))), nil
	}
	text, err := io.ReadAll(transform.NewReader(bytes.NewReader(data), simplifiedchinese.GB18030.NewDecoder()))
	if err != nil || bytes.ContainsRune(text, utf8.RuneError) {
		return nil, errEncoding
	}
	return bytes.NewReader(text), nil
}

func readYAML(name string, r io.Reader, opts Options) (seeds.Plan, Report, error) {
	var rep Report
	data, err := readAll(r, opts.maxBytes())
	if errors.Is(err, errTooBig) {
		rep.problem(Position{Sheet: name}, msgTooBig, opts.maxBytes())
		return seeds.Plan{}, rep, nil
	}
	if err != nil {
		return seeds.Plan{}, rep, fmt.Errorf("read %s: %w", name, err)
	}
	p, err := seeds.Parse(data)
	if err != nil {
		rep.problem(Position{Sheet: name}, msgFileUnreadable, err)
		return seeds.Plan{}, rep, nil
	}
	dropInvisibleNames(&p)
	longTexts(name, p, &rep)
	if opts.Year != 0 && opts.Year != p.Year {
		rep.notice(Position{Sheet: name}, msgYearChanged, p.Year, opts.Year)
		p.Year = opts.Year
	}
	if opts.KnownDepartment != nil {
		for _, d := range p.Departments {
			if !opts.KnownDepartment(d.Name) {
				rep.notice(Position{Sheet: name}, msgNewDept, d.Name)
			}
		}
	}
	return p, rep, nil
}

// finish assembles the plan and checks it against the rules every plan
// follows; the row checks should have caught everything, so a rule broken
// here is reported without a cell.
func finish(b *builder) (seeds.Plan, Report, error) {
	p, rep := b.plan()
	if len(rep.Problems) == 0 {
		if err := p.Validate(); err != nil {
			rep.problem(Position{Sheet: b.sheet}, msgPlanRule, err)
		}
	}
	return p, rep, nil
}

// unzippedSize is what a workbook's parts say they unzip to; 0 when it is
// not a zip file (excelize says so).
func unzippedSize(data []byte) int64 {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return 0
	}
	var n uint64
	for _, f := range z.File {
		n += f.UncompressedSize64
	}
	return int64(min(n, 1<<62))
}
