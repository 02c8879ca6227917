package bot_test

import (
	"context"
	"strings"
	"testing"

	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/seeds"
)

// requireEvidence reloads the plan with 市测试办's 增长率 set to
// evidence: required, as a plan file would.
func requireEvidence(t *testing.T, h *harness) {
	t.Helper()
	plan, err := seeds.Parse(seeds.Huzhou2022())
	if err != nil {
		t.Fatal(err)
	}
	dept := testDepartment()
	dept.Tasks[0].Metrics[1].Evidence = seeds.EvidenceRequired
	plan.Departments = append(plan.Departments, dept)
	if err := seeds.Load(context.Background(), h.st, plan); err != nil {
		t.Fatal(err)
	}
}

func sendFile(c interface {
	NewMessage() *tgmodels.Message
	SendUpdate(tgmodels.Update)
}, photo bool, id, name string) {
	m := c.NewMessage()
	if photo {
		m.Photo = []tgmodels.PhotoSize{{FileID: id, Width: 90, Height: 90}}
	} else {
		m.Document = &tgmodels.Document{FileID: id, FileName: name}
	}
	c.SendUpdate(tgmodels.Update{Message: m})
}

func evidenceRows(t *testing.T, h *harness) []models.TaskNote {
	t.Helper()
	var ns []models.TaskNote
	if err := h.st.DB().Where("file_id <> ''").Order("id").Find(&ns).Error; err != nil {
		t.Fatal(err)
	}
	return ns
}

// The whole review (issue 12 point 1): a metric that needs approved evidence
// is 待审核 and not green until a coordinator approves; /review lists what
// waits, oldest first; the file is sent again by its id; 退回 takes a reason
// that reaches the contact, who attaches again; 通过 makes the metric count.
func TestEvidenceReview(t *testing.T) {
	h := newHarness(t)
	requireEvidence(t, h)
	reportTestTask(t, h)
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("增长率")
	c.Send("9%")
	c.Tap("确认保存")
	c.Send("/mine")
	mustContain(t, c.LastText(), "🟡 增长率：9%（待审核）")

	// The task is complete: the bot asks for a note or evidence.
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("备注/佐证")
	sendFile(c, false, "doc-1", "验收报告.pdf")
	mustContain(t, c.LastText(), "佐证材料已保存")

	co := h.chat(coordinator)
	co.Send("/review")
	list := co.LastText()
	mustContain(t, list, "待审核佐证材料 1 份")
	mustContain(t, list, "#1 「市测试办」任务1 测试任务｜2022-05｜文件｜ID 2003")
	co.Tap("查看佐证 #1")
	sent := h.srv.Calls("sendDocument")
	if len(sent) == 0 || sent[len(sent)-1].Form.Get("document") != "doc-1" ||
		!strings.Contains(sent[len(sent)-1].Form.Get("caption"), "「市测试办」任务1") {
		t.Fatalf("the file was not sent again by its id: %+v", sent)
	}
	co.Tap("退回")
	mustContain(t, co.LastText(), "请回复退回佐证材料 #1 的理由")
	co.Send("文件不清晰，请上传盖章版")
	mustContain(t, co.LastText(), "已退回佐证材料 #1")
	if ns := evidenceRows(t, h); ns[0].Review != models.ReviewReturned || ns[0].ReturnReason != "文件不清晰，请上传盖章版" {
		t.Fatalf("stored %+v", ns[0])
	}
	msgs := outboxTo(t, h, tester)
	if len(msgs) != 1 || !strings.Contains(msgs[0], "被督查考核办退回") || !strings.Contains(msgs[0], "文件不清晰，请上传盖章版") {
		t.Fatalf("the contact is told %q", msgs)
	}
	c.Send("/mine")
	mustContain(t, c.LastText(), "增长率：9%（待审核）")

	// The contact attaches again; the coordinator approves.
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("备注/佐证")
	sendFile(c, true, "pic-2", "")
	co.Send("/review")
	mustContain(t, co.LastText(), "待审核佐证材料 1 份")
	mustContain(t, co.LastText(), "#2 「市测试办」任务1 测试任务｜2022-05｜图片")
	co.Tap("查看佐证 #2")
	if p := h.srv.Calls("sendPhoto"); len(p) == 0 || p[len(p)-1].Form.Get("photo") != "pic-2" {
		t.Fatalf("the picture was not sent again by its id")
	}
	co.Tap("通过")
	mustContain(t, h.lastToast(), "已通过佐证材料 #2")
	co.Send("/review")
	mustContain(t, co.LastText(), "目前没有待审核的佐证材料")
	c.Send("/mine")
	mustContain(t, c.LastText(), "🟢 增长率：9%")
	if strings.Contains(c.LastText(), "待审核") {
		t.Errorf("approved, still 待审核:\n%s", c.LastText())
	}
	if msgs := outboxTo(t, h, tester); len(msgs) != 2 || !strings.Contains(msgs[1], "审核通过") {
		t.Fatalf("the contact is told %q", msgs)
	}

	// The metric's history lists both, with their verdicts, in Chinese only.
	co.Send("/status 市测试办")
	co.Tap("测试任务")
	co.Tap("增长率")
	hist := co.LastText()
	mustContain(t, hist, "📎 #1 2022-05 佐证材料（文件 验收报告.pdf，已退回），退回理由：文件不清晰，请上传盖章版")
	mustContain(t, hist, "📎 #2 2022-05 佐证材料（图片，已通过）")
	for _, text := range append(co.Texts(), c.Texts()...) {
		if strings.Contains(strings.ToLower(text), "photo") || strings.Contains(strings.ToLower(text), "document") {
			t.Errorf("an English file kind reached a user: %q", text)
		}
	}
}

// A contact may not approve; a second decision changes nothing.
func TestEvidenceReviewIsTheCoordinators(t *testing.T) {
	h := newHarness(t)
	reportTestTask(t, h)
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("备注/佐证")
	sendFile(c, true, "pic-1", "")
	id := evidenceRows(t, h)[0].ID
	c.TapData("s:e:a:"+itoa(int(id)), 0)
	c.Send("/review")
	mustContain(t, c.LastText(), "仅限督查考核办")
	if ns := evidenceRows(t, h); ns[0].Review != models.ReviewPending {
		t.Fatalf("a contact's crafted press changed the review: %+v", ns[0])
	}
	co := h.chat(coordinator)
	co.TapData("s:e:a:"+itoa(int(id)), 0)
	co.TapData("s:e:r:"+itoa(int(id)), 0)
	mustContain(t, h.lastToast(), "已审核（已通过）")
	if ns := evidenceRows(t, h); ns[0].Review != models.ReviewApproved {
		t.Fatalf("review = %+v", ns[0])
	}
}
