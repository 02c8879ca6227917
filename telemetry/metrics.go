// Package telemetry owns the operator's view of a running duban: the
// Prometheus metrics, the health and readiness checks and the listener that
// serves them. The bot, the scheduler and the sender each declare the small
// interface they call; *Metrics implements all of them.
package telemetry

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Backlog reads the outbox: how many messages wait (pending or claimed)
// and when the oldest of them was written (zero when none waits).
type Backlog func(ctx context.Context) (depth int64, oldest time.Time, err error)

// Metrics are duban's Prometheus metrics, on a registry of their own.
type Metrics struct {
	reg        *prometheus.Registry
	updates    *prometheus.CounterVec
	handling   *prometheus.HistogramVec
	reports    prometheus.Counter
	reminders  *prometheus.CounterVec
	messages   *prometheus.CounterVec
	jobs       *prometheus.CounterVec
	lateness   *prometheus.HistogramVec
	apiCalls   *prometheus.HistogramVec
	apiErrors  *prometheus.CounterVec
	telegramUp *reachability
}

// New registers every metric, the Go and process collectors, and the
// outbox gauges that backlog answers at scrape time (nil: none). now is the
// clock of the oldest message's age.
func New(backlog Backlog, now func() time.Time) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		updates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "duban_updates_total", Help: "Telegram updates handled, by kind and outcome.",
		}, []string{"kind", "outcome"}),
		handling: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "duban_update_handling_seconds", Help: "Time to handle one update, by kind.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 10),
		}, []string{"kind"}),
		reports: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "duban_reports_stored_total", Help: "Report values stored (new or corrections).",
		}),
		reminders: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "duban_reminders_issued_total", Help: "Notices issued by the reminder ladder, by rung.",
		}, []string{"rung"}),
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "duban_messages_total", Help: "Outbox sends, by result (sent, retried, failed) and reason.",
		}, []string{"result", "reason"}),
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "duban_job_runs_total", Help: "Scheduler job runs, by job and outcome.",
		}, []string{"job", "outcome"}),
		lateness: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "duban_job_lateness_seconds", Help: "How long after its due time a scheduled job ran.",
			Buckets: []float64{1, 5, 15, 60, 300, 900, 3600},
		}, []string{"job"}),
		apiCalls: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "duban_telegram_request_seconds", Help: "Bot API request latency, by method.",
			Buckets: prometheus.ExponentialBuckets(0.01, 2.5, 10),
		}, []string{"method"}),
		apiErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "duban_telegram_errors_total", Help: "Bot API requests that failed, by method and HTTP status (or \"network\").",
		}, []string{"method", "code"}),
		telegramUp: &reachability{},
	}
	m.reg.MustRegister(m.updates, m.handling, m.reports, m.reminders, m.messages, m.jobs, m.lateness,
		m.apiCalls, m.apiErrors,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if backlog != nil {
		m.reg.MustRegister(newBacklogCollector(backlog, now))
	}
	return m
}

// Registry is where the metrics live, for the handler and for tests.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// UpdateHandled counts one update (kind: message, command, callback;
// outcome: ok, stranger, duplicate, refused, user_error, error, panic).
func (m *Metrics) UpdateHandled(kind, outcome string, elapsed time.Duration) {
	m.updates.WithLabelValues(kind, outcome).Inc()
	m.handling.WithLabelValues(kind).Observe(elapsed.Seconds())
}

// ReportStored counts one stored report value.
func (m *Metrics) ReportStored() { m.reports.Inc() }

// RemindersIssued counts n notices of a rung.
func (m *Metrics) RemindersIssued(rung string, n int) {
	m.reminders.WithLabelValues(rung).Add(float64(n))
}

// JobRun counts one run of a scheduler job; lateness is how long after its
// due time it ran (negative: it had no due time).
func (m *Metrics) JobRun(job, outcome string, lateness time.Duration) {
	m.jobs.WithLabelValues(job, outcome).Inc()
	if lateness >= 0 {
		m.lateness.WithLabelValues(job).Observe(lateness.Seconds())
	}
}

// MessageSent counts a message Telegram accepted.
func (m *Metrics) MessageSent() { m.messages.WithLabelValues("sent", "").Inc() }

// MessageRetried counts a send to try again later, by reason.
func (m *Metrics) MessageRetried(reason string) { m.messages.WithLabelValues("retried", reason).Inc() }

// MessageFailed counts a message given up, by reason.
func (m *Metrics) MessageFailed(reason string) { m.messages.WithLabelValues("failed", reason).Inc() }

// backlogCollector reads the outbox when Prometheus scrapes, so the gauges
// are as fresh as the scrape and cost nothing in between.
type backlogCollector struct {
	read       Backlog
	now        func() time.Time
	depth, age *prometheus.Desc
}

func newBacklogCollector(read Backlog, now func() time.Time) *backlogCollector {
	return &backlogCollector{read: read, now: now,
		depth: prometheus.NewDesc("duban_outbox_depth",
			"Messages waiting in the outbox (pending or being sent).", nil, nil),
		age: prometheus.NewDesc("duban_outbox_oldest_pending_age_seconds",
			"Age of the oldest message waiting in the outbox (0 when none waits).", nil, nil),
	}
}

func (c *backlogCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.depth; ch <- c.age }

func (c *backlogCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	depth, oldest, err := c.read(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.depth, err)
		return
	}
	age := 0.0
	if !oldest.IsZero() {
		age = max(c.now().Sub(oldest).Seconds(), 0)
	}
	ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(depth))
	ch <- prometheus.MustNewConstMetric(c.age, prometheus.GaugeValue, age)
}
