package scheduler

import (
	"fmt"
	"testing"

	"github.com/duban-bot/duban/calendar"
	"github.com/duban-bot/duban/models"
)

// The ladder of 2022-05 with the default schedule: blue Wed 18 May, last
// call Wed 25, yellow Thu 26, red Tue 31, each at 09:00. Each run is a fresh
// process on the same database; between runs the bot is down.
func TestRestartSendsWhatWasMissedOnce(t *testing.T) {
	cases := []struct {
		name string
		runs [][2]string
		want []sent
	}{
		{
			name: "down over blue, back a day later: blue once, on return",
			runs: [][2]string{{"2022-05-16 00:00", "2022-05-17 12:00"}, {"2022-05-19 10:00", "2022-05-24 23:30"}},
			want: []sent{{fgw, "blue", 1001, "2022-05-19 10:00"}},
		},
		{
			name: "down longer than the grace period: the missed blue is dropped",
			runs: [][2]string{{"2022-05-16 00:00", "2022-05-17 12:00"}, {"2022-05-23 10:00", "2022-05-25 12:00"}},
			want: []sent{{fgw, "last_call", 1001, "2022-05-25 09:00"}},
		},
		{
			name: "down over last call and yellow: only the latest, yellow, is sent",
			runs: [][2]string{{"2022-05-16 00:00", "2022-05-24 12:00"}, {"2022-05-27 10:00", "2022-06-01 00:00"}},
			want: []sent{
				{fgw, "blue", 1001, "2022-05-18 09:00"},
				{fgw, "yellow", 1001, "2022-05-27 10:00"},
				{fgw, "red", 1001, "2022-05-31 09:00"},
			},
		},
		{
			name: "back at 03:00: the missed yellow waits for office hours",
			runs: [][2]string{{"2022-05-16 00:00", "2022-05-25 12:00"}, {"2022-05-26 03:00", "2022-05-27 00:00"}},
			want: []sent{
				{fgw, "blue", 1001, "2022-05-18 09:00"},
				{fgw, "last_call", 1001, "2022-05-25 09:00"},
				{fgw, "yellow", 1001, "2022-05-26 09:00"},
			},
		},
		{
			name: "grace counts hours, not working days: yellow missed over the weekend is dropped",
			runs: [][2]string{{"2022-05-16 00:00", "2022-05-26 08:00"}, {"2022-05-29 10:00", "2022-06-01 00:00"}},
			want: []sent{
				{fgw, "blue", 1001, "2022-05-18 09:00"},
				{fgw, "last_call", 1001, "2022-05-25 09:00"},
				{fgw, "red", 1001, "2022-05-31 09:00"},
			},
		},
		{
			name: "back on Saturday: nothing goes out on days off, and by Monday the missed blue is past grace",
			runs: [][2]string{{"2022-05-16 00:00", "2022-05-18 08:00"}, {"2022-05-21 08:00", "2022-05-26 00:00"}},
			want: []sent{{fgw, "last_call", 1001, "2022-05-25 09:00"}},
		},
		{
			name: "restarted again and again on the morning of blue: sent once",
			runs: [][2]string{
				{"2022-05-18 08:30", "2022-05-18 09:00"}, {"2022-05-18 09:00", "2022-05-18 09:05"},
				{"2022-05-18 09:00", "2022-05-18 10:00"}, {"2022-05-18 13:00", "2022-05-18 14:00"},
			},
			want: []sent{{fgw, "blue", 1001, "2022-05-18 09:00"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			w.bind(1001, "Wang", models.RoleContact, fgw)
			for _, run := range tc.runs {
				w.walk(w.at(run[0]), w.at(run[1]), w.scheduler(nil, nil, withGroup(0)))
			}
			diffSent(t, w.sentLog(nil), tc.want)
			if got, want := len(w.outbox()), len(tc.want); got != want {
				t.Errorf("outbox holds %d messages, want %d", got, want)
			}
		})
	}
}

// Three replicas, two of them with connection pools of their own, tick at
// the same instants all through May: every notice and message exists once.
func TestReplicasTickingTogetherSendEachNoticeOnce(t *testing.T) {
	w := newWorld(t)
	w.bind(coordinatorChat, "Coordinator", models.RoleCoordinator, "")
	w.bind(1001, "Wang", models.RoleContact, fgw)
	w.bind(1011, "Deputy", models.RoleDeputy, fgw)
	w.bind(1002, "Li", models.RoleContact, czj)
	var replicas []*Scheduler
	for i, st := range []*models.Store{w.st, w.open(), w.open()} {
		replicas = append(replicas, w.scheduler(st, nil, func(o *Options) { o.Holder = fmt.Sprintf("replica-%d", i+1) }))
	}
	w.walk(w.at("2022-05-01 00:00"), w.at("2022-06-01 00:00"), replicas...)

	var want []sent
	for _, r := range []rungAt{
		{"2022-05", calendar.RungBlue, "2022-05-18 09:00"}, {"2022-05", calendar.RungLastCall, "2022-05-25 09:00"},
		{"2022-05", calendar.RungYellow, "2022-05-26 09:00"}, {"2022-05", calendar.RungRed, "2022-05-31 09:00"},
	} {
		want = append(want, sent{fgw, string(r.rung), 1001, r.at}, sent{czj, string(r.rung), 1002, r.at})
		switch r.rung {
		case calendar.RungYellow:
			want = append(want, sent{fgw, "yellow", 1011, r.at}, sent{"", "yellow", coordinatorChat, r.at})
		case calendar.RungRed:
			want = append(want, sent{fgw, "red", 1011, r.at}, sent{"", "red", coordinatorChat, r.at}, sent{"", "red", groupChat, r.at})
		}
	}
	for _, monday := range []string{"2022-05-02", "2022-05-09", "2022-05-16", "2022-05-23", "2022-05-30"} {
		want = append(want, sent{"", digestRung, groupChat, monday + " 09:00"})
	}
	diffSent(t, w.sentLog(nil), want)

	perChat := map[int64]int{}
	for _, o := range w.outbox() {
		perChat[o.ChatID]++
	}
	wantChat := map[int64]int{1001: 4, 1011: 2, 1002: 4, coordinatorChat: 2, groupChat: 1 + 5}
	for chat, n := range wantChat {
		if perChat[chat] != n {
			t.Errorf("chat %d has %d outbox messages, want %d (all: %v)", chat, perChat[chat], n, perChat)
		}
	}
}
