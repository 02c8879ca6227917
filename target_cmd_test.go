package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `duban target` changes 市科协 task 2's 院士专家工作站 from 5 to 6 家 with a
// reason; status --json shows 6 with the earlier 5. Bad input changes
// nothing and says what was wrong.
func TestTargetFromTheCommandLine(t *testing.T) {
	vars := map[string]string{"DUBAN_DB": filepath.Join(t.TempDir(), "duban.db"), "DUBAN_NOW": "2022-06-01T10:00:00+08:00"}
	if _, err := runCmd(t, vars, "seed"); err != nil {
		t.Fatal(err)
	}
	base := []string{"target", "--dept", "市科协", "--task", "2", "--metric", "新建市级院士专家工作站"}
	bad := []struct {
		name string
		args []string
		want string
	}{
		{"no reason", []string{"--value", "6"}, "--reason"},
		{"not a number", []string{"--value", "六七", "--reason", "调增"}, "not a number"},
		{"zero", []string{"--value", "0", "--reason", "调增"}, "above 0"},
		{"the same", []string{"--value", "5家", "--reason", "调增"}, "equals"},
		{"unknown metric", []string{"--metric", "不存在", "--value", "6", "--reason", "调增"}, "has no metric"},
		{"a year without a plan", []string{"--year", "2023", "--value", "6", "--reason", "调增"}, "no plan for 2023"},
	}
	for _, tc := range bad {
		_, err := runCmd(t, vars, append(append([]string{}, base...), tc.args...)...)
		if !isUsage(err) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v; want a usage error naming %q", tc.name, err, tc.want)
		}
	}
	if m := firstKexieMetric(t, vars); m.Target != 5 || m.PriorTarget != nil {
		t.Fatalf("after refused changes: %+v; want 5, unchanged", m)
	}
	out, err := runCmd(t, vars, append(base, "--value", "6家", "--reason", "省科协下达任务调增")...)
	if err != nil || !strings.Contains(out, "target 5家 → 6家") {
		t.Fatalf("target: %q, %v", out, err)
	}
	if m := firstKexieMetric(t, vars); m.Target != 6 || m.PriorTarget == nil || *m.PriorTarget != 5 {
		t.Errorf("status --json after the change: %+v; want target 6, prior_target 5", m)
	}
	file := filepath.Join(t.TempDir(), "kexie.csv")
	if _, err := runCmd(t, vars, "export", "--dept", "市科协", "--out", file); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, file)
	header, found := rows[0], 0
	for _, row := range rows[1:] {
		if row[2] == "新建市级院士专家工作站" {
			found++
			if row[4] != "6" || row[len(row)-1] != "5" || header[len(header)-1] != "调整前目标" {
				t.Errorf("export row %q under %q; want target 6 and 调整前目标 5", row, header)
			}
		}
	}
	if found != 1 {
		t.Errorf("export has %d rows for the metric, want 1", found)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\ufeff"))).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("csv: %d rows, %v", len(rows), err)
	}
	return rows
}

type jsonMetric struct {
	Name        string   `json:"name"`
	Target      float64  `json:"target"`
	PriorTarget *float64 `json:"prior_target"`
}

func firstKexieMetric(t *testing.T, vars map[string]string) jsonMetric {
	t.Helper()
	out, err := runCmd(t, vars, "status", "--json", "--dept", "市科协")
	var doc struct {
		Departments []struct {
			Tasks []struct {
				Metrics []jsonMetric `json:"metrics"`
			} `json:"tasks"`
		} `json:"departments"`
	}
	if err != nil || json.Unmarshal([]byte(out), &doc) != nil {
		t.Fatalf("status --json: %v", err)
	}
	return doc.Departments[0].Tasks[1].Metrics[0]
}
