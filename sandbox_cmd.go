package main

import (
	"context"
	"flag"
	"io"
	"os"

	"github.com/duban-bot/duban/sandbox"
)

// runSandbox is `duban sandbox`: the real bot, scheduler and sender on an
// in-process Bot API, as a terminal chat or a script. It needs no token
// and reaches no network: TELEGRAM_BOT_TOKEN, TELEGRAM_API_URL, DUBAN_DB,
// DUBAN_ADMINS and DUBAN_GROUP_CHAT are ignored.
func runSandbox(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	db := fs.String("db", "", "keep the sandbox's SQLite database in this file (default: a temporary one)")
	script := fs.String("script", "", "run this transcript (- for standard input) and exit 1 at the first failed check")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	in, name, closeIn, err := sandboxInput(e.stdin, *script)
	if err != nil {
		return err
	}
	defer closeIn()
	cfg := e.cfg
	if cfg.LogLevel == "info" {
		cfg.LogLevel = "warn" // the transcript is the sandbox's output; info lines would interleave with it
	}
	sb, err := sandbox.New(ctx, sandbox.Options{
		DB: *db, Start: e.cfg.Start, Loc: cfg.Loc, Schedule: cfg.Schedule, Calendar: cfg.Calendar,
		Thresholds: cfg.Thresholds, Log: newLogger(cfg, e.stderr),
	})
	if err != nil {
		return err
	}
	defer sb.Close()
	term := isTerminal(e.stdout)
	return sb.Run(ctx, in, e.stdout, sandbox.Mode{
		Script: *script != "", Name: name, Echo: *script != "" || !isTerminal(e.stdin),
		Prompt: *script == "" && term && isTerminal(e.stdin), Color: term,
	})
}

// sandboxInput opens the script, or standard input.
func sandboxInput(stdin io.Reader, script string) (in io.Reader, name string, closeIn func(), err error) {
	switch script {
	case "":
		return stdin, "stdin", func() {}, nil
	case "-":
		return stdin, "stdin", func() {}, nil
	}
	f, err := os.Open(script)
	if err != nil {
		return nil, "", nil, usagef("sandbox: --script: %v", err)
	}
	return f, script, func() { f.Close() }, nil
}

// isTerminal reports whether v is a terminal: then the sandbox prompts and
// styles its output, and otherwise writes plain text.
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
