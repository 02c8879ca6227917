package models

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// slowStatement is how long a statement may take before it is logged.
const slowStatement = 200 * time.Millisecond

// dbLogger routes GORM's log through slog, once and at the right level.
// A failed statement is not logged here: every store method returns its
// error, and the caller handles it (a repeated update, a record not found
// and a handled conflict are expected, not errors, and silent) or logs it
// once. The statement of any other failure is kept for DEBUG. Statements are logged with
// placeholders, never values, which are reports and invite tokens.
type dbLogger struct {
	log  *slog.Logger
	slow time.Duration
}

func (l dbLogger) LogMode(logger.LogLevel) logger.Interface { return l }

func (l dbLogger) Info(ctx context.Context, msg string, data ...any) {
	l.log.InfoContext(ctx, fmt.Sprintf(msg, data...))
}

func (l dbLogger) Warn(ctx context.Context, msg string, data ...any) {
	l.log.WarnContext(ctx, fmt.Sprintf(msg, data...))
}

// initFailed is how gorm.Open logs the error it also returns, which Open
// wraps and its caller reports: logged here it would be said twice.
const initFailed = "failed to initialize database"

func (l dbLogger) Error(ctx context.Context, msg string, data ...any) {
	level := slog.LevelError
	if strings.HasPrefix(msg, initFailed) {
		level = slog.LevelDebug
	}
	l.log.Log(ctx, level, fmt.Sprintf(msg, data...))
}

func (l dbLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	elapsed := time.Since(begin)
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound) || errors.Is(err, gorm.ErrDuplicatedKey):
		// Answers the store turns into ErrNotFound and ErrConflict.
	case err != nil && l.log.Enabled(ctx, slog.LevelDebug):
		sql, rows := fc()
		l.log.DebugContext(ctx, "database statement failed", "err", err, "sql", sql, "rows", rows, "elapsed", elapsed)
	case err == nil && elapsed > l.slow:
		sql, rows := fc()
		l.log.WarnContext(ctx, "slow database statement", "sql", sql, "rows", rows, "elapsed", elapsed)
	}
}

// ParamsFilter makes GORM hand Trace the statement without its values.
func (dbLogger) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) {
	return sql, nil
}
