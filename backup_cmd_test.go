package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// duban backup: a seeded database copies to a file that status reads; on
// PostgreSQL it says pg_dump with exit status 2 and writes nothing; an
// existing file or a missing --out is refused.
func TestBackupCommand(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"DUBAN_DB": filepath.Join(dir, "duban.db"), "DUBAN_NOW": "2022-05-20T09:00:00+08:00"}
	if _, err := runCmd(t, vars, "seed"); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "copy.db")
	if msg, err := runCmd(t, vars, "backup", "--out", out); err != nil || !strings.Contains(msg, out) {
		t.Fatalf("backup: %q, %v", msg, err)
	}
	restored := map[string]string{"DUBAN_DB": out, "DUBAN_NOW": vars["DUBAN_NOW"]}
	if text, err := runCmd(t, restored, "status", "--dept", "市科协"); err != nil || !strings.Contains(text, "市科协") {
		t.Errorf("status on the backup: %q, %v", text, err)
	}
	if _, err := runCmd(t, vars, "backup", "--out", out); err == nil || isUsage(err) {
		t.Errorf("backup over an existing file: %v, want a failure (exit 1)", err)
	}
	if _, err := runCmd(t, vars, "backup"); !isUsage(err) {
		t.Errorf("backup without --out: %v, want a usage error", err)
	}
	pg := map[string]string{"DUBAN_DB": "postgres://duban:S3cret@127.0.0.1:1/duban"}
	_, err := runCmd(t, pg, "backup", "--out", filepath.Join(dir, "pg.db"))
	if !isUsage(err) || !strings.Contains(err.Error(), "pg_dump") || strings.Contains(err.Error(), "S3cret") {
		t.Errorf("backup on PostgreSQL: %v, want a usage error naming pg_dump", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "pg.db")); err == nil {
		t.Error("backup on PostgreSQL wrote a file")
	}
}
