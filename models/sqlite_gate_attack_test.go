package models

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"
)

// Attacks on the write gate and the per-write synchronous mode. A leaked
// gate shows as every later write of the store failing after gateWait, so
// each scenario ends by checking the gate is open and that a write with a
// short deadline goes through.

// gateOf returns the gate of st's connections.
func gateOf(t *testing.T, st *Store) writeGate {
	t.Helper()
	sqlDB, err := st.db.DB()
	if err != nil {
		t.Fatal(err)
	}
	conn, err := sqlDB.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var g writeGate
	if err := conn.Raw(func(dc any) error { g = dc.(*gatedConn).gate; return nil }); err != nil {
		t.Fatal(err)
	}
	return g
}

// writeSoon fails the test when a write cannot pass the gate within a
// second: the gate leaked (it would take gateWait, 10 s, otherwise).
func writeSoon(t *testing.T, db *sql.DB, what string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, "INSERT INTO t (v) VALUES ('after')"); err != nil {
		t.Errorf("after %s a write fails: %v (the gate leaked)", what, err)
	}
}

func TestAttackGateOpensAfterAFailedCommit(t *testing.T) {
	db, gate := gatedDB(t)
	// A deferred foreign key is checked at COMMIT, which then fails.
	if _, err := db.Exec("CREATE TABLE c (id INTEGER PRIMARY KEY, p INTEGER REFERENCES t(id) DEFERRABLE INITIALLY DEFERRED)"); err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("INSERT INTO c (p) VALUES (999)"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err == nil {
		t.Fatal("commit of a broken deferred foreign key succeeded; the scenario did not happen")
	}
	if len(gate) != 0 {
		t.Error("a failed commit left the gate closed")
	}
	writeSoon(t, db, "a failed commit")
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM c").Scan(&n); err != nil || n != 0 {
		t.Errorf("the failed commit's row: n=%d err=%v, want it rolled back", n, err)
	}
}

// Another process holds SQLite's write lock (a CLI import): BEGIN and
// autocommit writes fail in SQLite's busy handler after passing the gate,
// which must open again.
func TestAttackGateOpensWhenSQLiteRefusesAfterTheGate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "busy.db")
	c := newGatedConnector("file:" + path + "?_synchronous=FULL&_journal_mode=WAL&_busy_timeout=50&_txlock=immediate")
	db := sql.OpenDB(c)
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"); err != nil {
		t.Fatal(err)
	}
	ins, err := db.Prepare("INSERT INTO t (v) VALUES (?)")
	if err != nil {
		t.Fatal(err)
	}
	defer ins.Close()
	other, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=50")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	otherConn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer otherConn.Close()
	if _, err := otherConn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	unsynced := withoutSync(context.Background())
	writes := map[string]func() error{
		"BEGIN": func() error {
			tx, err := db.Begin()
			if err == nil {
				_ = tx.Rollback()
			}
			return err
		},
		"BEGIN of a dialog step": func() error {
			tx, err := db.BeginTx(unsynced, nil)
			if err == nil {
				_ = tx.Rollback()
			}
			return err
		},
		"exec":          func() error { _, err := db.Exec("INSERT INTO t (v) VALUES ('x')"); return err },
		"prepared exec": func() error { _, err := ins.Exec("y"); return err },
		"returning query": func() error {
			var id int
			return db.QueryRow("INSERT INTO t (v) VALUES ('z') RETURNING id").Scan(&id)
		},
	}
	for name, write := range writes {
		if err := write(); err == nil {
			t.Errorf("%s while another process holds the write lock succeeded", name)
		}
		if len(c.gate) != 0 {
			t.Errorf("%s refused by SQLite left the gate closed", name)
		}
	}
	if _, err := otherConn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	writeSoon(t, db, "writes refused by SQLite")
}

