package models

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/mattn/go-sqlite3"
)

// fileMode is the mode of the SQLite file and its -wal and -shm files: they
// hold invite tokens, dialog state and every report.
const fileMode = 0o600

// SQLiteFile returns the file a SQLite dsn names: "" for PostgreSQL and
// for an in-memory database.
func SQLiteFile(dsn string) string {
	if IsPostgres(dsn) {
		return ""
	}
	return sqlitePath(dsn)
}

// sqlitePath returns the file of a SQLite DSN ("duban.db",
// "file:duban.db?mode=rwc"), "" for an in-memory database.
func sqlitePath(dsn string) string {
	path, query, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
	q, _ := url.ParseQuery(query)
	if path == "" || path == ":memory:" || q.Get("mode") == "memory" {
		return ""
	}
	return path
}

// prepareSQLiteFile creates the database file with mode 0600 before
// SQLite opens it, and takes group and other access away from an older
// one and its -wal and -shm files (a file this user may use but not chmod
// is only warned about). SQLite gives -wal and -shm the mode of the
// database file, so they follow; the process's umask plays no part.
func prepareSQLiteFile(path string, log *slog.Logger) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, fileMode)
	switch {
	case err == nil:
		if err := f.Chmod(fileMode); err != nil {
			f.Close()
			return fmt.Errorf("database file %s: %w", path, err)
		}
		return f.Close()
	case !errors.Is(err, fs.ErrExist):
		return fmt.Errorf("create database file: %w", err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := restrict(p); err != nil {
			log.Warn("database file is open to other users", "file", p, "err", err)
		}
	}
	return nil
}

// restrict removes group and other access from an existing file.
func restrict(path string) error {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil || info.Mode().Perm()&0o077 == 0 {
		return err
	}
	return os.Chmod(path, info.Mode().Perm()&^0o077)
}

// explainOpen names the file-system problem behind a failed open of the
// SQLite file at path: SQLite itself says "unable to open database file"
// or "no such file or directory" when the real problem is that its
// directory cannot be written (it creates -wal and -shm files there).
// writable tells whether a directory can be written by this process.
func explainOpen(path string, err error, writable func(dir string) bool) error {
	dir := filepath.Dir(path)
	if _, serr := os.Stat(dir); errors.Is(serr, fs.ErrNotExist) {
		return fmt.Errorf("the directory %s does not exist: %w", dir, err)
	}
	var se sqlite3.Error
	fsProblem := errors.Is(err, fs.ErrPermission) || errors.Is(err, fs.ErrNotExist) ||
		errors.As(err, &se) && (se.Code == sqlite3.ErrCantOpen || se.Code == sqlite3.ErrPerm || se.Code == sqlite3.ErrReadonly)
	if fsProblem && !writable(dir) {
		return fmt.Errorf("permission denied: the directory %s is not writable by this user (uid %d), "+
			"and SQLite must create %s and its -wal and -shm files there: %w",
			dir, os.Getuid(), filepath.Base(path), err)
	}
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("permission denied: %s cannot be read and written by this user (uid %d): %w", path, os.Getuid(), err)
	}
	return err
}

// dirWritable asks the kernel whether this process may create files in dir.
func dirWritable(dir string) bool {
	const wOK, xOK = 0x2, 0x1
	return syscall.Access(dir, wOK|xOK) == nil
}
