package models

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mattn/go-sqlite3"
)

func TestSlowStatementIsOneWarningWithoutValues(t *testing.T) {
	var logs bytes.Buffer
	l := dbLogger{log: slog.New(slog.NewTextHandler(&logs, nil)), slow: slowStatement}
	sql, _ := l.ParamsFilter(context.Background(), "SELECT * FROM invites WHERE token = ?", "SECRET-INVITE")
	l.Trace(context.Background(), time.Now().Add(-time.Second), func() (string, int64) { return sql, 1 }, nil)
	l.Trace(context.Background(), time.Now(), func() (string, int64) { return sql, 1 }, nil)
	got := logs.String()
	if strings.Count(got, "level=WARN") != 1 || !strings.Contains(got, "token = ?") || strings.Contains(got, "SECRET") {
		t.Fatalf("logs:\n%s\nwant one WARN with the placeholder", got)
	}
}

// A statement that failed for a reason the store does not translate is
// logged at DEBUG, once; its caller reports the error.
func TestFailedStatementIsDebugOnly(t *testing.T) {
	for _, level := range []slog.Level{slog.LevelInfo, slog.LevelDebug} {
		var logs bytes.Buffer
		l := dbLogger{log: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: level})), slow: slowStatement}
		l.Trace(context.Background(), time.Now(), func() (string, int64) { return "UPDATE outbox SET status = ?", 0 }, errors.New("disk I/O error"))
		want := map[slog.Level]int{slog.LevelInfo: 0, slog.LevelDebug: 1}[level]
		if n := strings.Count(logs.String(), "level=DEBUG msg=\"database statement failed\""); n != want {
			t.Errorf("level %v: logs\n%s\nwant %d DEBUG lines", level, logs.String(), want)
		}
	}
}

// explainOpen turns SQLite's "unable to open database file" and the file
// system's errors into the problem the operator must fix.
func TestExplainOpen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "duban.db")
	cantOpen := sqlite3.Error{Code: sqlite3.ErrCantOpen}
	tests := []struct {
		name     string
		path     string
		err      error
		writable bool
		want     string
	}{
		{"create refused", path, &fs.PathError{Op: "open", Path: path, Err: fs.ErrPermission}, false, "permission denied: the directory " + dir + " is not writable"},
		{"sqlite cannot open", path, fmt.Errorf("open database: %w", cantOpen), false, "permission denied: the directory"},
		{"file not readable", path, &fs.PathError{Op: "open", Path: path, Err: fs.ErrPermission}, true, "permission denied: " + path + " cannot be read and written"},
		{"missing directory", filepath.Join(dir, "nope", "duban.db"), fs.ErrNotExist, true, "the directory " + filepath.Join(dir, "nope") + " does not exist"},
		{"other error unchanged", path, errors.New("database disk image is malformed"), false, "database disk image is malformed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := explainOpen(tc.path, tc.err, func(string) bool { return tc.writable })
			if !strings.HasPrefix(got.Error(), tc.want) || !errors.Is(got, tc.err) {
				t.Errorf("got %q, want it to start with %q and wrap the cause", got, tc.want)
			}
		})
	}
}
