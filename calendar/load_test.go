package calendar

import (
	"strings"
	"testing"
)

func TestLoadCalendarRejectsBadFiles(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // fragments the error must contain
	}{
		{"malformed YAML", "2022: [holidays", []string{"malformed"}},
		{"empty file", "", []string{"no year"}},
		{"year that is not a number", "twenty: {}", []string{"malformed"}},
		{"unknown field", "2022:\n  holiday:\n    - {name: 元旦, days: \"2022-01-03\"}\n", []string{"malformed", "holiday"}},
		{"impossible date", "2022:\n  holidays:\n    - {name: 春节, days: \"2022-02-30\"}\n",
			[]string{"2022", "春节", "2022-02-30"}},
		{"date in both lists", "2022:\n  holidays:\n    - {name: 劳动节, days: \"2022-04-30..2022-05-04\"}\n" +
			"  workdays:\n    - {name: 劳动节调休, days: \"2022-04-24, 2022-04-30\"}\n",
			[]string{"2022", "2022-04-30", "劳动节", "劳动节调休"}},
		{"both lists across years", "2022:\n  workdays:\n    - {name: 补班, days: \"2022-12-31\"}\n" +
			"2023:\n  holidays:\n    - {name: 元旦, days: \"2022-12-31..2023-01-02\"}\n",
			[]string{"2022-12-31", "元旦", "补班"}},
		{"workday on a weekday", "2022:\n  workdays:\n    - {name: 调休, days: \"2022-05-05\"}\n",
			[]string{"2022", "2022-05-05", "Thursday"}},
		{"date outside its year", "2022:\n  holidays:\n    - {name: 国庆节, days: \"2023-10-01..2023-10-07\"}\n",
			[]string{"2022", "国庆节", "2023-10-01..2023-10-07"}},
		{"reversed range", "2022:\n  holidays:\n    - {name: 国庆节, days: \"2022-10-07..2022-10-01\"}\n",
			[]string{"2022", "2022-10-07..2022-10-01", "ends before"}},
		{"range of a whole quarter", "2022:\n  holidays:\n    - {name: 暑假, days: \"2022-07-01..2022-09-30\"}\n",
			[]string{"2022", "暑假", "longer than"}},
		{"entry without days", "2022:\n  holidays:\n    - {name: 元旦}\n", []string{"2022", "元旦", "no days"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal, err := LoadCalendar(strings.NewReader(tt.yaml))
			if err == nil {
				t.Fatalf("LoadCalendar accepted the file: %v", cal.Years())
			}
			for _, frag := range tt.want {
				if !strings.Contains(err.Error(), frag) {
					t.Errorf("error %q does not mention %q", err, frag)
				}
			}
		})
	}
}

func TestLoadCalendarReadsListsAndRanges(t *testing.T) {
	cal, err := LoadCalendar(strings.NewReader(`
2027:
  holidays:
    - {name: 国庆节, days: "2027-10-01..2027-10-07"}
    - {name: 元旦, days: "2026-12-31..2027-01-01, 2027-01-04"}
  workdays:
    - {name: 国庆节调休, days: "2027-09-26, 2027-10-09"}
`))
	if err != nil {
		t.Fatal(err)
	}
	if !cal.Covers(2027) || cal.Covers(2026) {
		t.Errorf("Years() = %v, want [2027]", cal.Years())
	}
	for date, want := range map[string]bool{
		"2026-12-31": false, "2027-01-01": false, "2027-01-04": false, "2027-01-05": true,
		"2027-09-26": true, "2027-10-07": false, "2027-10-09": true, "2027-10-10": false,
	} {
		if got := cal.IsWorkday(day(t, date)); got != want {
			t.Errorf("IsWorkday(%s) = %v, want %v", date, got, want)
		}
	}
}

func TestMergeReplacesWholeYearsAndAddsNewOnes(t *testing.T) {
	base := defaultCalendar(t)
	override, err := LoadCalendar(strings.NewReader(`
2022:
  holidays:
    - {name: 国庆节, days: "2022-10-01..2022-10-07"}
2027:
  holidays:
    - {name: 元旦, days: "2027-01-01"}
`))
	if err != nil {
		t.Fatal(err)
	}
	merged, err := base.Merge(override)
	if err != nil {
		t.Fatal(err)
	}
	if got := merged.Years(); len(got) != 6 || got[0] != 2022 || got[5] != 2027 {
		t.Errorf("Years() = %v, want 2022…2027", got)
	}
	for date, want := range map[string]bool{
		"2022-10-05": false, // still a holiday: restated in the override
		"2022-10-08": false, // the 调休 Saturday was not restated: an ordinary Saturday now
		"2022-05-02": true,  // 劳动节 dropped with the rest of the old 2022
		"2023-10-07": true,  // 2023 untouched
		"2027-01-01": false, // added
	} {
		if got := merged.IsWorkday(day(t, date)); got != want {
			t.Errorf("merged IsWorkday(%s) = %v, want %v", date, got, want)
		}
	}
	if !base.IsWorkday(day(t, "2022-10-08")) || base.IsWorkday(day(t, "2022-05-02")) {
		t.Error("Merge changed the receiver")
	}
}

func TestMergeRejectsConflictAcrossYears(t *testing.T) {
	override, err := LoadCalendar(strings.NewReader(`
2022:
  workdays:
    - {name: 补班, days: "2022-12-31"}
`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = defaultCalendar(t).Merge(override)
	if err == nil || !strings.Contains(err.Error(), "2022-12-31") {
		t.Fatalf("Merge error = %v, want one naming 2022-12-31", err)
	}
}
