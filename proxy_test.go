package main

import (
	"context"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/duban-bot/duban/telemetry"
)

// proxyChildEnv makes the test binary, re-executed, ask the Bot API at
// TELEGRAM_API_URL who the bot is, with the environment it was started
// with: Go reads HTTP_PROXY/HTTPS_PROXY once per process, so a proxy
// test needs a process of its own.
const proxyChildEnv = "DUBAN_TEST_PROXY_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(proxyChildEnv) != "" {
		os.Exit(proxyChild())
	}
	if kind := os.Getenv(serveChildEnv); kind != "" {
		os.Exit(serveChild(kind))
	}
	os.Exit(m.Run())
}

func proxyChild() int {
	cfg := Config{Token: "123456:PROXYTEST", APIURL: os.Getenv("TELEGRAM_API_URL")}
	api, err := newAPI(cfg, slog.New(slog.DiscardHandler), telemetry.New(nil, time.Now))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	me, err := api.GetMe(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Print(me.Username)
	return 0
}

// With HTTP_PROXY set, every Bot API request goes through the proxy:
// TELEGRAM_API_URL names a host that does not resolve, so only a proxy can
// answer. (Go bypasses proxies for localhost targets, hence the name; an
// https:// URL goes through HTTPS_PROXY the same way, by CONNECT.)
func TestBotAPIGoesThroughTheProxy(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.String())
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"ok":true,"result":{"id":1,"is_bot":true,"first_name":"d","username":"via_proxy_bot"}}`)
	}))
	defer proxy.Close()
	cases := []struct {
		name  string
		env   []string
		proxy bool
	}{
		{"HTTP_PROXY", []string{"HTTP_PROXY=" + proxy.URL}, true},
		{"no proxy", nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mu.Lock()
			seen = nil
			mu.Unlock()
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(withoutProxies(os.Environ()), proxyChildEnv+"=1",
				"TELEGRAM_API_URL=http://api.telegram.invalid")
			cmd.Env = append(cmd.Env, tc.env...)
			out, err := cmd.Output()
			mu.Lock()
			defer mu.Unlock()
			if !tc.proxy {
				if err == nil || len(seen) != 0 {
					t.Errorf("without a proxy: %q, %v, proxy saw %v", out, err, seen)
				}
				return
			}
			if err != nil || string(out) != "via_proxy_bot" {
				t.Fatalf("through the proxy: %q, %v", out, err)
			}
			if len(seen) != 1 || !strings.HasPrefix(seen[0], "POST http://api.telegram.invalid/bot") ||
				!strings.HasSuffix(seen[0], "/getMe") {
				t.Errorf("the proxy saw %v", seen)
			}
		})
	}
}

// HTTPS_PROXY for an https:// TELEGRAM_API_URL: the client asks the proxy
// to CONNECT to the Bot API's host and speaks TLS to it through the tunnel.
// The "Bot API" is a TLS test server whose certificate names example.com;
// the child trusts it through SSL_CERT_FILE.
func TestBotAPIGoesThroughHTTPSProxy(t *testing.T) {
	api := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"ok":true,"result":{"id":1,"is_bot":true,"first_name":"d","username":"tunnelled_bot"}}`)
	}))
	defer api.Close()
	certFile := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: api.Certificate().Raw})
	if err := os.WriteFile(certFile, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var tunnels []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
			return
		}
		mu.Lock()
		tunnels = append(tunnels, r.Host)
		mu.Unlock()
		tunnel(t, w, api.Listener.Addr().String())
	}))
	defer proxy.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(withoutProxies(os.Environ()), proxyChildEnv+"=1", "TELEGRAM_API_URL=https://example.com",
		"HTTPS_PROXY="+proxy.URL, "SSL_CERT_FILE="+certFile)
	out, err := cmd.Output()
	if err != nil || string(out) != "tunnelled_bot" {
		t.Fatalf("through HTTPS_PROXY: %q, %v", out, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(tunnels) != 1 || tunnels[0] != "example.com:443" {
		t.Errorf("tunnels opened: %v", tunnels)
	}
}

// tunnel answers a CONNECT by splicing the client to target.
func tunnel(t *testing.T, w http.ResponseWriter, target string) {
	up, err := net.Dial("tcp", target)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Error(err)
		up.Close()
		return
	}
	io.WriteString(conn, "HTTP/1.1 200 Connection Established\r\n\r\n")
	go func() { io.Copy(up, conn); up.Close() }()
	io.Copy(conn, up)
	conn.Close()
}

// The client's transport takes its proxy from the environment, as
// http.DefaultTransport does.
func TestAPITransportUsesProxyFromEnvironment(t *testing.T) {
	tr := apiTransport()
	if reflect.ValueOf(tr.Proxy).Pointer() != reflect.ValueOf(http.ProxyFromEnvironment).Pointer() {
		t.Error("the Bot API transport does not use http.ProxyFromEnvironment")
	}
}

func withoutProxies(env []string) []string {
	var out []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(name) {
		case "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "REQUEST_METHOD":
			continue
		}
		out = append(out, kv)
	}
	return out
}
