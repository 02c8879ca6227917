package bot_test

import (
	"context"
	"testing"

	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/models"
)

// Issue 11, point 1: the dialog's screens take a department's values from
// a cache while the count of its reports (read with each update's arrival)
// stands. A value filed meanwhile, by a deputy in this process or by
// another replica or the CLI on the same database, must show on the very
// next screen: the read-back announces the correction, and the save
// supersedes the value actually current.
func TestValueFiledMeanwhileShowsOnTheNextScreen(t *testing.T) {
	const deputy = 7777
	for _, tc := range []struct {
		name string
		file func(h *harness)
	}{
		{"a deputy in the same dialog flow", func(h *harness) {
			d := h.chat(deputy)
			d.Send("/report")
			d.Tap("测试任务")
			d.Tap("培训人数")
			d.Send("1.7")
			d.Tap("确认保存")
		}},
		{"another process on the same database", func(h *harness) {
			other, err := models.Open(h.db, models.Options{Now: h.clk.Now})
			if err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			id := metricID(t, h, "培训人数")
			if err := other.SaveReport(context.Background(), &models.Report{MetricID: id, Period: "2022-05", Value: 1.7, ReporterID: deputy}); err != nil {
				t.Fatal(err)
			}
		}},
		{"a bulk insert on the same database", func(h *harness) {
			id := metricID(t, h, "培训人数")
			if err := h.st.InsertReports(context.Background(), []models.Report{{MetricID: id, Period: "2022-05", Value: 1.7, ReporterID: deputy}}); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.addContact(deputy, "市测试办")
			c := h.chat(tester)
			c.Send("/report")
			c.Tap("测试任务")
			mustContain(t, lineAfter(c.LastText(), "培训人数\n"), "未填报") // cached from here on
			c.Tap("培训人数")

			tc.file(h)

			c.Send("1.9")
			mustContain(t, c.LastText(), "本期已填报 1.7万人，确认后将更正为新值")
			c.Tap("确认保存")
			mustContain(t, c.LastText(), "✅ 已更正「培训人数」：1.7万人 → 1.9万人")
			hist := h.reports("培训人数")
			if len(hist) != 2 || hist[0].Value != 1.7 || hist[0].SupersededAt == nil || hist[1].Value != 1.9 {
				t.Fatalf("history = %+v, want 1.7 superseded by 1.9", hist)
			}
			c.Tap("返回")
			mustContain(t, lineAfter(c.LastText(), "培训人数\n"), "最新 1.9万人（2022-05）")
		})
	}
}

// The handled mark of a dialog's update lives in the chat's dialog row,
// which outlives the dialog: an update delivered again after the dialog
// ended is still dropped, and does not open a new dialog.
func TestUpdateDeliveredAgainAfterTheDialogEndedIsDropped(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	report := c.NewMessage()
	report.Text = "/report"
	report.Entities = []tgmodels.MessageEntity{{Type: tgmodels.MessageEntityTypeBotCommand, Length: 7}}
	c.SendUpdate(tgmodels.Update{ID: 700, Message: report})
	c.Send("/cancel")
	if _, err := h.st.Dialog(context.Background(), tester); err == nil {
		t.Fatal("the dialog is still open after /cancel")
	}
	sent := len(h.srv.Calls("sendMessage"))
	c.SendUpdate(tgmodels.Update{ID: 700, Message: report})
	if n := len(h.srv.Calls("sendMessage")) - sent; n != 0 {
		t.Errorf("the /report delivered again sent %d messages, want none", n)
	}
	if _, err := h.st.Dialog(context.Background(), tester); err == nil {
		t.Error("the /report delivered again opened a dialog")
	}
}
