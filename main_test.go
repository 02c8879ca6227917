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

	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/telegramtest"
)

func testEnv(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func runCmd(t *testing.T, vars map[string]string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, testEnv(vars), &out, &errOut)
	return out.String(), err
}

// duban seed && duban plan --json on an empty database prints the whole plan.
func TestSeedThenPlanJSON(t *testing.T) {
	vars := map[string]string{"DUBAN_DB": filepath.Join(t.TempDir(), "duban.db")}
	if _, err := runCmd(t, vars, "seed"); err != nil {
		t.Fatal(err)
	}
	if _, err := runCmd(t, vars, "seed"); err != nil {
		t.Fatal(err)
	}
	out, err := runCmd(t, vars, "plan", "--json", "--year", "2022")
	if err != nil {
		t.Fatal(err)
	}
	var plan struct {
		Year        int `json:"year"`
		Departments []struct {
			Name  string `json:"name"`
			Tasks []struct {
				Seq     int    `json:"seq"`
				Title   string `json:"title"`
				Text    string `json:"text"`
				Metrics []struct {
					Name, Kind, Direction, Unit string
					Target                      float64
				} `json:"metrics"`
			} `json:"tasks"`
		} `json:"departments"`
	}
	if err := json.Unmarshal([]byte(out), &plan); err != nil {
		t.Fatal(err)
	}
	tasks := 0
	for _, d := range plan.Departments {
		tasks += len(d.Tasks)
	}
	if plan.Year != 2022 || len(plan.Departments) != 14 || tasks != 69 {
		t.Fatalf("plan: year %d, %d departments, %d tasks; want 2022, 14, 69", plan.Year, len(plan.Departments), tasks)
	}
	m := plan.Departments[0].Tasks[1].Metrics[0]
	if plan.Departments[0].Name != "市科协" || m.Name != "新建市级院士专家工作站" || m.Target != 5 || m.Unit != "家" || m.Kind != "cumulative" {
		t.Errorf("first metric of 市科协 task 2 = %+v", m)
	}
}

