package models_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/duban-bot/duban/models"
)

// Issue 11, point 2: statements are prepared once and reused, also inside
// the transaction that marks an update and saves the dialog.
func testPreparedStatements(t *testing.T, open opener) {
	st := open(t, fixedNow)
	ctx := context.Background()
	p, ok := st.DB().Config.ConnPool.(*gorm.PreparedStmtDB)
	if !ok {
		t.Fatalf("connection pool is %T, want prepared statements", st.DB().Config.ConnPool)
	}
	handled := ""
	for v := range 3 {
		d := &models.DialogState{ChatID: 42, State: `{"step":"tasks"}`, Version: v + 1, MessageID: 7, Handled: handled}
		if err := st.SaveDialogMarked(ctx, d, int64(100+v)); err != nil {
			t.Fatal(err)
		}
		handled = d.Handled
	}
	got, err := st.Dialog(ctx, 42)
	if err != nil || got.Version != 3 {
		t.Fatalf("dialog = %+v, %v; want version 3", got, err)
	}
	for _, id := range []int64{100, 101, 102} {
		if a, err := st.Arrive(ctx, 4242, 42, id); !a.Seen || (err != nil && !errors.Is(err, models.ErrNotFound)) {
			t.Errorf("update %d seen = %v, %v; want marked with its dialog", id, a.Seen, err)
		}
	}
	prepared := p.Stmts.Keys()
	for _, want := range []string{"INSERT INTO \"dialog_states\"", "INSERT INTO `dialog_states`",
		"INSERT INTO \"processed_updates\"", "INSERT INTO `processed_updates`"} {
		i := slices.IndexFunc(prepared, func(k string) bool { return strings.HasPrefix(k, want) })
		if i < 0 {
			continue // the other database's quoting
		}
		// Kept on the pool, not bound to the transaction that first ran
		// it (which would prepare it again in every transaction).
		if st, ok := p.Stmts.Get(prepared[i]); !ok || st.Transaction {
			t.Errorf("%s… is prepared per transaction", want)
		}
	}
	if keys := p.Stmts.Keys(); !slices.ContainsFunc(keys, func(k string) bool { return strings.Contains(k, "dialog_states") }) {
		t.Errorf("no prepared statement writes dialog_states; prepared: %q", keys)
	}
}

// A failed save writes neither the dialog nor the update's mark, so the
// update is handled again.
func testSaveDialogMarkedIsAtomic(t *testing.T, open opener) {
	st := open(t, fixedNow)
	ctx := context.Background()
	bad := &models.DialogState{ChatID: 43, State: "", Version: 1}
	if err := st.DB().Exec("CREATE TRIGGER no_dialog BEFORE INSERT ON dialog_states WHEN NEW.chat_id = 43 " +
		"BEGIN SELECT RAISE(ABORT, 'refused'); END").Error; err != nil {
		t.Skipf("no trigger on this database: %v", err)
	}
	if err := st.SaveDialogMarked(ctx, bad, 200); err == nil {
		t.Fatal("save succeeded past the trigger")
	}
	if seen, err := st.UpdateSeen(ctx, 200); err != nil || seen {
		t.Errorf("update seen = %v, %v after a failed save; want false", seen, err)
	}
}

