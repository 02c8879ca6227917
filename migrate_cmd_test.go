package main

import (
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duban-bot/duban/models"
)

// The read-only commands on a database made before schema versions: each
// fails naming `duban migrate` and leaves the file byte for byte as it was;
// after `duban migrate` they read it.
func TestReadOnlyCommandsDoNotMigrate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	copyFile(t, filepath.Join("models", "testdata", "preversions.db"), path)
	vars := map[string]string{"DUBAN_DB": path, "DUBAN_NOW": "2022-05-20T09:00:00+08:00"}
	before := fileSum(t, path)
	out := filepath.Join(t.TempDir(), "x.csv")
	for _, args := range [][]string{
		{"status"}, {"plan", "--year", "2022"}, {"export", "--out", out}, {"export", "--plan", "--year", "2022", "--out", out},
	} {
		_, err := runCmd(t, vars, args...)
		if !errors.Is(err, models.ErrSchemaOutdated) || !strings.Contains(err.Error(), "duban migrate") {
			t.Errorf("%v on an old database: %v, want an outdated-schema error naming duban migrate", args, err)
		}
		if fileSum(t, path) != before {
			t.Fatalf("%v changed the database file", args)
		}
	}
	if msg, err := runCmd(t, vars, "migrate"); err != nil || !strings.Contains(msg, "schema at version") {
		t.Fatalf("migrate: %q, %v", msg, err)
	}
	if text, err := runCmd(t, vars, "status", "--dept", "市科协"); err != nil || !strings.Contains(text, "市科协") {
		t.Errorf("status after migrate: %q, %v", text, err)
	}
}

// status on a file that does not exist says to seed and creates nothing.
func TestStatusOnMissingDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.db")
	_, err := runCmd(t, map[string]string{"DUBAN_DB": path}, "status")
	if !isUsage(err) || !strings.Contains(err.Error(), "duban seed") {
		t.Errorf("status on a missing database: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("status created %s", path)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return [32]byte(h.Sum(nil))
}
