package scheduler

import (
	"fmt"
	"strings"
	"testing"

	"github.com/duban-bot/duban/calendar"
	"github.com/duban-bot/duban/models"
)

// rungAt is one rung of a period's ladder as the published calendar puts it.
type rungAt struct {
	period string
	rung   calendar.Rung
	at     string
}

// The walks below tick a scheduler through whole months at the interesting
// instants of every day. Three departments have a contact: 发改委 reports
// nothing, 财政局 two metrics, 经信局 everything, so 经信局 must never be
// reminded. The expected instants are worked out by hand from the State
// Council's 2022 holiday notice, not computed by the code under test.
func TestLadderWalksThroughTheMonths(t *testing.T) {
	cases := []struct {
		name      string
		schedule  calendar.Schedule
		from, to  string
		deadlines map[string]string // period → its deadline
		rungs     []rungAt
		digests   []string
	}{
		{
			name: "May 2022, deadline the 25th: May Day 30 April–4 May passes quietly",
			from: "2022-05-01 00:00", to: "2022-06-01 00:00",
			deadlines: map[string]string{"2022-05": "2022-05-25 17:00"},
			rungs: []rungAt{
				{"2022-05", calendar.RungBlue, "2022-05-18 09:00"}, // 5 working days before Wednesday the 25th
				{"2022-05", calendar.RungLastCall, "2022-05-25 09:00"},
				{"2022-05", calendar.RungYellow, "2022-05-26 09:00"},
				{"2022-05", calendar.RungRed, "2022-05-31 09:00"}, // 27th, 30th, 31st
			},
			// The digest is weekly news: it goes out on the holiday Monday too.
			digests: []string{"2022-05-02 09:00", "2022-05-09 09:00", "2022-05-16 09:00", "2022-05-23 09:00", "2022-05-30 09:00"},
		},
		{
			name: "September–October 2022, deadline the 25th: Sunday 25 September moves to Friday 23rd, National Day 1–7 October",
			from: "2022-09-04 00:00", to: "2022-11-01 00:00",
			deadlines: map[string]string{"2022-09": "2022-09-23 17:00", "2022-10": "2022-10-25 17:00"},
			rungs: []rungAt{
				{"2022-09", calendar.RungBlue, "2022-09-16 09:00"},
				{"2022-09", calendar.RungLastCall, "2022-09-23 09:00"},
				{"2022-09", calendar.RungYellow, "2022-09-26 09:00"},
				{"2022-09", calendar.RungRed, "2022-09-29 09:00"},
				{"2022-10", calendar.RungBlue, "2022-10-18 09:00"},
				{"2022-10", calendar.RungLastCall, "2022-10-25 09:00"},
				{"2022-10", calendar.RungYellow, "2022-10-26 09:00"},
				{"2022-10", calendar.RungRed, "2022-10-31 09:00"}, // 27th, 28th, 31st
			},
			digests: []string{"2022-09-05 09:00", "2022-09-12 09:00", "2022-09-19 09:00", "2022-09-26 09:00",
				"2022-10-03 09:00", "2022-10-10 09:00", "2022-10-17 09:00", "2022-10-24 09:00", "2022-10-31 09:00"},
		},
		{
			name:     "May 2022, deadline the 8th: Sunday 8 May moves to the 调休 Saturday 7 May",
			schedule: calendar.Schedule{DeadlineDay: 8},
			from:     "2022-04-25 00:00", to: "2022-06-01 00:00",
			deadlines: map[string]string{"2022-05": "2022-05-07 17:00", "2022-06": "2022-06-08 17:00"},
			rungs: []rungAt{
				{"2022-05", calendar.RungBlue, "2022-04-27 09:00"},     // 6th, 5th, 29th, 28th, 27th
				{"2022-05", calendar.RungLastCall, "2022-05-07 09:00"}, // a Saturday, worked
				{"2022-05", calendar.RungYellow, "2022-05-09 09:00"},
				{"2022-05", calendar.RungRed, "2022-05-12 09:00"},
				{"2022-06", calendar.RungBlue, "2022-05-31 09:00"}, // the next period's first reminder; 端午 3–5 June
			},
			digests: []string{"2022-04-25 09:00", "2022-05-02 09:00", "2022-05-09 09:00", "2022-05-16 09:00",
				"2022-05-23 09:00", "2022-05-30 09:00"},
		},
		{
			name:     "October 2022, deadline the 8th: the 调休 weekend 8–9 October carries the last call and yellow",
			schedule: calendar.Schedule{DeadlineDay: 8},
			from:     "2022-09-20 00:00", to: "2022-10-20 00:00",
			deadlines: map[string]string{"2022-10": "2022-10-08 17:00"},
			rungs: []rungAt{
				{"2022-10", calendar.RungBlue, "2022-09-26 09:00"}, // 30th, 29th, 28th, 27th, 26th
				{"2022-10", calendar.RungLastCall, "2022-10-08 09:00"},
				{"2022-10", calendar.RungYellow, "2022-10-09 09:00"}, // a Sunday, worked
				{"2022-10", calendar.RungRed, "2022-10-12 09:00"},
			},
			// Started on Tuesday 00:00, it catches up Monday's digest, once the
			// digest clock comes round.
			digests: []string{"2022-09-20 09:00", "2022-09-26 09:00", "2022-10-03 09:00", "2022-10-10 09:00", "2022-10-17 09:00"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			w.bind(coordinatorChat, "Coordinator", models.RoleCoordinator, "")
			w.bind(1001, "Wang", models.RoleContact, fgw)
			w.bind(1002, "Li", models.RoleContact, czj)
			w.bind(1003, "Zhao", models.RoleContact, jxj)
			for period := range tc.deadlines {
				w.report(jxj, period, -1)
				w.report(czj, period, 2)
			}
			s := w.scheduler(nil, nil, withSchedule(tc.schedule))
			w.walk(w.at(tc.from), w.at(tc.to), s)

			var want []sent
			for _, r := range tc.rungs {
				want = append(want, sent{fgw, string(r.rung), 1001, r.at}, sent{czj, string(r.rung), 1002, r.at})
				if r.rung == calendar.RungYellow || r.rung == calendar.RungRed {
					want = append(want, sent{"", string(r.rung), coordinatorChat, r.at})
				}
				if r.rung == calendar.RungRed {
					want = append(want, sent{"", string(r.rung), groupChat, r.at})
				}
			}
			for _, at := range tc.digests {
				want = append(want, sent{"", digestRung, groupChat, at})
			}
			diffSent(t, w.sentLog(nil), want)
			checkLadderNotices(t, w, tc.rungs, tc.deadlines)
		})
	}
}

