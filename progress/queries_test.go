package progress_test

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm/logger"

	"github.com/duban-bot/duban/calendar"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/plangen"
	"github.com/duban-bot/duban/progress"
)

// statementCounter is a GORM logger that counts the SQL statements run.
type statementCounter struct {
	logger.Interface
	n int
}

func (c *statementCounter) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	c.n++
}

// countStatements returns how many SQL statements fn ran on st.
func countStatements(st *models.Store, fn func()) int {
	c := &statementCounter{Interface: logger.Discard}
	db := st.DB()
	saved := db.Logger
	db.Logger = c
	defer func() { db.Logger = saved }()
	fn()
	return c.n
}

// TestOverviewQueriesDoNotGrow builds the overview and the reporting record
// for 10 and for 100 departments and checks both take as many statements.
func TestOverviewQueriesDoNotGrow(t *testing.T) {
	ctx := context.Background()
	at := cst(3, 31, 12, 0)
	counts := map[int]int{}
	for _, n := range []int{10, 100} {
		st := plangen.NewStore(t)
		if _, err := plangen.Create(ctx, st, 2022, plangen.Shape{Departments: n, Tasks: 3, Metrics: 2}, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := plangen.Fill(ctx, st, plangen.History{Periods: 3, Seed: 1}); err != nil {
			t.Fatal(err)
		}
		var snap progress.Snapshot
		var err error
		counts[n] = countStatements(st, func() {
			snap, err = progress.Build(ctx, st, progress.Options{At: at, Loc: shanghai, Period: "2022-03", Thresholds: progress.DefaultThresholds()})
			if err == nil {
				_, err = progress.BuildDiscipline(ctx, st, snap, calendar.Schedule{}, nil)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(snap.Departments) != n || snap.Counts.Total() != n*6 {
			t.Fatalf("%d departments: snapshot has %d departments, %d metrics", n, len(snap.Departments), snap.Counts.Total())
		}
	}
	if counts[10] != counts[100] || counts[10] == 0 {
		t.Errorf("statements: %d for 10 departments, %d for 100; want the same, non-zero", counts[10], counts[100])
	}
	if counts[10] > 8 {
		t.Errorf("%d statements, want at most 8 (plan year, plan revision, 3 plan queries, highest report ID, latest values, completion)", counts[10])
	}
}
