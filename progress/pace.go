// Package progress holds the pure rules that judge a department's reported
// values against the year's targets: the share of the plan year elapsed
// (序时进度), the gap to pace, the traffic light, and the projection to the
// year's end. It takes values and returns values; the clock and the store are
// the caller's business.
package progress

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Kind says what a metric's reported value is.
type Kind string

// The metric kinds, as DESIGN.md "Metrics and pace" lists them.
const (
	KindCumulative Kind = "cumulative" // a year-to-date total: 5 家, 200 亿元
	KindRate       Kind = "rate"       // a level or rate that must hold now: 增长 8.5 %, 倍差 ≤ 1.64
	KindRank       Kind = "rank"       // a ranking, smaller is better: 全省前 3
	KindMilestone  Kind = "milestone"  // not started / in progress / done
)

// Direction says which side of the target is good.
type Direction string

// The directions. An empty Direction means AtLeast, the common case.
const (
	AtLeast Direction = "at_least"
	AtMost  Direction = "at_most"
)

// Milestone values are stored as numbers so that every metric has one value
// column.
const (
	MilestoneNotStarted = 0.0 // 未启动
	MilestoneInProgress = 0.5 // 推进中
	MilestoneDone       = 1.0 // 已完成
)

// ErrInvalidMetric is wrapped by Metric.Validate.
var ErrInvalidMetric = errors.New("invalid metric")

// Metric is what Evaluate needs to know about a tracked target. Target is
// positive (1 for milestones), or 0 for an at-most cumulative or rate metric:
// a zero-incident goal such as 不发生较大森林火灾 (at most 0 起).
type Metric struct {
	Kind      Kind
	Direction Direction
	Target    float64
}

// Validate reports whether Evaluate can judge the metric: a known kind, a
// finite positive target (1 for milestones; 0 allowed for an at-most
// cumulative or rate), and a direction that fits the kind (a rank is always
// at most; an at-least rank is a seed mistake).
func (m Metric) Validate() error {
	if !(m.Target > 0 || m.zeroCap()) || math.IsInf(m.Target, 1) {
		return fmt.Errorf("%w: target %v is not a positive number", ErrInvalidMetric, m.Target)
	}
	switch m.Kind {
	case KindCumulative, KindRate:
		if m.Direction != "" && m.Direction != AtLeast && m.Direction != AtMost {
			return fmt.Errorf("%w: unknown direction %q", ErrInvalidMetric, m.Direction)
		}
	case KindRank:
		if m.Direction != "" && m.Direction != AtMost {
			return fmt.Errorf("%w: a rank is always %s, got %q", ErrInvalidMetric, AtMost, m.Direction)
		}
	case KindMilestone:
		if m.Target != MilestoneDone {
			return fmt.Errorf("%w: a milestone's target is %v, got %v", ErrInvalidMetric, MilestoneDone, m.Target)
		}
	default:
		return fmt.Errorf("%w: unknown kind %q", ErrInvalidMetric, m.Kind)
	}
	return nil
}

// atMost reports whether smaller values are better. Ranks always are.
func (m Metric) atMost() bool {
	return m.Kind == KindRank || m.Direction == AtMost
}

// zeroCap reports whether the metric is an at-most-0 goal (不发生…事故, growth
// held at or below 0): a cumulative or rate metric, at most, target 0. Such a
// target has no size to measure a shortfall against, so it is met or missed
// in full.
func (m Metric) zeroCap() bool {
	return m.Target == 0 && m.Direction == AtMost && (m.Kind == KindCumulative || m.Kind == KindRate)
}

// YearShare returns 序时进度: the share of the plan year elapsed at `at`, in
// [0,1]. The plan year runs from 1 January 00:00 to the next 1 January 00:00
// in loc (UTC when loc is nil); before it the share is 0, from its end on 1.
// The share is a ratio of exact durations, so a leap year's extra day counts
// and an instant given in any zone is placed correctly.
func YearShare(year int, at time.Time, loc *time.Location) float64 {
	if loc == nil {
		loc = time.UTC
	}
	start := time.Date(year, time.January, 1, 0, 0, 0, 0, loc)
	end := time.Date(year+1, time.January, 1, 0, 0, 0, 0, loc)
	switch {
	case at.Before(start):
		return 0
	case !at.Before(end):
		return 1
	}
	return float64(at.Sub(start)) / float64(end.Sub(start))
}

