package scheduler

import (
	"strings"
	"testing"

	"github.com/duban-bot/duban/seeds"
)

// loadYear loads the 2022 seed plan again as another year.
func (w *world) loadYear(year int) {
	w.t.Helper()
	plan, err := seeds.Parse(seeds.Huzhou2022())
	if err != nil {
		w.t.Fatal(err)
	}
	plan.Year = year
	if err := seeds.Load(w.ctx, w.st, plan); err != nil {
		w.t.Fatal(err)
	}
}

// Only the plan of the year that contains the clock's now is reminded; a
// clock in a year without a plan issues nothing at all, digest included.
func TestLadderOnlyForTheActiveYear(t *testing.T) {
	cases := []struct {
		name     string
		load     int // a second year loaded beside 2022; 0 none
		year     int // Options.Year
		from, to string
		some     bool // notices are issued, every one for a period of the clock's year
	}{
		{name: "2026 clock, only the 2022 plan: nothing", from: "2026-11-01 00:00", to: "2026-12-01 00:00"},
		{name: "2026 clock, --year 2022: nothing", year: 2022, from: "2026-11-01 00:00", to: "2026-12-01 00:00"},
		{name: "2022 clock, --year 2023: nothing", year: 2023, load: 2023, from: "2022-05-01 00:00", to: "2022-06-01 00:00"},
		{name: "2023 clock with a 2023 plan: 2023 is reminded", load: 2023, from: "2023-05-01 00:00", to: "2023-06-01 00:00", some: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			if tc.load != 0 {
				w.loadYear(tc.load)
			}
			w.bind(1, "发改委联络员", "contact", fgw)
			w.bind(2, "财政局联络员", "contact", czj)
			w.bind(coordinatorChat, "督查", "coordinator", "")
			s := w.scheduler(nil, nil, withGroup(groupChat), func(o *Options) { o.Year = tc.year })
			w.walk(w.at(tc.from), w.at(tc.to), s)
			notices := w.notices()
			if tc.some != (len(notices) > 0) {
				t.Fatalf("%d notices issued, want some: %v", len(notices), tc.some)
			}
			for _, n := range notices {
				if !strings.HasPrefix(n.Period, tc.from[:5]) {
					t.Errorf("notice %s for %s; want only periods of %s", n.Rung, n.Period, tc.from[:4])
				}
			}
			if !tc.some && len(w.outbox()) != 0 {
				t.Errorf("outbox holds %d messages, want none", len(w.outbox()))
			}
			texts, queued, err := s.Digest(w.ctx, w.at(tc.to), true)
			if !tc.some && (err != nil || queued != 0 || len(texts) != 0) {
				t.Errorf("digest --send: %d texts, %d queued, %v; want nothing", len(texts), queued, err)
			}
		})
	}
}