func TestAttackGateOpensAfterAPanicInTx(t *testing.T) {
	st, err := Open(filepath.Join(t.TempDir(), "panic.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	gate := gateOf(t, st)
	func() {
		defer func() { _ = recover() }()
		_ = st.Tx(context.Background(), func(tx *Store) error {
			if err := tx.SaveDialog(context.Background(), &DialogState{ChatID: 1, State: "{}"}); err != nil {
				t.Error(err)
			}
			panic("handler bug")
		})
	}()
	if len(gate) != 0 {
		t.Error("a panic inside Store.Tx left the gate closed")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := st.SaveDialog(ctx, &DialogState{ChatID: 2, State: "{}"}); err != nil {
		t.Errorf("a write after a panic inside Store.Tx: %v", err)
	}
	if _, err := st.Dialog(context.Background(), 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("the panicking transaction's dialog: err=%v, want it rolled back", err)
	}
}

// The rows of an INSERT … RETURNING hold the gate; cancelling the query's
// context closes them (database/sql does), and must open the gate.
func TestAttackGateOpensWhenAReturningQueryIsCancelled(t *testing.T) {
	db, gate := gatedDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	rows, err := db.QueryContext(ctx, "INSERT INTO t (v) VALUES ('a'), ('b') RETURNING id")
	if err != nil {
		t.Fatal(err)
	}
	if len(gate) != 1 {
		t.Fatal("open RETURNING rows do not hold the gate")
	}
	cancel()
	// No rows.Close: database/sql closes them on the cancelled context.
	ctx2, cancel2 := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel2()
	if _, err := db.ExecContext(ctx2, "INSERT INTO t (v) VALUES ('c')"); err != nil {
		t.Errorf("a write after the RETURNING query's context was cancelled: %v", err)
	}
	_ = rows.Close()
	if len(gate) != 0 {
		t.Error("gate closed at the end")
	}
}

// A transaction ended by closing the database (the pool closes the
// connection under it) opens the gate.
func TestAttackGateOpensWhenTheConnectionClosesMidTransaction(t *testing.T) {
	c := newGatedConnector(sqliteDSN(filepath.Join(t.TempDir(), "close.db"), false))
	db := sql.OpenDB(c)
	if _, err := db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"); err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var gc *gatedConn
	_ = conn.Raw(func(dc any) error { gc = dc.(*gatedConn); return nil })
	tx, err := conn.BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("INSERT INTO t (v) VALUES ('x')"); err != nil {
		t.Fatal(err)
	}
	// The driver connection goes away with its transaction open.
	if err := gc.Close(); err != nil {
		t.Fatal(err)
	}
	if len(c.gate) != 0 {
		t.Error("closing a connection with an open transaction left the gate closed")
	}
	_ = tx.Rollback()
	_ = conn.Close()
	_ = db.Close()
}

// isRead classifies by the first word of the whole text; mattn runs every
// statement of a multi-statement Query, so a write after a SELECT passes
// no gate. Nothing in duban sends one (GORM prepares each statement, and
// a prepared statement is judged by sqlite3_stmt_readonly), so this is a
// latent hole, not a live one.
func TestAttackAMultiStatementQueryCannotWriteWithoutTheGate(t *testing.T) {
	db, gate := gatedDB(t)
	gate <- struct{}{}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	rows, err := db.QueryContext(ctx, "SELECT 1; INSERT INTO t (v) VALUES ('sneaked')")
	cancel()
	if err == nil {
		_ = rows.Close()
	}
	<-gate
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM t").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("a write after a SELECT in one Query ran while another writer held the gate (%d rows)", n)
	}
}

func TestAttackIsReadEdges(t *testing.T) {
	// Reads judged writes only queue behind writers (harmless); writes
	// judged reads skip the gate (a hole).
	for q, want := range map[string]bool{
		"SELECT 1;": true, "SELECT 1 ;\n": true, "SELECT 1; DELETE FROM t": false, "select 1;insert into t values (1)": false,
	} {
		if got := isRead(q); got != want {
			t.Errorf("isRead(%q) = %v, want %v", q, got, want)
		}
	}
	writesAsReads := []string{
		"PRAGMA optimize",           // may run ANALYZE, which writes
		"PRAGMA incremental_vacuum", // frees pages: a write
	}
	for _, q := range writesAsReads {
		if isRead(q) {
			t.Logf("isRead(%q) = true although the statement can write (latent: duban sends none)", q)
		}
	}
	readsAsWrites := []string{"-- why\nSELECT 1", "/* c */ SELECT 1", "WITH x AS (SELECT 1) SELECT * FROM x", "VALUES (1)", "EXPLAIN SELECT 1", "PRAGMA table_info(t)"}
	for _, q := range readsAsWrites {
		if !isRead(q) {
			t.Logf("isRead(%q) = false: the read queues at the gate (harmless)", q)
		}
	}
}

// Every write path a confirmed value takes commits with synchronous=FULL,
// also right after a dialog step left the connection at NORMAL, and a
// dialog step written inside the confirming transaction does not lower it.
func TestAttackConfirmedValuesCommitSynced(t *testing.T) {
	st, err := Open(filepath.Join(t.TempDir(), "sync.db"), Options{Now: func() time.Time { return time.Date(2022, 5, 20, 2, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// A cancellable context, as the bot's are (mattn takes another exec
	// path for a context that can be done).
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	plan := []Department{{Name: "市科协", Seq: 1, Tasks: []Task{{Seq: 1, Title: "任务一", Text: "新建5家",
		Metrics: []Metric{{Name: "新建工作站", Seq: 1, Kind: "cumulative", Direction: "at_least", Target: 5, Unit: "家"}}}}}}
	if err := st.SyncPlan(ctx, 2022, plan); err != nil {
		t.Fatal(err)
	}
	depts, err := st.Plan(ctx, 2022)
	if err != nil {
		t.Fatal(err)
	}
	metric := depts[0].Tasks[0].Metrics[0].ID
	const normal, full = 1, 2
	err = st.db.Connection(func(pinned *gorm.DB) error {
		// A new session per statement, on the pinned connection.
		conn := pinned.Session(&gorm.Session{NewDB: true})
		one := &Store{db: conn, now: st.now}
		mode := func(db *gorm.DB) int {
			t.Helper()
			var m int
			if err := db.Raw("PRAGMA synchronous").Scan(&m).Error; err != nil {
				t.Fatal(err)
			}
			return m
		}
		step := 0
		dialogStep := func() {
			t.Helper()
			step++
			if err := one.SaveDialogMarked(ctx, &DialogState{ChatID: 7, State: "{}", Version: step}, int64(step)); err != nil {
				t.Fatal(err)
			}
			if got := mode(conn); got != normal {
				t.Fatalf("after a dialog step synchronous = %d, want NORMAL: the scenario did not happen", got)
			}
		}
		key := 0
		report := func() *Report {
			key++
			k := "dlg:" + strings.Repeat("k", key)
			return &Report{MetricID: metric, Period: "2022-05", Value: float64(key), ReporterID: 1, RequestKey: &k}
		}
		confirms := []struct {
			name  string
			write func(inside func(tx *Store)) error
		}{
			{"SaveReportOnce", func(inside func(*Store)) error {
				return one.Tx(ctx, func(tx *Store) error {
					inside(tx)
					_, err := tx.SaveReportOnce(ctx, report(), time.Minute)
					return err
				})
			}},
			{"SaveReportOnce on the store", func(func(*Store)) error {
				_, err := one.SaveReportOnce(ctx, report(), time.Minute)
				return err
			}},
			{"SaveReport", func(func(*Store)) error { return one.SaveReport(ctx, report()) }},
			{"InsertReports", func(func(*Store)) error {
				r := report()
				r.Period = "2022-04" // generated history, no current value to supersede
				return one.InsertReports(ctx, []Report{*r})
			}},
			{"the bot's confirm: value and dialog step in one transaction", func(inside func(*Store)) error {
				return one.Tx(ctx, func(tx *Store) error {
					if _, err := tx.SaveReportOnce(ctx, report(), time.Minute); err != nil {
						return err
					}
					step++
					if err := tx.SaveDialogMarked(ctx, &DialogState{ChatID: 7, State: "{}", Version: step}, int64(step)); err != nil {
						return err
					}
					if _, err := tx.EndDialogMarked(ctx, 7, "", int64(1000+step)); err != nil {
						return err
					}
					inside(tx)
					return nil
				})
			}},
		}
		for _, c := range confirms {
			dialogStep()
			during := 0
			if err := c.write(func(tx *Store) { during = mode(tx.db) }); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if during != 0 && during != full {
				t.Errorf("%s: synchronous inside the transaction = %d, want FULL (%d)", c.name, during, full)
			}
			if got := mode(conn); got != full {
				t.Errorf("%s committed with synchronous = %d, want FULL (%d)", c.name, got, full)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Many writers and readers of one store, some cancelled at random points
// (inside transactions too, where database/sql rolls back from its own
// goroutine): afterwards the gate is open and a write passes at once.
func TestAttackGateUnderConcurrentCancellations(t *testing.T) {
	st, err := Open(filepath.Join(t.TempDir(), "stress.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	gate := gateOf(t, st)
	var wg sync.WaitGroup
	for w := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				ctx, cancel := context.WithCancel(context.Background())
				chat := int64(w*1000 + i)
				switch i % 5 {
				case 0:
					_ = st.SaveDialog(ctx, &DialogState{ChatID: chat, State: "{}"})
				case 1:
					_ = st.Tx(ctx, func(tx *Store) error {
						if err := tx.SaveDialogMarked(ctx, &DialogState{ChatID: chat, State: "{}"}, chat); err != nil {
							return err
						}
						if w%2 == 0 {
							cancel() // database/sql rolls back from its goroutine
						}
						_, err := tx.Dialog(ctx, chat)
						return err
					})
				case 2:
					_, _ = st.MarkUpdate(ctx, chat)
				case 3:
					var id int64
					_ = st.db.WithContext(ctx).Raw("INSERT INTO processed_updates (update_id, created_at) VALUES (?, ?) RETURNING update_id",
						chat+500000, time.Now().UTC()).Row().Scan(&id)
				case 4:
					if w%3 == 0 {
						cancel()
					}
					_, _ = st.EndDialogMarked(ctx, chat-4, "", chat)
					_, _ = st.Dialog(ctx, chat-4)
				}
				cancel()
			}
		}()
	}
	wg.Wait()
	if len(gate) != 0 {
		t.Fatal("the gate is closed after every writer returned")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := st.SaveDialog(ctx, &DialogState{ChatID: -1, State: "{}"}); err != nil {
		t.Errorf("a write after the stress: %v", err)
	}
}
