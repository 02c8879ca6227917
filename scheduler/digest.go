package scheduler

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/duban-bot/duban/calendar"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/progress"
)

// digestRung is the notice rung of the weekly digest.
const digestRung = "digest"

// riskyMax is how many metrics the digest lists as furthest behind.
const riskyMax = 5

// digestJob sends the digest of the latest Monday when it is not older than
// the grace period, and schedules the next Monday. A digest caught up after
// a night-time restart waits for the digest clock, as reminders wait for
// office hours: the group should not be woken at midnight.
func (s *Scheduler) digestJob(ctx context.Context, now time.Time) (time.Time, error) {
	next := s.schedule.DigestTimes(now.Add(time.Nanosecond), now.Add(8*24*time.Hour))[0]
	if s.group == 0 {
		return next, nil
	}
	due := s.schedule.DigestTimes(now.Add(-s.grace), now.Add(time.Nanosecond))
	if len(due) == 0 {
		return next, nil
	}
	if clock := s.clockToday(now, s.schedule.DigestClock); now.Before(clock) {
		return clock, nil
	}
	week := due[len(due)-1]
	_, queued, err := s.digest(ctx, now, week, true)
	if queued > 0 {
		s.log.Info("weekly digest queued", "week", week.Format(time.DateOnly), "messages", queued)
	}
	return next, err
}

// Digest builds the weekly digest as it reads at `at` and returns its texts
// (`duban digest`). With send, it also queues it for the group chat unless
// this week's digest was queued already (`duban digest --send`); queued is
// the number of messages written.
func (s *Scheduler) Digest(ctx context.Context, at time.Time, send bool) (texts []string, queued int, err error) {
	if send && s.group == 0 {
		return nil, 0, errors.New("digest: no group chat configured (DUBAN_GROUP_CHAT)")
	}
	week := s.schedule.DigestTimes(at.Add(-7*24*time.Hour+time.Nanosecond), at.Add(time.Nanosecond))
	return s.digest(ctx, at, week[len(week)-1], send)
}

func (s *Scheduler) digest(ctx context.Context, at, week time.Time, send bool) ([]string, int, error) {
	year, ok := s.yearAt(at)
	if !ok {
		return nil, 0, nil
	}
	d, err := s.buildDigest(ctx, at, year)
	if err != nil || len(d.Snapshot.Departments) == 0 {
		return nil, 0, err // no plan for this year: no digest
	}
	d.Week = week.In(s.loc).Format(time.DateOnly)
	msgs := s.render.RenderDigest(d)
	var texts []string
	for _, m := range msgs {
		texts = append(texts, splitText(m.Text, maxText)...)
	}
	if !send {
		return texts, 0, nil
	}
	queued := 0
	err = s.store.Tx(ctx, func(tx *models.Store) error {
		queued = 0
		n := models.Notice{Period: d.Week, Rung: digestRung, ChatID: s.group, Audience: string(AudienceGroup), SentAt: s.now()}
		fresh, err := tx.IssueNotice(ctx, &n)
		if err != nil || !fresh {
			return err
		}
		for i, m := range msgs {
			rows, err := outboxMessages(m, s.group, fmt.Sprintf("digest:%s:%d", d.Week, i+1))
			if err != nil {
				return err
			}
			k, err := tx.Enqueue(ctx, rows...)
			if err != nil {
				return err
			}
			queued += k
		}
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("queue digest %s: %w", d.Week, err)
	}
	s.issued(queued)
	return texts, queued, nil
}

// buildDigest gathers the digest's values of the plan year at `at`.
func (s *Scheduler) buildDigest(ctx context.Context, at time.Time, year int) (Digest, error) {
	snap, err := s.snapshot(ctx, at, year)
	if err != nil {
		return Digest{}, err
	}
	prev, err := s.snapshot(ctx, at.Add(-7*24*time.Hour), year)
	if err != nil {
		return Digest{}, err
	}
	d := Digest{At: at.In(s.loc), Snapshot: snap, Previous: map[uint]progress.Counts{}, ReportedThisWeek: map[uint]int{}}
	for _, ds := range prev.Departments {
		d.Previous[ds.ID] = ds.Counts
	}
	for _, ds := range snap.Departments {
		d.ReportedThisWeek[ds.ID] = reportedSince(ds, at.Add(-7*24*time.Hour))
		for _, t := range ds.Tasks {
			for _, m := range t.Metrics {
				if m.Eval.Reported && (m.Eval.Light == progress.Red || m.Eval.Light == progress.Yellow) {
					d.Risky = append(d.Risky, Risk{Department: Department{ds.ID, ds.Name}, Task: t.Title, Metric: m})
				}
			}
		}
	}
	slices.SortStableFunc(d.Risky, func(a, b Risk) int { return cmpFloat(b.Metric.Eval.Gap, a.Metric.Eval.Gap) })
	d.Risky = d.Risky[:min(len(d.Risky), riskyMax)]
	err = s.overdueAt(ctx, at, &d)
	return d, err
}

func (s *Scheduler) snapshot(ctx context.Context, at time.Time, year int) (progress.Snapshot, error) {
	return progress.Build(ctx, s.store, progress.Options{
		Year: year, At: at, Loc: s.loc, Period: s.schedule.PeriodAt(at).Key, Thresholds: s.th,
	})
}

// overdueAt fills the departments overdue at `at` for the latest period
// whose deadline has passed, judged against that period's plan year (in
// January, last December's), and the extensions still running.
func (s *Scheduler) overdueAt(ctx context.Context, at time.Time, d *Digest) error {
	p := s.schedule.PeriodAt(at)
	if s.schedule.Deadline(s.cal, p).After(at) {
		p = s.schedule.PeriodAt(p.Start.Add(-time.Nanosecond))
	}
	d.OverduePeriod = p.Key
	exts, err := s.store.ApprovedExtensions(ctx, []string{p.Key})
	if err != nil {
		return err
	}
	reports, err := s.store.PeriodReports(ctx, p.Key)
	if err != nil {
		return err
	}
	plan, err := s.store.Plan(ctx, p.Start.In(s.loc).Year())
	if err != nil {
		return err
	}
	for _, dept := range plan {
		missing, total := missingMetrics(dept, reports)
		ref := Department{dept.ID, dept.Name}
		if e, ok := exts[p.Key][dept.ID]; ok && e.Until.After(at) {
			d.Extensions = append(d.Extensions, ExtensionInfo{Department: ref, Period: p.Key, Until: e.Until.In(s.loc), Reason: e.Reason})
			continue
		}
		if len(missing) > 0 {
			d.Overdue = append(d.Overdue, OverdueDepartment{Department: ref, Rung: calendar.RungYellow,
				Deadline: s.schedule.Deadline(s.cal, p), Metrics: total, Missing: len(missing)})
		}
	}
	return nil
}

func reportedSince(ds progress.DepartmentStatus, since time.Time) int {
	n := 0
	for _, t := range ds.Tasks {
		for _, m := range t.Metrics {
			if m.Latest != nil && !m.Latest.ReportedAt.Before(since) {
				n++
			}
		}
	}
	return n
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
