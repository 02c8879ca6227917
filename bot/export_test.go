package bot_test

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/duban-bot/duban/export"
	"github.com/duban-bot/duban/telegramtest"
)

// lastUpload returns the single file of the chat's last sendDocument or
// sendPhoto and its name.
func lastUpload(t *testing.T, h *harness, chat int64, method string) (string, []byte, telegramtest.Call) {
	t.Helper()
	var last *telegramtest.Call
	for _, c := range h.srv.Sent(chat) {
		if c.Method == method {
			last = &c
		}
	}
	if last == nil {
		t.Fatalf("no %s to %d", method, chat)
	}
	if len(last.Files) != 1 {
		t.Fatalf("%s carries %d files, want 1", method, len(last.Files))
	}
	for name, data := range last.Files {
		return name, data, *last
	}
	panic("unreachable")
}

// The coordinator types /export the evening before the review and gets a
// workbook whose 指标明细 shows the value the contact just reported, in the metric's unit.
func TestCoordinatorExportsTheCity(t *testing.T) {
	h := newHarness(t)
	reportTestTask(t, h)
	c := h.chat(coordinator)
	c.Send("/export")
	name, data, call := lastUpload(t, h, coordinator, "sendDocument")
	if !strings.HasSuffix(name, ".xlsx") || !strings.Contains(call.Form.Get("caption"), "2022-05") {
		t.Errorf("file %q caption %q", name, call.Form.Get("caption"))
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(export.SheetMetrics)
	if err != nil {
		t.Fatal(err)
	}
	depts := map[string]bool{}
	found := false
	for _, r := range rows[1:] {
		depts[r[0]] = true
		if r[0] == "市测试办" && r[2] == "培训人数" {
			found = len(r) > 7 && r[5] == "万人" && r[6] == "0.5" && r[7] == "2022-05"
		}
	}
	if len(depts) != 15 {
		t.Errorf("指标明细 covers %d departments, want 15", len(depts))
	}
	if !found {
		t.Error("指标明细 does not show 市测试办's 0.5万人 trained in 2022-05")
	}
}

// A contact's /export holds their own department only; /export csv gives
// the CSV; anything else gets the usage line.
func TestContactExportsOwnDepartment(t *testing.T) {
	h := newHarness(t)
	c := h.chat(kexie)
	c.Send("/export csv")
	name, data, _ := lastUpload(t, h, kexie, "sendDocument")
	if !strings.HasSuffix(name, ".csv") {
		t.Fatalf("file %q", name)
	}
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(string(data), "\uFEFF")), "\n")
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "市科协,") {
			t.Fatalf("a contact of 市科协 received %q", l)
		}
	}
	c.Send("/export pdf")
	mustContain(t, c.LastText(), "/export csv")
}

// The overview's 图表 button sends a PNG; a contact cannot ask for it.
func TestOverviewChart(t *testing.T) {
	h := newHarness(t)
	c := h.chat(coordinator)
	c.Send("/status")
	c.Tap("图表")
	_, data, _ := lastUpload(t, h, coordinator, "sendPhoto")
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dy() < 15*20 {
		t.Errorf("chart is %v, too small for 15 departments", img.Bounds())
	}
	k := h.chat(kexie)
	k.TapData("s:c", 0)
	mustContain(t, h.lastToast(), "无权")
}
