package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/duban-bot/duban/calendar"
	"github.com/duban-bot/duban/models"
)

// event is one department's rung due now, with what it still lacks.
type event struct {
	period   calendar.Period
	dept     models.Department
	rung     dueRung
	extended bool
	missing  []MetricRef
	metrics  int
}

// remind issues every rung due at now and returns the number of notices
// written to the outbox.
func (s *Scheduler) remind(ctx context.Context, now time.Time) (int, error) {
	if !s.sendable(now) {
		return 0, nil
	}
	events, err := s.dueEvents(ctx, now)
	if err != nil || len(events) == 0 {
		return 0, err
	}
	plans, err := s.notices(ctx, events, now)
	if err != nil {
		return 0, err
	}
	issued := 0
	var byRung map[string]int
	err = s.store.Tx(ctx, func(tx *models.Store) error {
		issued, byRung = 0, map[string]int{}
		for _, p := range plans {
			n, err := s.issue(ctx, tx, p)
			if err != nil {
				return err
			}
			issued += n
			byRung[p.notice.Rung] += n
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("issue notices: %w", err)
	}
	for rung, n := range byRung { // counted once committed
		s.metrics.RemindersIssued(rung, n)
	}
	s.issued(issued)
	return issued, nil
}

// dueEvents finds, per candidate period and department, the rung due at
// now that was not issued yet, for departments that still miss a value.
func (s *Scheduler) dueEvents(ctx context.Context, now time.Time) ([]event, error) {
	year, ok := s.yearAt(now)
	if !ok {
		return nil, nil
	}
	plan, err := s.store.Plan(ctx, year)
	if err != nil || len(plan) == 0 {
		return nil, err // no plan for this year: nobody is reminded
	}
	extended, err := s.store.ExtendedPeriods(ctx, now.Add(-s.grace-60*24*time.Hour))
	if err != nil {
		return nil, err
	}
	periods := s.candidatePeriods(now, year, extended)
	keys := make([]string, len(periods))
	for i, p := range periods {
		keys[i] = p.Key
	}
	exts, err := s.store.ApprovedExtensions(ctx, keys)
	if err != nil {
		return nil, err
	}
	var events []event
	for _, p := range periods {
		evs, err := s.periodEvents(ctx, p, plan, exts[p.Key], now)
		if err != nil {
			return nil, err
		}
		events = append(events, evs...)
	}
	return events, nil
}

func (s *Scheduler) periodEvents(ctx context.Context, p calendar.Period, plan []models.Department,
	exts map[uint]models.Extension, now time.Time) ([]event, error) {
	var due []event
	for _, d := range plan {
		var ext *models.Extension
		if e, ok := exts[d.ID]; ok {
			ext = &e
		}
		deadline, ladder, round, notBefore := s.ladderFor(p, ext)
		r, ok := latestDue(ladder, now, s.grace, notBefore)
		if ok {
			due = append(due, event{period: p, dept: d, extended: ext != nil,
				rung: dueRung{RungTime: r, Deadline: deadline, Round: round}})
		}
	}
	if len(due) == 0 {
		return nil, nil
	}
	issued, err := s.store.IssuedRungs(ctx, p.Key)
	if err != nil {
		return nil, err
	}
	reports, err := s.store.PeriodReports(ctx, p.Key)
	if err != nil {
		return nil, err
	}
	var out []event
	for _, e := range due {
		if issued[models.RungKey(e.dept.ID, string(e.rung.Rung), e.rung.Round)] {
			continue
		}
		e.missing, e.metrics = missingMetrics(e.dept, reports)
		if len(e.missing) > 0 {
			out = append(out, e)
		}
	}
	return out, nil
}

// plannedNotice is a notice to write and how to render it once its id is known.
type plannedNotice struct {
	notice models.Notice
	render func(id uint) Message
}

// notices plans the department notices of events and the overdue lists for
// coordinators (yellow, red) and the group (red).
func (s *Scheduler) notices(ctx context.Context, events []event, now time.Time) ([]plannedNotice, error) {
	var out []plannedNotice
	lists := map[string][]OverdueDepartment{} // listKey → lines
	var listKeys []event                      // first event of each list, in order
	people, err := s.store.ContactsByDepartment(ctx)
	if err != nil {
		return nil, err
	}
	for _, e := range events {
		to, onLeave := recipients(people[e.dept.ID], e.rung.Rung, now, s.loc)
		line := OverdueDepartment{
			Department: Department{e.dept.ID, e.dept.Name}, Rung: e.rung.Rung,
			Deadline: e.rung.Deadline.In(s.loc), Extended: e.extended,
			Metrics: e.metrics, Missing: len(e.missing), OnLeave: personPtr(onLeave),
		}
		for _, c := range to {
			out = append(out, s.reminderNotice(e, c, onLeave))
			line.Notified = append(line.Notified, person(c))
		}
		if e.rung.Rung == calendar.RungYellow || e.rung.Rung == calendar.RungRed {
			k := listKey(e)
			if _, ok := lists[k]; !ok {
				listKeys = append(listKeys, e)
			}
			lists[k] = append(lists[k], line)
		}
	}
	coords, err := s.store.Coordinators(ctx)
	if err != nil {
		return nil, err
	}
	for _, e := range listKeys {
		lines := lists[listKey(e)]
		out = append(out, s.overdueNotices(e, lines, coords)...)
	}
	return out, nil
}

func (s *Scheduler) reminderNotice(e event, c models.Contact, onLeave *models.Contact) plannedNotice {
	aud := AudienceContact
	if c.Role == models.RoleDeputy {
		aud = AudienceDeputy
	}
	cid := c.ID
	r := Reminder{
		ChatID: c.TelegramID, Audience: aud, Rung: e.rung.Rung, Period: e.period.Key,
		Deadline: e.rung.Deadline.In(s.loc), Extended: e.extended,
		Department: Department{e.dept.ID, e.dept.Name}, Metrics: e.metrics, Missing: e.missing,
		OnLeave: personPtr(onLeave),
	}
	return plannedNotice{
		notice: models.Notice{
			DepartmentID: e.dept.ID, Period: e.period.Key, Rung: string(e.rung.Rung), ChatID: c.TelegramID,
			Round: e.rung.Round, ContactID: &cid, Audience: string(aud), Deadline: e.rung.Deadline,
		},
		render: func(id uint) Message { r.NoticeID = id; return s.render.RenderReminder(r) },
	}
}

// listKey groups events into overdue lists: one per period, rung and round.
// An extended department's yellow and red come on their own days, after the
// period's own lists went out, so they make lists of their own.
func listKey(e event) string {
	return fmt.Sprintf("%s/%s/%d", e.period.Key, e.rung.Rung, e.rung.Round)
}

// overdueNotices are one list per coordinator, and for red one more to the
// group. They are keyed by period, rung and round with department 0: a
// list is said once per period, rung and round.
func (s *Scheduler) overdueNotices(e event, lines []OverdueDepartment, coords []models.Contact) []plannedNotice {
	type target struct {
		chat int64
		aud  Audience
	}
	var targets []target
	for _, c := range coords {
		targets = append(targets, target{c.TelegramID, AudienceCoordinator})
	}
	if e.rung.Rung == calendar.RungRed && s.group != 0 {
		targets = append(targets, target{s.group, AudienceGroup})
	}
	out := make([]plannedNotice, 0, len(targets))
	for _, t := range targets {
		o := Overdue{ChatID: t.chat, Audience: t.aud, Rung: e.rung.Rung, Period: e.period.Key, Departments: lines}
		out = append(out, plannedNotice{
			notice: models.Notice{Period: e.period.Key, Rung: string(e.rung.Rung), ChatID: t.chat,
				Round: e.rung.Round, Audience: string(t.aud), Deadline: e.rung.Deadline},
			render: func(id uint) Message { o.NoticeID = id; return s.render.RenderOverdue(o) },
		})
	}
	return out
}

// issue writes the notice and, when it is new, its message; it returns 1
// for a new notice and 0 for one issued before (by another replica).
func (s *Scheduler) issue(ctx context.Context, tx *models.Store, p plannedNotice) (int, error) {
	n := p.notice
	n.SentAt = s.now()
	fresh, err := tx.IssueNotice(ctx, &n)
	if err != nil || !fresh {
		return 0, err
	}
	msgs, err := outboxMessages(p.render(n.ID), n.ChatID, fmt.Sprintf("notice:%d", n.ID))
	if err != nil {
		return 0, err
	}
	if _, err := tx.Enqueue(ctx, msgs...); err != nil {
		return 0, err
	}
	return 1, nil
}

// outboxMessages turns rendered messages into outbox rows keyed key, key:2, …
// A text over Telegram's limit is split at line breaks; the buttons stay on
// the last part.
func outboxMessages(m Message, chat int64, key string) ([]models.OutboxMessage, error) {
	parts := splitText(m.Text, maxText)
	kb, err := markupJSON(m.Buttons)
	if err != nil {
		return nil, fmt.Errorf("encode buttons: %w", err)
	}
	out := make([]models.OutboxMessage, len(parts))
	for i, text := range parts {
		k := key
		if i > 0 {
			k = fmt.Sprintf("%s:%d", key, i+1)
		}
		out[i] = models.OutboxMessage{ChatID: chat, Text: text, ParseMode: m.ParseMode, DedupKey: k}
	}
	out[len(out)-1].Markup = kb
	return out, nil
}

func person(c models.Contact) Person { return Person{TelegramID: c.TelegramID, Name: c.Name} }

func personPtr(c *models.Contact) *Person {
	if c == nil {
		return nil
	}
	p := person(*c)
	return &p
}
