package models_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/pgtest"
)

// opener makes a fresh, empty store for one test.
type opener func(t *testing.T, now func() time.Time) *models.Store

func openSQLite(t *testing.T, now func() time.Time) *models.Store {
	st, err := models.Open(filepath.Join(t.TempDir(), "duban.db"), models.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// openPostgres gives every test its own schema on the server named by
// DUBAN_TEST_POSTGRES.
func openPostgres(t *testing.T, now func() time.Time) *models.Store {
	st, err := models.Open(pgtest.SchemaDSN(t, "t"), models.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestStoreSQLite(t *testing.T) { testStore(t, openSQLite) }

func TestStorePostgres(t *testing.T) {
	pgtest.ServerDSN(t)
	testStore(t, openPostgres)
}

func testStore(t *testing.T, open opener) {
	cases := map[string]func(t *testing.T, open opener){
		"plan sync is idempotent and retires":  testPlanSync,
		"corrections supersede, keys dedupe":   testReports,
		"latest values up to a period":         testLatest,
		"invites bind once and expire":         testInvites,
		"updates are handled once":             testMarkUpdate,
		"dialog state survives":                testDialog,
		"contacts and coordinators":            testContacts,
		"roles keep every main contact":        testRoles,
		"DUBAN_ADMINS is the source of truth":  testAdminSync,
		"invites: revoke, coordinators":        testInviteRefusals,
		"evidence is reviewed once":            testEvidence,
		"prepared statements":                  testPreparedStatements,
		"dialog and update mark together":      testSaveDialogMarkedIsAtomic,
		"arrival in one read":                  testArrive,
		"values cached per report revision":    testDepartmentValues,
		"one metric confirmed by many at once": testConcurrentSavesOfOneMetric,
	}
	for name, fn := range cases {
		t.Run(name, func(t *testing.T) { fn(t, open) })
	}
}

var may20 = time.Date(2022, 5, 20, 2, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return may20 }

func smallPlan() []models.Department {
	return []models.Department{{Name: "市科协", Seq: 1, Tasks: []models.Task{{Seq: 1, Title: "任务一", Text: "新建5家",
		Metrics: []models.Metric{
			{Name: "新建工作站", Seq: 1, Kind: "cumulative", Direction: "at_least", Target: 5, Unit: "家"},
			{Name: "增长率", Seq: 2, Kind: "rate", Direction: "at_least", Target: 8.5, Unit: "%"},
		}}}}}
}

func seeded(t *testing.T, open opener) (*models.Store, []models.Department) {
	t.Helper()
	st := open(t, fixedNow)
	if err := st.SyncPlan(context.Background(), 2022, smallPlan()); err != nil {
		t.Fatal(err)
	}
	plan, err := st.Plan(context.Background(), 2022)
	if err != nil {
		t.Fatal(err)
	}
	return st, plan
}

func testPlanSync(t *testing.T, open opener) {
	ctx := context.Background()
	st, plan := seeded(t, open)
	if err := st.SyncPlan(ctx, 2022, smallPlan()); err != nil {
		t.Fatal(err)
	}
	d, tk, m, err := st.Counts(ctx, 2022)
	if err != nil || d != 1 || tk != 1 || m != 2 {
		t.Fatalf("counts after second sync = %d %d %d %v, want 1 1 2", d, tk, m, err)
	}
	p := smallPlan()
	p[0].Tasks[0].Metrics = p[0].Tasks[0].Metrics[:1]
	p[0].Tasks[0].Metrics[0].Target = 6
	if err := st.SyncPlan(ctx, 2022, p); err != nil {
		t.Fatal(err)
	}
	again, _ := st.Plan(ctx, 2022)
	ms := again[0].Tasks[0].Metrics
	if len(ms) != 1 || ms[0].ID != plan[0].Tasks[0].Metrics[0].ID || ms[0].Target != 6 {
		t.Fatalf("metrics after change = %+v, want the same row with target 6 and the rate retired", ms)
	}
}

func testReports(t *testing.T, open opener) {
	ctx := context.Background()
	st, plan := seeded(t, open)
	mid := plan[0].Tasks[0].Metrics[0].ID
	key := "dlg:1:7"
	first := &models.Report{MetricID: mid, Period: "2022-05", Value: 2, ReporterID: 1, RequestKey: &key}
	if err := st.SaveReport(ctx, first); err != nil {
		t.Fatal(err)
	}
	dup := &models.Report{MetricID: mid, Period: "2022-05", Value: 2, ReporterID: 1, RequestKey: &key}
	if err := st.SaveReport(ctx, dup); err != nil || dup.ID != first.ID {
		t.Fatalf("duplicate key: id %d err %v, want the first report %d", dup.ID, err, first.ID)
	}
	fix := &models.Report{MetricID: mid, Period: "2022-05", Value: 3, ReporterID: 1}
	if err := st.SaveReport(ctx, fix); err != nil {
		t.Fatal(err)
	}
	hist, err := st.MetricHistory(ctx, mid)
	if err != nil || len(hist) != 2 {
		t.Fatalf("history = %+v, %v; want 2 rows", hist, err)
	}
	if hist[0].SupersededByID == nil || *hist[0].SupersededByID != fix.ID || hist[1].SupersededAt != nil {
		t.Errorf("history = %+v, want the first superseded by the correction", hist)
	}
	if !hist[1].ReportedAt.Equal(may20) {
		t.Errorf("reported at %v, want the store clock %v", hist[1].ReportedAt, may20)
	}
}

func testLatest(t *testing.T, open opener) {
	ctx := context.Background()
	st, plan := seeded(t, open)
	mid := plan[0].Tasks[0].Metrics[0].ID
	for i, p := range []string{"2022-03", "2022-04", "2022-05"} {
		if err := st.SaveReport(ctx, &models.Report{MetricID: mid, Period: p, Value: float64(i + 1), ReporterID: 1}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		max  string
		want float64
	}{{"", 3}, {"2022-05", 3}, {"2022-04", 2}, {"2022-03", 1}}
	for _, tc := range tests {
		got, err := st.LatestReports(ctx, tc.max)
		if err != nil || got[mid].Value != tc.want {
			t.Errorf("LatestReports(%q) = %v, %v; want %v", tc.max, got[mid].Value, err, tc.want)
		}
	}
	none, err := st.LatestReports(ctx, "2022-02")
	if err != nil || len(none) != 0 {
		t.Errorf("before any report: %v, %v", none, err)
	}
	only, err := st.PeriodReports(ctx, "2022-04", mid)
	if err != nil || len(only) != 1 || only[mid].Value != 2 {
		t.Errorf("PeriodReports = %v, %v", only, err)
	}
}

func testInvites(t *testing.T, open opener) {
	ctx := context.Background()
	now := may20
	st := open(t, func() time.Time { return now })
	if err := st.SyncPlan(ctx, 2022, smallPlan()); err != nil {
		t.Fatal(err)
	}
	plan, _ := st.Plan(ctx, 2022)
	inv, err := st.CreateInvite(ctx, plan[0].ID, 9)
	if err != nil {
		t.Fatal(err)
	}
	c, err := st.RedeemInvite(ctx, inv.Token, 42, "王芳")
	if err != nil || c.Role != models.RoleContact || c.Department == nil || c.Department.Name != "市科协" {
		t.Fatalf("redeem = %+v, %v", c, err)
	}
	if _, err := st.RedeemInvite(ctx, inv.Token, 43, ""); !errors.Is(err, models.ErrInviteUsed) {
		t.Errorf("second redeem: %v, want ErrInviteUsed", err)
	}
	if _, err := st.RedeemInvite(ctx, "forged", 43, ""); !errors.Is(err, models.ErrInviteUnknown) {
		t.Errorf("forged: %v, want ErrInviteUnknown", err)
	}
	old, _ := st.CreateInvite(ctx, plan[0].ID, 9)
	now = now.Add(models.InviteTTL)
	if _, err := st.RedeemInvite(ctx, old.Token, 44, ""); !errors.Is(err, models.ErrInviteExpired) {
		t.Errorf("expired: %v, want ErrInviteExpired", err)
	}
}

func testMarkUpdate(t *testing.T, open opener) {
	st := open(t, fixedNow)
	ctx := context.Background()
	first, err1 := st.MarkUpdate(ctx, 10)
	second, err2 := st.MarkUpdate(ctx, 10)
	if !first || second || err1 != nil || err2 != nil {
		t.Fatalf("MarkUpdate twice = %v,%v (%v,%v), want true,false", first, second, err1, err2)
	}
}

func testDialog(t *testing.T, open opener) {
	st := open(t, fixedNow)
	ctx := context.Background()
	d := &models.DialogState{ChatID: -1001234567890, State: `{"step":"tasks"}`, Version: 3, MessageID: 12}
	if err := st.SaveDialog(ctx, d); err != nil {
		t.Fatal(err)
	}
	d.Version = 4
	if err := st.SaveDialog(ctx, d); err != nil {
		t.Fatal(err)
	}
	got, err := st.Dialog(ctx, d.ChatID)
	if err != nil || got.Version != 4 || got.State != d.State || got.MessageID != 12 {
		t.Fatalf("dialog = %+v, %v", got, err)
	}
	if ok, err := st.EndDialogMarked(ctx, d.ChatID, "", 77); err != nil || !ok {
		t.Fatalf("end dialog: %v, %v", ok, err)
	}
	if _, err := st.Dialog(ctx, d.ChatID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("after the end: %v, want ErrNotFound", err)
	}
	// The row stays, with its version moved on and the ending update marked.
	if a, err := st.Arrive(ctx, 1, d.ChatID, 77); !a.Seen || a.Version != 5 || (err != nil && !errors.Is(err, models.ErrNotFound)) {
		t.Errorf("after the end: seen %v, version %d, %v; want seen, version 5", a.Seen, a.Version, err)
	}
}

func testContacts(t *testing.T, open opener) {
	ctx := context.Background()
	st, plan := seeded(t, open)
	dept := plan[0].ID
	for _, c := range []models.Contact{
		{TelegramID: 2, Role: models.RoleDeputy, DepartmentID: &dept},
		{TelegramID: 1, Role: models.RoleContact, DepartmentID: &dept},
	} {
		if err := st.SaveContact(ctx, &c); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.SyncAdmins(ctx, []int64{9}); err != nil {
		t.Fatal(err)
	}
	cs, err := st.DepartmentContacts(ctx, dept)
	if err != nil || len(cs) != 2 || cs[0].TelegramID != 1 {
		t.Fatalf("contacts = %+v, %v; want the main contact first", cs, err)
	}
	all, err := st.ContactsByDepartment(ctx)
	if err != nil || len(all) != 1 || len(all[dept]) != 2 || all[dept][0].TelegramID != 1 {
		t.Fatalf("contacts by department = %+v, %v; want the department's two, main first, no coordinator", all, err)
	}
	co, err := st.Coordinators(ctx)
	if err != nil || len(co) != 1 || co[0].TelegramID != 9 {
		t.Fatalf("coordinators = %+v, %v", co, err)
	}
	if err := st.SaveContact(ctx, &models.Contact{TelegramID: 3, Role: models.RoleContact}); err == nil {
		t.Error("a contact without a department was saved")
	}
}
