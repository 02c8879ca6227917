package draft_test

import (
	"math"
	"sort"
	"testing"
	"unicode"

	"github.com/duban-bot/duban/draft"
	"github.com/duban-bot/duban/seeds"
)

// The 2022 plan is the test bed: its 69 task texts, drafted without the
// metrics a person wrote for them, against those metrics.
//
// A seed metric is matched by a drafted metric of the same task with the
// same kind, direction, target and unit whose name is similar (character
// overlap, Dice ≥ minNameSimilarity); each drafted metric matches at most
// one. The share is matched seed metrics / all seed metrics. Raise the
// thresholds as the reader improves; never lower them to make a change pass.
const (
	minNameSimilarity = 0.4
	minMatchedShare   = 0.92
	minPrecision      = 0.89
)

func TestDraftMatchesSeedPlan(t *testing.T) {
	p, err := seeds.Parse(seeds.Huzhou2022())
	if err != nil {
		t.Fatal(err)
	}
	var seedN, draftN, matched, loose int
	for _, d := range p.Departments {
		for _, task := range d.Tasks {
			got, notes := draft.Metrics(task.Text)
			for _, n := range notes {
				if n.Metric == "" && n.Warning == "" {
					t.Errorf("%s %d: a note with neither metric nor warning: %v", d.Name, task.Seq, n)
				}
			}
			m, unmatched, extra := match(task.Metrics, got, minNameSimilarity)
			l, _, _ := match(task.Metrics, got, 0)
			seedN += len(task.Metrics)
			draftN += len(got)
			matched += m
			loose += l
			for _, s := range unmatched {
				t.Logf("%s %d missed: %s %s %v %s %s", d.Name, task.Seq, s.Kind, s.Direction, s.Target, s.Unit, s.Name)
			}
			for _, x := range extra {
				t.Logf("%s %d extra:  %s %s %v %s %s", d.Name, task.Seq, x.Kind, x.Direction, x.Target, x.Unit, x.Name)
			}
		}
	}
	share := float64(matched) / float64(seedN)
	precision := float64(matched) / float64(draftN)
	t.Logf("drafted %d metrics for %d seed metrics: %d matched with names (share %.1f %%, precision %.1f %%), %d ignoring names (%.1f %%)",
		draftN, seedN, matched, share*100, precision*100, loose, float64(loose)/float64(seedN)*100)
	if share < minMatchedShare || precision < minPrecision {
		t.Errorf("share %.3f (want ≥ %.2f), precision %.3f (want ≥ %.2f)", share, minMatchedShare, precision, minPrecision)
	}
}

// match pairs seed metrics with drafted ones, most similar names first, and
// returns how many paired, the seed metrics left and the drafted ones left.
func match(want, got []seeds.Metric, minSim float64) (int, []seeds.Metric, []seeds.Metric) {
	type pair struct {
		w, g int
		sim  float64
	}
	var pairs []pair
	for i, w := range want {
		for j, g := range got {
			if s := similarity(w.Name, g.Name); sameTarget(w, g) && s >= minSim {
				pairs = append(pairs, pair{i, j, s})
			}
		}
	}
	sort.SliceStable(pairs, func(a, b int) bool { return pairs[a].sim > pairs[b].sim })
	wUsed, gUsed := make([]bool, len(want)), make([]bool, len(got))
	n := 0
	for _, p := range pairs {
		if !wUsed[p.w] && !gUsed[p.g] {
			wUsed[p.w], gUsed[p.g] = true, true
			n++
		}
	}
	var missed, extra []seeds.Metric
	for i, w := range want {
		if !wUsed[i] {
			missed = append(missed, w)
		}
	}
	for j, g := range got {
		if !gUsed[j] {
			extra = append(extra, g)
		}
	}
	return n, missed, extra
}

func sameTarget(a, b seeds.Metric) bool {
	return a.Kind == b.Kind && a.Direction == b.Direction && a.Unit == b.Unit && math.Abs(a.Target-b.Target) < 1e-9
}

// similarity is the Dice coefficient of the names' characters (letters and
// digits only, as multisets): 1 for the same name, 0 for nothing in common.
func similarity(a, b string) float64 {
	count := func(s string) (map[rune]int, int) {
		m, n := map[rune]int{}, 0
		for _, r := range s {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				m[r]++
				n++
			}
		}
		return m, n
	}
	ma, na := count(a)
	mb, nb := count(b)
	if na+nb == 0 {
		return 1
	}
	common := 0
	for r, k := range ma {
		common += min(k, mb[r])
	}
	return 2 * float64(common) / float64(na+nb)
}
