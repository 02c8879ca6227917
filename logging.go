package main

import (
	"io"
	"log/slog"

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
	if cfg.LogFormat == "json" || cfg.LogFormat == "" && !logsToTerminal(w) {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(cfg.secrets().Handler(h))
}

// logsToTerminal reports whether w is (a lockedWriter around) a terminal.
func logsToTerminal(w io.Writer) bool {
	if l, ok := w.(*lockedWriter); ok {
		w = l.w
	}
	return isTerminal(w)
}

// secrets is the redactor of cfg's token and database password.
func (c Config) secrets() *secret.Redactor { return secret.New(c.Token, c.DB) }
