package main

import (
	"runtime"
	"strings"
)

// schedulerProcs is how many processors duban gives the Go scheduler: one
// in polling mode, unless the operator set GOMAXPROCS (which the runtime
// honoured at start); 0 leaves the runtime's choice. The poll loop mostly
// waits, on Telegram and on SQLite. With two processors every hand-off
// between goroutines (a response read, a handler woken, a request
// written) also woke or parked a thread, and on the 2-core VM this was
// measured on, one processor cost about a quarter less CPU a report at
// 50, 500 and 2,000 contacts with the same or more throughput (README,
// "One processor for Go code"). A cgo call into SQLite still runs beside
// Go code: the runtime hands the processor on when such a call blocks.
// Webhook mode (DUBAN_WEBHOOK_URL set) keeps the runtime's choice: there
// one processor cost half the throughput.
func schedulerProcs(getenv func(string) string) int {
	if strings.TrimSpace(getenv("GOMAXPROCS")) != "" || strings.TrimSpace(getenv("DUBAN_WEBHOOK_URL")) != "" {
		return 0
	}
	return 1
}

// tuneScheduler applies schedulerProcs; main calls it once, first.
func tuneScheduler(getenv func(string) string) {
	if n := schedulerProcs(getenv); n > 0 {
		runtime.GOMAXPROCS(n)
	}
}
