package delivery

// Telemetry is what the sender reports to the operator's metrics
// (telemetry.Metrics in serve); nil in Options reports nowhere.
type Telemetry interface {
	MessageSent()
	MessageRetried(reason string)
	MessageFailed(reason string)
}

type noTelemetry struct{}

func (noTelemetry) MessageSent()          {}
func (noTelemetry) MessageRetried(string) {}
func (noTelemetry) MessageFailed(string)  {}

// countOutcome reports a send's verdict with a reason of few values (the
// error text itself would make a label per message).
func (s *Sender) countOutcome(o outcome) {
	t := s.opts.Telemetry
	switch {
	case o.v.kind == sent:
		t.MessageSent()
	case o.v.kind == retry && o.v.retryAfter > 0:
		t.MessageRetried("flood")
	case o.v.kind == retry:
		t.MessageRetried("server_or_network")
	case o.v.unreachable != "":
		t.MessageFailed("unreachable")
	case o.msg.Attempts+1 >= s.opts.MaxAttempts:
		t.MessageFailed("attempts_exhausted")
	default:
		t.MessageFailed("bad_request")
	}
}