// checkLadderNotices checks what each ladder notice says: its period and
// deadline, that it fell on a working day, and its outbox message.
func checkLadderNotices(t *testing.T, w *world, rungs []rungAt, deadlines map[string]string) {
	t.Helper()
	periodOf := map[string]string{}
	for _, r := range rungs {
		periodOf[string(r.rung)+" "+r.at] = r.period
	}
	rows := map[string]models.Outbox{}
	for _, o := range w.outbox() {
		rows[*o.DedupKey] = o
	}
	for _, n := range w.notices() {
		if n.Rung == digestRung {
			if !strings.HasPrefix(rows[fmt.Sprintf("digest:%s:1", n.Period)].Text, "Weekly digest "+n.Period) {
				t.Errorf("digest %s: no outbox message", n.Period)
			}
			continue
		}
		at := n.SentAt.In(w.loc)
		if !w.cal.IsWorkday(at) {
			t.Errorf("notice %d (%s) sent on a day off: %s", n.ID, n.Rung, at.Format("Mon 2006-01-02"))
		}
		if p := periodOf[n.Rung+" "+at.Format("2006-01-02 15:04")]; n.Period != p {
			t.Errorf("notice %d (%s at %s) is for period %s, want %s", n.ID, n.Rung, at, n.Period, p)
		}
		if d := n.Deadline.In(w.loc).Format("2006-01-02 15:04"); d != deadlines[n.Period] {
			t.Errorf("notice %d for %s names the deadline %s, want %s", n.ID, n.Period, d, deadlines[n.Period])
		}
		row, ok := rows[fmt.Sprintf("notice:%d", n.ID)]
		if !ok || row.ChatID != n.ChatID {
			t.Errorf("notice %d: outbox message %+v, want one to chat %d", n.ID, row, n.ChatID)
			continue
		}
		if n.DepartmentID == 0 {
			checkOverdueMessage(t, n, row)
		} else {
			checkReminderMessage(t, w, n, row)
		}
	}
}

func checkReminderMessage(t *testing.T, w *world, n models.Notice, row models.Outbox) {
	t.Helper()
	name := map[int64]string{1001: fgw, 1002: czj}[n.ChatID]
	missing := map[int64]int{1001: w.metrics(fgw), 1002: w.metrics(czj) - 2}[n.ChatID]
	want := fmt.Sprintf("[%s] %s: %d of %d metrics missing for %s", n.Rung, name, missing, w.metrics(name), n.Period)
	if !strings.HasPrefix(row.Text, want) {
		t.Errorf("reminder %d reads %q, want it to start %q", n.ID, row.Text, want)
	}
	wantData := []string{`"ack:` + fmt.Sprint(n.ID) + `"`, `"ext:` + fmt.Sprint(n.ID) + `"`}
	report := n.Rung == string(calendar.RungBlue) || n.Rung == string(calendar.RungLastCall)
	if report {
		wantData = append(wantData, `"go:report"`)
	}
	for _, d := range wantData {
		if !strings.Contains(row.Markup, `"callback_data":`+d) {
			t.Errorf("reminder %d (%s): buttons %s lack %s", n.ID, n.Rung, row.Markup, d)
		}
	}
	if !report && strings.Contains(row.Markup, ReportData) {
		t.Errorf("reminder %d (%s) offers to start a report after the deadline: %s", n.ID, n.Rung, row.Markup)
	}
}

func checkOverdueMessage(t *testing.T, n models.Notice, row models.Outbox) {
	t.Helper()
	for _, name := range []string{fgw, czj} {
		if !strings.Contains(row.Text, "- "+name+":") {
			t.Errorf("overdue list %d (%s to %d) does not name %s:\n%s", n.ID, n.Rung, n.ChatID, name, row.Text)
		}
	}
	if strings.Contains(row.Text, jxj) {
		t.Errorf("overdue list %d names %s, which reported everything:\n%s", n.ID, jxj, row.Text)
	}
	if !strings.Contains(row.Markup, `"callback_data":"ack:`+fmt.Sprint(n.ID)+`"`) || strings.Contains(row.Markup, "ext:") {
		t.Errorf("overdue list %d: buttons %s, want 收到 only", n.ID, row.Markup)
	}
}
