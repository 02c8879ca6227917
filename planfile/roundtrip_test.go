package planfile_test

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/duban-bot/duban/planfile"
	"github.com/duban-bot/duban/seeds"
)

func huzhou(t testing.TB) seeds.Plan {
	t.Helper()
	p, err := seeds.Parse(seeds.Huzhou2022())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// write writes p in the format name's extension picks.
func write(t testing.TB, name string, p seeds.Plan) []byte {
	t.Helper()
	var buf bytes.Buffer
	format, err := planfile.FormatOf(name)
	if err != nil {
		t.Fatal(err)
	}
	switch format {
	case planfile.XLSX:
		err = planfile.WriteXLSX(&buf, p)
	case planfile.CSV:
		err = planfile.WriteCSV(&buf, p)
	default:
		t.Fatalf("no writer for %s", name)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// The 2022 plan written as a spreadsheet and read back is the same plan,
// field by field: 14 departments, 69 tasks, 159 metrics, every title, text,
// kind, direction, target and unit.
func TestHuzhouRoundTrip(t *testing.T) {
	want := huzhou(t)
	for _, name := range []string{"plan.xlsx", "plan.csv"} {
		t.Run(name, func(t *testing.T) {
			got, rep, err := planfile.Read(name, bytes.NewReader(write(t, name, want)), planfile.Options{Year: want.Year})
			if err != nil {
				t.Fatalf("read back: %v\n%v", err, rep.Problems)
			}
			if len(rep.Drafted) != 0 {
				t.Errorf("%d tasks drafted, want none: every task carries its metric rows", len(rep.Drafted))
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("read back differs:\n%v", planfile.Diff(want, got).List)
			}
		})
	}
}
