package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --year 0 is not a year: it is refused like --year 99999, not read as
// "the active year".
func TestYearZeroIsRefused(t *testing.T) {
	vars := map[string]string{"DUBAN_DB": filepath.Join(t.TempDir(), "duban.db")}
	if _, err := runCmd(t, vars, "seed"); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"status", "--year", "0"},
		{"status", "--year", "99999"},
		{"plan", "--year", "0"},
		{"export", "--year", "0", "--out", filepath.Join(t.TempDir(), "x.csv")},
		{"remind", "--year", "0"},
		{"digest", "--year", "0"},
	} {
		out, err := runCmd(t, vars, args...)
		if err == nil || !strings.Contains(err.Error(), "four-digit year") {
			t.Errorf("%v: err %v, output %.60q; want a four-digit-year refusal", args, err, out)
		}
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("%v: %v is not a usage error (exit 2)", args, err)
		}
	}
}

// export --out names a directory that does not exist, or a directory: one
// line naming the path the user gave, before any work, and nothing left
// behind.
func TestExportOutThatCannotBeWritten(t *testing.T) {
	vars := map[string]string{"DUBAN_DB": filepath.Join(t.TempDir(), "duban.db")}
	if _, err := runCmd(t, vars, "seed"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	isDir := filepath.Join(dir, "may.xlsx")
	if err := os.Mkdir(isDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ out, want string }{
		{filepath.Join(dir, "nodir", "may.xlsx"), "does not exist"},
		{isDir, "is a directory"},
	} {
		for _, args := range [][]string{
			{"export", "--year", "2022", "--out", tc.out},
			{"export", "--plan", "--year", "2022", "--out", tc.out},
		} {
			_, err := runCmd(t, vars, args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), filepath.Dir(tc.out)) {
				t.Errorf("%v: %v; want %q naming the path", args, err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), ".duban-export-") {
				t.Errorf("%v: the error names the temporary file: %v", args, err)
			}
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}
