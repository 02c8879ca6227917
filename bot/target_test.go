package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/duban-bot/duban/models"
)

// testMetric is 市测试办's metric of that name as the store holds it now.
func (h *harness) testMetric(name string) models.Metric {
	h.t.Helper()
	plan, err := h.st.Plan(context.Background(), 2022)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, d := range plan {
		for _, t := range d.Tasks {
			for _, m := range t.Metrics {
				if d.Name == "市测试办" && m.Name == name {
					return m
				}
			}
		}
	}
	h.t.Fatalf("no metric %s", name)
	return models.Metric{}
}

// A coordinator raises 培训人数 from 2 to 3 万人 mid-year: typing mistakes
// are answered and change nothing, the change is stored with who, when and
// why, and /status and the metric's history show the new and the earlier
// target.
func TestCoordinatorChangesATarget(t *testing.T) {
	h := newHarness(t)
	reportTestTask(t, h)
	c := h.chat(coordinator)
	c.Send("/target")
	c.Tap("市测试办")
	c.Tap("1. 测试任务")
	if strings.Contains(strings.Join(c.Buttons(), " "), "建成测试平台") {
		t.Errorf("a milestone is offered for a target change: %q", c.Buttons())
	}
	c.Tap("培训人数")
	mustContain(t, c.LastText(), "当前目标 ≥2万人")
	steps := []struct{ typed, want string }{
		{"很多", "没能识别"},
		{"2万人", "新目标与当前目标相同"},
		{"3万人", "请输入调整理由"},
		{"好", "请写明调整理由"},
	}
	for _, s := range steps {
		c.Send(s.typed)
		mustContain(t, c.LastText(), s.want)
		if m := h.testMetric("培训人数"); m.Target != 2 {
			t.Fatalf("after %q the target is %v; want 2 until confirmed", s.typed, m.Target)
		}
	}
	c.Send("市政府常务会议决定调增")
	mustContain(t, c.LastText(), "≥2万人 → ≥3万人")
	mustContain(t, c.LastText(), "理由：市政府常务会议决定调增")
	c.Tap("确认调整")
	mustContain(t, c.LastText(), "已调整目标")
	m := h.testMetric("培训人数")
	if m.Target != 3 || m.PriorTarget == nil || *m.PriorTarget != 2 {
		t.Fatalf("stored: target %v, prior %v; want 3 and 2", m.Target, m.PriorTarget)
	}
	changes, err := h.st.TargetChanges(context.Background(), m.ID)
	if err != nil || len(changes) != 1 || changes[0].ChangedBy != coordinator || changes[0].Reason != "市政府常务会议决定调增" {
		t.Fatalf("recorded changes = %+v, %v", changes, err)
	}
	c.Send("/status 市测试办")
	mustContain(t, c.LastText(), "培训人数：0.5万人 / ≥3万人（原≥2万人）")
	c.Tap("测试任务")
	c.Tap("培训人数")
	mustContain(t, c.LastText(), "目标 ≥2万人 → ≥3万人")
	mustContain(t, c.LastText(), "市政府常务会议决定调增")
}

// Contacts cannot change targets, and a button of an abandoned /target
// screen changes nothing.
func TestTargetIsForCoordinatorsOnly(t *testing.T) {
	h := newHarness(t)
	contact := h.chat(tester)
	contact.Send("/target")
	mustContain(t, contact.LastText(), "仅限督查考核办")
	c := h.chat(coordinator)
	c.Send("/target")
	c.Tap("市测试办")
	c.Send("/report") // a new dialog: the /target screen is stale now
	c.TapData("g:2:t:1", 0)
	if m := h.testMetric("培训人数"); m.Target != 2 {
		t.Errorf("target after a stale press: %v", m.Target)
	}
}

// A /target press is checked against the buttons of the screen shown last,
// as in the report dialog: a crafted press for a department, at the step
// that offers metrics, changes nothing.
func TestCraftedTargetButtonIsRefused(t *testing.T) {
	h := newHarness(t)
	c := h.chat(coordinator)
	c.Send("/target")
	c.Tap("市测试办")
	c.Tap("1. 测试任务")
	before, err := h.st.Dialog(context.Background(), coordinator)
	if err != nil {
		t.Fatal(err)
	}
	kexie, err := h.st.DepartmentByName(context.Background(), "市科协")
	if err != nil {
		t.Fatal(err)
	}
	c.TapData(fmt.Sprintf("g:%d:d:%d", before.Version, kexie.ID), before.MessageID)
	after, err := h.st.Dialog(context.Background(), coordinator)
	if err != nil {
		t.Fatal(err)
	}
	if after.State != before.State || after.Version != before.Version {
		t.Fatalf("a crafted press moved the /target dialog: %s → %s", before.State, after.State)
	}
	c.Tap("培训人数") // the screen's own buttons still work
	mustContain(t, c.LastText(), "当前目标 ≥2万人")
}
