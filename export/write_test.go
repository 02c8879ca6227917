package export_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/duban-bot/duban/calendar"
	"github.com/duban-bot/duban/export"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/plangen"
	"github.com/duban-bot/duban/progress"
)

// An export of a generated year, written by export.Write from the store as
// /export does and opened again, shows the evidence list, the receipts and
// the reporting record (issue 12 "Done when").
func TestWriteShowsEvidenceReceiptsAndDiscipline(t *testing.T) {
	ctx := context.Background()
	st := plangen.NewStore(t)
	if _, err := plangen.Huzhou2022(ctx, st, plangen.History{Periods: 5, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	plan, err := st.Plan(ctx, 2022)
	if err != nil {
		t.Fatal(err)
	}
	dept, task := plan[0], plan[0].Tasks[0]
	ackedAt := time.Date(2022, 5, 26, 9, 12, 0, 0, shanghai)
	n := models.Notice{DepartmentID: dept.ID, Period: "2022-05", Rung: "yellow", ChatID: 501, SentAt: ackedAt.Add(-time.Hour)}
	if _, err := st.IssueNotice(ctx, &n); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AckNotice(ctx, n.ID, 501, ackedAt); err != nil {
		t.Fatal(err)
	}
	ev := models.TaskNote{TaskID: task.ID, Period: "2022-05", FileID: "doc-9", FileKind: "document", FileName: "=验收报告.pdf", ReporterID: 501}
	if err := st.AddTaskNote(ctx, &ev); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ReviewEvidence(ctx, ev.ID, false, 9001, "缺盖章页", ackedAt); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	req := export.Request{At: time.Date(2022, 5, 31, 12, 0, 0, 0, shanghai), Loc: shanghai,
		Thresholds: progress.DefaultThresholds(), Schedule: calendar.Schedule{Loc: shanghai}}
	if err := export.Write(ctx, st, req, export.XLSX, &buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	rows, _ := f.GetRows("佐证材料")
	if len(rows) != 2 {
		t.Fatalf("佐证材料 rows %v, want a header and one piece", rows)
	}
	got := strings.Join(rows[1], "|")
	for _, want := range []string{dept.Name, "2022-05", "文件", "'=验收报告.pdf", "已退回", "缺盖章页"} {
		if !strings.Contains(got, want) {
			t.Errorf("evidence row %q lacks %q", got, want)
		}
	}
	r := rowWhere(t, f, "月度通报", 1, dept.Name, 1, dept.Name)
	if got := cell(t, f, "月度通报", fmt.Sprintf("J%d", r)); !strings.HasPrefix(got, "已收到（") || !strings.Contains(got, "05-26 09:12") {
		t.Errorf("receipt of %s = %q", dept.Name, got)
	}
	disc, _ := f.GetRows("报送纪律")
	if len(disc) != len(plan)+1 || disc[0][5] != "1月" {
		t.Errorf("报送纪律 has %d rows, header %v", len(disc), disc[0])
	}
}

// A reporting record that cannot be read fails the export, although it is
// read while the first sheets are written; the CSV, which shows no record,
// does not read it.
func TestWriteFailsWhenTheRecordFails(t *testing.T) {
	ctx := context.Background()
	st := plangen.NewStore(t)
	if _, err := plangen.Huzhou2022(ctx, st, plangen.History{Periods: 2, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	broken := errors.New("disk on fire")
	src := failingRecord{Store: st, err: broken}
	req := export.Request{At: time.Date(2022, 3, 31, 12, 0, 0, 0, shanghai), Loc: shanghai,
		Thresholds: progress.DefaultThresholds(), Schedule: calendar.Schedule{Loc: shanghai}}
	if err := export.Write(ctx, src, req, export.XLSX, io.Discard); !errors.Is(err, broken) {
		t.Errorf("xlsx with an unreadable record: %v, want %v", err, broken)
	}
	var buf bytes.Buffer
	if err := export.Write(ctx, src, req, export.CSV, &buf); err != nil || buf.Len() == 0 {
		t.Errorf("csv: %v, %d bytes", err, buf.Len())
	}
}

type failingRecord struct {
	*models.Store
	err error
}

func (f failingRecord) PeriodCompletion(context.Context, []string, time.Time) ([]models.DeptPeriodRow, error) {
	return nil, f.err
}

// Texts from plan files and Telegram names that start like a formula are
// neutralised in 指标明细 too, whose row of cells is reused from metric to
// metric: the next metric's plain text stays plain.
func TestMetricSheetNeutralisesFormulas(t *testing.T) {
	at := time.Date(2022, 5, 31, 12, 0, 0, 0, shanghai)
	metric := func(id uint, name, unit string) progress.MetricStatus {
		m := models.Metric{ID: id, Name: name, Kind: "cumulative", Direction: "at_least", Target: 5, Unit: unit}
		rep := &models.Report{MetricID: id, Period: "2022-05", Value: 2, ReporterID: 42, ReportedAt: at}
		return progress.MetricStatus{Metric: m, Latest: rep, Eval: progress.Evaluate(progress.MetricOf(m), &rep.Value, 0.4, progress.DefaultThresholds())}
	}
	snap := progress.Snapshot{Year: 2022, At: at, Period: "2022-05", Share: 0.4, Departments: []progress.DepartmentStatus{{
		ID: 1, Name: "-市科协", Tasks: []progress.TaskStatus{{ID: 1, Seq: 1, Title: "任务",
			Metrics: []progress.MetricStatus{metric(1, "=SUM(1,1)", "+家"), metric(2, "新建工作站", "家")}}},
	}}}
	f := openWorkbook(t, snap, export.WithReporters(map[int64]string{42: "=王芳"}), export.WithLocation(shanghai))
	for ref, want := range map[string]string{
		"A2": "'-市科协", "C2": "'=SUM(1,1)", "F2": "'+家", "O2": "'=王芳",
		"A3": "'-市科协", "C3": "新建工作站", "F3": "家", "O3": "'=王芳",
	} {
		if got := cell(t, f, "指标明细", ref); got != want {
			t.Errorf("指标明细!%s = %q, want %q", ref, got, want)
		}
	}
}
