package models_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duban-bot/duban/models"
)

// The database and its -wal and -shm files are readable by their owner
// only, whatever the umask; an older file open to others is closed to them.
func TestSQLiteFilesAreOwnerOnly(t *testing.T) {
	for _, existing := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "duban.db")
		if existing {
			if err := os.WriteFile(path, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		st, err := models.Open(path, models.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.MarkUpdate(context.Background(), 1); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			info, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if perm := info.Mode().Perm(); perm != 0o600 {
				t.Errorf("existing=%v: %s has mode %v, want 0600", existing, filepath.Base(p), perm)
			}
		}
		st.Close()
	}
}

// A directory duban cannot write into is named as a permission problem.
func TestUnwritableDirectoryIsAPermissionProblem(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes anywhere; explainOpen's mapping is tested in TestExplainOpen")
	}
	dir := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	_, err := models.Open(filepath.Join(dir, "duban.db"), models.Options{})
	if err == nil || !strings.Contains(err.Error(), "permission denied: the directory") {
		t.Fatalf("err = %v, want it to name the unwritable directory", err)
	}
}

// A repeated update and a lookup of nobody are expected answers, not
// errors: GORM logs nothing for them, at any level.
func TestHandledDatabaseErrorsAreNotLogged(t *testing.T) {
	for _, level := range []slog.Level{slog.LevelInfo, slog.LevelDebug} {
		var logs bytes.Buffer
		st, err := models.Open(filepath.Join(t.TempDir(), "duban.db"), models.Options{
			Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: level})),
		})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		logs.Reset() // schema creation
		for range 2 {
			if _, err := st.MarkUpdate(ctx, 777001); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := st.ContactByTelegramID(ctx, 424242); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("Contact = %v, want ErrNotFound", err)
		}
		got := logs.String()
		if got != "" {
			t.Errorf("level %v: logs\n%s\nwant none", level, got)
		}
		st.Close()
	}
}
