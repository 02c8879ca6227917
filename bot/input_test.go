package bot_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/telegramtest"
)

// Users of the input scenarios, bound to departments with the metrics they need.
const (
	fagai int64 = 2101 // 市发展改革委: "城乡居民收入倍差全省排名", a rank, target 前3名
)

// openMetric starts /report for user and opens a metric of a task.
func openMetric(t *testing.T, h *harness, user int64, task, metric string) *telegramtest.Chat {
	t.Helper()
	c := h.chat(user)
	c.Send("/report")
	c.Tap(task)
	c.Tap(metric)
	return c
}

func hasButton(buttons []string, label string) bool {
	for _, b := range buttons {
		if strings.Contains(b, label) {
			return true
		}
	}
	return false
}

// What a contact types for a value gets the right answer: read and read back
// faithfully, confirmed twice when it looks wrong, or refused with a message
// that says what is expected — and a refused value stores nothing.
func TestValuesAreReadOrRefusedByKind(t *testing.T) {
	type metric struct {
		user       int64
		task, name string
	}
	var (
		trained = metric{tester, "测试任务", "培训人数"}             // cumulative, 万人, target 2
		growth  = metric{tester, "测试任务", "增长率"}              // rate, %, target 8.5
		centers = metric{kexie, "南太湖智汇", "新建市级院士专家工作站"}      // cumulative, 家, target 5
		rank    = metric{fagai, "全力打造幸福新湖州", "城乡居民收入倍差全省排名"} // rank, 名, target 3
	)
	tests := []struct {
		name   string
		m      metric
		input  string
		reply  string // what the answer must say
		warned bool   // a second confirmation (⚠️ 仍然保存) is asked
		stored *float64
	}{
		{"rank far behind the target is confirmed twice", rank, "第1000名", "⚠️ 第1000名远落后于目标（前3名）", true, ptr(1000)},
		{"rank 50 for 前3名 is confirmed twice", rank, "第50名", "远落后于目标", true, ptr(50)},
		{"plausible rank needs one confirmation", rank, "第5名", "「城乡居民收入倍差全省排名」= 第5名", false, ptr(5)},
		{"rank in Chinese", rank, "第三名", "= 第3名", false, ptr(3)},
		{"absurd rank is refused", rank, "1000000000000000", "超出合理范围", false, nil},
		{"rank just above the cap is refused", rank, "第10001名", "超出合理范围", false, nil},
		{"fractional rank is refused", rank, "3.5", "排名应为正整数", false, nil},
		{"minus sign U+2212", growth, "−2.1%", "= -2.1%", false, ptr(-2.1)},
		{"en dash from autocorrect", growth, "–2.1%", "= -2.1%", false, ptr(-2.1)},
		{"full-width minus", growth, "－2.1%", "= -2.1%", false, ptr(-2.1)},
		{"spoken fall", growth, "下降百分之二点一", "= -2.1%", false, ptr(-2.1)},
		{"absurd rate is refused", growth, "-2000000000000%", "超出合理范围", false, nil},
		{"minus on a count is refused", centers, "−3家", "不能为负数", false, nil},
		{"第3 on a count is refused", centers, "第3", "该指标不是排名", false, nil},
		{"第3名 on people is refused", trained, "第3名", "该指标不是排名", false, nil},
		{"tiny value reads back as typed", trained, "0.00001", "= 0.00001万人", false, ptr(0.00001)},
		{"precise value in 万 reads back as typed", trained, "12345.67人", "= 1.234567万人", false, ptr(1.234567)},
		{"Chinese numerals", centers, "十二家", "= 12家", false, ptr(12)},
		{"Chinese numerals with 万", trained, "一万二", "= 1.2万人", false, ptr(1.2)},
		{"Chinese numerals, 两", centers, "两家", "= 2家", false, ptr(2)},
		{"Chinese hedge is refused", centers, "十几家", "没能识别「十几家」", false, nil},
		{"wrong count word names the unit", centers, "12个", "该指标的单位是「家」。例如：2家", false, nil},
		{"absurd count is refused", centers, "2000000000000", "超出合理范围", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.addContact(fagai, "市发展改革委")
			c := openMetric(t, h, tt.m.user, tt.m.task, tt.m.name)
			c.Send(tt.input)
			mustContain(t, c.LastText(), tt.reply)
			if n := h.allReports(); n != 0 {
				t.Fatalf("%d reports stored before any confirmation", n)
			}
			if got := hasButton(c.Buttons(), "仍然保存"); got != tt.warned {
				t.Fatalf("second confirmation asked = %v, want %v; buttons %q", got, tt.warned, c.Buttons())
			}
			if tt.stored == nil {
				if hasButton(c.Buttons(), "保存") {
					t.Fatalf("a refused value can be saved: %q", c.Buttons())
				}
				return
			}
			c.Tap("保存")
			got := h.reports(tt.m.name)
			if len(got) != 1 || got[0].Value != *tt.stored || got[0].Raw != tt.input {
				t.Fatalf("stored %+v, want one report of %v typed as %q", got, *tt.stored, tt.input)
			}
			mustContain(t, c.LastText(), "✅ 已保存")
		})
	}
}

