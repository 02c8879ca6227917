package main

import (
	"io"
	"log/slog"

	"github.com/duban-bot/duban/secret"
)

// newLogger builds the one logger every component gets (with its own
// "component" attribute). Every record passes the redactor of the bot
// token and the database password on its way to w.
func newLogger(cfg Config, w io.Writer) *slog.Logger {
	lvl := map[string]slog.Level{
		"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError,
	}[cfg.LogLevel]
	h := slog.NewTextHandler(w, &slog.HandlerOptions{Level: lvl})
	return slog.New(cfg.secrets().Handler(h))
}

// secrets is the redactor of cfg's token and database password.
func (c Config) secrets() *secret.Redactor { return secret.New(c.Token, c.DB) }
