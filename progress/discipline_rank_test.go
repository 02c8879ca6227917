package progress

import "testing"

func TestRankDisciplineBestFirstWithSharedPlaces(t *testing.T) {
	dept := func(name string, s ...Standing) DepartmentDiscipline {
		d := DepartmentDiscipline{Name: name}
		for _, st := range s {
			d.Periods = append(d.Periods, PeriodStanding{Standing: st})
		}
		return d
	}
	d := Discipline{Departments: []DepartmentDiscipline{
		dept("市民政局", OnTime, Missed, OnTime),
		dept("市科协", OnTime, OnTime, OnTime),
		dept("市文联", OnTime, Late, OnTime),
		dept("市财政局", OnTime, OnTime, OnTime),
		dept("市统计局", Late, Late, Pending),
	}}
	want := []struct {
		name  string
		place int
	}{{"市科协", 1}, {"市财政局", 1}, {"市文联", 3}, {"市统计局", 4}, {"市民政局", 5}}
	got := RankDiscipline(d)
	for i, w := range want {
		if got[i].Name != w.name || got[i].Place != w.place {
			t.Errorf("#%d = %s place %d, want %s place %d", i+1, got[i].Name, got[i].Place, w.name, w.place)
		}
	}
}
