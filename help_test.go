package main

import (
	"strings"
	"testing"
)

// Asking for help prints usage on stdout and succeeds, whichever way it is asked.
func TestHelp(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"--help"}, []string{"Usage:", "duban serve", "duban export --out", "--db DSN"}},
		{[]string{"-h"}, []string{"Usage:", "duban remind"}},
		{[]string{"help"}, []string{"Usage:", "duban contact add"}},
		{[]string{"help", "status"}, []string{"Usage: duban status"}},
		{[]string{"status", "--help"}, []string{"Usage: duban status", "-dept", "-json"}},
		{[]string{"export", "-h"}, []string{"Usage: duban export", "-out"}},
		{[]string{"serve", "--help"}, []string{"Usage: duban serve"}},
		{[]string{"contact", "--help"}, []string{"Usage: duban contact add"}},
		{[]string{"contact", "add", "--help"}, []string{"Usage: duban contact add", "-telegram-id"}},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out, err := runCmd(t, map[string]string{"DUBAN_DB": t.TempDir() + "/never-created.db"}, tc.args...)
			if err != nil {
				t.Fatalf("err = %v, want none", err)
			}
			for _, w := range tc.want {
				mustHave(t, out, w)
			}
		})
	}
}

func TestHelpForAnUnknownCommand(t *testing.T) {
	if _, err := runCmd(t, nil, "help", "frobnicate"); !isUsage(err) {
		t.Fatalf("err = %v, want a usage error", err)
	}
}

func TestVersion(t *testing.T) {
	out, err := runCmd(t, nil, "--version")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "duban dev (commit ") {
		t.Fatalf("--version printed %q", out)
	}
}
