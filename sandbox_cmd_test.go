package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duban-bot/duban/delivery"
)

// runWithInput is run with standard input, as `duban sandbox` reads it.
func runWithInput(t *testing.T, vars map[string]string, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	sys := system{getenv: testEnv(vars), stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut, sleep: delivery.WallClock(nil).Sleep}
	err := sys.run(context.Background(), args)
	return out.String(), err
}

// The done-when: on a fresh machine with no token, the coordinator's
// /status names 市科协.
func TestSandboxDoneWhen(t *testing.T) {
	tests := []struct {
		name string
		vars map[string]string
	}{
		{"no settings", map[string]string{}},
		// Settings that would reach Telegram or a real database are ignored.
		{"real settings ignored", map[string]string{
			"TELEGRAM_BOT_TOKEN": "999999:NOT-A-REAL-TOKEN", "TELEGRAM_API_URL": "http://127.0.0.1:1",
			"DUBAN_DB": filepath.Join(t.TempDir(), "production.db"), "DUBAN_ADMINS": "42", "DUBAN_GROUP_CHAT": "-100123",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runWithInput(t, tt.vars, ":as coordinator\n/status\n:expect 市科协\n", "sandbox", "--script", "-")
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if !strings.Contains(out, "督查考核办> /status") || !strings.Contains(out, "→ 督查考核办 #") {
				t.Errorf("the transcript does not show the command and its answer:\n%s", out)
			}
			if db := tt.vars["DUBAN_DB"]; db != "" {
				if _, err := os.Stat(db); !os.IsNotExist(err) {
					t.Errorf("DUBAN_DB %s was created or touched: %v", db, err)
				}
			}
		})
	}
}

// A failed check ends the run with an error naming the script and line
// (exit 1, not a usage error); a missing script is a usage error.
func TestSandboxScriptFailure(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "check.txt")
	if err := os.WriteFile(script, []byte("/status\n:expect 不会出现\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := runWithInput(t, map[string]string{}, "", "sandbox", "--script", script)
	if err == nil || isUsage(err) || !strings.Contains(err.Error(), script+":2: :expect 不会出现") {
		t.Fatalf("err = %v, want a failure naming %s:2", err, script)
	}
	_, err = runWithInput(t, map[string]string{}, "", "sandbox", "--script", filepath.Join(dir, "missing.txt"))
	if !isUsage(err) {
		t.Fatalf("err = %v, want a usage error", err)
	}
}

// --db keeps the database: a second run finds the contact the first bound.
func TestSandboxKeepsDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sandbox.db")
	if out, err := runWithInput(t, map[string]string{}, ":as 市科协\n:expect 绑定成功\n", "sandbox", "--db", db, "--script", "-"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	out, err := runWithInput(t, map[string]string{}, ":who\n", "sandbox", "--db", db, "--script", "-")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "bound: 市科协联络员") {
		t.Errorf("the second run does not know the contact:\n%s", out)
	}
}

// DUBAN_NOW sets the sandbox's clock.
func TestSandboxClockFromDubanNow(t *testing.T) {
	out, err := runWithInput(t, map[string]string{"DUBAN_NOW": "2022-07-04T10:00:00+08:00"}, ":who\n", "sandbox", "--script", "-")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "clock 2022-07-04 10:00（周一）") {
		t.Errorf("clock not at DUBAN_NOW:\n%s", out)
	}
}
