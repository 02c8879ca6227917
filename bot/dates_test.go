package bot

import (
	"testing"
	"time"
)

func TestParseDay(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	now := time.Date(2022, 5, 26, 9, 0, 0, 0, loc)
	tests := []struct {
		in, want, rest string
		ok             bool
	}{
		{"2022-05-31 等待统计局数据", "2022-05-31", "等待统计局数据", true},
		{"2022/6/3", "2022-06-03", "", true},
		{"2022年6月3日 理由", "2022-06-03", "理由", true},
		{"6月3日理由", "2022-06-03", "理由", true},
		{"6-3", "2022-06-03", "", true},
		{"6.3 会议推迟", "2022-06-03", "会议推迟", true},
		{"２０２２／６／３", "2022-06-03", "", true},
		{"2月30日", "", "", false},
		{"下周三", "", "", false},
		{"", "", "", false},
		{"13/1", "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			day, rest, ok := parseDay(tc.in, now, loc)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if !ok {
				return
			}
			if got := day.Format(time.DateOnly); got != tc.want || rest != tc.rest {
				t.Errorf("got %s %q, want %s %q", got, rest, tc.want, tc.rest)
			}
		})
	}
}
