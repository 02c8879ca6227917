package bot_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/duban-bot/duban/models"
)

// A backup taken mid-dialog, restored by copying it to a new DUBAN_DB,
// holds every value confirmed before it and none after, and the bot
// started on it takes the contact's next report.
func TestBackupMidDialogRestores(t *testing.T) {
	h := newHarness(t)
	c := h.chat(tester)
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("培训人数")
	c.Send("1.2万人")
	c.Tap("确认保存") // the next metric's value is asked for at once
	c.Send("8.5%")
	c.Tap("确认保存")
	c.Tap("推进中") // read back, not confirmed

	ctx := context.Background()
	var dbPath string
	if err := h.st.DB().Raw("SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&dbPath).Error; err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	backup := filepath.Join(dir, "backup.db")
	if err := models.Backup(ctx, dbPath, backup); err != nil {
		t.Fatal(err)
	}
	c.Tap("确认保存") // after the backup: not in it

	restoredPath := filepath.Join(dir, "restored.db")
	b, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(restoredPath, b, 0o600); err != nil {
		t.Fatal(err)
	}
	restored, err := models.Open(restoredPath, models.Options{Now: h.clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { restored.Close() })
	h.st = restored
	h.restart()

	for metric, want := range map[string]float64{"培训人数": 1.2, "增长率": 8.5} {
		if got := h.reports(metric); len(got) != 1 || got[0].Value != want {
			t.Errorf("%s in the restored database: %+v, want one value %v", metric, got, want)
		}
	}
	if got := h.reports("建成测试平台"); len(got) != 0 {
		t.Fatalf("a value confirmed after the backup is in it: %+v", got)
	}
	c.Send("/report")
	c.Tap("测试任务")
	c.Tap("建成测试平台")
	c.Tap("已完成")
	c.Tap("确认保存")
	if got := h.reports("建成测试平台"); len(got) != 1 || got[0].Value != 1 {
		t.Errorf("a report after the restore stored %+v, want one value 1", got)
	}
}
