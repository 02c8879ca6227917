package sandbox

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// advance moves the clock to the instant arg names, ticking the scheduler
// at every instant on the way where something can fall due, so that
// reminders, escalations and digests go out in order, each at its time.
func (ses *session) advance(ctx context.Context, arg string) error {
	s := ses.s
	to, err := parseWhen(arg, s.clock.Now(), s.loc)
	if err != nil {
		return err
	}
	if to.Before(s.clock.Now()) {
		return failf(":time %s: the clock reads %s and only moves forward", arg, stamp(s.clock.Now(), s.loc))
	}
	for _, at := range append(s.dueInstants(s.clock.Now(), to), to) {
		s.clock.Set(at)
		if err := s.tick(ctx); err != nil {
			return err
		}
		if ses.pending() {
			ses.p.meta("%s", stamp(at, s.loc))
			ses.show()
		}
	}
	ses.p.meta("clock %s", stamp(s.clock.Now(), s.loc))
	return nil
}

// pending reports whether outputs are waiting to be printed.
func (ses *session) pending() bool {
	ses.s.rec.mu.Lock()
	defer ses.s.rec.mu.Unlock()
	return ses.s.rec.printed < len(ses.s.rec.all)
}

// dueInstants lists the instants in (from, to) at which the scheduler can
// have something to do: every rung of the ladder fires at the schedule's
// rung clock on a working day (an extension moves the day, not the clock)
// and the digest at its clock on Mondays. Ticking at these, rather than
// every minute, crosses a month in a few dozen ticks.
func (s *Sandbox) dueInstants(from, to time.Time) []time.Time {
	var out []time.Time
	day := time.Date(from.In(s.loc).Year(), from.In(s.loc).Month(), from.In(s.loc).Day(), 0, 0, 0, 0, s.loc)
	for ; !day.After(to); day = day.AddDate(0, 0, 1) {
		for _, clock := range []time.Duration{s.sched.RungClock, s.sched.DigestClock} {
			at := day.Add(clock)
			if at.After(from) && at.Before(to) {
				out = append(out, at)
			}
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return slices.CompactFunc(out, func(a, b time.Time) bool { return a.Equal(b) })
}

// parseWhen reads a :time argument: "2022-05-26 09:30", "2022-05-26"
// (09:00), an RFC 3339 instant, or "+3d", "+2h", "+90m" from now.
func parseWhen(arg string, now time.Time, loc *time.Location) (time.Time, error) {
	arg = strings.TrimSpace(arg)
	if rest, ok := strings.CutPrefix(arg, "+"); ok {
		if days, ok := strings.CutSuffix(rest, "d"); ok {
			if n, err := strconv.Atoi(days); err == nil && n >= 0 {
				return now.AddDate(0, 0, n), nil
			}
		} else if d, err := time.ParseDuration(rest); err == nil && d >= 0 {
			return now.Add(d), nil
		}
		return time.Time{}, failf(":time %s: want +3d, +2h or +90m", arg)
	}
	if t, err := time.Parse(time.RFC3339, arg); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, arg, loc); err == nil {
			return t, nil
		}
	}
	if t, err := time.ParseInLocation("2006-01-02", arg, loc); err == nil {
		return t.Add(9 * time.Hour), nil
	}
	return time.Time{}, failf(":time %s: want a time such as 2022-05-26 09:30, or +3d", arg)
}

// tick runs the scheduler once at the clock's time and sends what it queued.
func (s *Sandbox) tick(ctx context.Context) error {
	if err := s.jobs.Tick(ctx); err != nil {
		return fmt.Errorf("sandbox: scheduler: %w", err)
	}
	return s.settle(ctx)
}
