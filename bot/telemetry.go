package bot

import (
	"errors"
	"time"
)

// Telemetry is what the bot reports to the operator's metrics
// (telemetry.Metrics in serve); the zero Settings report nowhere.
type Telemetry interface {
	UpdateHandled(kind, outcome string, elapsed time.Duration)
	ReportStored()
}

type noTelemetry struct{}

func (noTelemetry) UpdateHandled(string, string, time.Duration) {}
func (noTelemetry) ReportStored()                               {}

// Outcomes of an update, the labels of the updates metric.
const (
	outcomeOK        = "ok"
	outcomeStranger  = "stranger"  // from nobody bound: refused, nothing stored
	outcomeDuplicate = "duplicate" // an update id handled before
	outcomeUserError = "user_error"
	outcomeRefused   = "refused" // a crafted request for what the sender may not do
	outcomeError     = "error"
	outcomePanic     = "panic"
)

// updateKind labels an update: a button, a command or other text.
func updateKind(r *request) string {
	switch {
	case r.query != nil:
		return "callback"
	case r.msg != nil && r.msg.Text != "" && r.msg.Text[0] == '/':
		return "command"
	}
	return "message"
}

// outcomeOf labels how serve ended.
func outcomeOf(r *request, err error) string {
	var ue userError
	switch {
	case err == nil && r.outcome != "":
		return r.outcome
	case err == nil:
		return outcomeOK
	case errors.As(err, &ue):
		return outcomeUserError
	case errors.Is(err, errForbidden):
		return outcomeRefused
	}
	return outcomeError
}
