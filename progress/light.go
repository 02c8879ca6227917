package progress

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Light is the traffic light (红黄绿灯) shown for a metric: how far it is behind
// the pace the year's target demands.
type Light int

// The lights. Grey is the zero value so that a metric nobody evaluated yet
// reads as "not reported" rather than as on pace.
const (
	Grey Light = iota
	Green
	Yellow
	Red
)

// String returns the light's stable English name, used in JSON and logs.
func (l Light) String() string {
	switch l {
	case Grey:
		return "grey"
	case Green:
		return "green"
	case Yellow:
		return "yellow"
	case Red:
		return "red"
	}
	return fmt.Sprintf("Light(%d)", int(l))
}

// Emoji returns the coloured circle that stands for the light in chat messages.
func (l Light) Emoji() string {
	switch l {
	case Green:
		return "🟢"
	case Yellow:
		return "🟡"
	case Red:
		return "🔴"
	}
	return "⚪"
}

// Severity orders lights worst first: Red 3, Yellow 2, Grey 1, Green 0.
// Grey sits between yellow and green because a missing report is worse than
// being on pace, yet it is a different problem from being behind (a late
// department, chased by /overdue and the reminder ladder), so it must not
// outrank a metric that is known to be behind.
func (l Light) Severity() int {
	switch l {
	case Red:
		return 3
	case Yellow:
		return 2
	case Grey:
		return 1
	}
	return 0
}

// ErrInvalidThresholds is wrapped by Thresholds.Validate.
var ErrInvalidThresholds = errors.New("invalid light thresholds")

// Thresholds are the gaps, in percentage points behind pace, at which a light
// turns yellow and red: gap < Yellow is green, Yellow ≤ gap ≤ Red is yellow,
// gap > Red is red. Both bounds belong to yellow, as the coordinators wrote
// "yellow 10–30 points behind".
type Thresholds struct {
	Yellow, Red float64
}

// DefaultThresholds returns the coordinators' thresholds: yellow from 10 points
// behind, red beyond 30.
func DefaultThresholds() Thresholds {
	return Thresholds{Yellow: 10, Red: 30}
}

// Validate reports whether 0 < Yellow < Red ≤ 100. A zero Yellow would make
// every metric that is a hair behind yellow, and gaps past 100 points cannot
// occur for cumulative metrics, so a larger Red would never fire.
func (t Thresholds) Validate() error {
	if !(t.Yellow > 0 && t.Yellow < t.Red && t.Red <= 100) {
		return fmt.Errorf("%w: want 0 < yellow < red <= 100, got yellow %v, red %v",
			ErrInvalidThresholds, t.Yellow, t.Red)
	}
	return nil
}

// classify turns a gap in points behind into a light.
func (t Thresholds) classify(gap float64) Light {
	switch {
	case gap < t.Yellow:
		return Green
	case gap <= t.Red:
		return Yellow
	}
	return Red
}

// Counts tallies the lights of several metrics, e.g. of one task or one
// department.
type Counts struct {
	Green, Yellow, Red, Grey int
}

// Add counts one more light. Unknown lights count as grey, since nothing
// trustworthy was reported for them.
func (c *Counts) Add(l Light) {
	switch l {
	case Green:
		c.Green++
	case Yellow:
		c.Yellow++
	case Red:
		c.Red++
	default:
		c.Grey++
	}
}

// Total returns the number of lights counted.
func (c Counts) Total() int {
	return c.Green + c.Yellow + c.Red + c.Grey
}

// Worst returns the most severe light counted, or Grey when nothing was
// counted (nothing to show is the same as nothing reported).
func (c Counts) Worst() Light {
	switch {
	case c.Red > 0:
		return Red
	case c.Yellow > 0:
		return Yellow
	case c.Grey > 0 || c.Total() == 0:
		return Grey
	}
	return Green
}

// OnPaceShare returns 序时达标率: the share of all metrics that are green,
// in [0,1]; 0 when there are none. An unreported metric counts as not on
// pace (it used to be left out, so a department with 3 of 8 metrics
// unreported could read 100 %).
func (c Counts) OnPaceShare() float64 {
	if c.Total() == 0 {
		return 0
	}
	return float64(c.Green) / float64(c.Total())
}

// SortWorstFirst sorts items in place, worst first: more red first, then more
// yellow, then more grey. The sort is stable, so items that tie keep their
// order (callers pass them in name or plan order). counts must be pure; it is
// called once per item.
func SortWorstFirst[T any](items []T, counts func(T) Counts) {
	type keyed struct {
		item T
		c    Counts
	}
	ks := make([]keyed, len(items))
	for i, it := range items {
		ks[i] = keyed{it, counts(it)}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int {
		if d := b.c.Red - a.c.Red; d != 0 {
			return d
		}
		if d := b.c.Yellow - a.c.Yellow; d != 0 {
			return d
		}
		return b.c.Grey - a.c.Grey
	})
	for i, k := range ks {
		items[i] = k.item
	}
}

// roundGap rounds a gap to a millionth of a point, so that a value typed in
// decimals that is exactly 10 points behind (computed as 9.999999999999998 in
// binary floating point) lands on the threshold it was meant to hit.
func roundGap(g float64) float64 {
	return math.Round(g*1e6) / 1e6
}
