package models_test

import (
	"context"
	"errors"
	"testing"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/pgtest"
)

func TestChangeTargetSQLite(t *testing.T) { testChangeTarget(t, openSQLite) }

func TestChangeTargetPostgres(t *testing.T) {
	pgtest.ServerDSN(t)
	testChangeTarget(t, openPostgres)
}

// A coordinator raises 新建工作站 from 5 to 6 in May: the plan (cached
// before) reads 6 with 5 as the earlier target, the change is recorded with
// who, when and why, and the value filed before stays. A metric that does
// not exist changes nothing.
func testChangeTarget(t *testing.T, open opener) {
	ctx := context.Background()
	st, plan := seeded(t, open)
	m := plan[0].Tasks[0].Metrics[0]
	if err := st.SaveReport(ctx, report(m.ID, "2022-04", 2, may20)); err != nil {
		t.Fatal(err)
	}
	c := models.TargetChange{MetricID: m.ID, NewTarget: 6, Reason: "省里下达任务调增", ChangedBy: 9001}
	if err := st.ChangeTarget(ctx, &c); err != nil {
		t.Fatal(err)
	}
	again, _ := st.Plan(ctx, 2022)
	got := again[0].Tasks[0].Metrics[0]
	if got.Target != 6 || got.PriorTarget == nil || *got.PriorTarget != 5 {
		t.Errorf("metric after the change: target %v, prior %v; want 6 and 5", got.Target, got.PriorTarget)
	}
	changes, err := st.TargetChanges(ctx, m.ID)
	if err != nil || len(changes) != 1 {
		t.Fatalf("changes = %+v, %v", changes, err)
	}
	if ch := changes[0]; ch.OldTarget != 5 || ch.NewTarget != 6 || ch.ChangedBy != 9001 || ch.Reason != "省里下达任务调增" || !ch.ChangedAt.Equal(may20) {
		t.Errorf("recorded change = %+v", ch)
	}
	hist, _ := st.MetricHistory(ctx, m.ID)
	if len(hist) != 1 || hist[0].Value != 2 {
		t.Errorf("reports after the change: %+v", hist)
	}
	bad := models.TargetChange{MetricID: 99999, NewTarget: 1, Reason: "x"}
	if err := st.ChangeTarget(ctx, &bad); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("change of a missing metric: %v, want ErrNotFound", err)
	}
	if changes, _ := st.TargetChanges(ctx, 99999); len(changes) != 0 {
		t.Errorf("a failed change was recorded: %+v", changes)
	}
}