func ptr(v float64) *float64 { return &v }

// assertEveryCallAccepted fails when the fake Bot API refused any call (it
// enforces Telegram's 4096 characters, 200 for toasts, 64 bytes of data).
func assertEveryCallAccepted(t *testing.T, h *harness) {
	t.Helper()
	for _, c := range h.srv.Calls("") {
		if c.Status != http.StatusOK {
			t.Errorf("%s refused: %d %s", c.Method, c.Status, c.Description)
		}
	}
}

// Users control names, arguments, values and notes. However long, and with
// whatever control characters, every reply that quotes them still fits in a
// Telegram message and reaches the user.
func TestLongUserTextStillGetsAnAnswer(t *testing.T) {
	h := newHarness(t)
	huge := strings.Repeat("长", 5000)
	hostile := "张\u202e三\n\t王" + huge // a bidi override, a newline, a tab

	token := newInvite(t, h, "市贸促会")
	newcomer := h.chat(3101)
	m := newcomer.NewMessage()
	m.From.FirstName, m.From.LastName = hostile, huge
	m.Text = "/start " + token
	m.Entities = []tgmodels.MessageEntity{{Type: tgmodels.MessageEntityTypeBotCommand, Length: len("/start")}}
	newcomer.SendUpdate(tgmodels.Update{Message: m})
	mustContain(t, newcomer.LastText(), "您已成为「市贸促会」的联络员")
	c, err := h.st.ContactByTelegramID(context.Background(), 3101)
	if err != nil {
		t.Fatal(err)
	}
	if n := len([]rune(c.Name)); n > 64 || strings.ContainsAny(c.Name, "\u202e\n\t") {
		t.Errorf("stored name has %d characters or control characters: %.40q…", n, c.Name)
	}
	newcomer.Send("/whoami")
	mustContain(t, newcomer.LastText(), "您是 张 三 王长长")

	co := h.chat(coordinator)
	co.Send("/status " + huge)
	mustContain(t, co.LastText(), "找不到部门「长长")
	co.Send("/invite " + hostile)
	mustContain(t, co.LastText(), "找不到部门「张 三 王")
	if strings.Contains(co.LastText(), "\u202e") {
		t.Errorf("a bidi override was echoed: %q", co.LastText())
	}

	// A value, then a note, both far too long; the history shows the note.
	r := openMetric(t, h, tester, "测试任务", "培训人数")
	r.Send(hostile)
	mustContain(t, r.LastText(), "没能识别")
	r.Send("1万人")
	r.Tap("确认保存") // the dialog asks for 增长率, then 建成测试平台
	r.Send("8%")
	r.Tap("确认保存")
	r.Tap("推进中")
	r.Tap("确认保存")
	r.Send(hostile)
	mustContain(t, r.LastText(), "备注已保存")
	co.Send("/status 市测试办")
	co.Tap("测试任务")
	co.Tap("培训人数")
	mustContain(t, co.LastText(), "备注：张 三 王长长")
	assertEveryCallAccepted(t, h)
}
