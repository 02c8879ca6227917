package main

import (
	"context"
	"log/slog"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/telemetry"
)

// ops is serve's operator view: the metrics, and the address of the
// listener serving them ("" when DUBAN_METRICS_LISTEN is unset).
type ops struct {
	metrics *telemetry.Metrics
	addr    string
	stop    func()
}

// startOps builds serve's metrics and, when DUBAN_METRICS_LISTEN is set,
// serves /healthz, /readyz and /metrics on it. The metrics exist either way
// (counting is cheap), so the bot, the scheduler and the sender are wired
// the same with the listener on or off.
func startOps(ctx context.Context, cfg Config, st *models.Store, log *slog.Logger) (ops, error) {
	o := ops{metrics: telemetry.New(st.OutboxBacklog, cfg.Now), stop: func() {}}
	if cfg.MetricsListen == "" {
		return o, nil
	}
	h := telemetry.Handler(o.metrics, map[string]telemetry.Check{
		"database": st.Ping,
		"schema":   func(context.Context) error { return st.SchemaCurrent() },
	})
	var err error
	o.addr, o.stop, err = telemetry.Serve(ctx, cfg.MetricsListen, h, log.With("component", "telemetry"))
	if err != nil {
		return ops{}, usagef("%v", err)
	}
	return o, nil
}