// Evaluation is the verdict on one metric's latest value at one instant.
type Evaluation struct {
	// Reported is false when there is no value yet; every other field is then
	// zero and Light is Grey.
	Reported bool
	// Progress is the share of the target achieved; it may exceed 1.
	// Cumulative and rate at least: latest/target. At most (rates, ranks,
	// caps): target/latest, capped at 1 because staying under a cap does not
	// over-achieve it, and 1 when latest ≤ 0. Milestone: the value.
	Progress float64
	// Pace is the share expected by now: the year share for cumulative at
	// least and milestones; 1 for rates, ranks and cumulative caps, which must
	// hold at every moment.
	Pace float64
	// Gap is how many percentage points the metric is behind (positive) or
	// ahead (negative). Cumulative at least and milestones: (Pace-Progress)×100.
	// Rates, ranks and caps: the distance from the target in points of the
	// target, (target-latest)/target×100 at least, (latest-target)/target×100
	// at most; ≤ 0 when met. An at-most-0 goal (不发生…): 0 while latest ≤ 0,
	// 100 once exceeded. Rounded to a millionth of a point.
	Gap float64
	// Light is the traffic light; see Evaluate for the rules.
	Light Light
	// Projection is where the year ends at the current rate: latest/share for
	// cumulative metrics (latest on 1 January), the latest value otherwise.
	Projection float64
	// ProjectionMeets reports whether Projection meets the target, on the
	// target's side (a finished milestone for milestones).
	ProjectionMeets bool
	// MonthlyNeeded is, for cumulative at-least metrics only, the amount still
	// to achieve per remaining month; 0 when met or once the year has ended.
	MonthlyNeeded float64
}

// Evaluate judges a metric's latest value (nil: nothing reported) at year
// share `share` (see YearShare; clamped to [0,1]). Thresholds must be valid.
//
// The light:
//   - Not reported: grey.
//   - Cumulative at least: by the gap behind the year share, with th. On
//     1 January (share 0) any reported value is green: nothing can be behind
//     yet. After the year end the gap is simply the shortfall, (1-progress)×100.
//   - Cumulative at most (a cap on an amount, 新增 … 控制在 X 以内): green while
//     latest ≤ target, red once exceeded. A cumulative total never comes back
//     down, so an exceeded cap has failed for the year however small the
//     excess; the early warning is ProjectionMeets turning false.
//   - Rate/level and rank: green only when the target is met now (gap ≤ 0);
//     a miss is never green, see levelLight.
//   - At most 0 (不发生…事故 as a count, growth held at or below 0): green
//     while latest ≤ 0, red once exceeded, cumulative or rate alike.
//   - Milestone: see milestoneLight; the gap is informative only.
//
// A metric of unknown kind cannot be judged: it is Reported but grey.
func Evaluate(m Metric, latest *float64, share float64, th Thresholds) Evaluation {
	if latest == nil {
		return Evaluation{Light: Grey}
	}
	share = clampShare(share)
	v := *latest
	var e Evaluation
	switch m.Kind {
	case KindCumulative:
		e = evaluateCumulative(m, v, share, th)
	case KindRate, KindRank:
		e = evaluateLevel(m, v, th)
	case KindMilestone:
		e = evaluateMilestone(v, share)
	default:
		return Evaluation{Reported: true, Light: Grey}
	}
	e.Reported = true
	e.Projection, e.ProjectionMeets = project(m, v, share)
	e.MonthlyNeeded = monthlyNeeded(m, v, share)
	return e
}

func evaluateCumulative(m Metric, v, share float64, th Thresholds) Evaluation {
	if m.atMost() {
		gap := gapToTarget(m, v)
		light := Green
		if gap > 0 {
			light = Red
		}
		return Evaluation{Progress: capShare(m.Target, v), Pace: 1, Gap: gap, Light: light}
	}
	progress := v / m.Target
	gap := roundGap((share - progress) * 100)
	light := th.classify(gap)
	if share == 0 {
		light = Green
	}
	return Evaluation{Progress: progress, Pace: share, Gap: gap, Light: light}
}

