package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// `duban healthcheck` passes only when /healthz answers 200.
func TestHealthcheck(t *testing.T) {
	serve := func(code int) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/healthz" {
				http.NotFound(w, r)
				return
			}
			w.WriteHeader(code)
		}))
		t.Cleanup(srv.Close)
		return strings.TrimPrefix(srv.URL, "http://")
	}
	cases := []struct {
		name, listen, wantOut string
		wantErr               bool
	}{
		{"no listener configured", "", "not set", false},
		{"healthy", serve(http.StatusOK), "ok", false},
		{"unhealthy", serve(http.StatusServiceUnavailable), "", true},
		{"nobody listening", freeAddr(t), "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := runCmd(t, map[string]string{"DUBAN_METRICS_LISTEN": c.listen}, "healthcheck")
			if (err != nil) != c.wantErr || !strings.Contains(out, c.wantOut) {
				t.Errorf("out %q, err %v; want error %v", out, err, c.wantErr)
			}
		})
	}
}

func TestProbeAddr(t *testing.T) {
	for listen, want := range map[string]string{
		":9090": "127.0.0.1:9090", "0.0.0.0:9090": "127.0.0.1:9090", "[::]:9090": "127.0.0.1:9090",
		"127.0.0.1:9090": "127.0.0.1:9090", "10.0.0.5:9090": "10.0.0.5:9090",
	} {
		if got := probeAddr(listen); got != want {
			t.Errorf("probeAddr(%q) = %q, want %q", listen, got, want)
		}
	}
}
