package scheduler

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/duban-bot/duban/calendar"
)

func TestSplitText(t *testing.T) {
	cases := []struct {
		name  string
		text  string
		limit int
		want  []string
	}{
		{"short text stays whole", "本月请于25日前填报", 20, []string{"本月请于25日前填报"}},
		{"empty text is one empty part", "", 10, []string{""}},
		{"exactly at the limit stays whole", "abcde\nfghij", 11, []string{"abcde\nfghij"}},
		{"lines are packed and cut at a break", "aaa\nbbb\nccc\nddd", 7, []string{"aaa\nbbb", "ccc\nddd"}},
		{"Chinese characters count one each", "督办事项一\n督办事项二\n督办事项三", 11, []string{"督办事项一\n督办事项二", "督办事项三"}},
		{"an emoji counts two", "🚧🚧\n🚧🚧", 8, []string{"🚧🚧", "🚧🚧"}},
		{"a line longer than the limit is hard-cut", "abcdefghij\nx", 4, []string{"abcd", "efgh", "ij\nx"}},
		{"a hard cut never splits an emoji", "a🚧🚧🚧", 4, []string{"a🚧", "🚧🚧"}},
		{"blank lines at a cut are dropped", "aaaa\n\n\n\nbbbb", 5, []string{"aaaa", "bbbb"}},
		{"blank lines inside a part are kept", "aa\n\nbb\ncccccc", 6, []string{"aa\n\nbb", "cccccc"}},
		{"a limit below one emoji still makes progress", "🚧🚧", 1, []string{"🚧", "🚧"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := splitText(tc.text, tc.limit)
			if !slices.Equal(got, tc.want) {
				t.Errorf("splitText(%q, %d) = %q, want %q", tc.text, tc.limit, got, tc.want)
			}
		})
	}
}

// Whatever the text, parts keep to the limit and lose only line breaks.
func TestSplitTextKeepsEveryCharacter(t *testing.T) {
	var b strings.Builder
	for i := range 500 {
		b.WriteString(strings.Repeat("指标🚧x", i%37))
		b.WriteString("\n")
	}
	text := b.String()
	for _, limit := range []int{2, 3, 50, 97, 4096} {
		parts := splitText(text, limit)
		for i, p := range parts {
			if n := utf16Len(p); n > limit || p == "" {
				t.Fatalf("limit %d: part %d is %d UTF-16 units: %q", limit, i, n, p)
			}
		}
		noBreaks := func(s string) string { return strings.ReplaceAll(s, "\n", "") }
		if got := noBreaks(strings.Join(parts, "")); got != noBreaks(text) {
			t.Fatalf("limit %d: the parts do not add up to the text", limit)
		}
	}
}

// A long reminder becomes several messages; the buttons ride on the last.
func TestOutboxMessagesPutTheButtonsOnTheLastPart(t *testing.T) {
	r := Reminder{NoticeID: 42, Rung: calendar.RungBlue, Department: Department{1, "市财政局"}, Metrics: 900}
	for i := range 900 {
		r.Missing = append(r.Missing, MetricRef{ID: uint(i), TaskSeq: i, Task: "任务", Name: "指标名称"})
	}
	rows, err := outboxMessages(PlainRenderer{}.RenderReminder(r), 1001, "notice:42")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 2 {
		t.Fatalf("a reminder of 900 metrics fits in %d message", len(rows))
	}
	for i, m := range rows {
		last := i == len(rows)-1
		if (m.Markup != "") != last {
			t.Errorf("part %d of %d has buttons %q", i+1, len(rows), m.Markup)
		}
		if m.ChatID != 1001 || utf16Len(m.Text) > maxText {
			t.Errorf("part %d: chat %d, %d UTF-16 units", i+1, m.ChatID, utf16Len(m.Text))
		}
	}
	if rows[0].DedupKey != "notice:42" || rows[1].DedupKey != "notice:42:2" {
		t.Errorf("dedup keys %q, %q; want notice:42, notice:42:2", rows[0].DedupKey, rows[1].DedupKey)
	}
	want := `{"inline_keyboard":[[{"text":"Report now","callback_data":"go:report"}],` +
		`[{"text":"Got it","callback_data":"ack:42"},{"text":"Ask for more time","callback_data":"ext:42"}]]}`
	if got := rows[len(rows)-1].Markup; got != want {
		t.Errorf("buttons\n got %s\nwant %s", got, want)
	}
}

func TestNoticeCallbackData(t *testing.T) {
	if got := AckData(7); got != "ack:7" {
		t.Errorf("AckData(7) = %q", got)
	}
	if got := ExtendData(7); got != "ext:7" {
		t.Errorf("ExtendData(7) = %q", got)
	}
	for _, d := range []string{AckData(math.MaxUint), ExtendData(math.MaxUint), ReportData} {
		if len(d) > 64 {
			t.Errorf("callback data %q is %d bytes, over Telegram's 64", d, len(d))
		}
	}
	cases := []struct {
		data   string
		action NoticeAction
		id     uint
		ok     bool
	}{
		{"ack:7", ActionAck, 7, true},
		{"ext:123456", ActionExtend, 123456, true},
		{AckData(math.MaxUint), ActionAck, math.MaxUint, true},
		{"go:report", "", 0, false},
		{"ack:", "", 0, false},
		{"ack:0", "", 0, false},
		{"ack:07", "", 0, false},
		{"ack:-1", "", 0, false},
		{"ack:7x", "", 0, false},
		{"ext:18446744073709551616", "", 0, false}, // overflows uint64
		{"nudge:7", "", 0, false},
	}
	for _, c := range cases {
		a, id, ok := ParseNoticeData(c.data)
		if a != c.action || id != c.id || ok != c.ok {
			t.Errorf("ParseNoticeData(%q) = %q, %d, %v; want %q, %d, %v", c.data, a, id, ok, c.action, c.id, c.ok)
		}
	}
}
