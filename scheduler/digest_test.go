package scheduler

import (
	"fmt"
	"strings"
	"testing"

	"github.com/duban-bot/duban/models"
)

func onlyDigest(n models.Notice) bool { return n.Rung == digestRung }

// Each tick is a process start at that instant, on the same database.
func TestWeeklyDigest(t *testing.T) {
	cases := []struct {
		name  string
		group int64
		ticks []string
		want  []string // when a digest was queued
		weeks []string // for which Monday
	}{
		{
			name:  "Monday 09:00, once a week",
			group: groupChat,
			ticks: []string{"2022-05-09 08:59", "2022-05-09 09:00", "2022-05-09 09:30", "2022-05-10 09:00", "2022-05-16 09:00"},
			want:  []string{"2022-05-09 09:00", "2022-05-16 09:00"},
			weeks: []string{"2022-05-09", "2022-05-16"},
		},
		{
			name:  "no group chat, no digest",
			ticks: []string{"2022-05-09 08:59", "2022-05-09 09:00", "2022-05-09 09:30", "2022-05-16 09:00"},
		},
		{
			name:  "missed while down, within grace: sent once on return",
			group: groupChat,
			ticks: []string{"2022-05-08 12:00", "2022-05-10 10:00", "2022-05-10 11:00", "2022-05-11 09:00"},
			want:  []string{"2022-05-10 10:00"},
			weeks: []string{"2022-05-09"},
		},
		{
			name:  "back at 02:00: the missed digest waits for the digest clock",
			group: groupChat,
			ticks: []string{"2022-05-08 12:00", "2022-05-10 02:00", "2022-05-10 08:59", "2022-05-10 09:00", "2022-05-10 09:01"},
			want:  []string{"2022-05-10 09:00"},
			weeks: []string{"2022-05-09"},
		},
		{
			name:  "missed for longer than grace: dropped; next Monday's goes out",
			group: groupChat,
			ticks: []string{"2022-05-08 12:00", "2022-05-12 10:00", "2022-05-13 09:00", "2022-05-16 09:00"},
			want:  []string{"2022-05-16 09:00"},
			weeks: []string{"2022-05-16"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			for _, at := range tc.ticks {
				w.tickAt(w.at(at), w.scheduler(nil, nil, withGroup(tc.group)))
			}
			var want []sent
			for _, at := range tc.want {
				want = append(want, sent{"", digestRung, groupChat, at})
			}
			diffSent(t, w.sentLog(onlyDigest), want)
			var weeks []string
			for _, n := range w.notices() {
				weeks = append(weeks, n.Period)
			}
			if fmt.Sprint(weeks) != fmt.Sprint(tc.weeks) {
				t.Errorf("digests for the weeks of %v, want %v", weeks, tc.weeks)
			}
			for _, o := range w.outbox() {
				if o.ChatID != groupChat || !strings.HasPrefix(o.Text, "Weekly digest ") || o.Markup != "" {
					t.Errorf("unexpected outbox message to %d: %q %s", o.ChatID, o.Text, o.Markup)
				}
			}
		})
	}
}

// longDigest renders the plain digest followed by many lines of emoji,
// which Telegram counts as two characters each.
type longDigest struct{ PlainRenderer }

func (r longDigest) RenderDigest(d Digest) []Message {
	msgs := r.PlainRenderer.RenderDigest(d)
	var b strings.Builder
	b.WriteString(msgs[0].Text)
	for i := range 300 {
		fmt.Fprintf(&b, "\nline %03d %s", i, strings.Repeat("🚧", 20))
	}
	msgs[0].Text = b.String()
	return msgs
}

func TestLongDigestIsSplitUnderTelegramsLimit(t *testing.T) {
	w := newWorld(t)
	w.clk.Set(w.at("2022-05-09 09:00"))
	s := w.scheduler(nil, longDigest{})
	texts, queued, err := s.Digest(w.ctx, w.clk.Now(), true)
	if err != nil {
		t.Fatal(err)
	}
	rows := w.outbox()
	if len(rows) < 4 || queued != len(rows) || len(texts) != len(rows) {
		t.Fatalf("digest queued %d messages, %d texts, outbox %d; want the same number, at least 4 (12000+ UTF-16 units)",
			queued, len(texts), len(rows))
	}
	var joined []string
	for i, o := range rows {
		if n := utf16Len(o.Text); n > maxText {
			t.Errorf("part %d is %d UTF-16 units long, over %d", i+1, n, maxText)
		}
		wantKey := "digest:2022-05-09:1"
		if i > 0 {
			wantKey += fmt.Sprintf(":%d", i+1)
		}
		if *o.DedupKey != wantKey || o.ChatID != groupChat || o.Text != texts[i] {
			t.Errorf("part %d: key %s chat %d, want %s to %d with the text Digest returned", i+1, *o.DedupKey, o.ChatID, wantKey, groupChat)
		}
		joined = append(joined, o.Text)
	}
	if !strings.HasSuffix(strings.Join(joined, "\n"), "\nline 299 "+strings.Repeat("🚧", 20)) {
		t.Errorf("the parts do not end with the digest's last line")
	}
	if !strings.Contains(strings.Join(joined, "\n"), "\nline 150 "+strings.Repeat("🚧", 20)+"\n") {
		t.Errorf("a line was cut in two")
	}

	_, again, err := s.Digest(w.ctx, w.clk.Now(), true)
	if err != nil || again != 0 || len(w.outbox()) != len(rows) {
		t.Errorf("sending the same week's digest again queued %d (err %v), want nothing", again, err)
	}
	if _, _, err := w.scheduler(nil, nil, withGroup(0)).Digest(w.ctx, w.clk.Now(), true); err == nil {
		t.Errorf("digest --send with no group chat: no error")
	}
}
