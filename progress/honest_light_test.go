package progress

import "testing"

// TestHonestLightsAtBoundaries walks every kind across its light boundaries
// (issue 12 point 4): a rate, level or rank that misses its target is never
// green; cumulative metrics keep their pace bands.
func TestHonestLightsAtBoundaries(t *testing.T) {
	growth := Metric{Kind: KindRate, Direction: AtLeast, Target: 8.5}    // GDP增长 ≥ 8.5%
	ratio := Metric{Kind: KindRate, Direction: AtMost, Target: 1.64}     // 城乡居民收入倍差 ≤ 1.64
	first := Metric{Kind: KindRank, Target: 1}                           // 全省第一
	top3 := Metric{Kind: KindRank, Target: 3}                            // 全省前三
	top10 := Metric{Kind: KindRank, Target: 10}                          // 全国前十
	firms := Metric{Kind: KindCumulative, Target: 100}                   // 新增 100 家
	capped := Metric{Kind: KindCumulative, Direction: AtMost, Target: 5} // 控制在 5 起以内
	noFire := Metric{Kind: KindCumulative, Direction: AtMost, Target: 0} // 不发生较大火灾
	ms := Metric{Kind: KindMilestone, Target: 1}
	tests := []struct {
		name   string
		m      Metric
		latest float64
		share  float64
		want   Light
	}{
		{"rate: 8.5% meets ≥8.5%", growth, 8.5, 0.5, Green},
		{"rate: 8.6% beats ≥8.5%", growth, 8.6, 0.5, Green},
		{"rate: 8.49% misses ≥8.5% by a hair", growth, 8.49, 0.5, Yellow},
		{"rate: 7.7% against ≥8.5% (was green)", growth, 7.7, 0.5, Yellow},
		{"rate: 5.95% is exactly 30 points short", growth, 5.95, 0.5, Yellow},
		{"rate: 5.9% is beyond the band", growth, 5.9, 0.5, Red},
		{"level at most: 倍差 1.64 meets ≤1.64", ratio, 1.64, 0.5, Green},
		{"level at most: 倍差 1.65 misses", ratio, 1.65, 0.5, Yellow},
		{"level at most: 倍差 1.80 (was green)", ratio, 1.80, 0.5, Yellow},
		{"level at most: 倍差 2.132 is 30 points over", ratio, 2.132, 0.5, Yellow},
		{"level at most: 倍差 2.14 is red", ratio, 2.14, 0.5, Red},
		{"rank: 第1名 meets 第一", first, 1, 0.5, Green},
		{"rank: 第2名 against 第一 (was red)", first, 2, 0.5, Yellow},
		{"rank: 第3名 against 第一", first, 3, 0.5, Red},
		{"rank: 第3名 meets 前三", top3, 3, 0.5, Green},
		{"rank: 第4名 against 前三", top3, 4, 0.5, Yellow},
		{"rank: 第5名 against 前三", top3, 5, 0.5, Red},
		{"rank: 第13名 against 前十", top10, 13, 0.5, Yellow},
		{"rank: 第14名 against 前十", top10, 14, 0.5, Red},
		{"cumulative: 41 of 100 at half year (9 points behind)", firms, 41, 0.5, Green},
		{"cumulative: 40 of 100 at half year (10 points)", firms, 40, 0.5, Yellow},
		{"cumulative: 20 of 100 at half year (30 points)", firms, 20, 0.5, Yellow},
		{"cumulative: 19 of 100 at half year", firms, 19, 0.5, Red},
		{"cap: 5 起 within ≤5", capped, 5, 0.5, Green},
		{"cap: 6 起 over ≤5", capped, 6, 0.5, Red},
		{"zero goal: 0 起", noFire, 0, 0.5, Green},
		{"zero goal: 1 起", noFire, 1, 0.5, Red},
		{"milestone: 推进中 in Q2", ms, MilestoneInProgress, 0.4, Green},
		{"milestone: 推进中 in Q4", ms, MilestoneInProgress, 0.8, Yellow},
		{"milestone: 未启动 in Q4", ms, MilestoneNotStarted, 0.8, Red},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Evaluate(tt.m, ptr(tt.latest), tt.share, DefaultThresholds())
			if e.Light != tt.want {
				t.Errorf("light %v (gap %v), want %v", e.Light, e.Gap, tt.want)
			}
			if (tt.m.Kind == KindRate || tt.m.Kind == KindRank) && e.Light == Green && e.Gap > 0 {
				t.Errorf("green although the target is missed by %v points", e.Gap)
			}
		})
	}
}
