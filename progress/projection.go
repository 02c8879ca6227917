package progress

// project returns where the metric ends the year at the current rate and
// whether that meets the target. A cumulative total is extrapolated linearly
// from the year share (on 1 January there is nothing to extrapolate from, so
// the latest value stands); rates, ranks and milestones are assumed to stay
// where they are.
func project(m Metric, v, share float64) (float64, bool) {
	p := v
	if m.Kind == KindCumulative && share > 0 {
		p = v / share
	}
	if m.Kind == KindMilestone {
		return p, p >= MilestoneDone
	}
	return p, gapToTarget(m, p) <= 0
}

// monthlyNeeded returns, for a cumulative at-least metric, the amount still
// to achieve per remaining month: (target-latest)/((1-share)×12). At least one
// month is assumed while the year runs, so the last weeks do not ask for an
// absurd monthly amount; 0 when the target is met or the year is over (nothing
// can be planned any more). Caps, rates, ranks and milestones have no monthly
// amount.
func monthlyNeeded(m Metric, v, share float64) float64 {
	if m.Kind != KindCumulative || m.atMost() || share >= 1 {
		return 0
	}
	remaining := m.Target - v
	if remaining <= 0 {
		return 0
	}
	months := max(1, (1-share)*12)
	return remaining / months
}
