// Command duban runs a city government's annual target-responsibility loop
// over Telegram: reminders before each deadline, a guided report dialog for
// department contacts, and status, digests and exports for coordinators.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"
	_ "time/tzdata" // Asia/Shanghai must resolve in a minimal image

	"github.com/duban-bot/duban/bot"
	"github.com/duban-bot/duban/delivery"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/progress"
	"github.com/duban-bot/duban/secret"
	"github.com/duban-bot/duban/seeds"
)

// The store must offer what each consumer declares it needs.
var (
	_ bot.Store       = (*models.Store)(nil)
	_ seeds.Store     = (*models.Store)(nil)
	_ progress.Reader = (*models.Store)(nil)
)

func main() {
	tuneScheduler(os.Getenv)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := system{getenv: os.Getenv, stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, sleep: delivery.WallClock(nil).Sleep}.run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "duban:", err)
		if isUsage(err) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// env is what every subcommand gets: the settings, the output and a way to
// wait that tests replace.
type env struct {
	cfg    Config
	stdin  io.Reader // what `sandbox` reads; empty for the other commands' tests
	stdout io.Writer
	stderr io.Writer
	sleep  func(ctx context.Context, d time.Duration) error
}

// system is what run takes from the process.
type system struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
	sleep          func(ctx context.Context, d time.Duration) error
}

// run parses the global flags and runs one subcommand.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return system{getenv: getenv, stdin: strings.NewReader(""), stdout: stdout, stderr: stderr, sleep: delivery.WallClock(nil).Sleep}.run(ctx, args)
}

// run returns errors redacted: whatever a library quoted in them (a Bot API
// path with the token, a DSN with its password), main prints them.
func (sys system) run(ctx context.Context, args []string) error {
	g, rest, err := parseGlobal(args)
	redact := secret.New(sys.getenv("TELEGRAM_BOT_TOKEN"), orDefault(g.db, sys.getenv("DUBAN_DB")))
	if err != nil {
		return redact.Error(err)
	}
	switch {
	case g.help || len(rest) > 0 && rest[0] == "help":
		return printUsage(sys.stdout, rest)
	case g.version:
		return printVersion(sys.stdout)
	}
	cfg, err := loadConfig(sys.getenv, g.db, time.Now)
	if err != nil {
		return redact.Error(err)
	}
	e := env{cfg: cfg, stdin: sys.stdin, stdout: sys.stdout, stderr: &lockedWriter{w: sys.stderr}, sleep: sys.sleep}
	name, cmdArgs := "serve", rest
	if len(rest) > 0 {
		name, cmdArgs = rest[0], rest[1:]
	}
	cmd, ok := commands()[name]
	if !ok {
		return usagef("unknown command %q (want serve, seed, plan, import, status, contact, invite, remind, digest, export, target, migrate, backup, sandbox; see duban help)", name)
	}
	err = cmd(ctx, e, cmdArgs)
	if isHelp(err) || wantsHelp(cmdArgs) && isUsage(err) {
		return printCommandUsage(sys.stdout, name, err)
	}
	return redact.Error(err)
}

// lockedWriter serialises writes: the bot, the scheduler, the sender and
// the database each log from their own goroutines through their own
// handlers, and a writer such as a bytes.Buffer is not safe for that.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
