package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/duban-bot/duban/models"
)

// TestZeroGoalsInStatusAndExport: the seeded 不发生…事故 goals (at most 0 起)
// go through status --json and the export like any metric: a department that
// reports 0 is green with progress 1, one fire is red with the whole target
// missed, and no figure is NaN or infinite (JSON would refuse to encode it).
func TestZeroGoalsInStatusAndExport(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"DUBAN_DB": filepath.Join(dir, "duban.db")}
	if _, err := runCmd(t, vars, "seed"); err != nil {
		t.Fatal(err)
	}
	report(t, vars["DUBAN_DB"], map[string]float64{"较大及以上森林火灾": 1, "地质灾害系统责任亡人事故": 0})
	out, err := runCmd(t, vars, "status", "--json", "--dept", "市自然资源和规划局", "--at", "2022-05-20T10:00:00+08:00")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Departments []struct {
			Tasks []struct {
				Metrics []struct {
					Name     string   `json:"name"`
					Light    string   `json:"light"`
					Progress *float64 `json:"progress"`
					Gap      *float64 `json:"gap"`
				} `json:"metrics"`
			} `json:"tasks"`
		} `json:"departments"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		light         string
		progress, gap float64
	}{"较大及以上森林火灾": {"red", 0, 100}, "地质灾害系统责任亡人事故": {"green", 1, 0}}
	seen := 0
	for _, tk := range doc.Departments[0].Tasks {
		for _, m := range tk.Metrics {
			w, ok := want[m.Name]
			if !ok {
				continue
			}
			seen++
			if m.Light != w.light || m.Progress == nil || *m.Progress != w.progress || m.Gap == nil || *m.Gap != w.gap {
				t.Errorf("%s: light %s progress %v gap %v, want %s %v %v", m.Name, m.Light, m.Progress, m.Gap, w.light, w.progress, w.gap)
			}
		}
	}
	if seen != 2 {
		t.Fatalf("found %d of the 2 zero goals in status --json", seen)
	}
	if _, err := runCmd(t, vars, "export", "--out", filepath.Join(dir, "x.xlsx"), "--at", "2022-05-20T10:00:00+08:00"); err != nil {
		t.Errorf("export with zero goals: %v", err)
	}
}

// report files values for the named metrics of the seeded plan, period 2022-04.
func report(t *testing.T, db string, values map[string]float64) {
	t.Helper()
	ctx := context.Background()
	st, err := models.Open(db, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	depts, err := st.Plan(ctx, 2022)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range depts {
		for _, tk := range d.Tasks {
			for _, m := range tk.Metrics {
				if v, ok := values[m.Name]; ok {
					if err := st.SaveReport(ctx, &models.Report{MetricID: m.ID, Period: "2022-04", Value: v, ReporterID: 7}); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
}