func evaluateLevel(m Metric, v float64, th Thresholds) Evaluation {
	gap := gapToTarget(m, v)
	e := Evaluation{Progress: v / m.Target, Pace: 1, Gap: gap, Light: levelLight(m, v, gap, th)}
	if m.atMost() {
		e.Progress = capShare(m.Target, v)
	}
	return e
}

// levelLight is the honest light of a rate, level or rank: green only when the
// target is met now. A miss is yellow within the yellow band and red beyond:
// rates and levels by the shortfall in points of the target (up to th.Red,
// 30 by default: 7.7 % against 8.5 % is yellow, 倍差 2.2 against ≤ 1.64 red);
// ranks by places behind, up to th.Red % of the target place but at least one
// place (第2名 against 第一 and 第4名 against 前三 are yellow, 第5名 against 前三
// red). An at-most-0 goal missed is red.
func levelLight(m Metric, v, gap float64, th Thresholds) Light {
	switch {
	case gap <= 0:
		return Green
	case m.zeroCap():
		return Red
	case m.Kind == KindRank:
		band := max(1, math.Floor(m.Target*th.Red/100+1e-9))
		if v-m.Target <= band {
			return Yellow
		}
		return Red
	case gap <= th.Red:
		return Yellow
	}
	return Red
}

// zeroCapMissed is the gap of an at-most-0 goal that was exceeded: the whole
// target missed, whatever the excess.
const zeroCapMissed = 100

// gapToTarget is how far v is from meeting the target, in points of the
// target: positive when short of it, ≤ 0 when met. An at-most-0 goal is 0
// while v ≤ 0 and zeroCapMissed once exceeded (there is no target to divide by).
func gapToTarget(m Metric, v float64) float64 {
	if m.zeroCap() {
		if v <= 0 {
			return 0
		}
		return zeroCapMissed
	}
	if m.atMost() {
		return roundGap((v - m.Target) / m.Target * 100)
	}
	return roundGap((m.Target - v) / m.Target * 100)
}

// capShare is the progress of an at-most metric: target/latest, at most 1;
// 1 while latest ≤ 0 (so an at-most-0 goal is 1 while kept, 0 once missed).
func capShare(target, v float64) float64 {
	if v <= 0 {
		return 1
	}
	return min(1, target/v)
}

func clampShare(share float64) float64 {
	if math.IsNaN(share) {
		return 0
	}
	return min(1, max(0, share))
}

// Calendar quarter starts as shares of a common (365-day) year: 1 April,
// 1 July, 1 October. Evaluate sees only the share, not the year, so in a leap
// year these boundaries fall before midnight of the quarter's first day (Q4 at
// about 18:00 on 30 September, Q2 about 18 hours early), which errs on the
// side of warning early.
const (
	q2Start = 90.0 / 365
	q4Start = 273.0 / 365
)

// shareEpsilon absorbs rounding in YearShare (a millionth of a second of a
// year), so that midnight on 1 October is in Q4.
const shareEpsilon = 1e-12

func evaluateMilestone(v, share float64) Evaluation {
	gap := max(roundGap((share-v)*100), -100)
	return Evaluation{Progress: v, Pace: share, Gap: gap, Light: milestoneLight(v, share)}
}

// milestoneLight: a milestone is due by the year's end, so its light follows
// the calendar rather than a proportional gap.
//   - Done: green.
//   - In progress: green until the last quarter, yellow in Q4 (it may still
//     finish), red once the year has ended unfinished.
//   - Not started: green in Q1, yellow in Q2 and Q3, red from Q4 on (a project
//     not started by October will not be done by December).
//
// A value between the three states counts as in progress.
func milestoneLight(v, share float64) Light {
	inQ4 := share >= q4Start-shareEpsilon
	switch {
	case v >= MilestoneDone:
		return Green
	case v > MilestoneNotStarted:
		if share >= 1 {
			return Red
		}
		if inQ4 {
			return Yellow
		}
		return Green
	case inQ4:
		return Red
	case share >= q2Start-shareEpsilon:
		return Yellow
	}
	return Green
}
