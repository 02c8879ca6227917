package models

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"
)

// gatedDB opens a SQLite file through the gate and returns the gate, so a
// test can hold it as another writer of the process would.
func gatedDB(t *testing.T) (*sql.DB, writeGate) {
	t.Helper()
	c := newGatedConnector(sqliteDSN(filepath.Join(t.TempDir(), "gate.db"), false))
	db := sql.OpenDB(c)
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"); err != nil {
		t.Fatal(err)
	}
	return db, c.gate
}

func TestWritesPassTheGateReadsDoNot(t *testing.T) {
	db, gate := gatedDB(t)
	if _, err := db.Exec("INSERT INTO t (v) VALUES ('a')"); err != nil {
		t.Fatal(err)
	}
	ins, err := db.Prepare("INSERT INTO t (v) VALUES (?)")
	if err != nil {
		t.Fatal(err)
	}
	defer ins.Close()
	gate <- struct{}{} // another writer of this process holds it

	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM t").Scan(&n); err != nil || n != 1 {
		t.Fatalf("a read while the gate is held: n=%d err=%v", n, err)
	}
	writes := map[string]func(ctx context.Context) error{
		"autocommit exec": func(ctx context.Context) error {
			_, err := db.ExecContext(ctx, "INSERT INTO t (v) VALUES ('b')")
			return err
		},
		"prepared exec": func(ctx context.Context) error { _, err := ins.ExecContext(ctx, "c"); return err },
		"returning query": func(ctx context.Context) error {
			var id int
			return db.QueryRowContext(ctx, "INSERT INTO t (v) VALUES ('d') RETURNING id").Scan(&id)
		},
		"transaction": func(ctx context.Context) error {
			tx, err := db.BeginTx(ctx, nil)
			if err == nil {
				_ = tx.Rollback()
			}
			return err
		},
	}
	for name, write := range writes {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		err := write(ctx)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s while another writer holds the gate: err = %v, want it to wait at the gate", name, err)
		}
	}
	<-gate
	if err := db.QueryRow("SELECT COUNT(*) FROM t").Scan(&n); err != nil || n != 1 {
		t.Fatalf("writes that waited at the gate changed the table: n=%d err=%v", n, err)
	}
	for name, write := range writes {
		if err := write(context.Background()); err != nil {
			t.Errorf("%s with the gate open: %v", name, err)
		}
		if len(gate) != 0 {
			t.Fatalf("%s left the gate closed", name)
		}
	}
}

func TestGateOpensWhateverEndsTheTransaction(t *testing.T) {
	db, gate := gatedDB(t)
	ends := map[string]func(*sql.Tx, context.CancelFunc) error{
		"commit":   func(tx *sql.Tx, _ context.CancelFunc) error { return tx.Commit() },
		"rollback": func(tx *sql.Tx, _ context.CancelFunc) error { return tx.Rollback() },
		"cancelled context": func(tx *sql.Tx, cancel context.CancelFunc) error {
			cancel() // database/sql rolls the transaction back by itself
			for range 100 {
				if len(gate) == 0 {
					return nil
				}
				time.Sleep(10 * time.Millisecond)
			}
			return errors.New("still closed")
		},
	}
	for name, end := range ends {
		ctx, cancel := context.WithCancel(context.Background())
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec("INSERT INTO t (v) VALUES ('x')"); err != nil {
			t.Fatal(err)
		}
		if len(gate) != 1 {
			t.Fatalf("%s: an open transaction does not hold the gate", name)
		}
		if err := end(tx, cancel); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		cancel()
		if len(gate) != 0 {
			t.Errorf("%s left the gate closed", name)
		}
	}
}

func TestIsRead(t *testing.T) {
	for q, want := range map[string]bool{
		"SELECT 1": true, "  select * from t": true, "(SELECT 1)": true,
		"PRAGMA synchronous": true, "PRAGMA synchronous = FULL": false, "pragma wal_checkpoint(TRUNCATE)": false,
		"INSERT INTO t VALUES (1) RETURNING id": false, "UPDATE t SET v = 1": false,
		"WITH x AS (SELECT 1) DELETE FROM t": false, "": false, "sel": false,
	} {
		if got := isRead(q); got != want {
			t.Errorf("isRead(%q) = %v, want %v", q, got, want)
		}
	}
}

// A value the contact confirmed must survive a power cut, so its commit
// waits for the disk (synchronous=FULL); a dialog's step between screens
// need not.
func TestConfirmedWritesAreSyncedDialogStepsNeedNotBe(t *testing.T) {
	st, err := Open(filepath.Join(t.TempDir(), "sync.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	// Every statement below runs on one connection, whose mode it reads.
	err = st.db.Connection(func(conn *gorm.DB) error {
		one := &Store{db: conn.Session(&gorm.Session{NewDB: true}), now: st.now}
		synchronous := func() int {
			t.Helper()
			var mode int
			if err := one.db.Raw("PRAGMA synchronous").Scan(&mode).Error; err != nil {
				t.Fatal(err)
			}
			return mode
		}
		const normal, full = 1, 2
		steps := []struct {
			name  string
			write func() error
			want  int
		}{
			{"a dialog step", func() error { return one.SaveDialogMarked(ctx, &DialogState{ChatID: 7, State: "{}"}, 1) }, normal},
			{"a transaction", func() error {
				return one.Tx(ctx, func(tx *Store) error {
					return tx.db.Exec("UPDATE dialog_states SET version = version + 1 WHERE chat_id = 7").Error
				})
			}, full},
			{"a dialog ended", func() error { _, err := one.EndDialogMarked(ctx, 7, "", 2); return err }, normal},
			{"a fetched batch with its marks", func() error {
				rows, err := one.StoreInbox(ctx, []InboxUpdate{{UpdateID: 3, Chat: 7, Payload: "{}"}}, nil)
				if err == nil {
					_, err = one.StoreInbox(ctx, nil, []uint{rows[0].ID})
				}
				return err
			}, normal},
			{"a value's transaction after it", func() error {
				return one.Tx(ctx, func(tx *Store) error {
					return tx.db.Exec("UPDATE dialog_states SET version = version + 1 WHERE chat_id = 7").Error
				})
			}, full},
			{"a write outside a transaction", func() error {
				return conn.Exec("UPDATE dialog_states SET version = version + 1 WHERE chat_id = 7").Error
			}, full},
		}
		if got := synchronous(); got != full {
			t.Errorf("a new connection: synchronous = %d, want FULL (%d)", got, full)
		}
		for _, s := range steps {
			if err := s.write(); err != nil {
				return err
			}
			if got := synchronous(); got != s.want {
				t.Errorf("after %s: synchronous = %d, want %d", s.name, got, s.want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
