package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/duban-bot/duban/models"
)

// Evidence waits for review oldest first; the first decision stands; an
// approval is what ApprovedEvidence reports; a note without a file is no
// evidence.
func testEvidence(t *testing.T, open opener) {
	ctx := context.Background()
	st, plan := seeded(t, open)
	task := plan[0].Tasks[0].ID
	add := func(n models.TaskNote) models.TaskNote {
		t.Helper()
		n.TaskID = task
		if err := st.AddTaskNote(ctx, &n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	older := add(models.TaskNote{Period: "2022-04", FileID: "f1", FileKind: "photo", ReporterID: 1})
	add(models.TaskNote{Period: "2022-05", Note: "只是备注", ReporterID: 1})
	newer := add(models.TaskNote{Period: "2022-05", FileID: "f2", FileKind: "document", FileName: "验收报告.pdf", ReporterID: 1})
	items, total, err := st.PendingEvidence(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if total != 2 || len(items) != 2 || items[0].ID != older.ID || items[1].ID != newer.ID || items[1].FileName != "验收报告.pdf" {
		t.Fatalf("pending = %d %+v, want the two files, oldest first", total, items)
	}
	if items[0].Department == "" || items[0].TaskTitle == "" {
		t.Errorf("item lacks its department or task: %+v", items[0])
	}
	at := time.Date(2022, 5, 30, 10, 0, 0, 0, time.UTC)
	if _, err := st.ReviewEvidence(ctx, older.ID, false, 9001, "图片不清晰", at); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ReviewEvidence(ctx, older.ID, true, 9002, "", at); !errors.Is(err, models.ErrReviewed) {
		t.Fatalf("second decision: %v, want ErrReviewed", err)
	}
	e, err := st.Evidence(ctx, older.ID)
	if err != nil || e.Review != models.ReviewReturned || e.ReturnReason != "图片不清晰" || e.ReviewedBy != 9001 {
		t.Fatalf("after return: %+v, %v", e, err)
	}
	if _, err := st.ReviewEvidence(ctx, newer.ID, true, 9001, "", at); err != nil {
		t.Fatal(err)
	}
	ok, err := st.ApprovedEvidence(ctx, []uint{task})
	if err != nil || !ok[task]["2022-05"] || ok[task]["2022-04"] {
		t.Fatalf("approved = %v, %v; want 2022-05 only", ok, err)
	}
	if _, total, _ := st.PendingEvidence(ctx, 10); total != 0 {
		t.Errorf("%d still pending", total)
	}
	all, err := st.YearEvidence(ctx, 2022)
	if err != nil || len(all) != 2 {
		t.Fatalf("year evidence = %+v, %v", all, err)
	}
}
