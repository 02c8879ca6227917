package progress

import (
	"errors"
	"math"
)

// Why a new target is refused (see CheckTarget).
var (
	ErrTargetMilestone = errors.New("a milestone's target is being done; it cannot be changed")
	ErrTargetRank      = errors.New("a rank target is a whole number from 1")
	ErrTargetRange     = errors.New("the target must be above 0 (at least 0 for an at-most cap)")
	ErrTargetSame      = errors.New("the new target equals the current one")
)

// CheckTarget says whether v may replace m's target in a mid-year change.
// The rules are Validate's: above 0, or 0 for an at-most cap; a rate
// below 0 would be judged upside down (latest ÷ target).
func CheckTarget(m Metric, v float64) error {
	switch {
	case m.Kind == KindMilestone:
		return ErrTargetMilestone
	case math.IsNaN(v) || math.IsInf(v, 0):
		return ErrTargetRange
	case m.Kind == KindRank && (v < 1 || v != math.Trunc(v)):
		return ErrTargetRank
	case (m.Kind == KindCumulative || m.Kind == KindRate) && (v < 0 || v == 0 && m.Direction != AtMost):
		return ErrTargetRange
	case v == m.Target:
		return ErrTargetSame
	}
	return nil
}
