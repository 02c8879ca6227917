package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/duban-bot/duban/export"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/plangen"
)

// seededWithHistory is a database holding the 2022 plan and January–May of
// generated reports.
func seededWithHistory(t *testing.T) map[string]string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "duban.db")
	vars := map[string]string{"DUBAN_DB": db}
	if _, err := runCmd(t, vars, "seed"); err != nil {
		t.Fatal(err)
	}
	st, err := models.Open(db, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := plangen.Fill(context.Background(), st, plangen.History{Periods: 5, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	return vars
}

// The coordinator exports the city the night before the May review and
// opens the workbook: three sheets, 14 departments ranked, 203 metric rows.
func TestExportXLSXFromTheCommandLine(t *testing.T) {
	vars := seededWithHistory(t)
	out := filepath.Join(t.TempDir(), "may.xlsx")
	if _, err := runCmd(t, vars, "export", "--out", out, "--at", "2022-05-31T20:00:00+08:00"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); strings.Join(got, ",") != strings.Join([]string{export.SheetOverview, export.SheetMetrics, export.SheetBulletin, export.SheetDiscipline, export.SheetEvidence}, ",") {
		t.Fatalf("sheets = %v", got)
	}
	rows, err := f.GetRows(export.SheetMetrics)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+203 {
		t.Errorf("指标明细 has %d rows, want a header and 203 metrics", len(rows))
	}
	overview, err := f.GetRows(export.SheetOverview)
	if err != nil {
		t.Fatal(err)
	}
	depts := 0
	for _, r := range overview {
		if len(r) > 1 && strings.HasPrefix(r[1], "市") {
			depts++
		}
	}
	if depts != 14 {
		t.Errorf("总览 lists %d departments, want 14", depts)
	}
}

// One department as CSV: a spreadsheet program opens it as UTF-8 (BOM) and
// every row is that department's.
func TestExportCSVForOneDepartment(t *testing.T) {
	vars := seededWithHistory(t)
	out := filepath.Join(t.TempDir(), "kx.csv")
	if _, err := runCmd(t, vars, "export", "--out", out, "--dept", "市红十字会", "--at", "2022-05-31T20:00:00+08:00"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("\uFEFF")) {
		t.Error("CSV has no byte-order mark")
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) < 2 {
		t.Fatalf("CSV has %d records", len(recs))
	}
	for _, r := range recs[1:] {
		if r[0] != "市红十字会" {
			t.Fatalf("row of %s in 市红十字会's export", r[0])
		}
	}
}
