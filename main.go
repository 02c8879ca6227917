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
	"sync"
	"syscall"
	"time"
	_ "time/tzdata" // Asia/Shanghai must resolve in a minimal image

	"github.com/duban-bot/duban/bot"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/progress"
	"github.com/duban-bot/duban/seeds"
)

// The store must offer what each consumer declares it needs.
var (
	_ bot.Store       = (*models.Store)(nil)
	_ seeds.Store     = (*models.Store)(nil)
	_ progress.Reader = (*models.Store)(nil)
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "duban:", err)
		if isUsage(err) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// env is what every subcommand gets: the settings, the output and a logger.
type env struct {
	cfg    Config
	stdout io.Writer
	stderr io.Writer
}

// run parses the global flags and runs one subcommand.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	db, rest, err := parseGlobal(args)
	if err != nil {
		return err
	}
	cfg, err := loadConfig(getenv, db, time.Now)
	if err != nil {
		return err
	}
	e := env{cfg: cfg, stdout: stdout, stderr: &lockedWriter{w: stderr}}
	name, cmdArgs := "serve", rest
	if len(rest) > 0 {
		name, cmdArgs = rest[0], rest[1:]
	}
	cmd, ok := commands()[name]
	if !ok {
		return usagef("unknown command %q (want serve, seed, plan, import, status, contact, invite, remind, digest, export)", name)
	}
	return cmd(ctx, e, cmdArgs)
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
