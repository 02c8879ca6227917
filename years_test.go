package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/seeds"
	"github.com/duban-bot/duban/telegramtest"
)

// loadAs loads the embedded 2022 plan again as another year, as an office
// loading next year's targets would.
func loadAs(t *testing.T, db string, year int) *models.Store {
	t.Helper()
	st, err := models.Open(db, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p, err := seeds.Parse(seeds.Huzhou2022())
	if err != nil {
		t.Fatal(err)
	}
	p.Year = year
	if err := seeds.Load(context.Background(), st, p); err != nil {
		t.Fatal(err)
	}
	return st
}

func outboxCount(t *testing.T, db string) int {
	t.Helper()
	st, err := models.Open(db, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.OutboxMessages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(rows)
}

// The product's clock on the morning of November 2026's blue rung, with
// only the 2022 plan: nobody is reminded, no digest is queued, and status
// says plainly which year is missing and which years exist. The same
// morning with a 2026 plan loaded does remind: the quiet is the missing
// plan's doing.
func TestNoPlanForTodaysYearFromTheCommandLine(t *testing.T) {
	db := filepath.Join(t.TempDir(), "duban.db")
	vars := map[string]string{"DUBAN_DB": db, "DUBAN_GROUP_CHAT": "-100200", "DUBAN_NOW": "2026-11-18T09:30:00+08:00"}
	for _, args := range [][]string{{"seed"}, {"contact", "add", "--dept", "市科协", "--telegram-id", "42"}} {
		if _, err := runCmd(t, vars, args...); err != nil {
			t.Fatal(err)
		}
	}
	out, err := runCmd(t, vars, "remind")
	if err != nil || !strings.Contains(out, "0 notices queued") {
		t.Fatalf("remind: %q, %v; want 0 notices queued", out, err)
	}
	if _, err := runCmd(t, vars, "digest", "--send", "--at", "2026-11-16T09:30:00+08:00"); err != nil {
		t.Fatal(err)
	}
	if n := outboxCount(t, db); n != 0 {
		t.Fatalf("outbox holds %d messages after remind and digest --send; want none", n)
	}
	out, err = runCmd(t, vars, "status")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"尚未导入2026年的计划", "已有计划的年份：2022", "duban status --year 2022", "duban import FILE --year 2026"} {
		mustHave(t, out, want)
	}
	if strings.Contains(out, "节假日数据") {
		t.Errorf("2026 has holiday data, yet status says: %q", out)
	}
	out, err = runCmd(t, map[string]string{"DUBAN_DB": db, "DUBAN_NOW": "2027-01-05T09:00:00+08:00"}, "status")
	if err != nil || !strings.HasPrefix(out, "⚠️ 缺少2027年的节假日数据") || !strings.Contains(out, "尚未导入2027年的计划") {
		t.Errorf("status in 2027: %q, %v; want the holiday notice first, then the missing plan", out, err)
	}
	out, err = runCmd(t, vars, "status", "--json")
	var doc struct {
		Year        int   `json:"year"`
		Active      *bool `json:"active"`
		Years       []int `json:"years"`
		Departments []any `json:"departments"`
	}
	if err != nil || json.Unmarshal([]byte(out), &doc) != nil {
		t.Fatalf("status --json: %q, %v", out, err)
	}
	if doc.Year != 2026 || doc.Active == nil || *doc.Active || len(doc.Years) != 1 || doc.Years[0] != 2022 || len(doc.Departments) != 0 {
		t.Errorf("status --json = %s; want year 2026, active false, years [2022], no departments", out)
	}
	for _, cmd := range [][]string{{"plan"}, {"export", "--out", filepath.Join(t.TempDir(), "x.csv")}} {
		_, err := runCmd(t, vars, cmd...)
		if !isUsage(err) || !strings.Contains(err.Error(), "no plan for 2026") || !strings.Contains(err.Error(), "--year 2022") {
			t.Errorf("%s: %v; want a usage error naming 2026 and --year 2022", cmd[0], err)
		}
	}

	loadAs(t, db, 2026)
	out, err = runCmd(t, vars, "remind")
	if err != nil || !strings.Contains(out, "1 notices queued") {
		t.Fatalf("remind with a 2026 plan: %q, %v; want the blue rung for 市科协", out, err)
	}
}

// Two years side by side: 2023 is the 2022 plan loaded again. A value filed
// for 2022 stays with 2022; status of each year reads its own plan.
func TestTwoYearsSideBySide(t *testing.T) {
	db := filepath.Join(t.TempDir(), "duban.db")
	vars := map[string]string{"DUBAN_DB": db, "DUBAN_NOW": "2023-06-01T10:00:00+08:00"}
	if _, err := runCmd(t, vars, "seed"); err != nil {
		t.Fatal(err)
	}
	st := loadAs(t, db, 2023)
	ctx := context.Background()
	plan22, _ := st.Plan(ctx, 2022)
	m22 := plan22[0].Tasks[1].Metrics[0] // 市科协 task 2: 新建市级院士专家工作站, 5 家
	if err := st.SaveReport(ctx, &models.Report{MetricID: m22.ID, Period: "2022-11", Value: 4, ReporterID: 42}); err != nil {
		t.Fatal(err)
	}
	type metric struct {
		Name   string   `json:"name"`
		Latest *float64 `json:"latest"`
		Period *string  `json:"period"`
	}
	type doc struct {
		Year        int     `json:"year"`
		Active      bool    `json:"active"`
		Period      string  `json:"period"`
		YearShare   float64 `json:"year_share"`
		Departments []struct {
			Tasks []struct {
				Metrics []metric `json:"metrics"`
			} `json:"tasks"`
		} `json:"departments"`
	}
	read := func(args ...string) doc {
		t.Helper()
		out, err := runCmd(t, vars, append([]string{"status", "--json", "--dept", "市科协"}, args...)...)
		var d doc
		if err != nil || json.Unmarshal([]byte(out), &d) != nil || len(d.Departments) != 1 {
			t.Fatalf("status %v: %q, %v", args, out, err)
		}
		return d
	}
	d22, d23, active := read("--year", "2022"), read("--year", "2023"), read()
	first22, first23 := d22.Departments[0].Tasks[1].Metrics[0], d23.Departments[0].Tasks[1].Metrics[0]
	if d22.Year != 2022 || d22.Active || d22.Period != "2022-12" || d22.YearShare != 1 || first22.Latest == nil || *first22.Latest != 4 {
		t.Errorf("--year 2022: year %d active %v period %s share %v, %s = %v; want 2022 as it ended with the value 4",
			d22.Year, d22.Active, d22.Period, d22.YearShare, first22.Name, first22.Latest)
	}
	if d23.Year != 2023 || !d23.Active || d23.Period != "2023-06" || first23.Latest != nil {
		t.Errorf("--year 2023: year %d active %v period %s, %s = %v; want 2023 today with nothing reported",
			d23.Year, d23.Active, d23.Period, first23.Name, first23.Latest)
	}
	if active.Year != 2023 || !active.Active {
		t.Errorf("without --year: year %d active %v; want the active year 2023", active.Year, active.Active)
	}
	for year, want := range map[string]int{"2022": 2022, "2023": 2023} {
		out, err := runCmd(t, vars, "plan", "--json", "--year", year)
		var p seeds.Plan
		if err != nil || json.Unmarshal([]byte(out), &p) != nil || p.Year != want || len(p.Departments) != 14 {
			t.Errorf("plan --year %s: year %d, %d departments, %v", year, p.Year, len(p.Departments), err)
		}
	}
	if _, err := runCmd(t, vars, "status", "--year", "22"); !isUsage(err) || !strings.Contains(err.Error(), "four-digit") {
		t.Errorf("status --year 22: %v; want a usage error", err)
	}
}

// serve in a year the holiday file does not cover, and without a plan for
// it, says both at start-up.
func TestServeWarnsAboutAnUncoveredYear(t *testing.T) {
	cases := []struct {
		now  string
		want []string
		not  []string
	}{
		{"2027-01-05T10:00:00+08:00", []string{"no holiday data for the active year", "year=2027", "DUBAN_HOLIDAYS", "no plan for the active year"}, nil},
		{"2022-05-20T10:00:00+08:00", nil, []string{"no holiday data", "no plan for the active year"}},
	}
	for _, tc := range cases {
		t.Run(tc.now[:4], func(t *testing.T) {
			srv := telegramtest.NewServer(t)
			vars := map[string]string{
				"DUBAN_DB": filepath.Join(t.TempDir(), "duban.db"), "TELEGRAM_BOT_TOKEN": telegramtest.Token,
				"TELEGRAM_API_URL": srv.URL(), "DUBAN_NOW": tc.now, "DUBAN_LOG_FORMAT": "text",
			}
			var stderr bytes.Buffer
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- run(ctx, []string{"serve"}, testEnv(vars), &bytes.Buffer{}, &stderr) }()
			wait, stop := context.WithTimeout(context.Background(), 30*time.Second)
			defer stop()
			if err := srv.WaitPolling(wait); err != nil {
				t.Fatal(err)
			}
			cancel()
			if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
				t.Fatalf("serve returned %v", err)
			}
			log := stderr.String()
			for _, w := range tc.want {
				mustHave(t, log, w)
			}
			for _, w := range tc.not {
				if strings.Contains(log, w) {
					t.Errorf("log has %q:\n%s", w, log)
				}
			}
		})
	}
}
