package main

import (
	"io"
	"log/slog"
	"os"

	"github.com/duban-bot/duban/secret"
)

// newLogger builds the one logger every component gets (with its own
// "component" attribute). Every record passes the redactor of the bot
// token and the database password on its way to w. The format is text on
// a terminal and JSON otherwise (a log collector reads JSON), unless
// DUBAN_LOG_FORMAT says which.
func newLogger(cfg Config, w io.Writer) *slog.Logger {
	lvl := map[string]slog.Level{
		"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError,
	}[cfg.LogLevel]
	opts := &slog.HandlerOptions{Level: lvl}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if cfg.LogFormat == "json" || cfg.LogFormat == "" && !isTerminal(w) {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(cfg.secrets().Handler(h))
}

// isTerminal reports whether w is (a lockedWriter around) a character
// device such as a terminal.
func isTerminal(w io.Writer) bool {
	if l, ok := w.(*lockedWriter); ok {
		w = l.w
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// secrets is the redactor of cfg's token and database password.
func (c Config) secrets() *secret.Redactor { return secret.New(c.Token, c.DB) }
