package planfile_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/duban-bot/duban/planfile"
)

// A workbook of a few kilobytes whose sheet unzips to more than the bound
// (a zip bomb, or one cell holding a pasted book) is one located problem,
// found before excelize unpacks it: reading the 300 KB workbook whose cell
// unzips to 240 MB took 13.6 s and 1 GB of memory.
func TestWorkbookThatUnzipsTooBigIsOneProblem(t *testing.T) {
	var data bytes.Buffer
	z := zip.NewWriter(&data)
	w, err := z.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(`<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>`))
	w.Write([]byte(strings.Repeat("长", 1<<20)))
	w.Write([]byte(`</t></is></c></row></sheetData></worksheet>`))
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	if data.Len() > 64<<10 {
		t.Fatalf("the test workbook is %d bytes; want a small file", data.Len())
	}
	_, rep, err := planfile.Read("dir/bomb.xlsx", &data, planfile.Options{Year: 2023, MaxBytes: 1 << 20})
	if !errors.Is(err, planfile.ErrInvalid) {
		t.Fatalf("err %v, want ErrInvalid", err)
	}
	if len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0].String(), "bomb.xlsx") ||
		!strings.Contains(rep.Problems[0].String(), "解压后超过 1048576 字节") {
		t.Fatalf("problems %v", rep.Problems)
	}
}
