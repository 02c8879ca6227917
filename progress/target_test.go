package progress_test

import (
	"errors"
	"math"
	"testing"

	"github.com/duban-bot/duban/progress"
)

func TestCheckTarget(t *testing.T) {
	count := progress.Metric{Kind: progress.KindCumulative, Direction: progress.AtLeast, Target: 5}
	cases := []struct {
		name string
		m    progress.Metric
		v    float64
		want error
	}{
		{"raise a count", count, 6, nil},
		{"the same target", count, 5, progress.ErrTargetSame},
		{"a count of zero", count, 0, progress.ErrTargetRange},
		{"a cap of zero accidents", progress.Metric{Kind: progress.KindCumulative, Direction: progress.AtMost, Target: 1}, 0, nil},
		{"negative growth", progress.Metric{Kind: progress.KindRate, Direction: progress.AtLeast, Target: 2}, -1.5, progress.ErrTargetRange},
		{"growth of zero", progress.Metric{Kind: progress.KindRate, Direction: progress.AtLeast, Target: 2}, 0, progress.ErrTargetRange},
		{"growth held at zero", progress.Metric{Kind: progress.KindRate, Direction: progress.AtMost, Target: 2}, 0, nil},
		{"a lower growth", progress.Metric{Kind: progress.KindRate, Direction: progress.AtLeast, Target: 8.5}, 6, nil},
		{"rank 2.5", progress.Metric{Kind: progress.KindRank, Direction: progress.AtMost, Target: 3}, 2.5, progress.ErrTargetRank},
		{"rank 0", progress.Metric{Kind: progress.KindRank, Direction: progress.AtMost, Target: 3}, 0, progress.ErrTargetRank},
		{"a milestone", progress.Metric{Kind: progress.KindMilestone, Target: 1}, 1, progress.ErrTargetMilestone},
		{"NaN", count, math.NaN(), progress.ErrTargetRange},
	}
	for _, tc := range cases {
		if err := progress.CheckTarget(tc.m, tc.v); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
}
