package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"time"
)

// healthTimeout bounds the probe; Docker kills a slower one anyway.
const healthTimeout = 3 * time.Second

// runHealthcheck is `duban healthcheck`: the image's HEALTHCHECK. It asks
// the running serve's /healthz on DUBAN_METRICS_LISTEN and fails unless it
// answers 200. Without the listener there is nothing to ask: healthy, as
// Docker would assume without a HEALTHCHECK. A subcommand, so the slim
// image needs no curl or wget.
func runHealthcheck(ctx context.Context, e env, args []string) error {
	if err := parseFlags(flag.NewFlagSet("healthcheck", flag.ContinueOnError), args); err != nil {
		return err
	}
	if e.cfg.MetricsListen == "" {
		fmt.Fprintln(e.stdout, "DUBAN_METRICS_LISTEN is not set: no health endpoint to ask")
		return nil
	}
	url := "http://" + probeAddr(e.cfg.MetricsListen) + "/healthz"
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s", url, resp.Status)
	}
	fmt.Fprintln(e.stdout, "ok")
	return nil
}

// probeAddr turns a listen address into one to dial: a listener on every
// interface (":9090", "0.0.0.0:9090", "[::]:9090") is asked on loopback.
func probeAddr(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
