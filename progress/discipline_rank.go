package progress

import (
	"cmp"
	"slices"
)

// RankedDiscipline is a department's place in the year's reporting ranking.
type RankedDiscipline struct {
	Place int // 1-based; departments with equal records share a place
	DepartmentDiscipline
	StandingCounts
}

// RankDiscipline ranks departments by their reporting record over the year
// so far, best first: fewest periods missed, then fewest late, then most on
// time; equal records share a place (1, 2, 2, 4) and keep d's order.
func RankDiscipline(d Discipline) []RankedDiscipline {
	out := make([]RankedDiscipline, len(d.Departments))
	for i, dept := range d.Departments {
		out[i] = RankedDiscipline{DepartmentDiscipline: dept, StandingCounts: dept.Counts()}
	}
	slices.SortStableFunc(out, func(a, b RankedDiscipline) int { return compareRecords(a.StandingCounts, b.StandingCounts) })
	for i := range out {
		out[i].Place = i + 1
		if i > 0 && compareRecords(out[i-1].StandingCounts, out[i].StandingCounts) == 0 {
			out[i].Place = out[i-1].Place
		}
	}
	return out
}

func compareRecords(a, b StandingCounts) int {
	return cmp.Or(cmp.Compare(a.Missed, b.Missed), cmp.Compare(a.Late, b.Late), cmp.Compare(b.OnTime, a.OnTime))
}
