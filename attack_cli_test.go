package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/duban-bot/duban/models"
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

// Every command that opens the database fails on an unreachable
// PostgreSQL: the error names the database without its password, and
// nothing printed or logged carries it.
func TestDatabasePasswordNeverLeavesAnyCommand(t *testing.T) {
	const dsn = "postgres://duban:S3cretPW@127.0.0.1:1/x?sslmode=disable&connect_timeout=2"
	dir := t.TempDir()
	plan := filepath.Join(dir, "plan.csv")
	os.WriteFile(plan, []byte("部门,序号,任务,目标\n市科协,1,任务,建成平台\n"), 0o600)
	for _, args := range [][]string{
		{"seed"}, {"plan"}, {"status"}, {"status", "--json"},
		{"contact", "add", "--dept", "市科协", "--telegram-id", "5"}, {"contact", "list"},
		{"contact", "remove", "--telegram-id", "5"}, {"invite", "--dept", "市科协"},
		{"invite", "revoke", "--dept", "市科协"}, {"remind"}, {"digest"},
		{"export", "--out", filepath.Join(dir, "x.csv")}, {"export", "--plan", "--out", filepath.Join(dir, "p.csv")},
		{"import", plan, "--year", "2023"},
		{"target", "--dept", "市科协", "--task", "1", "--metric", "x", "--value", "1", "--reason", "调整"},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), args, testEnv(map[string]string{"DUBAN_DB": dsn}), &out, &errOut)
		if err == nil {
			t.Errorf("%v succeeded on an unreachable database", args)
			continue
		}
		if all := err.Error() + out.String() + errOut.String(); strings.Contains(all, "S3cretPW") {
			t.Errorf("%v: the password leaks:\n%s", args, all)
		}
	}
}

// One invite token in 64 starts with "-" (tokens are base64url): `duban
// invite revoke TOKEN` read it as an unknown flag and the link stayed open
// (TestInviteRevoke failed at random for this reason).
func TestInviteRevokeOfATokenStartingWithADash(t *testing.T) {
	vars := seededDB(t)
	const token = "-Co_-xp43smi9zuScyScUfx8"
	withStore(t, vars, func(st *models.Store) {
		d, err := st.DepartmentByName(context.Background(), "市科协")
		if err != nil {
			t.Fatal(err)
		}
		inv := models.Invite{Token: token, DepartmentID: d.ID, ExpiresAt: time.Now().Add(time.Hour)}
		if err := st.DB().Create(&inv).Error; err != nil {
			t.Fatal(err)
		}
	})
	if out := mustRun(t, vars, "invite", "revoke", token); !strings.Contains(out, "revoked 1 invite of 市科协") {
		t.Errorf("revoke: %q", out)
	}
	for _, args := range [][]string{{"invite", "revoke", "--dept", "市科协"}, {"invite", "revoke", "-dept=市科协"}} {
		if _, err := runCmd(t, vars, args...); err != nil {
			t.Errorf("%v: %v", args, err)
		}
	}
}