// Issue 11, point 1: contacts and plans come from memory, and every change
// is seen at once: a binding, a role change, a leave, a removal, a new
// plan, in this process or in another one on the same database.
func TestHotCacheFollowsEveryChange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "duban.db")
	openAt := func() *models.Store {
		st, err := models.Open(path, models.Options{Now: fixedNow})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	st, other := openAt(), openAt() // other is a second process or replica
	ctx := context.Background()
	if err := st.SyncPlan(ctx, 2022, smallPlan()); err != nil {
		t.Fatal(err)
	}
	dept, err := st.DepartmentByName(ctx, "市科协")
	if err != nil {
		t.Fatal(err)
	}
	role := func(s *models.Store) string {
		t.Helper()
		c, err := s.ContactByTelegramID(ctx, 7)
		if errors.Is(err, models.ErrNotFound) {
			return "none"
		}
		if err != nil {
			t.Fatal(err)
		}
		if c.LeaveFrom != nil {
			return c.Role + "+leave"
		}
		return c.Role
	}
	metrics := func(s *models.Store) int {
		t.Helper()
		if _, err := s.ContactByTelegramID(ctx, 7); err != nil && !errors.Is(err, models.ErrNotFound) {
			t.Fatal(err) // what every update does first: it checks the cache
		}
		d, err := s.DepartmentPlan(ctx, 2022, dept.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(d.Tasks[0].Metrics)
	}
	leave := time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC)
	steps := []struct {
		name   string
		change func(t *testing.T)
		role   string
		metric int
	}{
		{"nothing yet", func(*testing.T) {}, "none", 2},
		{"bound here", func(t *testing.T) {
			if _, err := st.AssignRole(ctx, models.Contact{TelegramID: 7, Role: models.RoleContact, DepartmentID: &dept.ID}); err != nil {
				t.Fatal(err)
			}
		}, models.RoleContact, 2},
		{"made coordinator elsewhere", func(t *testing.T) {
			if err := other.SaveContact(ctx, &models.Contact{TelegramID: 7, Role: models.RoleCoordinator}); err != nil {
				t.Fatal(err)
			}
		}, models.RoleCoordinator, 2},
		{"on leave elsewhere", func(t *testing.T) {
			if err := other.SetLeave(ctx, 7, &leave, nil); err != nil {
				t.Fatal(err)
			}
		}, models.RoleCoordinator + "+leave", 2},
		{"plan changed elsewhere", func(t *testing.T) {
			plan := smallPlan()
			plan[0].Tasks[0].Metrics = plan[0].Tasks[0].Metrics[:1]
			if err := other.SyncPlan(ctx, 2022, plan); err != nil {
				t.Fatal(err)
			}
		}, models.RoleCoordinator + "+leave", 1},
		{"next year's plan elsewhere", func(t *testing.T) {
			if err := other.SyncPlan(ctx, 2023, smallPlan()); err != nil {
				t.Fatal(err)
			}
		}, models.RoleCoordinator + "+leave", 1},
		{"removed elsewhere", func(t *testing.T) {
			if _, err := other.RemoveContact(ctx, 7); err != nil {
				t.Fatal(err)
			}
		}, "none", 1},
	}
	for _, s := range steps {
		s.change(t)
		for _, read := range []struct {
			name string
			st   *models.Store
		}{{"here", st}, {"elsewhere", other}} {
			// Twice: the second read is served from the cache.
			for range 2 {
				if got := role(read.st); got != s.role {
					t.Errorf("%s: role read %s = %s, want %s", s.name, read.name, got, s.role)
				}
				if got := metrics(read.st); got != s.metric {
					t.Errorf("%s: metrics read %s = %d, want %d", s.name, read.name, got, s.metric)
				}
				wantYears := []int{2022}
				if s.name == "next year's plan elsewhere" || s.name == "removed elsewhere" {
					wantYears = []int{2022, 2023}
				}
				if got, err := read.st.PlanYears(ctx); err != nil || !slices.Equal(got, wantYears) {
					t.Errorf("%s: plan years read %s = %v, %v; want %v", s.name, read.name, got, err, wantYears)
				}
			}
		}
	}
}

// Arrive reads what an update needs before it is handled, in one
// statement on either database.
func testArrive(t *testing.T, open opener) {
	st := open(t, fixedNow)
	ctx := context.Background()
	if err := st.SyncPlan(ctx, 2022, smallPlan()); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Arrive(ctx, 8, 8, 300); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("stranger arrives: %v, want ErrNotFound", err)
	}
	if err := st.SaveContact(ctx, &models.Contact{TelegramID: 8, Role: models.RoleCoordinator, Name: "甲"}); err != nil {
		t.Fatal(err)
	}
	a, err := st.Arrive(ctx, 8, 8, 300)
	if err != nil || a.Contact.Name != "甲" || a.Seen || a.Dialog != nil {
		t.Fatalf("first arrival = %+v, %v; want the contact, unseen, no dialog", a, err)
	}
	d := &models.DialogState{ChatID: 8, State: `{"step":"dept"}`, Version: 2, MessageID: 5}
	if err := st.SaveDialogMarked(ctx, d, 300); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveContact(ctx, &models.Contact{TelegramID: 8, Role: models.RoleCoordinator, Name: "乙"}); err != nil {
		t.Fatal(err)
	}
	a, err = st.Arrive(ctx, 8, 8, 300)
	if err != nil || !a.Seen || a.Dialog == nil || a.Dialog.Version != 2 || a.Dialog.State != d.State || a.Dialog.MessageID != 5 {
		t.Fatalf("repeated arrival = %+v, %v; want seen with the dialog", a, err)
	}
	if a.Contact.Name != "乙" {
		t.Errorf("contact after a rename = %q, want 乙", a.Contact.Name)
	}
	if a, err := st.Arrive(ctx, 8, 8, 301); err != nil || a.Seen {
		t.Errorf("next update = %+v, %v; want unseen", a, err)
	}
}

func TestWrittenTable(t *testing.T) {
	for _, tc := range []struct{ sql, want string }{
		{"INSERT INTO report_revisions (department_id) SELECT t.department_id FROM metrics m JOIN tasks t ON 1", "report_revisions"},
		{"UPDATE `contacts` SET name = ?", "contacts"},
		{`DELETE FROM "tasks" WHERE id = 1`, "tasks"},
		{"update plan_years set revision = revision + 1", "plan_years"},
		{"ALTER TABLE metrics ADD COLUMN x", "ALTER TABLE metrics ADD COLUMN x"},
	} {
		if got := models.WrittenTable(tc.sql); got != tc.want {
			t.Errorf("WrittenTable(%q) = %q, want %q", tc.sql, got, tc.want)
		}
	}
}
