package bot_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/plangen"
)

// renderYear fills the plan with a generated January–May and returns every
// screen a coordinator and a contact can reach: the overview, each
// department, task and metric drill-down, /overdue, /help, /mine, the
// reminders and the digest, and read-backs of every kind of the test task.
func renderYear(t *testing.T) []string {
	t.Helper()
	h := newHarness(t)
	ctx := context.Background()
	if _, err := plangen.Fill(ctx, h.st, plangen.History{Periods: 4, Seed: 5, Schedule: h.set.Schedule}); err != nil {
		t.Fatal(err)
	}
	s := newScheduler(t, h)
	tickAt(t, h, s, at(5, 18, 9))
	co := h.chat(coordinator)
	co.Send("/status")
	co.Send("/overdue")
	co.Send("/help")
	co.Send("/mine")
	plan, err := h.st.Plan(ctx, 2022)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range plan {
		co.Send("/status " + d.Name)
		for _, tk := range d.Tasks {
			co.TapData("s:t:"+strconv.Itoa(int(tk.ID)), 0)
			for _, m := range tk.Metrics {
				co.TapData("s:m:"+strconv.Itoa(int(m.ID)), 0)
			}
		}
	}
	texts := append([]string(nil), co.Texts()...)
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("培训人数")
	c.Send("0.37万人")
	texts = append(texts, c.LastText()) // read-backs are edited in place: keep each
	c.Tap("返回")
	c.Tap("增长率")
	c.Send("8.1%")
	texts = append(texts, c.LastText())
	c.Tap("返回")
	c.Tap("建成测试平台")
	c.Tap("推进中")
	texts = append(texts, c.LastText()+"\n"+strings.Join(c.Buttons(), " "))
	c.Send("/cancel")
	c.Send("/mine")
	c.Send("/status 市财政局")
	c.Send("/help")
	texts = append(texts, c.Texts()...)
	var out []models.Outbox
	if err := h.st.DB().Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	for _, o := range out {
		texts = append(texts, o.Text)
	}
	digest, _, err := s.Digest(ctx, at(5, 23, 9), false)
	if err != nil {
		t.Fatal(err)
	}
	return append(texts, digest...)
}

// One vocabulary everywhere (issue 12 point 5): every screen of a generated
// year is checked for the words and numbers the office does not use.
func TestVocabularyEverywhere(t *testing.T) {
	texts := renderYear(t)
	if len(texts) < 100 {
		t.Fatalf("only %d screens rendered", len(texts))
	}
	banned := []string{"达序", "待报", " 缺 ", "尚缺 ", "photo", "document", "序时进度 100%", "里程碑状态"}
	manyDecimals := regexp.MustCompile(`约 ?-?[\d,]+\.\d{3,}|还需 ?-?[\d,]+\.\d{3,}`)
	levelLine := regexp.MustCompile(`第\d+名，目标|%，目标`)
	countFigure := regexp.MustCompile(`(约|还需) ?[\d,]+\.\d+[家个项起次座所件台户场]`)
	for _, text := range texts {
		for _, w := range banned {
			if strings.Contains(text, w) {
				t.Errorf("%q appears in:\n%s", w, text)
			}
		}
		for _, line := range strings.Split(text, "\n") {
			if manyDecimals.MatchString(line) {
				t.Errorf("a computed figure with more than two decimals: %s", line)
			}
			if levelLine.MatchString(line) && strings.Contains(line, "落后序时") {
				t.Errorf("a rank or rate measured against 序时: %s", line)
			}
			if countFigure.MatchString(line) {
				t.Errorf("a computed count with decimals: %s", line)
			}
			if strings.Contains(line, "每月还需 0家") || strings.Contains(line, "每月还需 0个") {
				t.Errorf("a count still needed rounded down to nothing: %s", line)
			}
		}
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{"序时达标率", "已报 ", "，目标前", "，目标≥8.5%，差0.4个百分点", "联络员只能查看本部门进度，无法查看「市财政局」",
		"节点状态：推进中", "✏️ 重新选择"} {
		if !strings.Contains(all, want) {
			t.Errorf("no screen says %q", want)
		}
	}
}
