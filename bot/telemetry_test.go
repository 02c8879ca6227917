package bot_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/duban-bot/duban/telemetry"
)

// GET /metrics after a dialog: the counters moved by what happened — two
// values stored, the commands, buttons and typed values handled, a
// stranger refused, a bad value answered as a user error.
func TestMetricsAfterADialog(t *testing.T) {
	h := newHarness(t)
	m := telemetry.New(h.st.OutboxBacklog, h.clk.Now)
	h.set.Telemetry = m
	h.restart()
	srv := httptest.NewServer(telemetry.Handler(m, nil))
	defer srv.Close()
	before := getMetrics(t, srv.URL)
	if strings.Contains(before, "duban_reports_stored_total 1") {
		t.Fatal("a report counted before any dialog")
	}

	c := h.chat(tester)
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("培训人数")
	c.Send("1.2万人")
	c.Tap("确认保存") // the next metric's value is asked for at once
	c.Send("abc") // refused: not a number
	c.Send("8.5%")
	c.Tap("确认保存")
	h.chat(stranger).Send("/report")

	if n := len(h.reports("培训人数")) + len(h.reports("增长率")); n != 2 {
		t.Fatalf("%d reports stored, want 2", n)
	}
	out := getMetrics(t, srv.URL)
	for _, want := range []string{
		"duban_reports_stored_total 2",
		`duban_updates_total{kind="command",outcome="ok"} 1`,
		`duban_updates_total{kind="callback",outcome="ok"} 4`,
		`duban_updates_total{kind="message",outcome="ok"} 2`,
		`duban_updates_total{kind="message",outcome="user_error"} 1`,
		`duban_updates_total{kind="command",outcome="stranger"} 1`,
		`duban_update_handling_seconds_count{kind="callback"} 4`,
		"duban_outbox_depth 0",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func getMetrics(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /metrics: %d %v", resp.StatusCode, err)
	}
	return string(b)
}