func TestStatusJSONBeforeAnyReport(t *testing.T) {
	vars := map[string]string{"DUBAN_DB": filepath.Join(t.TempDir(), "duban.db")}
	if _, err := runCmd(t, vars, "seed"); err != nil {
		t.Fatal(err)
	}
	out, err := runCmd(t, vars, "status", "--json", "--dept", "市红十字会", "--at", "2022-05-20T10:00:00+08:00")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Period      string `json:"period"`
		Departments []struct {
			Tasks []struct {
				Metrics []map[string]any `json:"metrics"`
			} `json:"tasks"`
		} `json:"departments"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Period != "2022-05" || len(doc.Departments) != 1 {
		t.Fatalf("period %q, %d departments; want 2022-05, 1", doc.Period, len(doc.Departments))
	}
	m := doc.Departments[0].Tasks[0].Metrics[0]
	if v, ok := m["latest"]; !ok || v != nil || m["light"] != "grey" {
		t.Errorf("metric before any report = %v, want latest null and light grey", m)
	}
}

func TestContactAddAndInvite(t *testing.T) {
	vars := map[string]string{"DUBAN_DB": filepath.Join(t.TempDir(), "duban.db")}
	if _, err := runCmd(t, vars, "seed"); err != nil {
		t.Fatal(err)
	}
	out, err := runCmd(t, vars, "contact", "add", "--dept", "市科协", "--telegram-id", "42", "--name", "王芳")
	if err != nil || !strings.Contains(out, "contact 42 (王芳) is now main contact of 市科协") {
		t.Fatalf("contact add: %q, %v", out, err)
	}
	out, err = runCmd(t, vars, "invite", "--dept", "市文联")
	if err != nil || len(strings.Fields(out)) == 0 || len(strings.Fields(out)[0]) != 24 {
		t.Fatalf("invite: %q, %v", out, err)
	}
}

// Wrong usage and bad settings give one line naming the problem.
func TestUsageErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "duban.db")
	tests := []struct {
		name string
		vars map[string]string
		args []string
		want string
	}{
		{"unknown command", nil, []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"bad time zone", map[string]string{"DUBAN_TZ": "Mars/Olympus"}, []string{"plan"}, "DUBAN_TZ"},
		{"bad now", map[string]string{"DUBAN_NOW": "yesterday"}, []string{"plan"}, "DUBAN_NOW"},
		{"bad admins", map[string]string{"DUBAN_ADMINS": "12,abc"}, []string{"plan"}, "DUBAN_ADMINS"},
		{"bad group", map[string]string{"DUBAN_GROUP_CHAT": "group"}, []string{"plan"}, "DUBAN_GROUP_CHAT"},
		{"bad lights", map[string]string{"DUBAN_LIGHTS": "30,10"}, []string{"plan"}, "DUBAN_LIGHTS"},
		{"bad deadline", map[string]string{"DUBAN_DEADLINE": "32"}, []string{"plan"}, "DUBAN_DEADLINE"},
		{"bad ladder key", map[string]string{"DUBAN_LADDER": "green=2"}, []string{"plan"}, "DUBAN_LADDER"},
		{"bad ladder days", map[string]string{"DUBAN_LADDER": "blue=-1"}, []string{"plan"}, "working days"},
		{"ladder after deadline", map[string]string{"DUBAN_LADDER": "at=18:00"}, []string{"plan"}, "rung clock"},
		{"no token", nil, []string{"serve"}, "TELEGRAM_BOT_TOKEN"},
		{"unknown flag", nil, []string{"plan", "--xml"}, "plan"},
		{"contact without id", nil, []string{"contact", "add", "--dept", "市科协"}, "--telegram-id"},
		{"unknown department", nil, []string{"invite", "--dept", "市不存在局"}, "no department"},
		{"status bad time", nil, []string{"status", "--at", "noon"}, "--at"},
		{"digest send without group", nil, []string{"digest", "--send"}, "DUBAN_GROUP_CHAT"},
		{"remind bad time", nil, []string{"remind", "--at", "9am"}, "--at"},
		{"export without file", nil, []string{"export"}, "--out"},
		{"export to pdf", nil, []string{"export", "--out", "x.pdf"}, ".xlsx or .csv"},
		{"export unknown department", nil, []string{"export", "--out", "x.csv", "--dept", "市不存在局"}, "no department"},
	}
	if _, err := runCmd(t, map[string]string{"DUBAN_DB": db}, "seed"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			vars := map[string]string{"DUBAN_DB": db}
			for k, v := range tc.vars {
				vars[k] = v
			}
			_, err := runCmd(t, vars, tc.args...)
			if !isUsage(err) || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err = %v, want a one-line usage error naming %q", err, tc.want)
			}
		})
	}
}

// `duban serve` on an empty database seeds it, installs the menus, polls the
// (fake) Bot API and answers /start.
func TestServeAnswersStart(t *testing.T) {
	srv := telegramtest.NewServer(t)
	vars := map[string]string{
		"DUBAN_DB": filepath.Join(t.TempDir(), "duban.db"), "TELEGRAM_BOT_TOKEN": telegramtest.Token,
		"TELEGRAM_API_URL": srv.URL(), "DUBAN_ADMINS": "9001", "DUBAN_NOW": "2022-05-20T10:00:00+08:00",
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, testEnv(vars), &bytes.Buffer{}, &bytes.Buffer{}) }()
	wait, stop := context.WithTimeout(context.Background(), 30*time.Second)
	defer stop()
	if err := srv.WaitPolling(wait); err != nil {
		t.Fatal(err)
	}
	srv.Push(tgmodels.Update{Message: &tgmodels.Message{ID: 1, Text: "/start",
		From: &tgmodels.User{ID: 9001, FirstName: "督查"}, Chat: tgmodels.Chat{ID: 9001, Type: tgmodels.ChatTypePrivate},
		Entities: []tgmodels.MessageEntity{{Type: tgmodels.MessageEntityTypeBotCommand, Length: 6}}}})
	call, err := srv.WaitFor(wait, func(c telegramtest.Call) bool { return c.Method == "sendMessage" })
	if err != nil {
		t.Fatal(err)
	}
	// 9001 is in DUBAN_ADMINS: a coordinator's /start says what to do first.
	if !strings.Contains(call.Form.Get("text"), "/invite 市科协") || call.Form.Get("chat_id") != "9001" {
		t.Errorf("answer to /start = %v", call.Form)
	}
	if len(srv.Commands("all_private_chats")) == 0 {
		t.Error("no command menu installed")
	}
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("serve returned %v", err)
	}
}
