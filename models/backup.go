package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	_ "github.com/mattn/go-sqlite3" // the "sqlite3" driver of VACUUM INTO
)

// ErrBackupPostgres is Backup's answer for a PostgreSQL DSN: pg_dump is
// the tool there.
var ErrBackupPostgres = errors.New("the database is PostgreSQL: back it up with pg_dump")

// Backup writes a consistent copy of the SQLite database dsn to out with
// VACUUM INTO: one read transaction, so writers (a running serve) go on and
// the copy is the database as of one instant. It reads the file as it is,
// without migrating, so a database can be saved before an upgrade. out must
// not exist; it appears whole (mode 0600) or not at all.
func Backup(ctx context.Context, dsn, out string) error {
	if IsPostgres(dsn) {
		return ErrBackupPostgres
	}
	path := sqlitePath(dsn)
	if path == "" {
		return errors.New("backup: an in-memory database has nothing to back up")
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := os.Lstat(out); err == nil {
		return fmt.Errorf("backup: %s exists; choose a new file", out)
	}
	// VACUUM INTO wants a file that does not exist or is empty: an empty
	// temporary file next to out has the mode the copy needs.
	tmp, err := os.CreateTemp(filepath.Dir(out), ".duban-backup-*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	if err := vacuumInto(ctx, dsn, tmp.Name()); err != nil {
		return err
	}
	// Link, unlike rename, refuses to replace a file that appeared meanwhile.
	if err := os.Link(tmp.Name(), out); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

func vacuumInto(ctx context.Context, dsn, to string) error {
	db, err := sql.Open("sqlite3", sqliteDSN(dsn, true))
	if err != nil {
		return fmt.Errorf("backup: open: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", to); err != nil {
		return fmt.Errorf("backup: VACUUM INTO: %w", err)
	}
	return nil
}
