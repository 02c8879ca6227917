package main

import (
	"io"
	"log/slog"
)

// newLogger builds the one logger every component gets (with its own
// "component" attribute).
func newLogger(cfg Config, w io.Writer) *slog.Logger {
	lvl := map[string]slog.Level{
		"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError,
	}[cfg.LogLevel]
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: lvl}))
}
