package scheduler

import "time"

// Telemetry is what the scheduler reports to the operator's metrics
// (telemetry.Metrics in serve); nil in Options reports nowhere.
type Telemetry interface {
	RemindersIssued(rung string, n int)
	JobRun(job, outcome string, lateness time.Duration)
}

type noTelemetry struct{}

func (noTelemetry) RemindersIssued(string, int)          {}
func (noTelemetry) JobRun(string, string, time.Duration) {}
