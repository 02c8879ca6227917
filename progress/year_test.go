package progress_test

import (
	"context"
	"testing"
	"time"

	"github.com/duban-bot/duban/progress"
)

type years []int

func (y years) PlanYears(context.Context) ([]int, error) { return y, nil }

// The active year is the one that contains the instant in the plan's time
// zone; a year asked for is read as it ended (past) or began (future).
func TestChoosePlanYear(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	newYearsEve := time.Date(2022, 12, 31, 17, 0, 0, 0, time.UTC) // 2023-01-01 01:00 in Shanghai
	cases := []struct {
		name        string
		at          time.Time
		want        int
		year, today int
		loaded, act bool
		readAt      time.Time
	}{
		{"2026 with only 2022 and 2023", time.Date(2026, 12, 1, 9, 0, 0, 0, shanghai), 0, 2026, 2026, false, false,
			time.Date(2026, 12, 1, 9, 0, 0, 0, shanghai)},
		{"UTC's New Year's Eve is 2023 in Shanghai", newYearsEve, 0, 2023, 2023, true, true, newYearsEve},
		{"2022 asked for in 2026: its last instant", time.Date(2026, 12, 1, 9, 0, 0, 0, shanghai), 2022, 2022, 2026, true, false,
			time.Date(2023, 1, 1, 0, 0, 0, 0, shanghai).Add(-time.Nanosecond)},
		{"2023 asked for in 2022: its first instant", time.Date(2022, 12, 1, 9, 0, 0, 0, shanghai), 2023, 2023, 2022, true, false,
			time.Date(2023, 1, 1, 0, 0, 0, 0, shanghai)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			y, err := progress.ChoosePlanYear(context.Background(), years{2022, 2023}, tc.at, shanghai, tc.want)
			if err != nil {
				t.Fatal(err)
			}
			if y.Year != tc.year || y.Today != tc.today || y.Loaded != tc.loaded || y.Active() != tc.act {
				t.Errorf("got %+v active %v; want year %d today %d loaded %v active %v", y, y.Active(), tc.year, tc.today, tc.loaded, tc.act)
			}
			if got := y.ReadAt(tc.at, shanghai); !got.Equal(tc.readAt) {
				t.Errorf("ReadAt = %v, want %v", got, tc.readAt)
			}
		})
	}
}
